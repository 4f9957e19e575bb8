/* talent.h — persons as well as projects (seed 003, the Tianjin base in one
 * year: "接待海外人才560余人" — 560+ overseas talents received at its 68
 * matchmaking events, where 400+ projects were negotiated; 41 landed, which
 * "带动聚集海内外人才1954人" — gathered 1,954 talents from home and abroad;
 * its work stations in the UK, France, the US and New Zealand "提供人才信息
 * 200多条" — 200+ talent leads. Seed 003 again, a Suzhou incubator: projects
 * strong in technology lack a general manager; seed 002: scouts and
 * technology managers).
 *
 * Persons in four flows, every one counted in the window:
 *   received  each negotiated project's team (sourced, contest losers
 *             excepted: `team` persons, drawn per project and rounded) and
 *             individual talents without a project — leads: `lead_rate` a year
 *             (Poisson: the work stations) and `leads_per_event` at each batch
 *             event held (matchmaking events, contests);
 *   attached  a lead waits up to `wait` years in a pool; a project entering
 *             `attach_stage` takes the longest-waiting one, which stays with it:
 *             `success_effect` log-odds on that stage's success and every later
 *             one, `landing_pull` log-odds toward landing at home;
 *   settled   a lead still waiting when its wait ends settles at home (a
 *             high-skill job outside the landed firms) with probability
 *             `settle`, else leaves;
 *   gathered  a landing gathers at home its team, its attached talent and
 *             `hires` more persons (drawn per project, rounded).
 * Invariant, in every run: talent_leads + talent_pool_start = talent_attached
 * + talent_settled + talent_left + talent_pool_end. The pool is first in,
 * first out with one wait for all, so it is two counters (no buffer) and a
 * lead's end is one event at arrival + wait.
 *
 * Draws: a project's team and hires from its own stream (PUR_TEAM), a lead's
 * fate from the lead's (PUR_LEAD, keyed by its number), lead arrivals from a
 * sequential stream of their own: turning talent on changes no other draw.
 * Off (`enabled = false`) nothing is drawn or scheduled and no number of a
 * run changes; the talent KPIs are 0.
 */
#ifndef INCUBSIM_TALENT_H
#define INCUBSIM_TALENT_H

#include "dist.h"
#include "settings.h"

struct talent_cfg {
    int    enabled;
    struct dist team;          /* persons per negotiated project, received with it */
    double lead_rate;          /* leads a year without a project (work stations), Poisson */
    long   leads_per_event;    /* leads at each batch event held */
    double wait;               /* years a lead waits in the pool for a project */
    int    attach_stage;       /* enum stage: where a project takes a waiting lead */
    double success_effect;     /* log-odds on success, at that stage and after, with a talent */
    double landing_pull;       /* log-odds toward landing at home with a talent */
    double settle;             /* P(settle at home) of a lead unattached at the end of its wait */
    struct dist hires;         /* persons a landing gathers besides its team and talent */
};

extern const struct setting_table talent_table;

/* A count of persons from a draw: rounded to the nearest whole person, 0 when
 * negative. */
double talent_persons(double draw);

#endif
