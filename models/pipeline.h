/* pipeline.h — the state of one replication, shared by the model's files.
 * Internal to models/: callers use model.h. */
#ifndef INCUBSIM_PIPELINE_H
#define INCUBSIM_PIPELINE_H

#include <math.h>

#include "model.h"
#include "../sim/resource.h"
#include "../sim/sim.h"
#include "../sim/stats.h"

_Static_assert(SC_MAX_CARRIERS <= 255, "routing tables hold carrier indices in a byte");

/* Stream purposes: each draw site has its own, so luck follows the project. */
enum purpose {
    PUR_ARRIVAL = 1,     /* entity = source: its interarrival times, in order */
    PUR_ATTRIBUTES,      /* entity = project key: sector, quality, score */
    PUR_STAGE,           /* + stage: duration, success */
    PUR_LANDING = PUR_STAGE + STAGE_COUNT,
    PUR_FIRM,            /* jobs, revenue, failure, exit */
    PUR_ROUND,           /* a private round in acceleration: whether, and its size */
    PUR_HANDOVER,        /* whether a project moved nearer home stays behind */
    PUR_FUND,            /* the post-money valuation the guidance fund invests at */
    PUR_TEAM,            /* entity = project key: its team and hires (talent.h) */
    PUR_LEAD,            /* entity = a lead's number: whether it settles (talent.h) */
    PUR_LEAD_ARRIVAL,    /* entity 0: the leads' interarrival times, in order (talent.h) */
    PUR_OUTBOUND_ARRIVAL,/* entity 0: outbound firms' interarrival times (outbound.h) */
    PUR_OUTBOUND_STAY,   /* entity = outbound arrival number: stay, success */
    PUR_OUTBOUND_EXPORT  /* the same: export revenue, life */
};

/* A draw from a scenario's distribution, checked: dist_prepare rules out
 * laws whose draws overflow, so a non-finite draw is a bug, and the run
 * fails with its reason rather than carry a NaN into the KPIs. */
static inline double model_draw(struct sim *s, const struct dist *d, gsl_rng *r)
{
    /* fixed and exponential laws (most durations, most shipped qualities)
     * inline: the same numbers as dist_draw's, without its call and switch */
    if (d->kind == DIST_FIXED)
        return d->a;
    double x = d->kind == DIST_EXPONENTIAL ? rng_exponential(r, d->a) : dist_draw(d, r);
    SIM_ASSERT(s, isfinite(x));
    return x;
}

/* Event priorities at equal times: bookkeeping before flow, sampling last. */
enum { PRIO_WARMUP = -30, PRIO_YEAR = -20, PRIO_BUILD = -10, PRIO_FLOW = 0, PRIO_SAMPLE = 30 };

struct project {
    uint64_t id, key;          /* id: sequence in the run; key: its streams (pipeline.c) */
    int      source, sector;
    double   quality, score;
    double   t_arrive, t_pre, t_acc, t_land, t_queue;   /* t_queue: arrival at current carrier */
    double   t_service;        /* service start at the current carrier */
    int      stage, carrier[STAGE_COUNT];
    int      success;          /* drawn at service start */
    int      funded, raised;   /* guidance fund equity; private round */
    double   stake;            /* the fund's share of the firm: paid / post-money */
    int      grant_stage, voucher_stage;   /* stage paid at, or -1 */
    int      rent;             /* rent-free space granted at landing */
    int      cohort;           /* sourced in the window [warmup, horizon) */
    int      config;           /* enum own_config of its landing (ownership.h) */
    int      winner;           /* won the contest (contest.h) */
    int      talent;           /* a lead joined it (talent.h) */
    double   team, hires;      /* persons: received with it; gathered if it lands (talent.h) */
    int      outbound;         /* a home firm going abroad (outbound.h), not a project */
    double   money[INSTR_COUNT], private_round;
    struct project *prev, *next;   /* live list; next doubles as free-list link */
};

/* A firm's revenue is revenue0 x e^(growth x age) until t_sat, then flat;
 * its failure hazard is h_rent until t_rent_end, then h; its death time is
 * drawn once (t_death). Accounting integrates these in closed form, so a
 * firm is booked once, when it dies or at the horizon (economy.c). */
struct firm {
    double t_start, t_death, t_sat, t_rent_end;
    double jobs, revenue0, h, h_rent;
    double stake, t_exit, exit_multiple;   /* t_exit: when the fund sells, if it does */
    int    exits;                 /* the fund's exit happens (drawn) */
    int    home;                  /* produces at home; 0: a leaver the fund holds a stake in */
    int    cohort;
    int    booked;                /* dead and booked (sweep_dead); dropped at the next compaction */
    double share_revenue, share_tax, share_jobs;   /* home shares of its configuration (ownership.h) */
    int    life_known;            /* life: its flows over [t_start, t_death], computed at birth */
    double life_pv, life_pv_relief, life_nominal;
    double money[INSTR_COUNT];    /* what its project received, for the warm-up's carry-in */
};

