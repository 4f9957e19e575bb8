/* design.c — see design.h. */
#include "design.h"
#include "rng.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <stdlib.h>

size_t design_grid(int k, int m, double *out, size_t max_points)
{
    size_t n = 1;
    for (int l = 0; l < k; l++) {
        if (n > max_points / (size_t)m)
            return 0;
        n *= (size_t)m;
    }
    for (size_t p = 0; p < n; p++) {
        size_t rest = p;
        for (int l = k - 1; l >= 0; l--) {
            size_t i = rest % (size_t)m;
            rest /= (size_t)m;
            out[p * (size_t)k + (size_t)l] = m > 1 ? (double)i / (double)(m - 1) : 0.5;
        }
    }
    return n;
}

int design_lhs(int k, int n, uint64_t seed, double *out)
{
    struct rng r;
    rng_init(&r, seed, DESIGN_STREAM);
    size_t *perm = malloc((size_t)n * sizeof *perm);
    if (!perm)
        return -1;
    for (int l = 0; l < k; l++) {
        gsl_rng *g = rng_stream(&r, (uint64_t)l, 1);   /* lever l's own stream */
        for (int i = 0; i < n; i++)
            perm[i] = (size_t)i;
        gsl_ran_shuffle(g, perm, (size_t)n, sizeof *perm);
        for (int i = 0; i < n; i++)
            out[(size_t)i * (size_t)k + (size_t)l] = ((double)perm[i] + gsl_rng_uniform(g)) / n;
    }
    free(perm);
    return 0;
}

int design_sobol(int k, int n, uint64_t seed, double *out)
{
    if (k < 1 || k > DESIGN_SOBOL_MAX_DIM)
        return -1;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)k);
    if (!q)
        return -1;
    struct rng r;
    rng_init(&r, seed, DESIGN_STREAM);
    gsl_rng *g = rng_stream(&r, 0, 2);
    double shift[DESIGN_SOBOL_MAX_DIM];
    for (int l = 0; l < k; l++)
        shift[l] = gsl_rng_uniform(g);
    for (int i = 0; i < n; i++) {
        double *x = out + (size_t)i * (size_t)k;
        if (i == 0)   /* GSL starts after the origin: put it back (the unshifted first
                       * 2^m points are a (t,m,s)-net; see design.h for what the shift keeps) */
            for (int l = 0; l < k; l++)
                x[l] = 0;
        else
            gsl_qrng_get(q, x);
        for (int l = 0; l < k; l++) {
            x[l] += shift[l];
            if (x[l] >= 1.0)
                x[l] -= 1.0;
        }
    }
    gsl_qrng_free(q);
    return 0;
}
