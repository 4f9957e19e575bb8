/* psa.h — probabilistic sensitivity analysis, domain-free: draws of k
 * uncertain parameters, the cost-effectiveness acceptability curve, and
 * uncertainty intervals over draws. DESIGN.md §10; the EVPPI is in evppi.h.
 *
 * Draws from priors: n points of the k-dimensional Sobol sequence, shifted
 * modulo 1 by a vector keyed by the seed (design_sobol: replicate analyses
 * with other seeds are independent, each stays low-discrepancy), each
 * coordinate u mapped through its prior's inverse CDF by the caller's
 * `quantile`. Beyond 40 parameters (GSL's Sobol limit) a Latin hypercube
 * keyed the same way. u is kept inside [1e-9, 1 - 1e-9] so an unbounded
 * prior never maps to an infinity. Draws from a posterior: rows of a
 * calibration's table resampled by weight (systematic resampling, its one
 * uniform keyed by the seed). Both are pure functions of their inputs.
 *
 * Layout: out[draw * k + param]; per-option tables [draw * nopt + option]. */
#ifndef INCUBSIM_PSA_H
#define INCUBSIM_PSA_H

#include <stddef.h>
#include <stdint.h>

/* Stream key of the posterior's resampling, apart from the designs'. */
#define PSA_STREAM UINT64_C(0xFFFFFFFFFFFFFF03)

/* The value of parameter `param` at quantile u of its prior. */
typedef double psa_quantile_fn(void *ctx, int param, double u);

/* n draws of k parameters from their priors. Returns 0, or -1 when out of
 * memory or k < 1. */
int psa_draws(int k, int n, uint64_t seed, psa_quantile_fn *quantile, void *ctx, double *out);

/* n row indices of a table of nrows weighted rows (weights >= 0, not all 0),
 * each row about n * weight / total times, in row order. Returns 0, or -1
 * when the weights are unusable. */
int psa_resample(const double *weight, size_t nrows, size_t n, uint64_t seed, size_t *idx);

/* The acceptability curve at one value per unit of effect lambda: prob[o] =
 * the share of draws in which option o has the highest net benefit
 * lambda * effect - cost (a tie shares its draw equally, so the shares sum
 * to 1). Draws with a NaN in any option are left out; returns how many
 * draws counted (0: prob is all NaN). */
size_t psa_ceac(const double *cost, const double *effect, size_t ndraws, size_t nopt,
                double lambda, double *prob);

/* Mean and central `level` interval (the (1-level)/2 and (1+level)/2
 * quantiles, linear interpolation between order statistics) of n values,
 * NaNs left out. Uses scratch[n]. Returns the count used. */
size_t psa_interval(const double *x, size_t n, double level, double *scratch, double *mean,
                    double *lo, double *hi);

#endif
