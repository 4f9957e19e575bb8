#include "summary.h"
#include "../sim/stats.h"

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
    free(s->units);
    free(s->values);
    summary_init(s);
}

static int find_unit(const struct summary *s, const char *scenario, uint32_t point)
{
    for (size_t i = 0; i < s->nunits; i++)
        if (s->units[i].point == point && strcmp(s->units[i].scenario, scenario) == 0)
            return (int)i;
    return -1;
}

/* Re-lays values for a new (units, reps) shape; fills the rest with NaN. */
static int reshape(struct summary *s, size_t nunits, uint32_t repcap)
{
    double *nv = malloc(nunits * repcap * kpi_count * sizeof *nv);
    if (!nv)
        return -1;
    for (size_t i = 0; i < nunits * repcap * kpi_count; i++)
        nv[i] = NAN;
    for (size_t u = 0; u < s->nunits; u++)
        memcpy(nv + u * repcap * kpi_count, s->values + u * s->repcap * kpi_count,
               s->repcap * kpi_count * sizeof *nv);
    free(s->values);
    s->values = nv;
    s->repcap = repcap;
    return 0;
}

int summary_add(struct summary *s, const char *scenario, uint32_t point, uint32_t rep,
                const struct kpi *k)
{
    int u = find_unit(s, scenario, point);
    if (u < 0 || rep >= s->repcap) {
        size_t nunits = s->nunits + (u < 0);
        uint32_t repcap = s->repcap;
        while (rep >= repcap)
            repcap = repcap ? repcap * 2 : 16;
        if (reshape(s, nunits, repcap))
            return -1;
        if (u < 0) {
            struct summary_unit *nu = realloc(s->units, nunits * sizeof *nu);
            if (!nu)
                return -1;
            s->units = nu;
            u = (int)s->nunits;
            memset(&nu[u], 0, sizeof nu[u]);
            snprintf(nu[u].scenario, sizeof nu[u].scenario, "%s", scenario);
            nu[u].point = point;
            s->nunits = nunits;
        }
    }
    double *row = s->values + ((size_t)u * s->repcap + rep) * kpi_count;
    for (size_t i = 0; i < kpi_count; i++)
        row[i] = kpi_get(k, i);
    if (rep + 1 > s->nreps)
        s->nreps = rep + 1;
    return 0;
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

static void interval(const struct tally *t, double *mean, double *lo, double *hi)
{
    *mean = t->n ? t->mean : NAN;
    double hw = tally_halfwidth(t, 0.95);
    *lo = *mean - hw;
    *hi = *mean + hw;
}

void summary_stat(const struct summary *s, size_t unit, size_t kpi, struct summary_stat *out)
{
    struct tally t = { 0 }, d = { 0 };
    const double *base = s->baseline >= 0 && (size_t)s->baseline != unit
                       ? s->values + (size_t)s->baseline * s->repcap * kpi_count : NULL;
    const double *mine = s->values + unit * s->repcap * kpi_count;
    for (uint32_t r = 0; r < s->nreps; r++) {
        double v = mine[(size_t)r * kpi_count + kpi];
        if (isnan(v))
            continue;
        tally_add(&t, v);
        if (base) {
            double b = base[(size_t)r * kpi_count + kpi];
            if (!isnan(b))
                tally_add(&d, v - b);
        }
    }
    interval(&t, &out->mean, &out->ci_low, &out->ci_high);
    out->sd = tally_sd(&t);
    out->n = (double)t.n;
    if (base) {
        interval(&d, &out->diff_mean, &out->diff_low, &out->diff_high);
        out->diff_n = (double)d.n;
    } else {
        out->diff_mean = out->diff_low = out->diff_high = out->diff_n = NAN;
    }
}
