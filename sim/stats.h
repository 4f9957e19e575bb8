/* stats.h — Welford tallies, time-weighted averages and Student-t intervals.
 * All structs are plain values owned by the caller; a zeroed struct is empty. */
#ifndef INCUBSIM_STATS_H
#define INCUBSIM_STATS_H

#include <math.h>
#include <stdint.h>

/* Observation-weighted: mean and variance by Welford's update (stable for
 * long runs where sum-of-squares would cancel). */
struct tally {
    uint64_t n;
    double   mean, m2, min, max;
};

static inline void tally_add(struct tally *t, double x)
{
    t->n++;
    if (t->n == 1) {
        t->min = t->max = x;
    } else {
        if (x < t->min) t->min = x;
        if (x > t->max) t->max = x;
    }
    double d = x - t->mean;
    t->mean += d / (double)t->n;
    t->m2 += d * (x - t->mean);
}
double tally_var(const struct tally *t);          /* sample variance, n-1 */

/* A mean alone, for statistics kept at every event (waits, sojourns): a
 * compensated (Neumaier) sum and a count, no division per observation as
 * Welford's update needs. The sum's error stays at a few ulps however many
 * observations; a zeroed struct is empty. */
struct mean {
    uint64_t n;
    double   sum, carry;
};
static inline void mean_add(struct mean *m, double x)
{
    double t = m->sum + x;
    m->carry += fabs(m->sum) >= fabs(x) ? (m->sum - t) + x : (x - t) + m->sum;
    m->sum = t;
    m->n++;
}
/* NaN when empty. */
static inline double mean_of(const struct mean *m)
{
    return m->n ? (m->sum + m->carry) / (double)m->n : NAN;
}
double tally_sd(const struct tally *t);
/* Half-width of the two-sided Student-t interval for the mean at `level`
 * (e.g. 0.95). NaN when n < 2. */
double tally_halfwidth(const struct tally *t, double level);

/* Time-weighted average of a piecewise-constant quantity (queue length,
 * busy seats). The value is integrated from `t0`; reset at warm-up. */
struct twa {
    double t0, last_t, value, area;
};

void twa_reset(struct twa *w, double now);         /* keeps the current value */
static inline void twa_set(struct twa *w, double now, double v)
{
    w->area += w->value * (now - w->last_t);
    w->last_t = now;
    w->value = v;
}
double twa_mean(const struct twa *w, double now);  /* NaN over an empty window */

/* Student-t quantile for the two-sided `level` interval with df degrees. */
double stats_t_quantile(double level, double df);

#endif
