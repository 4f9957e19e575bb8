/* psa.c — see psa.h. */
#include "psa.h"
#include "design.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int psa_draws(int k, int n, uint64_t seed, psa_quantile_fn *quantile, void *ctx, double *out)
{
    if (k < 1 || n < 0)
        return -1;
    if (n == 0)
        return 0;
    int rc = k <= DESIGN_SOBOL_MAX_DIM ? design_sobol(k, n, seed, out)
                                       : design_lhs(k, n, seed, out);
    if (rc)
        return -1;
    for (size_t i = 0; i < (size_t)n * (size_t)k; i++) {
        double u = fmin(fmax(out[i], 1e-9), 1 - 1e-9);
        out[i] = quantile(ctx, (int)(i % (size_t)k), u);
    }
    return 0;
}

int psa_resample(const double *weight, size_t nrows, size_t n, uint64_t seed, size_t *idx)
{
    double total = 0;
    for (size_t r = 0; r < nrows; r++) {
        if (!(weight[r] >= 0) || !isfinite(weight[r]))
            return -1;
        total += weight[r];
    }
    if (!(total > 0) || n == 0)
        return n == 0 ? 0 : -1;
    struct rng g;
    rng_init(&g, seed, PSA_STREAM);
    double u0 = gsl_rng_uniform(rng_stream(&g, 0, 0));
    /* systematic: the points (u0 + i) / n against the cumulative weights */
    double cum = 0;
    size_t r = 0;
    for (size_t i = 0; i < n; i++) {
        double at = (u0 + (double)i) / (double)n * total;
        while (r + 1 < nrows && cum + weight[r] <= at)
            cum += weight[r++];
        idx[i] = r;
    }
    return 0;
}

size_t psa_ceac(const double *cost, const double *effect, size_t ndraws, size_t nopt,
                double lambda, double *prob)
{
    size_t used = 0;
    for (size_t o = 0; o < nopt; o++)
        prob[o] = 0;
    for (size_t d = 0; d < ndraws; d++) {
        const double *c = cost + d * nopt, *e = effect + d * nopt;
        double best = -INFINITY;
        int ok = 1;
        for (size_t o = 0; o < nopt && ok; o++) {
            double nb = lambda * e[o] - c[o];
            ok = !isnan(nb);
            if (nb > best)
                best = nb;
        }
        if (!ok)
            continue;
        size_t ties = 0;
        for (size_t o = 0; o < nopt; o++)
            ties += lambda * e[o] - c[o] == best;
        for (size_t o = 0; o < nopt; o++)
            if (lambda * e[o] - c[o] == best)
                prob[o] += 1.0 / (double)ties;
        used++;
    }
    for (size_t o = 0; o < nopt; o++)
        prob[o] = used ? prob[o] / (double)used : NAN;
    return used;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-quantile of sorted v[n] (n >= 1): R's type 7. */
static double quantile_sorted(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t i = (size_t)floor(h);
    if (i + 1 >= n)
        return v[n - 1];
    return v[i] + (h - (double)i) * (v[i + 1] - v[i]);
}

size_t psa_interval(const double *x, size_t n, double level, double *scratch, double *mean,
                    double *lo, double *hi)
{
    size_t m = 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            scratch[m++] = x[i];
            sum += x[i];
        }
    if (m == 0) {
        *mean = *lo = *hi = NAN;
        return 0;
    }
    qsort(scratch, m, sizeof *scratch, by_value);
    *mean = sum / (double)m;
    *lo = quantile_sorted(scratch, m, (1 - level) / 2);
    *hi = quantile_sorted(scratch, m, (1 + level) / 2);
    return m;
}
