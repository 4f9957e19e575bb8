/* calibrate.c — see calibrate.h. */
#include "calibrate.h"
#include "design.h"

#include <math.h>
#include <stdlib.h>

double calib_implausibility(const double *z, const double *e, const double *m, const double *v,
                            int nt, int *which)
{
    double worst = -1;
    int at = 0;
    for (int t = 0; t < nt; t++) {
        double var = e[t] * e[t] + (isnan(v[t]) ? 0 : v[t]);
        double imp = isnan(m[t]) ? INFINITY : fabs(z[t] - m[t]) / sqrt(var);
        if (imp > worst) {
            worst = imp;
            at = t;
        }
    }
    if (which)
        *which = at;
    return worst;
}

size_t calib_box(const double *u, size_t n, int k, const unsigned char *keep, double margin,
                 double *lo, double *hi)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        kept += keep[i] != 0;
    if (kept == 0)
        return 0;
    for (int a = 0; a < k; a++) {
        double mn = INFINITY, mx = -INFINITY;
        for (size_t i = 0; i < n; i++)
            if (keep[i]) {
                mn = fmin(mn, u[i * (size_t)k + (size_t)a]);
                mx = fmax(mx, u[i * (size_t)k + (size_t)a]);
            }
        /* the support of a uniform law estimated from `kept` points reaches
         * range / (kept - 1) beyond them on each side (its unbiased estimate) */
        double spread = kept > 1 ? (mx - mn) / (double)(kept - 1) : 1.0;
        double pad = fmax(margin * (mx - mn), spread) + 0.5 / (double)n;
        lo[a] = fmax(0.0, mn - pad);
        hi[a] = fmin(1.0, mx + pad);
    }
    return kept;
}

int calib_draws(int k, int n, uint64_t seed, int wave, const double *lo, const double *hi,
                double *u)
{
    /* each wave its own shift: the seed mixed with the wave (splitmix64's constant) */
    uint64_t key = seed ^ (UINT64_C(0x9E3779B97F4A7C15) * (uint64_t)(wave + 1));
    if (design_sobol(k, n, key, u))
        return -1;
    for (size_t i = 0; i < (size_t)n * (size_t)k; i++) {
        size_t a = i % (size_t)k;
        u[i] = lo[a] + u[i] * (hi[a] - lo[a]);
    }
    return 0;
}

void calib_weights(const double *u, size_t n, int k, const unsigned char *keep, const double *lo,
                   const double *hi, const size_t *count, int nwaves, double *weight)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        weight[i] = 0;
        if (!keep[i])
            continue;
        double q = 0;   /* the mixture's density at u_i, up to the total count */
        for (int w = 0; w < nwaves; w++) {
            double vol = 1;
            int inside = 1;
            for (int a = 0; a < k && inside; a++) {
                double x = u[i * (size_t)k + (size_t)a], l = lo[w * k + a], h = hi[w * k + a];
                inside = x >= l && x <= h;
                vol *= h - l;
            }
            if (inside && vol > 0)
                q += (double)count[w] / vol;
        }
        weight[i] = q > 0 ? 1 / q : 0;
        total += weight[i];
    }
    for (size_t i = 0; i < n && total > 0; i++)
        weight[i] /= total;
}

struct pair {
    double x, w;
};

static int by_x(const void *a, const void *b)
{
    double x = ((const struct pair *)a)->x, y = ((const struct pair *)b)->x;
    return (x > y) - (x < y);
}

double calib_weighted_quantile(const double *x, const double *w, size_t n, double p)
{
    struct pair *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return NAN;
    size_t m = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] > 0 && !isnan(x[i])) {
            v[m++] = (struct pair){ x[i], w[i] };
            total += w[i];
        }
    double q = NAN;
    if (m) {
        qsort(v, m, sizeof *v, by_x);
        double cum = 0;
        q = v[m - 1].x;
        for (size_t i = 0; i < m; i++) {
            cum += v[i].w;
            if (cum >= p * total) {
                q = v[i].x;
                break;
            }
        }
    }
    free(v);
    return q;
}
