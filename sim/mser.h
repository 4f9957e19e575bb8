/* mser.h — the warm-up of replicated pilot runs by MSER on batch means
 * (White 1997; Hoad, Robinson & Davies 2010), batched by the pilot's own
 * correlation time and guarded by the replications.
 *
 * MSER picks the truncation d that minimises the marginal standard error of
 * what is left: sum_{j>=d} (Z_j - mean_d)^2 / k^2 over the k batch means kept.
 * Two defects of MSER-5 on one averaged series, measured on a 30-year run of a
 * stage with a 2-year time constant (refused in 5 of 10 seeds):
 *  - batches of 5 samples a few days apart are nearly equal, so MSER's
 *    independence assumption fails; here a batch spans at least the integrated
 *    autocorrelation time of the pilot (its second half, pooled over the
 *    replications);
 *  - a tail of a few batches that agree by chance fakes a minimum at the end.
 *    Here the spread of the kept batch means is floored at MSER_FLOOR times
 *    the noise the replications show (the between-replication variance of a
 *    batch mean, over the second half), which chance cannot lower.
 * The kept part is then tested for drift (the replications' paired difference
 * between its two halves, a two-sided t-test at 0.2%: a false refusal in 500
 * scenarios), not held to a fixed fraction. */
#ifndef INCUBSIM_MSER_H
#define INCUBSIM_MSER_H

#include <stddef.h>

/* Truncations keep at least this many batch means; a series must make at
 * least twice as many. */
#define MSER_MIN_KEPT 5
/* The floor on the kept batch means' spread, as a share of the replications'
 * noise: below 1 because batches one correlation time long are still
 * correlated, so their spread about their own mean runs lower than the noise
 * (0.8: measured on the Jackson network of tests/validation, 40 seeds). */
#define MSER_FLOOR 0.8

enum mser_verdict {
    MSER_OK = 0,
    MSER_TOO_SHORT,   /* fewer than 2 MSER_MIN_KEPT batches of the correlation time */
    MSER_DRIFT        /* the kept part still drifts: the run does not settle */
};

struct mser_result {
    enum mser_verdict verdict;
    size_t truncate;      /* samples to drop (a multiple of batch) */
    size_t batch;         /* samples per batch: the correlation time, at least 5 */
    size_t batches;       /* batch means the series made */
    double corr;          /* integrated autocorrelation time, in samples */
    double drift_t;       /* t of the kept part's drift (second half - first) */
    double drift;         /* that drift, in the series' units */
};

/* y[reps][n] (row-major): reps >= 2 pilot series sampled at equal steps from
 * the same start. Returns 0 (the answer, or why not, in *out), or -1 when
 * reps < 2, n < 20 or out of memory. */
int mser_pilot(const double *y, size_t reps, size_t n, struct mser_result *out);

#endif
