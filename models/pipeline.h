/* pipeline.h — the state of one replication, shared by the model's files.
 * Internal to models/: callers use model.h. */
#ifndef INCUBSIM_PIPELINE_H
#define INCUBSIM_PIPELINE_H

#include "model.h"
#include "../sim/resource.h"
#include "../sim/sim.h"
#include "../sim/stats.h"

/* Stream purposes: each draw site has its own, so luck follows the project. */
enum purpose {
    PUR_ARRIVAL = 1,     /* entity = source: its interarrival times, in order */
    PUR_ATTRIBUTES,      /* entity = project key: sector, quality, score */
    PUR_STAGE,           /* + stage: duration, success */
    PUR_LANDING = PUR_STAGE + STAGE_COUNT,
    PUR_FIRM,            /* jobs, revenue, failure, exit */
    PUR_ROUND            /* a private round in acceleration: whether, and its size */
};

/* Event priorities at equal times: bookkeeping before flow, sampling last. */
enum { PRIO_WARMUP = -30, PRIO_YEAR = -20, PRIO_BUILD = -10, PRIO_FLOW = 0, PRIO_SAMPLE = 30 };

struct project {
    uint64_t id, key;          /* id: sequence in the run; key: its streams (pipeline.c) */
    int      source, sector;
    double   quality, score;
    double   t_arrive, t_pre, t_acc, t_land, t_queue;   /* t_queue: arrival at current carrier */
    int      stage, carrier[STAGE_COUNT];
    int      success;          /* drawn at service start */
    int      funded, raised;   /* guidance fund equity; private round */
    int      grant_stage, voucher_stage;   /* stage paid at, or -1 */
    double   money[INSTR_COUNT], private_round;
    struct project *prev, *next;   /* live list; next doubles as free-list link */
};

struct firm {
    double t_start, t_death, t_exit;
    double jobs, revenue;          /* revenue: current yearly rate */
    double stake, exit_multiple;   /* the fund's share; firm value at exit in years of revenue */
};

struct carrier_state {
    struct resource res;
    double perf_gain;              /* log-odds earned by performance awards */
    double landings_year;          /* for the performance post-subsidy */
};

struct model {
    const struct scenario *sc;
    struct sim         sim;
    const struct model_sink *sink;
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
    /* carriers, and per (stage, sector) the candidates in routing order */
    struct carrier_state carriers[SC_MAX_CARRIERS];
    int                route[STAGE_COUNT][SC_MAX_SECTORS][SC_MAX_CARRIERS];
    int                nroute[STAGE_COUNT][SC_MAX_SECTORS];
    int                nspecial[STAGE_COUNT][SC_MAX_SECTORS];   /* specialists come first */
    /* firms in production */
    struct firm       *firms;
    size_t             nfirms, firmcap;
    uint64_t           firm_seq;
    double             t_accounted;
    /* the budget */
    long               budget_year;
    long               charge_year;        /* >= 0: year-end bookings charge this year */
    double             year_spent;
    double             fund_left;
    /* landing-time tally and survival counts */
    struct tally       time_to_landing;
    double             surv3_n, surv3_ok, surv5_n, surv5_ok, landed_target;
};

/* pipeline.c */
void pipeline_start_sources(struct model *m);
void pipeline_reset_stats(struct model *m);
void project_release(struct model *m, struct project *p, int outcome);
/* Sends a project's row to the sink (when it has a project callback). */
void pipeline_emit_record(struct model *m, const struct project *p, int outcome);
void pipeline_enter_industrialisation(struct model *m, struct project *p);
/* Starts waiting projects on a carrier's free seats. */
void pipeline_fill_seats(struct model *m, int carrier);
/* economy.c */
int  budget_spend(struct model *m, enum instrument in, double amount);
int  budget_can(struct model *m, double amount);
void economy_start(struct model *m);
void economy_account(struct model *m, double t);
void economy_new_firm(struct model *m, const struct project *p);
void economy_year_end(struct model *m);
/* landing.c */
void landing_choose(struct model *m, struct project *p);

#endif
