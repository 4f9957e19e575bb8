/* test_psa.c — the decision methods under parameter uncertainty (sim/psa.h,
 * sim/evppi.h) against closed forms:
 * - draws from priors have the priors' means, bit-identical per seed;
 * - the acceptability curve sums to 1 at every lambda, ties shared;
 * - EVPPI of a normal parameter on which the incremental net benefit is
 *   linear, INB = a + b theta + s psi with theta, psi ~ N(0, 1) independent:
 *   E[INB | theta] = a + b theta ~ N(a, b^2), so
 *   EVPPI(theta) = E[max(0, a + b theta)] - max(0, a)
 *                = a Phi(a/b) + b phi(a/b) - max(0, a),
 *   and EVPI = the same with sd sqrt(b^2 + s^2); a parameter that touches
 *   neither cost nor effect has EVPPI near 0;
 * - percentile intervals and weighted resampling. */
#include "test.h"
#include "../sim/calibrate.h"
#include "../sim/evppi.h"
#include "../sim/psa.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <stdlib.h>
#include <string.h>

static double normal_q(void *ctx, int param, double u)
{
    (void)ctx;
    (void)param;
    return gsl_cdf_ugaussian_Pinv(u);
}

static double uniform_q(void *ctx, int param, double u)
{
    const double *range = ctx;   /* [lo, hi] per parameter */
    return range[2 * param] + u * (range[2 * param + 1] - range[2 * param]);
}

/* E[max(0, X)] - max(0, E X) for X ~ N(a, sd^2). */
static double value_normal(double a, double sd)
{
    return a * gsl_cdf_ugaussian_P(a / sd) + sd * gsl_ran_ugaussian_pdf(a / sd) - fmax(0.0, a);
}

/* draws: the priors' means, the same bits for the same seed */
static void draws(void)
{
    enum { K = 3, N = 512 };
    double range[2 * K] = { 0, 1, 10, 20, -1, 3 };
    double *a = malloc(N * K * sizeof *a), *b = malloc(N * K * sizeof *b);
    CHECK(psa_draws(K, N, 7, uniform_q, range, a) == 0, "draws");
    CHECK(psa_draws(K, N, 7, uniform_q, range, b) == 0 && memcmp(a, b, N * K * sizeof *a) == 0,
          "same seed, same draws");
    CHECK(psa_draws(K, N, 8, uniform_q, range, b) == 0 && memcmp(a, b, N * K * sizeof *a) != 0,
          "another seed, other draws");
    for (int k = 0; k < K; k++) {
        double m = 0, lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < N; i++) {
            m += a[i * K + k] / N;
            lo = fmin(lo, a[i * K + k]);
            hi = fmax(hi, a[i * K + k]);
        }
        double w = range[2 * k + 1] - range[2 * k];
        CHECK_NEAR(m, range[2 * k] + w / 2, w * 2.0 / N, "quasi-random mean");
        CHECK(lo >= range[2 * k] && hi <= range[2 * k + 1], "inside the prior: %g %g", lo, hi);
    }
    free(a);
    free(b);
}

/* CEAC: sums to 1, ties shared */
static void ceac(void)
{
    const double cost[] = { 0, 10, 5,   0, 10, 5,   0, 0, 0,   0, 1, NAN };
    const double eff[]  = { 0, 2, 1,    0, 1, 0.2,  0, 0, 0,   0, 1, 1 };
    double p[3];
    for (double lambda = 0; lambda <= 20; lambda += 2.5) {
        size_t used = psa_ceac(cost, eff, 4, 3, lambda, p);
        CHECK(used == 3, "a draw with a NaN is left out: %zu", used);
        CHECK_NEAR(p[0] + p[1] + p[2], 1.0, 1e-12, "CEAC sums to 1");
    }
    psa_ceac(cost, eff, 4, 3, 0, p);   /* lambda 0: the cheapest; draw 3 ties all three */
    CHECK_NEAR(p[0], (2 + 1.0 / 3) / 3, 1e-12, "option 0 at lambda 0");
    CHECK_NEAR(p[1], (1.0 / 3) / 3, 1e-12, "a tie is shared");
}

