#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void summary_init(struct summary *s)
{
    memset(s, 0, sizeof *s);
    s->baseline = -1;
}

void summary_free(struct summary *s)
{
    for (size_t i = 0; i < s->npending; i++)
        free(s->pending[i].values);
    free(s->pending);
    free(s->units);
    free(s->kpi);
    free(s->diff);
    summary_init(s);
}

static int find_unit(const struct summary *s, const char *scenario, uint32_t point)
{
    for (size_t i = 0; i < s->nunits; i++)
        if (s->units[i].point == point && strcmp(s->units[i].scenario, scenario) == 0)
            return (int)i;
    return -1;
}

int summary_unit(struct summary *s, const char *scenario, uint32_t point)
{
    int u = find_unit(s, scenario, point);
    if (u >= 0)
        return u;
    if (s->nreps > 0 && (s->baseline >= 0 || s->npending > 0))
        return -1;   /* paired: the set of units is fixed once values arrive */
    size_t n = s->nunits + 1;
    struct summary_unit *nu = realloc(s->units, n * sizeof *nu);
    if (!nu)
        return -1;
    s->units = nu;
    struct tally *nk = realloc(s->kpi, n * kpi_count * sizeof *nk);
    if (!nk)
        return -1;
    s->kpi = nk;
    struct tally *nd = realloc(s->diff, n * kpi_count * sizeof *nd);
    if (!nd)
        return -1;
    s->diff = nd;
    memset(&nu[n - 1], 0, sizeof nu[n - 1]);
    memset(&nk[(n - 1) * kpi_count], 0, kpi_count * sizeof *nk);
    memset(&nd[(n - 1) * kpi_count], 0, kpi_count * sizeof *nd);
    snprintf(nu[n - 1].scenario, sizeof nu[n - 1].scenario, "%s", scenario);
    nu[n - 1].point = point;
    s->nunits = n;
    return (int)(n - 1);
}

int summary_set_baseline(struct summary *s, const char *name)
{
    s->baseline = -1;
    if (name) {
        s->baseline = find_unit(s, name, 0);
        return s->baseline >= 0 ? 0 : -1;
    }
    s->baseline = find_unit(s, "baseline", 0);
    if (s->baseline < 0 && s->nunits > 0)
        s->baseline = 0;
    return 0;
}

/* One replication's values into the tallies, then out of the pending list. */
static void fold(struct summary *s, size_t i)
{
    const double *v = s->pending[i].values;
    const double *base = s->baseline >= 0 ? v + (size_t)s->baseline * kpi_count : NULL;
    for (size_t u = 0; u < s->nunits; u++)
        for (size_t k = 0; k < kpi_count; k++) {
            double x = v[u * kpi_count + k];
            if (isnan(x))
                continue;
            tally_add(&s->kpi[u * kpi_count + k], x);
            if (base && (int)u != s->baseline && !isnan(base[k]))
                tally_add(&s->diff[u * kpi_count + k], x - base[k]);
        }
    free(s->pending[i].values);
    s->pending[i] = s->pending[--s->npending];
}

/* The pending replication `rep`, created when new; NULL when out of memory. */
static struct summary_pending *pending(struct summary *s, uint32_t rep, size_t *at)
{
    size_t i = 0;
    while (i < s->npending && s->pending[i].rep != rep)
        i++;
    if (i == s->npending) {
        if (s->npending == s->pendcap) {
            size_t ncap = s->pendcap ? 2 * s->pendcap : 4;
            struct summary_pending *np = realloc(s->pending, ncap * sizeof *np);
            if (!np)
                return NULL;
            s->pending = np;
            s->pendcap = ncap;
        }
        double *values = malloc(s->nunits * kpi_count * sizeof *values);
        if (!values)
            return NULL;
        for (size_t j = 0; j < s->nunits * kpi_count; j++)
            values[j] = NAN;
        s->pending[s->npending++] = (struct summary_pending){ rep, 0, values };
    }
    *at = i;
    return &s->pending[i];
}

int summary_add_at(struct summary *s, size_t u, uint32_t rep, const struct kpi *k)
{
    if (u >= s->nunits)
        return -1;
    if (rep + 1 > s->nreps)
        s->nreps = rep + 1;
    if (s->baseline < 0 && s->npending == 0) {
        /* nothing to pair with: fold at once, so units may come and go in any
         * order (an adaptive command adds design points as it goes) */
        for (size_t j = 0; k && j < kpi_count; j++) {
            double x = kpi_get(k, j);
            if (!isnan(x))
                tally_add(&s->kpi[u * kpi_count + j], x);
        }
        return 0;
    }
    size_t i;
    struct summary_pending *p = pending(s, rep, &i);
    if (!p)
        return -1;
    if (k) {
        double *row = p->values + u * kpi_count;
        for (size_t j = 0; j < kpi_count; j++)
            row[j] = kpi_get(k, j);
    }
    p->have++;   /* each (unit, replication) is reported once */
    if (p->have == s->nunits)
        fold(s, i);
    return 0;
}

int summary_add(struct summary *s, const char *scenario, uint32_t point, uint32_t rep,
                const struct kpi *k)
{
    int u = find_unit(s, scenario, point);
    return u < 0 ? -1 : summary_add_at(s, (size_t)u, rep, k);
}

void summary_finish(struct summary *s)
{
    while (s->npending > 0)
        fold(s, s->npending - 1);
}

static void interval(const struct tally *t, double *mean, double *lo, double *hi)
{
    *mean = t->n ? t->mean : NAN;
    double hw = tally_halfwidth(t, 0.95);
    *lo = *mean - hw;
    *hi = *mean + hw;
}

void summary_stat(const struct summary *s, size_t unit, size_t kpi, struct summary_stat *out)
{
    const struct tally *t = &s->kpi[unit * kpi_count + kpi];
    interval(t, &out->mean, &out->ci_low, &out->ci_high);
    out->sd = tally_sd(t);
    out->n = (double)t->n;
    if (s->baseline >= 0 && (size_t)s->baseline != unit) {
        const struct tally *d = &s->diff[unit * kpi_count + kpi];
        interval(d, &out->diff_mean, &out->diff_low, &out->diff_high);
        out->diff_n = (double)d->n;
    } else {
        out->diff_mean = out->diff_low = out->diff_high = out->diff_n = NAN;
    }
}

int summary_fold_row(struct summary *s, size_t u, uint32_t rep, const struct kpi *k,
                     const double *base)
{
    if (u >= s->nunits)
        return -1;
    if (rep + 1 > s->nreps)
        s->nreps = rep + 1;
    for (size_t j = 0; j < kpi_count; j++) {
        double x = kpi_get(k, j);
        if (isnan(x))
            continue;
        tally_add(&s->kpi[u * kpi_count + j], x);
        if (base && (int)u != s->baseline && !isnan(base[j]))
            tally_add(&s->diff[u * kpi_count + j], x - base[j]);
    }
    return 0;
}
