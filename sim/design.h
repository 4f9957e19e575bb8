/* design.h — experimental designs over the unit cube [0,1]^k; the caller maps
 * each coordinate onto its lever's range (min + u (max - min)).
 *
 * Random parts (the strata of a Latin hypercube, the shift of a Sobol
 * sequence) are keyed by the master seed, so a design is a pure function of
 * its inputs. GSL's Sobol generator stops at 40 dimensions. Debian's
 * gsl_qrng sequences are unscrambled, so each is shifted by a random vector
 * keyed by the seed, modulo 1 (Cranley–Patterson rotation): replicate designs
 * with other seeds are then independent, and unbiased. What the shift keeps:
 * each coordinate of the first 2^m points still has one point in each 1/2^m
 * of its range, and the discrepancy stays of the same order. What it does not:
 * the net property (one point in every elementary box of volume 2^-m) of
 * the unshifted points — a shifted box straddles the wrap-around. */
#ifndef INCUBSIM_DESIGN_H
#define INCUBSIM_DESIGN_H

#include <stddef.h>
#include <stdint.h>

#define DESIGN_SOBOL_MAX_DIM 40

/* Stream keys of the designs and the bootstrap, apart from every
 * replication's (which count from 0 upwards). */
#define DESIGN_STREAM    UINT64_C(0xFFFFFFFFFFFFFF01)
#define BOOTSTRAP_STREAM UINT64_C(0xFFFFFFFFFFFFFF02)

/* m^k points, i/(m-1) on each axis (m >= 2; m = 1 gives 0.5), the last lever
 * varying fastest. out[point * k + lever]. Returns the count, or 0 when it
 * would exceed max_points. */
size_t design_grid(int k, int m, double *out, size_t max_points);
/* n points, one in each of n equal strata of every axis (independent random
 * permutations), uniform within its stratum. Returns 0, or -1 when out of
 * memory. */
int design_lhs(int k, int n, uint64_t seed, double *out);
/* n points of the k-dimensional Sobol sequence (k <= 40), from the origin
 * (which GSL skips), shifted modulo 1 (see above: stratified per coordinate,
 * not a net once shifted).
 * Returns 0, or -1 when k > 40 or out of memory. */
int design_sobol(int k, int n, uint64_t seed, double *out);

#endif
