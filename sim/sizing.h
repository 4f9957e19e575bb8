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
 * uses the same random numbers (common random numbers).
 *
 * size --robust P (size_robust_run): the same bisection, but a probe is
 * judged over D draws of the assumptions: the caller returns, for each draw,
 * the output's mean over its replications (the same draws and the same
 * replication streams at every probe: common random numbers across probes),
 * a draw "meets" the target when that mean does, and the probe is feasible
 * when the share of draws that meet it is >= P. The share's Wilson interval
 * at the target's confidence (one-sided) marks a probe "undecided" when it
 * holds P: more draws would be needed to be sure of that side. The answer's
 * interval: the bisection's bracket, and a bootstrap over the draws (the
 * smallest probed value whose resampled share is >= P, its 2.5% and 97.5%
 * order statistics): how far the answer could move with another D draws. */
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
    /* size --robust: the share of draws whose mean meets the target, and its
     * Wilson interval (two-sided 95%); NaN otherwise. n, undefined, mean and
     * ci_* then count draws: n draws with a defined mean, their mean, and the
     * central 95% of the per-draw means (what the assumptions spread) */
    double   share, share_low, share_high;
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
    int      undecided;              /* probes that hit max_n (robust: P inside the share's
                                        one-sided Wilson bound) */
    /* size --robust; robust = 0 otherwise */
    double   robust;                 /* P */
    uint32_t draws;                  /* D */
    double   share_at_answer;        /* the share of draws meeting the target at the answer */
    double   boot_low, boot_high;    /* the bootstrap interval over draws (INFINITY: not met) */
    uint32_t boot;                   /* bootstrap resamples */
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

/* size --robust P */
struct size_robust_spec {
    double   p;          /* 0 < p < 1 */
    uint32_t draws;      /* D >= 1 */
    uint32_t boot;       /* bootstrap resamples of the draws (0: no bootstrap interval) */
    uint64_t seed;       /* keys the bootstrap's stream (SIZE_BOOT_STREAM) */
};

#define SIZE_BOOT_STREAM UINT64_C(0xFFFFFFFFFFFFFF04)

/* Runs every draw of the lever at `value` (a new probe gets a new `point`,
 * numbered from 0 in probe order) and writes each draw's mean output to
 * means[0 .. draws) (NaN: no replication defined it). Returns 0, or non-zero
 * to abandon the search. */
typedef int (*size_eval_draws)(void *ctx, uint32_t point, double value, double *means);

/* Returns as size_run; SIZE_UNDEFINED when more than half the draws have no
 * defined mean at a probe (a draw without one counts as not meeting the
 * target otherwise). spec->n0, max_n and tolerance are not used; out->replications
 * is left to the caller (it knows the replications per draw). */
int size_robust_run(const struct size_spec *spec, const struct size_robust_spec *rs,
                    size_eval_draws eval, void *ctx, struct size_result *out);

/* The Wilson score interval of k successes in n at normal quantile z. */
void size_wilson(uint32_t k, uint32_t n, double z, double *lo, double *hi);

/* The grid's step count, ceil((hi - lo) / step): at most 2^30. */
uint32_t size_steps(const struct size_spec *spec);

#endif
