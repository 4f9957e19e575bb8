/* summary.h — KPIs over replications: means with Student-t 95% intervals, and
 * paired differences against a baseline scenario, replication by replication
 * (the streams are common, so pairing removes most of the noise).
 *
 * Holds every run's KPIs (units x replications x KPIs doubles) so rows may
 * arrive in any order, as they do from merged shards. */
#ifndef INCUBSIM_SUMMARY_H
#define INCUBSIM_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "../models/kpi.h"
#include "../models/settings.h"

struct summary_unit {              /* a (scenario, design point) */
    char     scenario[SET_NAME_LEN];
    uint32_t point;
};

struct summary {
    struct summary_unit *units;
    size_t   nunits;
    double  *values;               /* [unit][rep][kpi], NaN = missing */
    uint32_t nreps, repcap;
    int      baseline;             /* unit index, -1 = none */
};

struct summary_stat {
    double mean, sd, ci_low, ci_high;
    double n;
    double diff_mean, diff_low, diff_high, diff_n;   /* vs baseline; NaN for it */
};

void summary_init(struct summary *s);
void summary_free(struct summary *s);
/* Adds a run. Returns 0, or -1 when out of memory. */
int  summary_add(struct summary *s, const char *scenario, uint32_t point, uint32_t rep,
                 const struct kpi *k);
/* Picks the baseline unit by scenario name (point 0); NULL: a scenario named
 * "baseline", else the first. Returns -1 when `name` is not found. */
int  summary_set_baseline(struct summary *s, const char *name);
void summary_stat(const struct summary *s, size_t unit, size_t kpi, struct summary_stat *out);

#endif