/* EVPPI against its closed form */
static void evppi_closed_form(void)
{
    enum { M = 2000, P = 3 };   /* theta, psi, zeta (irrelevant) */
    const double A = 0.2, B = 1.0, S = 1.0;
    double *x = malloc(M * P * sizeof *x), *cost = calloc(M * 2, sizeof *cost),
           *eff = calloc(M * 2, sizeof *eff), *theta = malloc(M * sizeof *theta);
    CHECK(psa_draws(P, M, 11, normal_q, NULL, x) == 0, "normal draws");
    for (int i = 0; i < M; i++)
        eff[2 * i + 1] = A + B * x[i * P] + S * x[i * P + 1];   /* lambda 1: NB = effect */
    double lambda[2] = { 1.0, 0.0 }, ev[2];
    double want_theta = value_normal(A, B), want_evpi = value_normal(A, sqrt(B * B + S * S));
    double evpi = evppi_evpi(cost, eff, M, 2, 1.0);
    CHECK_NEAR(evpi, want_evpi, 0.03, "EVPI");
    double got[P];
    for (int p = 0; p < P; p++) {
        for (int i = 0; i < M; i++)
            theta[i] = x[i * P + p];
        CHECK(evppi_estimate(theta, cost, eff, M, 2, lambda, 2, ev) == 0, "estimate");
        got[p] = ev[0];
        CHECK(ev[1] == 0, "at lambda 0 nothing differs: %g", ev[1]);
        CHECK(ev[0] <= evpi + 1e-9, "EVPPI %g <= EVPI %g", ev[0], evpi);
    }
    printf("# EVPPI: theta %.4f (closed form %.4f), psi %.4f (%.4f), zeta %.4f (0); EVPI "
           "%.4f (%.4f)\n", got[0], want_theta, got[1], want_theta, got[2], evpi, want_evpi);
    CHECK_NEAR(got[0], want_theta, 0.1 * want_theta, "EVPPI(theta) within 10%");
    CHECK_NEAR(got[1], want_theta, 0.1 * want_theta, "EVPPI(psi) within 10%");
    CHECK(got[2] < 0.05 * want_theta, "a parameter that cannot touch cost or effect: EVPPI "
          "%g, under 5%% of the relevant one's %g", got[2], want_theta);
    /* at a = 0 the options tie on average, where noise in the fit shows most */
    for (int i = 0; i < M; i++) {
        eff[2 * i + 1] = B * x[i * P] + S * x[i * P + 1];
        theta[i] = x[i * P + 2];
    }
    evppi_estimate(theta, cost, eff, M, 2, lambda, 1, ev);
    double tie_theta = value_normal(0, B);
    printf("# at a = 0: zeta %.4f against theta's closed form %.4f\n", ev[0], tie_theta);
    CHECK(ev[0] < 0.05 * tie_theta, "irrelevant at a tie: %g, under 5%% of %g", ev[0],
          tie_theta);
    for (int i = 0; i < M; i++)
        theta[i] = x[i * P];
    evppi_estimate(theta, cost, eff, M, 2, lambda, 1, ev);
    CHECK_NEAR(ev[0], tie_theta, 0.1 * tie_theta, "EVPPI(theta) at a tie");
    /* a constant parameter (a fixed prior): exactly 0 */
    for (int i = 0; i < M; i++)
        theta[i] = 0.08;
    evppi_estimate(theta, cost, eff, M, 2, lambda, 1, ev);
    CHECK(ev[0] < 1e-12, "a fixed parameter: %g", ev[0]);
    /* cost, not effect: INB = -(cost) at any lambda; the same closed form */
    for (int i = 0; i < M; i++) {
        cost[2 * i + 1] = -(A + B * x[i * P]);
        eff[2 * i + 1] = 0;
        theta[i] = x[i * P];
    }
    evppi_estimate(theta, cost, eff, M, 2, lambda, 1, ev);
    CHECK_NEAR(ev[0], want_theta, 0.1 * want_theta, "through cost");
    free(x); free(cost); free(eff); free(theta);
}

