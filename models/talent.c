/* talent.c — persons received, attached, settled and gathered; see talent.h.
 * The runtime hooks (talent_*) are declared in pipeline.h: the pipeline calls
 * them only when talent is enabled. */
#include "talent.h"
#include "pipeline.h"
#include "spec.h"

#include <math.h>

static const struct dist default_team  = { DIST_FIXED, 1, 0, 0, 0 };
static const struct dist default_hires = { DIST_FIXED, 0, 0, 0, 0 };

static const struct setting_spec talent_specs[] = {
    BOOL(struct talent_cfg, enabled, 0,
         "count persons as well as projects (seed 003); off: no person is counted and no number moves"),
    DIST(struct talent_cfg, team, &default_team, "persons",
         "a negotiated project's team, received with it (rounded; argued: at least its founder)"),
    NUM(struct talent_cfg, lead_rate, 0, 1e7, 0, "persons/year",
        "talents received without a project, Poisson (seed 003: work stations' 200+ talent leads)"),
    INT(struct talent_cfg, leads_per_event, 0, 1000000, 0, "persons/event",
        "talents received without a project at each batch event held (matchmaking events, contests)"),
    NUM(struct talent_cfg, wait, 0, 1e6, 1, "years",
        "a lead waits this long for a project to join, then settles or leaves (unsourced)"),
    ENUM(struct talent_cfg, attach_stage, stage_names, STAGE_ACC,
         "stage at whose entry a project takes the longest-waiting lead"),
    NUM(struct talent_cfg, success_effect, -100, 100, 0, "log-odds",
        "on a project's success at the attach stage and after, with a talent (seed 003: projects lack a general manager; size unsourced)"),
    NUM(struct talent_cfg, landing_pull, -100, 100, 0, "log-odds",
        "toward landing at home, with a talent (unsourced)"),
    NUM(struct talent_cfg, settle, 0, 1, 0, "probability",
        "a lead unattached at the end of its wait settles at home, else leaves (unsourced)"),
    DIST(struct talent_cfg, hires, &default_hires, "persons",
         "a landing gathers these besides its team and talent (rounded; seed 003: 1,954 for 41 landings)"),
};
TABLE(talent_table, struct talent_cfg, talent_specs);

double talent_persons(double draw)
{
    return draw > 0 ? nearbyint(draw) : 0.0;
}

/* The lead numbered n ends its wait: if still in the pool it is the oldest
 * there (one wait for all, ties in arrival order), and settles or leaves. */
static void lead_end(struct sim *s, void *subject, uint64_t n)
{
    (void)subject;
    struct model *m = s->model;
    if (n < m->lead_head)
        return;   /* attached to a project */
    SIM_ASSERT(s, n == m->lead_head);
    m->lead_head++;
    gsl_rng *r = rng_key(&s->rng, n, PUR_LEAD);
    if (rng_uniform(r) < m->sc->talent.settle)
        m->k.talent_settled++;
    else
        m->k.talent_left++;
}

void talent_leads(struct model *m, long n)
{
    for (long i = 0; i < n; i++) {
        m->k.talent_received++;
        m->k.talent_leads++;
        sim_after(&m->sim, m->sc->talent.wait, PRIO_FLOW, lead_end, NULL, m->lead_next++);
    }
}

static void lead_arrival(struct sim *s, void *subject, uint64_t arg)
{
    (void)subject;
    (void)arg;
    struct model *m = s->model;
    if (m->draining)
        return;
    sim_after(s, rng_exponential(&m->lead_rng.gsl, 1.0 / m->sc->talent.lead_rate), PRIO_FLOW,
              lead_arrival, NULL, 0);
    talent_leads(m, 1);
}

void talent_start(struct model *m)
{
    const struct talent_cfg *t = &m->sc->talent;
    if (!t->enabled || !(t->lead_rate > 0))
        return;
    rng_init(&m->lead_rng, m->sim.seed, m->sim.replication);
    rng_stream(&m->lead_rng, 0, PUR_LEAD_ARRIVAL);
    sim_at(&m->sim, rng_exponential(&m->lead_rng.gsl, 1.0 / t->lead_rate), PRIO_FLOW,
           lead_arrival, NULL, 0);
}

void talent_arrive(struct model *m, struct project *p, int negotiated)
{
    const struct talent_cfg *t = &m->sc->talent;
    gsl_rng *r = rng_key(&m->sim.rng, p->key, PUR_TEAM);
    p->team = talent_persons(model_draw(&m->sim, &t->team, r));
    p->hires = talent_persons(model_draw(&m->sim, &t->hires, r));
    if (negotiated)
        m->k.talent_received += p->team;
}

void talent_attach(struct model *m, struct project *p)
{
    if (p->talent || m->lead_head == m->lead_next)
        return;
    m->lead_head++;
    p->talent = 1;
    m->k.talent_attached++;
}

void talent_landed(struct model *m, const struct project *p)
{
    m->k.talent_gathered += p->team + p->talent + p->hires;
}

double talent_pool(const struct model *m)
{
    return (double)(m->lead_next - m->lead_head);
}
