/* sensitivity.h — global sensitivity analysis on the unit cube.
 *
 * Sobol indices from a Saltelli design: base matrices A and B (N rows each)
 * are the first and last k coordinates of a 2k-dimensional shifted Sobol
 * sequence (so k <= 20 with GSL's 40-dimension generator), and AB_i is A
 * with column i from B. Estimators: first order S_i = mean((f(B) - f0)
 * (f(AB_i) - f(A))) / V (Saltelli et al. 2010, with f(B) centred on f0, the
 * mean of f(A) and f(B), which removes the noise a large mean adds), total ST_i = mean((f(A) - f(AB_i))^2) /
 * (2V) (Jansen 1999), V the variance of f(A) and f(B) together. Confidence
 * intervals: percentile bootstrap over the N rows.
 *
 * Morris elementary effects (Morris 1991; Campolongo et al. 2007's mu*): r
 * trajectories of k + 1 points on a p-level grid, each step moving one lever
 * by Delta = p / (2 (p - 1)); EE = (f(x + Delta e_i) - f(x)) / Delta on the
 * unit scale. mu* = mean |EE|, mu = mean EE, sigma = sd EE. */
#ifndef INCUBSIM_SENSITIVITY_H
#define INCUBSIM_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#define SALTELLI_MAX_LEVERS 20

/* The N(k+2) points in run order: for each row j, A_j, B_j, AB_j^1..AB_j^k.
 * out[(j (k + 2) + m) k + lever]. Returns 0, or -1 (k > 20, memory). */
int saltelli_design(int k, int N, uint64_t seed, double *out);

struct interval {
    double value, lo, hi;     /* estimate and its 95% bootstrap interval */
};

struct sobol_indices {
    struct interval S1, ST;
};

/* y[N(k+2)] in the design's order; nboot resamples (e.g. 1000), keyed by
 * seed. NaN outputs drop their row. Returns 0, or -1 (memory, or fewer
 * than 2 usable rows, or zero variance: the indices are then NaN). */
int saltelli_analyse(int k, int N, const double *y, int nboot, uint64_t seed,
                     struct sobol_indices *out);

/* r trajectories, k + 1 points each: out[(t (k + 1) + step) k + lever].
 * levels >= 2 and even is the classic choice. Returns 0, or -1 (memory). */
int morris_design(int k, int r, int levels, uint64_t seed, double *out);

struct morris_effects {
    struct interval mu_star;  /* interval: bootstrap over trajectories */
    double mu, sigma;
};

/* x as morris_design wrote it, y[r(k+1)]. A trajectory step whose outputs
 * include NaN is skipped. Returns 0, or -1 (memory). */
int morris_analyse(int k, int r, const double *x, const double *y, int nboot, uint64_t seed,
                   struct morris_effects *out);

#endif