/* smoother: a straight line is fitted exactly */
static void smoother_line(void)
{
    double xs[50], ys[50], fit[50], h;
    for (int i = 0; i < 50; i++) {
        xs[i] = i * 0.1;
        ys[i] = 3 - 2 * xs[i];
    }
    evppi_smooth(xs, ys, 50, fit, &h);
    double err = 0;
    for (int i = 0; i < 50; i++)
        err = fmax(err, fabs(fit[i] - ys[i]));
    CHECK(err < 1e-9, "a line: max error %g (bandwidth %g)", err, h);
}

/* intervals and resampling */
static void intervals_and_resampling(void)
{
    double v[101], s[101], m, lo, hi;
    for (int i = 0; i <= 100; i++)
        v[i] = 100 - i;
    psa_interval(v, 101, 0.95, s, &m, &lo, &hi);
    CHECK_NEAR(m, 50, 1e-12, "mean");
    CHECK_NEAR(lo, 2.5, 1e-12, "2.5% quantile");
    CHECK_NEAR(hi, 97.5, 1e-12, "97.5% quantile");
    const double w[4] = { 0, 1, 3, 0 };
    size_t idx[400], count[4] = { 0 };
    CHECK(psa_resample(w, 4, 400, 3, idx) == 0, "resample");
    for (int i = 0; i < 400; i++)
        count[idx[i]]++;
    CHECK(count[0] == 0 && count[3] == 0 && count[1] == 100 && count[2] == 300,
          "systematic resampling: %zu %zu %zu %zu", count[0], count[1], count[2], count[3]);
    const double z[2] = { 0, 0 };
    CHECK(psa_resample(z, 2, 4, 3, idx) == -1, "weights all 0");
}

/* history matching's pieces (sim/calibrate.h) */
static void history_matching(void)
{
    const double z[2] = { 10, 0.5 }, e[2] = { 3, 0.1 }, m[2] = { 1, 0.5 }, v[2] = { 0, 0.03 };
    int which;
    CHECK_NEAR(calib_implausibility(z, e, m, v, 2, &which), 3.0, 1e-12, "|10 - 1| / 3");
    CHECK(which == 0, "the deciding target: %d", which);
    const double m2[2] = { 10, 0.9 };   /* 0.4 / sqrt(0.01 + 0.03) = 2 */
    CHECK_NEAR(calib_implausibility(z, e, m2, v, 2, &which), 2.0, 1e-12, "with MC variance");
    const double nan2[2] = { NAN, 0.5 };
    CHECK(isinf(calib_implausibility(z, e, nan2, v, 2, NULL)), "a failed draw is implausible");
    /* one coordinate, wave 1 on [0, 1], wave 2 on [0.25, 0.75], 100 draws each:
     * inside both boxes the mixture's density is 100 + 200, outside wave 2's 100 */
    double u[4] = { 0.5, 0.3, 0.9, 0.6 }, w[4];
    unsigned char keep[4] = { 1, 1, 1, 0 };
    const double lo[2] = { 0, 0.25 }, hi[2] = { 1, 0.75 };
    const size_t count[2] = { 100, 100 };
    calib_weights(u, 4, 1, keep, lo, hi, count, 2, w);
    CHECK(w[3] == 0 && fabs(w[0] + w[1] + w[2] - 1) < 1e-12, "kept weights sum to 1");
    CHECK_NEAR(w[2] / w[0], 3.0, 1e-12, "outside the narrower box: 3x the weight");
    double blo = -1, bhi = -1;
    unsigned char k3[4] = { 1, 1, 0, 0 };
    CHECK(calib_box(u, 4, 1, k3, 0.1, &blo, &bhi) == 2, "two kept");
    CHECK(blo < 0.3 && bhi > 0.5 && blo >= 0 && bhi <= 1, "box [%g, %g] holds them", blo, bhi);
    double q[5] = { 1, 2, 3, 4, 5 }, qw[5] = { 1, 1, 1, 1, 0 };
    CHECK(calib_weighted_quantile(q, qw, 5, 0.5) == 2, "weighted median");
    CHECK(calib_weighted_quantile(q, qw, 5, 1.0) == 4, "a zero weight never counts");
}

int main(void)
{
    draws();
    ceac();
    evppi_closed_form();
    smoother_line();
    intervals_and_resampling();
    history_matching();
    TEST_END("psa");
}
