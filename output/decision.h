/* decision.h — the decision table of a set of runs (DESIGN.md §9): each
 * scenario's paired increments in a cost KPI and an effect KPI against a
 * reference scenario, the ICER with Fieller's interval, the net benefit at a
 * value per unit of effect, and the dominance status on the cost-effect
 * frontier. The arithmetic is sim/increments; this gathers the two KPIs of
 * every run (replication r of every scenario is the pair, under common random
 * numbers), picks the reference, and keeps the rows for h5out_increments and
 * compare_print_decision.
 *
 * Only design point 0 is gathered: `run` has one point per scenario (a
 * sweep's points are not options of one decision). The pairs are the
 * reference's replications (1 + the largest it reported); a replication an
 * option did not report (failed, or not run) is NaN and drops out of the
 * pairs it is in. The struct owns its arrays: decision_free releases them; a
 * zeroed struct is empty. */
#ifndef INCUBSIM_DECISION_H
#define INCUBSIM_DECISION_H

#include <stddef.h>
#include <stdint.h>

#include "../models/kpi.h"
#include "../models/settings.h"
#include "../sim/increments.h"

/* The KPIs that decide when none are named (--cost, --effect): the cohort
 * view's complete cost (every yuan, idle seats and construction included)
 * and its landings discounted like money (models/kpi.c), so the ICER does not
 * move with the warm-up or the horizon. */
#define DECISION_DEFAULT_COST   "cohort_cost"
#define DECISION_DEFAULT_EFFECT "cohort_landings_pv"
/* The reference when none is named, if the file has it. */
#define DECISION_DEFAULT_REFERENCE "no_policy"

struct decision_obs {
    uint32_t rep;
    double   cost, effect;
};

/* An option's runs as they came, unordered and sparse, so memory is linear
 * in the runs whatever their replication numbers (a crafted file may give
 * every scenario its own); decision_compute lays them out by replication. */
struct decision_option {
    char     name[SET_NAME_LEN];
    struct decision_obs *obs;
    size_t   nobs, cap;
    double  *cost, *effect;        /* decision_compute's layout: [rep], NaN where missing */
};

struct decision {
    int      cost_kpi, effect_kpi; /* indices into kpi_descs */
    double   lambda;               /* value per unit of effect; NaN: no net benefit */
    struct decision_option *opt;
    size_t   nopts, optcap;
    uint32_t nreps;                /* after decision_compute: the reference's replications */
    /* after decision_compute */
    size_t   ref;
    int      ref_status;           /* the reference's own place (enum inc_status) */
    struct inc_row *rows;
    size_t   nrows;
};

/* Sets up an empty table for KPIs named cost and effect (NULL: the
 * defaults) at lambda (NaN: none). Returns 0, or -1 with a message on
 * stderr naming the unknown KPI and `what` (e.g. "--cost"). */
int  decision_init(struct decision *d, const char *cost, const char *effect, double lambda);
void decision_free(struct decision *d);
/* Declares an option (again: its index). Returns its index, -1 when out of memory. */
int  decision_option(struct decision *d, const char *scenario);
/* One run's KPIs (k NULL: a failed run, nothing kept). Returns 0, -1 when out
 * of memory. */
int  decision_add(struct decision *d, size_t opt, uint32_t rep, const struct kpi *k);
/* The reference's index by the rule of DESIGN.md §9: `reference` when given
 * (-1 when it is not an option); else "no_policy" when present; else
 * `baseline` when given and present; else "baseline" when present; else 0. */
int  decision_reference(const struct decision *d, const char *reference, const char *baseline);
/* Computes the rows against option `ref`. Returns 0; -1 when out of memory;
 * -2 when an option has no replication paired with the reference (its name
 * in why). */
int  decision_compute(struct decision *d, size_t ref, char *why, size_t n);
/* Gathers every /runs row of a results file (point 0). Returns 0, or -1
 * with err. */
int  decision_read(struct decision *d, const char *path, char *err, size_t errlen);

#endif