struct carrier_state {
    struct resource res;
    double perf_gain;              /* log-odds earned by performance awards */
    double perf_last_award;        /* yuan, the last award (carried in at the warm-up) */
    double landings_year;          /* for the performance post-subsidy */
    double seat_cost;              /* yuan a seat-year, the operator's factor applied */
    long   private_seats;          /* built with a one-off subsidy: their running cost is not public */
    int    tier;                   /* enum tier (certification.h); TIER_NONE when off */
    double cert_until, cert_paid;  /* its certification's end; one-off sums had */
};

/* Outbound firms of a run (outbound.h). The export sums are the window's
 * parts, booked when a firm is established (before the warm-up too), so they
 * are not reset at the warm-up; the wait and seats are. */
struct outbound_run {
    struct rng  arrival_rng;       /* never re-keyed */
    uint64_t    arrivals;          /* so far: the next firm's key */
    struct mean wait;              /* for a seat, of those seated in the window */
    struct twa  seated;            /* outbound firms holding a seat */
    long        nseated;
    double      export_revenue, export_tax;   /* PV, the window's parts */
    double      value_h, value_w;  /* the exporters' expected future at the horizon, warm-up */
    double      exporters_end;     /* established and exporting at the horizon */
};

struct model {
    const struct scenario *sc;
    struct sim         sim;
    const struct model_sink *sink;
    const struct alloc *al;                 /* every allocation of the run (NULL: libc) */
    int                sink_rc;
    struct kpi         k;
    double             t_stats;            /* statistics since (the warm-up) */
    /* projects: slab-allocated, recycled through a free list */
    struct project    *free_projects;
    struct project   **slabs;
    size_t             nslabs, slabcap;
    struct project     live;               /* sentinel of the live list */
    uint64_t           next_id;
    uint64_t           arrivals[SC_MAX_SOURCES];      /* Poisson arrivals so far */
    uint64_t           events_held[SC_MAX_SOURCES];   /* batch events so far */
    struct rng         arrival_rng[SC_MAX_SOURCES];   /* never re-keyed */
    struct carrier_state carriers[SC_MAX_CARRIERS];
    /* carriers, per (stage, source, sector) the candidates in routing order:
     * those serving the source's city, specialists first */
    uint8_t            route[STAGE_COUNT][SC_MAX_SOURCES][SC_MAX_SECTORS][SC_MAX_CARRIERS];
    uint8_t            nroute[STAGE_COUNT][SC_MAX_SOURCES][SC_MAX_SECTORS];
    uint8_t            nspecial[STAGE_COUNT][SC_MAX_SOURCES][SC_MAX_SECTORS];
    /* firms in production */
    struct firm       *firms;
    size_t             nfirms, firmcap;
    size_t             nbooked;            /* of the nfirms, dead and booked, not yet dropped */
    uint64_t           firm_seq;
    double             t_carriers;         /* seat costs booked up to here */
    double             rho;                /* continuous discount rate, log(1 + rate) */
    int                draining;           /* past the horizon: only the cohort's fate is followed */
    /* the budget */
    long               budget_year;
    long               charge_year;        /* >= 0: year-end bookings charge this year */
    double             year_spent[INSTR_COUNT], year_shared, year_total;
    double             fund_left;
    double             stake_sum, stake_n;   /* stakes bought in the window */
    /* discounted outcomes, for cost-effectiveness ratios; the cohort's ledger */
    double             landed_pv, survivors_pv, job_years_pv, nominal_revenue;
    double             cohort_cost, cohort_return;   /* present values */
    double             vah_fund;           /* the fund's part of value_at_horizon (levels.h) */
    double             vaw_fund;           /* the fund's part of value_at_warmup */
    /* the contest's ranking buffers, batch entries each (contest.h); NULL: no contest */
    struct contest_entry *contest_work;
    uint8_t           *contest_admit;
    double             cohort_landed_pv;   /* the cohort's landings, discounted like money */
    /* talent.h: leads numbered in arrival order; those in [lead_head, lead_next) wait */
    struct rng         lead_rng;           /* lead arrivals, never re-keyed */
    uint64_t           lead_next, lead_head;
    struct outbound_run ob;                /* outbound firms (outbound.h); zero when off */
    /* the cohort's share of the carriers' common costs (economy_cohort_overheads):
     * per carrier, the window's attributable public cost (seat-years, idle or
     * not; construction as an annuity; performance awards), the seat-years
     * anyone used in the window and those the cohort used ever, all in present
     * value at the warm-up */
    double             pool[SC_MAX_CARRIERS], used_pv[SC_MAX_CARRIERS],
                       cohort_used_pv[SC_MAX_CARRIERS];
    int                build_paid[SC_MAX_BUILDS];
    int                attribute;          /* some carrier cost is attributable */
    /* resolved once when the sources start (pipeline_start_sources), so the
     * event path does not test, per event, what the scenario fixes */
    uint8_t            instruments_at[STAGE_COUNT];   /* a voucher, grant, fund or round
                                                       * may be paid at the stage's entry */
    uint8_t            handover;           /* landing.handover_loss > 0 */
    double             service_quality[SC_MAX_CARRIERS];   /* its operator's success shift */
    double             score_noise[SC_MAX_SOURCES];        /* the screening's (or the jury's) */
    double             t_sat_after;        /* log(revenue_ceiling) / growth; +inf: no growth */
    /* landing-time tally and survival counts */
    struct mean        time_to_landing;
    double             surv3_n, surv3_ok, surv5_n, surv5_ok, landed_target;
};

