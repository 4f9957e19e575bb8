/* sequential.h — adding replications until a 95% confidence interval is
 * narrow enough, without stopping early on a lucky small variance.
 *
 * Guards: a minimum number of replications; the half-width must be met at
 * two successive looks (the second after a further batch: a look-ahead);
 * and for a KPI that is 0 or 1 in every replication (a proportion of
 * replications), at least `min_each` of each outcome, below which the
 * normal interval is not to be trusted. */
#ifndef INCUBSIM_SEQUENTIAL_H
#define INCUBSIM_SEQUENTIAL_H

#include <stdint.h>

#include "stats.h"

struct seq_rule {
    double   halfwidth;  /* target 95% half-width */
    uint64_t min_n;      /* default 10 */
    int      looks;      /* successive looks that must meet it; default 2 */
    uint64_t min_each;   /* binary data: each outcome at least this often; default 5 */
};

struct seq_track {
    struct tally t;
    uint64_t ones, nonbinary;
    int      looks_ok;
    int      done;
};

void seq_observe(struct seq_track *s, double x);   /* NaN (a failed run) is skipped */
/* A look after a batch: updates and returns s->done. */
int  seq_look(const struct seq_rule *r, struct seq_track *s);
/* The replication count to aim for at the next look: the count the current
 * variance says is needed, at least a fifth more than now and at most twice
 * as many, capped at max. */
uint64_t seq_next_n(const struct seq_rule *r, const struct seq_track *s, uint64_t max);

#endif
