/* sensitivity.c — Saltelli/Sobol and Morris; see sensitivity.h. */
#include "sensitivity.h"
#include "design.h"
#include "rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int saltelli_design(int k, int N, uint64_t seed, double *out)
{
    if (k < 1 || k > SALTELLI_MAX_LEVERS)
        return -1;
    double *ab = malloc((size_t)N * 2 * (size_t)k * sizeof *ab);
    if (!ab || design_sobol(2 * k, N, seed, ab)) {
        free(ab);
        return -1;
    }
    size_t K = (size_t)k;
    for (size_t j = 0; j < (size_t)N; j++) {
        const double *a = ab + j * 2 * K, *b = a + K;
        double *row = out + j * (K + 2) * K;
        memcpy(row, a, K * sizeof *a);                 /* A_j */
        memcpy(row + K, b, K * sizeof *b);             /* B_j */
        for (size_t i = 0; i < K; i++) {               /* AB_j^i: A_j with B_j's column i */
            double *m = row + (2 + i) * K;
            memcpy(m, a, K * sizeof *a);
            m[i] = b[i];
        }
    }
    free(ab);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The 2.5% and 97.5% points of v[n] (sorted in place); NaN when n is 0. */
static void percentiles(double *v, size_t n, double *lo, double *hi)
{
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    qsort(v, n, sizeof *v, cmp_double);
    *lo = v[(size_t)floor(0.025 * (double)(n - 1))];
    *hi = v[(size_t)ceil(0.975 * (double)(n - 1))];
}

/* S1 and ST of lever i from the rows rows[0..n) (indices into the usable
 * rows). f(B) is centred on the mean of f(A) and f(B) before the product:
 * the estimator stays consistent (E[f(AB_i) - f(A)] = 0) and loses the
 * variance a large mean adds, which dominates for KPIs like a landing rate
 * of 0.1 +- 0.01. */
static void sobol_estimate(size_t K, const double *y, const size_t *rows, size_t n, size_t i,
                           double *s1, double *st)
{
    double mean = 0, m2 = 0, c = 0, s1sum = 0, stsum = 0;
    for (size_t q = 0; q < n; q++) {
        const double *r = y + rows[q] * (K + 2);
        double xs[2] = { r[0], r[1] };
        for (int h = 0; h < 2; h++) {   /* Welford over f(A) and f(B) together */
            c++;
            double d = xs[h] - mean;
            mean += d / c;
            m2 += d * (xs[h] - mean);
        }
    }
    for (size_t q = 0; q < n; q++) {
        const double *r = y + rows[q] * (K + 2);
        double fa = r[0], fb = r[1], fab = r[2 + i];
        s1sum += (fb - mean) * (fab - fa);
        stsum += (fa - fab) * (fa - fab);
    }
    double v = m2 / c;   /* population variance, as the estimators are defined */
    *s1 = v > 0 ? s1sum / (double)n / v : NAN;
    *st = v > 0 ? 0.5 * stsum / (double)n / v : NAN;
}

int saltelli_analyse(int k, int N, const double *y, int nboot, uint64_t seed,
                     struct sobol_indices *out)
{
    size_t K = (size_t)k, n = 0;
    size_t *rows = malloc((size_t)N * sizeof *rows), *rs = malloc((size_t)N * sizeof *rs);
    double *bs1 = malloc((size_t)(nboot > 0 ? nboot : 1) * sizeof *bs1);
    double *bst = malloc((size_t)(nboot > 0 ? nboot : 1) * sizeof *bst);
    int rc = rows && rs && bs1 && bst ? 0 : -1;
    for (size_t j = 0; !rc && j < (size_t)N; j++) {
        int ok = 1;
        for (size_t m = 0; m < K + 2; m++)
            ok &= isfinite(y[j * (K + 2) + m]);
        if (ok)
            rows[n++] = j;
    }
    if (!rc && n < 2)
        rc = -1;
    struct rng r;
    rng_init(&r, seed, BOOTSTRAP_STREAM);
    for (size_t i = 0; i < K; i++) {
        struct sobol_indices *o = &out[i];
        if (rc) {
            o->S1 = o->ST = (struct interval){ NAN, NAN, NAN };
            continue;
        }
        sobol_estimate(K, y, rows, n, i, &o->S1.value, &o->ST.value);
        gsl_rng *g = rng_stream(&r, i, 0);   /* lever i's resamples: the same whatever k */
        int nb = 0;
        for (int b = 0; b < nboot; b++) {
            for (size_t q = 0; q < n; q++)
                rs[q] = rows[gsl_rng_uniform_int(g, n)];
            double s1, st;
            sobol_estimate(K, y, rs, n, i, &s1, &st);
            if (isfinite(s1) && isfinite(st)) {
                bs1[nb] = s1;
                bst[nb++] = st;
            }
        }
        percentiles(bs1, (size_t)nb, &o->S1.lo, &o->S1.hi);
        percentiles(bst, (size_t)nb, &o->ST.lo, &o->ST.hi);
    }
    if (!rc && !(isfinite(out[0].S1.value)))
        rc = -1;   /* zero variance: nothing to apportion */
    free(rows);
    free(rs);
    free(bs1);
    free(bst);
    return rc;
}

int morris_design(int k, int r, int levels, uint64_t seed, double *out)
{
    size_t K = (size_t)k;
    double delta = levels / (2.0 * (levels - 1));
    int base_levels = levels - (int)round(delta * (levels - 1));   /* x* + delta stays <= 1 */
    size_t *perm = malloc(K * sizeof *perm);
    int *up = malloc(K * sizeof *up);
    if (!perm || !up) {
        free(perm);
        free(up);
        return -1;
    }
    struct rng rg;
    rng_init(&rg, seed, DESIGN_STREAM);
    for (int t = 0; t < r; t++) {
        gsl_rng *g = rng_stream(&rg, (uint64_t)t, 3);   /* trajectory t's stream */
        double *x = out + (size_t)t * (K + 1) * K;
        for (size_t i = 0; i < K; i++) {
            double base = (double)gsl_rng_uniform_int(g, (unsigned long)base_levels) / (levels - 1);
            up[i] = gsl_rng_uniform(g) < 0.5;
            x[i] = up[i] ? base : base + delta;   /* a step down starts at the top */
            perm[i] = i;
        }
        gsl_ran_shuffle(g, perm, K, sizeof *perm);
        for (size_t s = 0; s < K; s++) {
            double *next = x + (s + 1) * K;
            memcpy(next, x + s * K, K * sizeof *x);
            size_t i = perm[s];
            next[i] += up[i] ? delta : -delta;
            if (fabs(next[i]) < 1e-12)
                next[i] = 0;
        }
    }
    free(perm);
    free(up);
    return 0;
}

int morris_analyse(int k, int r, const double *x, const double *y, int nboot, uint64_t seed,
                   struct morris_effects *out)
{
    size_t K = (size_t)k;
    double *ee = malloc((size_t)r * K * sizeof *ee), *bs = malloc((size_t)(nboot + 1) * sizeof *bs);
    size_t *n = calloc(K, sizeof *n);
    if (!ee || !bs || !n) {
        free(ee); free(bs); free(n);
        return -1;
    }
    for (size_t t = 0; t < (size_t)r; t++)
        for (size_t s = 0; s < K; s++) {
            const double *a = x + (t * (K + 1) + s) * K, *b = a + K;
            double ya = y[t * (K + 1) + s], yb = y[t * (K + 1) + s + 1];
            size_t i = 0;
            while (i < K && a[i] == b[i])
                i++;
            if (i == K || !isfinite(ya) || !isfinite(yb))
                continue;
            ee[i * (size_t)r + n[i]++] = (yb - ya) / (b[i] - a[i]);
        }
    struct rng rg;
    rng_init(&rg, seed, BOOTSTRAP_STREAM);
    for (size_t i = 0; i < K; i++) {
        const double *e = ee + i * (size_t)r;
        double sa = 0, s = 0, m2 = 0, mean = 0;
        for (size_t q = 0; q < n[i]; q++) {
            sa += fabs(e[q]);
            s += e[q];
            double d = e[q] - mean;
            mean += d / (double)(q + 1);
            m2 += d * (e[q] - mean);
        }
        out[i].mu_star.value = n[i] ? sa / (double)n[i] : NAN;
        out[i].mu = n[i] ? s / (double)n[i] : NAN;
        out[i].sigma = n[i] > 1 ? sqrt(m2 / (double)(n[i] - 1)) : NAN;
        gsl_rng *g = rng_stream(&rg, i, 1);
        int nb = 0;
        for (int b = 0; b < nboot && n[i] > 0; b++) {
            double acc = 0;
            for (size_t q = 0; q < n[i]; q++)
                acc += fabs(e[gsl_rng_uniform_int(g, n[i])]);
            bs[nb++] = acc / (double)n[i];
        }
        percentiles(bs, (size_t)nb, &out[i].mu_star.lo, &out[i].mu_star.hi);
    }
    free(ee);
    free(bs);
    free(n);
    return 0;
}
