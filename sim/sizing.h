/* sizing.h — the smallest lever value whose mean output meets a target, with
 * a stated confidence.
 *
 * Procedure: bisection over a grid of the lever (lo, lo + step, ..., hi),
 * assuming the mean output is monotone in the lever. Each probe is decided
 * "feasible" (mean meets the target) or "infeasible" by the fully sequential
 * feasibility check of Andradóttir & Kim (2010; Batur & Kim 2010), one
 * constraint: after n0 replications with sample variance S^2, replications
 * are added one at a time until the running sum of (Y - target) leaves the
 * triangular region +-R(r), R(r) = max(0, h^2 S^2 / (2 eps) - eps r / 2),
 * h^2 = (n0 - 1)((2 alpha')^(-2/(n0-1)) - 1), eps the tolerance. A probe
 * whose mean is at least eps away from the target is decided correctly with
 * probability >= 1 - alpha'. The probes are at most 2 + ceil(log2(steps)):
 * alpha' = alpha / that (Bonferroni), so with probability >= 1 - alpha every
 * decision is right (within the tolerance). Replication r of every probe
 * uses the same random numbers (common random numbers). */
#ifndef INCUBSIM_SIZING_H
#define INCUBSIM_SIZING_H

#include <stdint.h>

enum size_decision { SIZE_FEASIBLE, SIZE_INFEASIBLE, SIZE_UNDECIDED };
enum size_status { SIZE_MET, SIZE_MET_AT_MIN, SIZE_NOT_MET };

extern const char *const size_decision_names[];   /* "feasible", "infeasible", "undecided" */
extern const char *const size_status_names[];     /* "met", "met_at_min", "not_met_in_range" */

struct size_spec {
    double   lo, hi, step;   /* the lever's grid; step > 0 */
    double   target;
    int      at_most;        /* the output must stay at or below the target */
    double   confidence;     /* 1 - alpha, e.g. 0.95 */
    double   tolerance;      /* eps, in the output's units */
    uint32_t n0;             /* first-stage replications, >= 2 */
    uint32_t max_n;          /* replications a probe may use before it is undecided */
};

struct size_probe {
    uint32_t point;          /* the caller's index for it */
    double   value;
    uint32_t n;              /* replications the decision used */
    double   mean, ci_low, ci_high;   /* of the output, 95% Student-t */
    int      decision;       /* enum size_decision */
    uint32_t undefined;      /* replications whose output was NaN (no evidence) */
};

struct size_result {
    int      status;                 /* enum size_status */
    /* answer_low < threshold <= answer_high: met (two probed grid values one step
     * apart); met_at_min: answer_high = answer = lo, answer_low NaN (nothing below
     * the range was probed); not_met_in_range: answer_low = hi, the others NaN */
    double   answer, answer_low, answer_high;
    double   alpha_each;             /* alpha' */
    struct size_probe probes[34];    /* at most 2 + 30 */
    int      nprobes;
    uint64_t replications;           /* spent over every probe */
    int      undecided;              /* probes that hit max_n */
};

/* Runs replications [from, to) of the lever at `value` (a new probe gets a
 * new `point`, numbered from 0 in probe order) and writes their outputs to
 * y[0 .. to - from) (NaN: a failed replication). Returns 0, or non-zero to
 * abandon the search (then size_run returns that value). */
typedef int (*size_eval)(void *ctx, uint32_t point, double value, uint32_t from, uint32_t to,
                         double *y);

/* size_run's return when a probe's output is NaN (undefined, or failed) in
 * more than half of its replications, after at least the first stage: the
 * target cannot be decided there. out->probes[out->nprobes - 1] is that probe. */
#define SIZE_UNDEFINED (-2)

/* Returns 0 with *out filled, -1 when out of memory or the spec is bad,
 * SIZE_UNDEFINED, or the evaluator's non-zero return. */
int size_run(const struct size_spec *spec, size_eval eval, void *ctx, struct size_result *out);

/* The grid's step count, ceil((hi - lo) / step): at most 2^30. */
uint32_t size_steps(const struct size_spec *spec);

#endif
