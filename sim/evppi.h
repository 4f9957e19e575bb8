/* evppi.h — the expected value of partial perfect information of one
 * parameter: what learning it exactly before choosing would be worth, in
 * the unit of net benefit (yuan). Domain-free.
 *
 * Estimator: regression on the parameter, after Strong, Oakley & Brennan
 * (2014, Med Decis Making 34:311): for each option d the incremental net
 * benefit against option 0 is regressed on the parameter across the PSA's
 * draws; the fitted value g_d(theta) estimates E[INB_d | theta], and
 *   EVPPI = mean_i max(0, g_1(theta_i), ..., g_D(theta_i))
 *           - max(0, mean_i g_1, ..., mean_i g_D).
 * The smoother is a local linear regression with a Gaussian kernel on the
 * parameter's ranks (EVPPI is unchanged by a monotone transform of theta;
 * ranks spread the draws evenly), its bandwidth chosen per response by
 * leave-one-out cross-validation from a ladder that ends in the global
 * straight line and the constant (a parameter whose fit does not beat the
 * mean out of sample gets EVPPI 0: with many options, noise fitted into each
 * one's curve would otherwise add up in the max). Incremental cost and effect are smoothed separately (the
 * smoother is linear in y), so g_d = lambda fit(dE_d) - fit(dC_d) at every
 * lambda. A parameter that cannot move cost or effect gets a near-flat fit
 * and an EVPPI near 0 (its small upward bias is the noise the fit keeps:
 * tests/test_psa.c bounds it). Never negative (Jensen). */
#ifndef INCUBSIM_EVPPI_H
#define INCUBSIM_EVPPI_H

#include <stddef.h>

#define EVPPI_METHOD "regression (Strong et al. 2014): local linear smoother on the " \
                     "parameter's ranks, Gaussian kernel, bandwidth (or a line, or a constant) " \
                     "by leave-one-out cross-validation"

/* Fits y on x at every x_i (fitted[n]) as above; *bandwidth (may be NULL)
 * gets the chosen one on the rank scale (INFINITY: the straight line).
 * Returns 0, or -1 when out of memory. */
int evppi_smooth(const double *x, const double *y, size_t n, double *fitted, double *bandwidth);

/* EVPPI of parameter theta[n] for nopt options with cost[n * nopt] and
 * effect[n * nopt] per draw, at nl values lambda[nl]: out[nl]. Draws with a
 * NaN are left out. Returns 0, or -1 when out of memory. */
int evppi_estimate(const double *theta, const double *cost, const double *effect, size_t n,
                   size_t nopt, const double *lambda, size_t nl, double *out);

/* The expected value of perfect information on every parameter at once
 * (and on the Monte Carlo noise each draw's means keep):
 * mean_i max_d NB_d(i) - max_d mean_i NB_d(i). The ceiling of any EVPPI. */
double evppi_evpi(const double *cost, const double *effect, size_t n, size_t nopt, double lambda);

#endif