/* pipeline.c */
void pipeline_start_sources(struct model *m);
/* A project struct from the slabs, not linked into the live list (an
 * outbound firm's), and its return to the free list. NULL: out of memory. */
struct project *pipeline_take(struct model *m);
void pipeline_give_back(struct model *m, struct project *p);
void pipeline_reset_stats(struct model *m);
void project_release(struct model *m, struct project *p, int outcome);
/* Sends a project's row to the sink (when it has a project callback). */
void pipeline_emit_record(struct model *m, const struct project *p, int outcome);
void pipeline_enter_industrialisation(struct model *m, struct project *p);
/* Starts waiting projects on a carrier's free seats. */
void pipeline_fill_seats(struct model *m, int carrier);
/* economy.c */
int  budget_can(struct model *m, enum instrument in, double amount);
/* A payment refused: counted, and the instrument marked as bound by its budget. */
void economy_refused(struct model *m, enum instrument in);
/* Pays from the budget (nothing, and a refusal counted, if it cannot);
 * books the present value. Returns 1 when paid. */
int  budget_spend(struct model *m, enum instrument in, double amount);
/* budget_spend for a project: also its money, and the cohort's cost. */
int  economy_pay(struct model *m, struct project *p, enum instrument in, double amount);
/* Present value at the warm-up of one yuan at t, and of a yuan a year over [t, t + len]. */
double economy_df(const struct model *m, double t);
double economy_pv_stream(const struct model *m, double t, double len);
void economy_start(struct model *m);
/* Seat costs of the carriers up to t, at their current capacities. */
void economy_account_carriers(struct model *m, double t);
/* A project held a seat from its service start until now: its seat-years, for
 * the cohort's share of the carrier's cost. */
void economy_seat_used(struct model *m, const struct project *p, int carrier);
/* A construction subsidy paid for build b (for its annuity in the cohort's cost). */
void economy_build_paid(struct model *m, int b);
/* At the horizon: construction charged as the seats' use in the window. */
void economy_capital(struct model *m);
/* After the cohort has drained: its share of every carrier's common cost. */
void economy_cohort_overheads(struct model *m);
/* A project becomes a firm at home, or (home = 0) leaves with the fund's stake. */
void economy_new_firm(struct model *m, const struct project *p, int home);
void economy_year_end(struct model *m);
/* At the warm-up: the pipeline's count and the value of the firm stock inherited. */
void economy_carry_in(struct model *m);
/* At the horizon: every firm's window, and what those alive are worth. */
void economy_close(struct model *m);
/* certification.c: the year's evaluation, one-off sums and carrier relief */
void certification_year(struct model *m);
/* talent.c (called only when talent is enabled) */
void talent_start(struct model *m);
/* n leads received now (an event's). */
void talent_leads(struct model *m, long n);
/* A project arrives: its team and hires drawn; the team received if negotiated. */
void talent_arrive(struct model *m, struct project *p, int negotiated);
/* A project entering the attach stage takes the longest-waiting lead, if any. */
void talent_attach(struct model *m, struct project *p);
/* A project landed: its persons gathered at home. */
void talent_landed(struct model *m, const struct project *p);
/* Leads waiting now. */
double talent_pool(const struct model *m);
/* outbound.c: home firms going abroad through the offshore carriers */
void outbound_start(struct model *m);
void outbound_reset_stats(struct model *m);
/* An outbound firm takes its seat (from its arrival or the queue). */
void outbound_seated(struct model *m, struct project *p);
/* The outbound KPIs, and the exports into revenue, tax and the stocks' values. */
void outbound_report(const struct model *m, struct kpi *k);
/* landing.c */
void landing_choose(struct model *m, struct project *p);
/* A project goes to the hub (OUT_STAYED_HUB) or a third region. */
void landing_leave(struct model *m, struct project *p, int outcome);

#endif
