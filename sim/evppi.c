/* evppi.c — see evppi.h. */
#include "evppi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ranked {
    double x;
    size_t i;
};

static int by_x(const void *a, const void *b)
{
    const struct ranked *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

/* (rank + 0.5) / n, ties at their mean rank. */
static int ranks(const double *x, size_t n, double *r)
{
    struct ranked *v = malloc(n * sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        v[i] = (struct ranked){ x[i], i };
    qsort(v, n, sizeof *v, by_x);
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b + 1 < n && v[b + 1].x == v[a].x)
            b++;
        double mid = 0.5 * (double)(a + b);
        for (size_t k = a; k <= b; k++)
            r[v[k].i] = (mid + 0.5) / (double)n;
        a = b + 1;
    }
    free(v);
    return 0;
}

/* The ladder of bandwidths on the rank scale; then the straight line and the
 * constant (no dependence at all: a parameter whose fit cannot beat its mean
 * by cross-validation contributes exactly 0). */
#define CONSTANT (-1.0)
static const double ladder[] = { 0.03, 0.05, 0.08, 0.12, 0.18, 0.27, 0.4, 0.6, 1.0, INFINITY,
                                 CONSTANT };
enum { NH = sizeof ladder / sizeof ladder[0] };

/* Row i of the smoother matrix at bandwidth h into l[n]; returns l[i] (the
 * leverage). */
static double smoother_row(const double *x, size_t n, size_t i, double h, double xbar, double sxx,
                           double *l)
{
    if (h == CONSTANT) {
        for (size_t j = 0; j < n; j++)
            l[j] = 1.0 / (double)n;
        return l[i];
    }
    if (isinf(h)) {   /* the global straight line (the mean when x is constant) */
        for (size_t j = 0; j < n; j++)
            l[j] = 1.0 / (double)n + (sxx > 0 ? (x[i] - xbar) * (x[j] - xbar) / sxx : 0.0);
        return l[i];
    }
    double s0 = 0, s1 = 0, s2 = 0;
    for (size_t j = 0; j < n; j++) {
        double d = x[j] - x[i], w = exp(-0.5 * (d / h) * (d / h));
        l[j] = w;
        s0 += w;
        s1 += w * d;
        s2 += w * d * d;
    }
    double det = s0 * s2 - s1 * s1;
    if (!(det > 1e-12 * s0 * s2) || s2 <= 0) {   /* no spread: local constant */
        for (size_t j = 0; j < n; j++)
            l[j] /= s0;
        return l[i];
    }
    for (size_t j = 0; j < n; j++)
        l[j] *= (s2 - (x[j] - x[i]) * s1) / det;
    return l[i];
}

/* Fits m responses y[k * n + i] on ranks r at once (the smoother's weights
 * are the responses' common part): fitted[k * n + i], each response at the
 * bandwidth its leave-one-out error prefers. */
