/* increments.h — options compared by their increments against a reference:
 * paired deltas in cost and effect with Student-t intervals, the incremental
 * cost-effectiveness ratio (ICER) with Fieller's interval, the net benefit at
 * a value per unit of effect, and the dominance status of every option on the
 * cost-effect frontier (the rules of R's dampack `calculate_icers`), with
 * sequential ICERs along the frontier. Domain-free: "cost" and "effect" are
 * two columns of numbers, "samples" are paired replications (or PSA draws).
 *
 * Pairing: sample i of every option shares its random numbers (replication i
 * under common random numbers, or draw i), so a delta is the mean of the
 * differences option[i] - reference[i]. A sample with a NaN in any of the four
 * numbers of a comparison (a failed replication) is left out of that
 * comparison only; `n` in each row says how many pairs it used.
 *
 * Intervals (level, e.g. 0.95; t = Student-t quantile with n-1 df):
 *   delta_cost, delta_effect, net_benefit: mean +- t * sd / sqrt(n) of the
 *     paired differences (net benefit per pair: lambda * dE - dC).
 *   icer = mean(dC) / mean(dE) (NaN when mean(dE) == 0). Its interval is
 *     Fieller's for the ratio of two correlated means: the set of R with
 *       (mC - R mE)^2 <= t^2 (vCC - 2 R vCE + R^2 vEE)
 *     where vXY are the (co)variances of the means (sample covariance / n).
 *     When mE^2 > t^2 vEE (the effect's interval excludes 0) the set is the
 *     bounded interval [icer_low, icer_high] and icer_ci = INC_CI_BOUNDED.
 *     Otherwise (the effect's interval includes 0) the set is unbounded (the
 *     whole line or two rays) and no interval is stored: icer_low = icer_high
 *     = NaN, icer_ci = INC_CI_UNBOUNDED; icer itself is still the ratio of
 *     the means (NaN when mE == 0). With fewer than 2 pairs, and in the
 *     reference's own row, every interval is NaN and icer_ci = INC_CI_NONE.
 *
 * Frontier (on the options' mean deltas against the reference, which order
 * the options as their mean costs and effects do): sort by cost ascending,
 * then effect descending, then input order (so of two identical options the
 * first given stays); an option is dominated (strongly) when an option
 * before it in that order has an effect >= its own (so: more costly and no
 * more effective, or as costly and less effective); among the rest, in cost
 * order, an option whose ICER against the previous one exceeds the next
 * one's ICER against it is extended-dominated (a mix of its neighbours buys
 * more for less); repeated until none changes. The rest is the frontier: its
 * costs and effects strictly increase and its sequential ICERs do not
 * decrease. Equal sequential ICERs (collinear options) stay on it, as in
 * dampack. The reference takes part like any option; its row's status is
 * INC_REFERENCE whatever its place (inc_compute's `ref_status` says where it
 * stands).
 *
 * Rows, in a caller-owned array of at least inc_rows_max(k):
 *   rows[0 .. k): every option against the reference, in input order (the
 *     reference's own row has deltas 0 with intervals [0, 0], icer NaN,
 *     icer_ci INC_CI_NONE, status INC_REFERENCE),
 *     against = INC_AGAINST_REFERENCE;
 *   then one row per frontier option but the cheapest, in cost order, against
 *     the next cheaper frontier option (`versus`), against = INC_AGAINST_FRONTIER:
 *     the sequential ICERs.
 * Enum values start at 1 (R's hdf5r reads an HDF5 enum as a factor only
 * then); each *_names[] array is indexed by the value, [0] is NULL. */
#ifndef INCUBSIM_INCREMENTS_H
#define INCUBSIM_INCREMENTS_H

#include <stddef.h>
#include <stdint.h>

enum inc_status {
    INC_REFERENCE = 1,
    INC_FRONTIER = 2,
    INC_DOMINATED = 3,
    INC_EXTENDED_DOMINATED = 4
};
enum inc_against { INC_AGAINST_REFERENCE = 1, INC_AGAINST_FRONTIER = 2 };
enum inc_ci { INC_CI_BOUNDED = 1, INC_CI_UNBOUNDED = 2, INC_CI_NONE = 3 };

/* "reference", "frontier", "dominated", "extended_dominated" (index = value) */
extern const char *const inc_status_names[];
/* "reference", "frontier" */
extern const char *const inc_against_names[];
/* "bounded", "unbounded", "none" */
extern const char *const inc_ci_names[];
/* What the ICER interval is, for an attribute next to the table. */
#define INC_ICER_METHOD "fieller (paired, Student-t with n-1 df)"

/* One option's samples: n of each, borrowed for the call. */
struct inc_option {
    const double *cost;
    const double *effect;
};

struct inc_row {
    size_t   option;          /* index of the option */
    size_t   versus;          /* index of the option it is compared with */
    int      against;         /* enum inc_against */
    int      status;          /* enum inc_status: the option's own */
    int      icer_ci;         /* enum inc_ci */
    uint32_t n;               /* pairs used */
    double   delta_cost, delta_cost_low, delta_cost_high;
    double   delta_effect, delta_effect_low, delta_effect_high;
    double   icer, icer_low, icer_high;
    double   net_benefit, net_benefit_low, net_benefit_high;   /* NaN when lambda is NaN */
};

/* Rows inc_compute may write for k options: k against the reference and at
 * most k - 1 sequential ones. */
static inline size_t inc_rows_max(size_t k)
{
    return k ? 2 * k - 1 : 0;
}

/* One paired comparison: option a against option b over n samples, at
 * `level`, net benefit at lambda (NaN: none). Fills the numbers and n of
 * *row (not option, versus, against, status). */
void inc_pair(const struct inc_option *a, const struct inc_option *b, size_t n, double level,
              double lambda, struct inc_row *row);

/* Dominance of k options by their mean cost and effect (no NaN): writes
 * status[k] (INC_FRONTIER, INC_DOMINATED or INC_EXTENDED_DOMINATED; never
 * INC_REFERENCE) and the frontier's indices in ascending cost to
 * frontier[0 .. *nfrontier) (capacity k). Returns 0, -1 when out of memory. */
int inc_frontier(const double *cost, const double *effect, size_t k, int *status,
                 size_t *frontier, size_t *nfrontier);

/* The table: k options with n paired samples each, `ref` the reference's
 * index, at `level` (0 < level < 1), net benefit at lambda (NaN: none).
 * Writes rows[0 .. *nrows) (capacity inc_rows_max(k)) and, when ref_status
 * is not NULL, the reference's own place (INC_FRONTIER, ...). Returns 0; -1
 * when out of memory or the arguments are bad (k == 0, ref >= k, level out
 * of range); -2 - i when option i has no usable pair with the reference (no
 * mean to place it by). */
int inc_compute(const struct inc_option *opt, size_t k, size_t n, size_t ref, double level,
                double lambda, struct inc_row *rows, size_t *nrows, int *ref_status);

#endif
