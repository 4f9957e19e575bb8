/* summary.h — KPIs over replications: means with Student-t 95% intervals, and
 * paired differences against a baseline scenario, replication by replication
 * (the streams are common, so pairing removes most of the noise).
 *
 * Streaming, so memory stays flat however many replications: a replication's
 * KPIs wait only until every unit has reported it, then fold into Welford
 * tallies. Runs arrive replication-major from `run` (one replication waiting
 * at a time); rows in any other order (merged shards) also work, at the cost
 * of holding the replications not yet complete. Units and the baseline are
 * declared before the first value. */
#ifndef INCUBSIM_SUMMARY_H
#define INCUBSIM_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "../models/kpi.h"
#include "../models/settings.h"
#include "../sim/stats.h"

struct summary_unit {              /* a (scenario, design point) */
    char     scenario[SET_NAME_LEN];
    uint32_t point;
};

struct summary_pending {           /* a replication some units have not reported yet */
    uint32_t rep;
    size_t   have;
    double  *values;               /* [unit][kpi], NaN until reported */
};

struct summary {
    struct summary_unit *units;
    size_t   nunits;
    int      baseline;             /* unit index, -1 = none */
    struct tally *kpi, *diff;      /* [unit][kpi] */
    struct summary_pending *pending;
    size_t   npending, pendcap;
    uint32_t nreps;                /* 1 + the largest replication seen */
    uint64_t failed;               /* runs read back with status failed (not folded) */
};

struct summary_stat {
    double mean, sd, ci_low, ci_high;
    double n;
    double diff_mean, diff_low, diff_high, diff_n;   /* vs baseline; NaN for it */
};

void summary_init(struct summary *s);
void summary_free(struct summary *s);
/* Declares a unit (again: no-op). Returns its index, or -1 when out of
 * memory, or when values were already added and a baseline pairs them
 * (without a baseline, units may be added at any time). */
int  summary_unit(struct summary *s, const char *scenario, uint32_t point);
/* Picks the baseline by scenario name (point 0); NULL: a scenario named
 * "baseline", else the first unit. Returns -1 when `name` is not a unit.
 * Without a call, nothing is paired. */
int  summary_set_baseline(struct summary *s, const char *name);
/* Adds a run of a declared unit. Returns 0, or -1 (out of memory, unknown unit). */
int  summary_add(struct summary *s, const char *scenario, uint32_t point, uint32_t rep,
                 const struct kpi *k);
/* The same by unit index (no search: experiments have thousands of units);
 * k NULL reports a failed run, which counts as reported but adds nothing. */
int  summary_add_at(struct summary *s, size_t unit, uint32_t rep, const struct kpi *k);
/* Folds one run at once, with the baseline's values of the same
 * replication (kpi_count doubles) or NULL: for readers that found the
 * baseline's runs first, so nothing waits in memory. */
int  summary_fold_row(struct summary *s, size_t unit, uint32_t rep, const struct kpi *k,
                      const double *base);
/* Folds the replications some unit never reported (each KPI from the units
 * that did; a difference only where the unit and the baseline both did). */
void summary_finish(struct summary *s);
void summary_stat(const struct summary *s, size_t unit, size_t kpi, struct summary_stat *out);

#endif
