/* calibrate.h — history matching of a simulator's uncertain parameters to
 * observed figures, domain-free (DESIGN.md §10).
 *
 * Why history matching and not ABC rejection: both keep the draws whose
 * simulated figures come close to the observed ones, but history matching
 * says how close in the observations' own units of uncertainty
 * (implausibility, Craig et al. 1997; Vernon et al. 2010), with a cut (3)
 * justified by Pukelsheim's three-sigma rule for any unimodal law, where ABC
 * needs a tolerance on an arbitrary distance. Its waves refocus the draws on
 * what is still plausible, so a narrow posterior is found without millions
 * of prior draws.
 *
 * Implausibility of a draw x for target t with observed z_t, observation sd
 * e_t and simulated mean m_t(x) over n replications with sample variance
 * s_t^2:  I_t(x) = |z_t - m_t(x)| / sqrt(e_t^2 + s_t^2 / n);  I(x) = max_t I_t.
 * A draw is kept when I(x) <= cut.
 *
 * Waves (no emulator: the simulator is run at every draw): wave 1 draws from
 * the prior, i.e. uniformly in the unit cube of prior quantiles u; wave w+1
 * draws uniformly in the box spanned by the draws kept so far, widened by a
 * margin on each side and clipped to [0,1]. The posterior is every kept draw
 * of every wave, weighted by the inverse of the mixture of the waves'
 * sampling densities in u (deterministic multiple importance sampling), so
 * the weighted draws sample the prior restricted to the non-implausible set
 * however the boxes were drawn. */
#ifndef INCUBSIM_CALIBRATE_H
#define INCUBSIM_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>

#define CALIB_METHOD "history matching: implausibility max_t |z_t - m_t| / sqrt(e_t^2 + " \
                     "s_t^2/n) <= cut, waves narrowing the sampled box of prior quantiles, " \
                     "kept draws weighted by their inverse sampling density"

/* Implausibility of one draw over nt targets (observed z, sd e; simulated
 * mean m and the variance of that mean v = s^2 / n). *which gets the target
 * that decides (NULL allowed). A NaN mean gives INFINITY. */
double calib_implausibility(const double *z, const double *e, const double *m, const double *v,
                            int nt, int *which);

/* The next wave's box: per coordinate the range of the kept u's, widened on
 * each side by the larger of `margin` of it and range / (kept - 1) (how far
 * a uniform law's support reaches beyond `kept` points of it, estimated
 * without bias), plus half a spacing of n points, clipped to [0, 1]. keep[i] != 0 marks the kept rows of u[n * k]. Returns how many
 * were kept (0: the box is left as it was). */
size_t calib_box(const double *u, size_t n, int k, const unsigned char *keep, double margin,
                 double *lo, double *hi);

/* n draws uniform in the box [lo, hi] of [0,1]^k: a Sobol sequence shifted
 * by a vector keyed by (seed, wave). Returns 0, or -1 when out of memory. */
int calib_draws(int k, int n, uint64_t seed, int wave, const double *lo, const double *hi,
                double *u);

/* Weights of the kept draws: with wave w's box lo[w * k..], hi[w * k..] and
 * count[w] points drawn in it, kept draw i gets
 * 1 / sum_w count[w] 1{u_i in box w} / vol(box w), normalised to sum 1 over
 * the kept ones; 0 for the others. */
void calib_weights(const double *u, size_t n, int k, const unsigned char *keep, const double *lo,
                   const double *hi, const size_t *count, int nwaves, double *weight);

/* The p-quantile of x[n] under weights w[n] (>= 0, not all 0): the smallest
 * x whose cumulative weight reaches p. NaN when no weight. */
double calib_weighted_quantile(const double *x, const double *w, size_t n, double p);

#endif
