/* mser.c — MSER on replicated pilot runs; see mser.h. */
#include "mser.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

/* Integrated autocorrelation time 1 + 2 sum rho(k) of the second half of each
 * series (about its own mean), pooled over the series; the sum stops at the
 * first rho <= 0 or at k >= 5 tau (Sokal's window). A trend makes it long. */
static double corr_time(const double *y, size_t reps, size_t n)
{
    size_t h0 = n / 2, h = n - h0;
    double *mean = calloc(reps, sizeof *mean);
    if (!mean)
        return -1;
    double v = 0;
    for (size_t r = 0; r < reps; r++) {
        const double *s = y + r * n + h0;
        for (size_t i = 0; i < h; i++)
            mean[r] += s[i];
        mean[r] /= (double)h;
        for (size_t i = 0; i < h; i++)
            v += (s[i] - mean[r]) * (s[i] - mean[r]);
    }
    double tau = 1;
    for (size_t k = 1; v > 0 && k < h / 2; k++) {
        double c = 0;
        for (size_t r = 0; r < reps; r++) {
            const double *s = y + r * n + h0;
            for (size_t i = 0; i + k < h; i++)
                c += (s[i] - mean[r]) * (s[i + k] - mean[r]);
        }
        double rho = c / v;
        if (rho <= 0)
            break;
        tau += 2 * rho;
        if ((double)k >= 5 * tau)
            break;
    }
    free(mean);
    return tau;
}

int mser_pilot(const double *y, size_t reps, size_t n, struct mser_result *out)
{
    if (reps < 2 || n < 4 * MSER_MIN_KEPT)
        return -1;
    *out = (struct mser_result){ 0 };
    double tau = corr_time(y, reps, n);
    if (tau < 0)
        return -1;
    out->corr = tau;
    size_t b = tau < 5 ? 5 : (size_t)ceil(tau);
    size_t m = n / b;
    out->batch = b;
    out->batches = m;
    if (m < 2 * MSER_MIN_KEPT) {
        out->verdict = MSER_TOO_SHORT;
        return 0;
    }
    /* Z_j: batch j's mean over the replications; vb: the variance of Z_j the
     * replications show, averaged over the second half's batches */
    double *z = malloc(m * sizeof *z);
    if (!z)
        return -1;
    double vb = 0;
    for (size_t j = 0; j < m; j++) {
        double s = 0, ss = 0;
        for (size_t r = 0; r < reps; r++) {
            double x = 0;
            for (size_t i = 0; i < b; i++)
                x += y[r * n + j * b + i];
            x /= (double)b;
            s += x;
            ss += x * x;
        }
        z[j] = s / (double)reps;
        if (j >= m / 2) {
            double var = (ss - s * z[j]) / (double)(reps - 1);
            vb += (var > 0 ? var : 0) / (double)reps;
        }
    }
    vb /= (double)(m - m / 2);
    /* MSER(d) = max(spread, MSER_FLOOR vb) / k, k = m - d kept, from the end
     * backwards with Welford's update; ties go to the earlier truncation */
    double mean = 0, m2 = 0, best = INFINITY;
    size_t bestd = 0;
    for (size_t k = 1; k <= m; k++) {
        double x = z[m - k], dlt = x - mean;
        mean += dlt / (double)k;
        m2 += dlt * (x - mean);
        if (k < MSER_MIN_KEPT)
            continue;
        double spread = m2 / (double)k;
        double stat = fmax(spread, MSER_FLOOR * vb) / (double)k;
        if (stat <= best) {
            best = stat;
            bestd = m - k;
        }
    }
    free(z);
    out->truncate = bestd * b;
    /* drift of the kept part [a, n): each replication's second-half mean less
     * its first-half mean; a paired t-test over the replications, which are
     * independent whatever the autocorrelation within each */
    size_t a = out->truncate, half = (n - a) / 2;
    double s = 0, ss = 0;
    for (size_t r = 0; r < reps; r++) {
        const double *p = y + r * n + a;
        double m1 = 0, m2h = 0;
        for (size_t i = 0; i < half; i++)
            m1 += p[i];
        for (size_t i = half; i < n - a; i++)
            m2h += p[i];
        double d = m2h / (double)(n - a - half) - m1 / (double)half;
        s += d;
        ss += d * d;
    }
    double dm = s / (double)reps;
    double var = (ss - s * dm) / (double)(reps - 1);
    double se = sqrt(var > 0 ? var : 0) / sqrt((double)reps);
    out->drift = dm;
    out->drift_t = se > 0 ? dm / se : (dm == 0 ? 0 : copysign(INFINITY, dm));
    double crit = gsl_cdf_tdist_Qinv(0.001, (double)(reps - 1));
    out->verdict = fabs(out->drift_t) > crit ? MSER_DRIFT : MSER_OK;
    return 0;
}