static int smooth_many(const double *r, size_t n, const double *y, size_t m, double *fitted,
                       double *chosen)
{
    double *l = malloc(n * sizeof *l), *fit = malloc(m * n * sizeof *fit),
           *cv = malloc(m * sizeof *cv), *best = malloc(m * sizeof *best);
    if (!l || !fit || !cv || !best) {
        free(l); free(fit); free(cv); free(best);
        return -1;
    }
    double xbar = 0, sxx = 0;
    for (size_t i = 0; i < n; i++)
        xbar += r[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        sxx += (r[i] - xbar) * (r[i] - xbar);
    for (size_t k = 0; k < m; k++)
        best[k] = INFINITY;
    for (int h = 0; h < NH; h++) {
        int usable = 1;
        for (size_t k = 0; k < m; k++)
            cv[k] = 0;
        for (size_t i = 0; i < n && usable; i++) {
            double lev = smoother_row(r, n, i, ladder[h], xbar, sxx, l);
            if (lev > 1 - 1e-9 && n > 1)
                usable = 0;   /* a point that fits only itself: no cross-validation */
            for (size_t k = 0; k < m; k++) {
                const double *yk = y + k * n;
                double f = 0;
                for (size_t j = 0; j < n; j++)
                    f += l[j] * yk[j];
                fit[k * n + i] = f;
                double e = (yk[i] - f) / (1 - lev);
                cv[k] += e * e;
            }
        }
        if (!usable)
            continue;
        for (size_t k = 0; k < m; k++)
            if (cv[k] < best[k] || (isinf(best[k]) && h == NH - 1)) {   /* ties: the smoother */
                best[k] = cv[k];
                memcpy(fitted + k * n, fit + k * n, n * sizeof *fit);
                if (chosen)
                    chosen[k] = ladder[h];
            }
    }
    free(l); free(fit); free(cv); free(best);
    return 0;
}

int evppi_smooth(const double *x, const double *y, size_t n, double *fitted, double *bandwidth)
{
    double *r = malloc((n ? n : 1) * sizeof *r);
    if (!r || ranks(x, n, r)) {
        free(r);
        return -1;
    }
    int rc = smooth_many(r, n, y, 1, fitted, bandwidth);
    free(r);
    return rc;
}

int evppi_estimate(const double *theta, const double *cost, const double *effect, size_t n,
                   size_t nopt, const double *lambda, size_t nl, double *out)
{
    for (size_t q = 0; q < nl; q++)
        out[q] = 0;
    if (nopt < 2 || n < 3)
        return 0;
    size_t d = nopt - 1, m = 2 * d;   /* responses: dC_1..dC_D, dE_1..dE_D */
    double *x = malloc(n * sizeof *x), *r = malloc(n * sizeof *r),
           *y = malloc(m * n * sizeof *y), *f = malloc(m * n * sizeof *f);
    if (!x || !r || !y || !f) {
        free(x); free(r); free(y); free(f);
        return -1;
    }
    size_t k = 0;   /* the usable draws */
    for (size_t i = 0; i < n; i++) {
        int ok = !isnan(theta[i]);
        for (size_t o = 0; o < nopt && ok; o++)
            ok = !isnan(cost[i * nopt + o]) && !isnan(effect[i * nopt + o]);
        if (!ok)
            continue;
        x[k] = theta[i];
        for (size_t o = 1; o < nopt; o++) {
            y[(o - 1) * n + k] = cost[i * nopt + o] - cost[i * nopt];
            y[(d + o - 1) * n + k] = effect[i * nopt + o] - effect[i * nopt];
        }
        k++;
    }
    /* the responses were written with stride n; pack them to stride k */
    for (size_t j = 1; j < m && k < n; j++)
        memmove(y + j * k, y + j * n, k * sizeof *y);
    int rc = k >= 3 ? (ranks(x, k, r) || smooth_many(r, k, y, m, f, NULL)) : 0;
    if (!rc && k >= 3)
        for (size_t q = 0; q < nl; q++) {
            double sum_max = 0, *mean = y;   /* y is free now: the means of g_d */
            for (size_t o = 0; o < d; o++)
                mean[o] = 0;
            for (size_t i = 0; i < k; i++) {
                double mx = 0;
                for (size_t o = 0; o < d; o++) {
                    double g = lambda[q] * f[(d + o) * k + i] - f[o * k + i];
                    mean[o] += g / (double)k;
                    if (g > mx)
                        mx = g;
                }
                sum_max += mx;
            }
            double best = 0;
            for (size_t o = 0; o < d; o++)
                if (mean[o] > best)
                    best = mean[o];
            out[q] = fmax(0.0, sum_max / (double)k - best);
        }
    free(x); free(r); free(y); free(f);
    return rc ? -1 : 0;
}

double evppi_evpi(const double *cost, const double *effect, size_t n, size_t nopt, double lambda)
{
    double *mean = calloc(nopt ? nopt : 1, sizeof *mean);
    if (!mean)
        return NAN;
    double sum_max = 0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        double mx = -INFINITY;
        int ok = 1;
        for (size_t o = 0; o < nopt && ok; o++) {
            double nb = lambda * effect[i * nopt + o] - cost[i * nopt + o];
            ok = !isnan(nb);
            mx = nb > mx ? nb : mx;
        }
        if (!ok)
            continue;
        for (size_t o = 0; o < nopt; o++)
            mean[o] += lambda * effect[i * nopt + o] - cost[i * nopt + o];
        sum_max += mx;
        used++;
    }
    double best = -INFINITY;
    for (size_t o = 0; o < nopt; o++)
        best = fmax(best, mean[o] / (double)used);
    free(mean);
    return used ? sum_max / (double)used - best : NAN;
}
