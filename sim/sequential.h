/* sequential.h — adding replications until a 95% confidence interval is
 * narrow enough, without stopping early on a lucky small variance.
 *
 * Stopping when the sample variance is small picks, for a right-skewed
 * output (a queue's mean wait), the runs whose mean is small too: the
 * interval then covers less than it says (measured with tests/test_methods.c's
 * exponential output: 0.896 with a first stage of 10 and a 20% look-ahead).
 * Guards: a first stage of min_n (20); the half-width must be met at two
 * successive looks, the second after half as many replications again (a
 * look-ahead: new, independent evidence); the sample skewness g1 asks for
 * n >= 25 g1^2 (Cochran's rule for the normal approximation of a mean); and
 * for 0/1 data with both outcomes, at least `min_each` of each. A KPI constant
 * so far (zero variance: all 0, all 1, or any one value) has half-width 0 and
 * stops after the look-ahead. Measured (tests/test_methods.c, exponential
 * output, 4,000 seeds, half-width 0.3): coverage 0.9305 with these guards
 * (mean n 130), 0.8818 without (mean n 57); the Student-t interval at a fixed
 * n = 129 covers 0.9417 — no stopping rule makes it exact for skewed data. */
#ifndef INCUBSIM_SEQUENTIAL_H
#define INCUBSIM_SEQUENTIAL_H

#include <stdint.h>

#include "stats.h"

struct seq_rule {
    double   halfwidth;  /* target 95% half-width */
    uint64_t min_n;      /* default 20 */
    int      looks;      /* successive looks that must meet it; default 2 */
    uint64_t min_each;   /* binary data: each outcome at least this often; default 5 */
    double   skew_factor;/* n >= skew_factor g1^2 (g1 the sample skewness); 0 = off */
};

struct seq_track {
    struct tally t;
    double   m3;         /* sum of cubed deviations from the mean */
    uint64_t ones, nonbinary;
    int      looks_ok;
    int      done;
};

void seq_observe(struct seq_track *s, double x);   /* NaN (a failed run) is skipped */
/* A look after a batch: updates and returns s->done. */
int  seq_look(const struct seq_rule *r, struct seq_track *s);
/* The replication count to aim for at the next look: after a look that met
 * the half-width, the look-ahead (half as many again); else the count the
 * current variance (and skewness) says is needed, at least a fifth more than
 * now and at most twice as many. At least min_n, capped at max. */
uint64_t seq_next_n(const struct seq_rule *r, const struct seq_track *s, uint64_t max);
/* The sample skewness g1 (0 below 3 values or without spread), and the n
 * the skewness guard asks for. */
double   seq_skewness(const struct seq_track *s);
uint64_t seq_skew_min_n(const struct seq_rule *r, const struct seq_track *s);

/* --precision's two-stage rule (Stein 1945). The guards above still leave
 * the stopped interval short on a skewed KPI, because a sample variance that
 * is small by luck comes with a small mean: on an M/M/1 queue's mean wait
 * (tests/test_methods.c) they covered 0.92. So the first stage is a pilot of
 * SEQ_PILOT replications that share no random numbers with the run (not
 * written, not summarised); it alone fixes the replications to start with,
 * seq_pilot_n, from an upper 90% confidence bound on its standard deviation
 * and Cochran's n >= 25 g1^2 on its skewness. The run's data then decide
 * only whether to go on (seq_rule_after_pilot: the half-width met once), so
 * the interval is close to a fixed-n one: measured 0.943 where a fixed n of
 * 200-600 gives 0.943-0.947 (the t interval's own shortfall on a skewed
 * mean). */
#define SEQ_PILOT 40
#define SEQ_PILOT_SKEW 25
uint64_t seq_pilot_n(const struct seq_rule *r, const struct seq_track *pilot, uint64_t max);
static inline struct seq_rule seq_rule_after_pilot(double halfwidth)
{
    return (struct seq_rule){ .halfwidth = halfwidth, .min_n = 20, .looks = 1, .min_each = 5,
                              .skew_factor = 0 };
}

/* The one-stage rule: tests compare the two-stage rule with it. */
static inline struct seq_rule seq_rule_default(double halfwidth)
{
    return (struct seq_rule){ .halfwidth = halfwidth, .min_n = 20, .looks = 2, .min_each = 5,
                              .skew_factor = 25 };
}

#endif
