/* decision.c — gathering the runs for the decision table; see decision.h. */
#include "decision.h"
#include "h5parts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/text.h"

static int kpi_named(const char *name, const char *fallback, const char *what)
{
    const char *n = name ? name : fallback;
    int k = kpi_index(n);
    if (k < 0) {
        fprintf(stderr, "incubsim: %s: unknown KPI \"%s\"; known:", what, n);
        for (size_t i = 0; i < kpi_count; i++)
            fprintf(stderr, "%s%s", i ? ", " : " ", kpi_descs[i].name);
        fprintf(stderr, "\n");
    }
    return k;
}

int decision_init(struct decision *d, const char *cost, const char *effect, double lambda)
{
    memset(d, 0, sizeof *d);
    d->lambda = lambda;
    d->cost_kpi = kpi_named(cost, DECISION_DEFAULT_COST, "--cost");
    d->effect_kpi = kpi_named(effect, DECISION_DEFAULT_EFFECT, "--effect");
    return d->cost_kpi < 0 || d->effect_kpi < 0 ? -1 : 0;
}

void decision_free(struct decision *d)
{
    for (size_t i = 0; i < d->nopts; i++) {
        free(d->opt[i].obs);
        free(d->opt[i].cost);
        free(d->opt[i].effect);
    }
    free(d->opt);
    free(d->rows);
    memset(d, 0, sizeof *d);
}

int decision_option(struct decision *d, const char *scenario)
{
    for (size_t i = 0; i < d->nopts; i++)
        if (strcmp(d->opt[i].name, scenario) == 0)
            return (int)i;
    if (d->nopts == d->optcap) {
        size_t cap = d->optcap ? 2 * d->optcap : 16;
        struct decision_option *o = realloc(d->opt, cap * sizeof *o);
        if (!o)
            return -1;
        d->opt = o;
        d->optcap = cap;
    }
    struct decision_option *o = &d->opt[d->nopts];
    memset(o, 0, sizeof *o);
    snprintf(o->name, sizeof o->name, "%s", scenario);
    return (int)d->nopts++;
}

int decision_add(struct decision *d, size_t opt, uint32_t rep, const struct kpi *k)
{
    struct decision_option *o = &d->opt[opt];
    if (!k)
        return 0;
    if (o->nobs == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 32;
        struct decision_obs *b = realloc(o->obs, cap * sizeof *b);
        if (!b)
            return -1;
        o->obs = b;
        o->cap = cap;
    }
    o->obs[o->nobs++] = (struct decision_obs){ rep, kpi_get(k, (size_t)d->cost_kpi),
                                               kpi_get(k, (size_t)d->effect_kpi) };
    return 0;
}

static int find(const struct decision *d, const char *name)
{
    for (size_t i = 0; name && i < d->nopts; i++)
        if (strcmp(d->opt[i].name, name) == 0)
            return (int)i;
    return -1;
}

int decision_reference(const struct decision *d, const char *reference, const char *baseline)
{
    if (reference)
        return find(d, reference);
    int i = find(d, DECISION_DEFAULT_REFERENCE);
    if (i < 0)
        i = find(d, baseline);
    if (i < 0)
        i = find(d, "baseline");
    return i < 0 ? 0 : i;
}

int decision_compute(struct decision *d, size_t ref, char *why, size_t n)
{
    free(d->rows);
    d->rows = NULL;
    d->nrows = 0;
    d->ref = ref;
    size_t k = d->nopts;
    /* the pairs: the reference's replications */
    uint32_t nrep = 0;
    for (size_t i = 0; i < d->opt[ref].nobs; i++)
        if (d->opt[ref].obs[i].rep >= nrep)
            nrep = d->opt[ref].obs[i].rep + 1;
    d->nreps = nrep;
    struct inc_option *io = malloc((k ? k : 1) * sizeof *io);
    d->rows = malloc(inc_rows_max(k ? k : 1) * sizeof *d->rows);
    int rc = io && d->rows ? 0 : -1;
    for (size_t i = 0; !rc && i < k; i++) {
        struct decision_option *o = &d->opt[i];
        free(o->cost);
        free(o->effect);
        o->cost = malloc((nrep ? nrep : 1) * sizeof *o->cost);
        o->effect = malloc((nrep ? nrep : 1) * sizeof *o->effect);
        if (!o->cost || !o->effect) {
            rc = -1;
            break;
        }
        for (uint32_t r = 0; r < nrep; r++)
            o->cost[r] = o->effect[r] = NAN;
        for (size_t j = 0; j < o->nobs; j++)
            if (o->obs[j].rep < nrep) {
                o->cost[o->obs[j].rep] = o->obs[j].cost;
                o->effect[o->obs[j].rep] = o->obs[j].effect;
            }
        io[i] = (struct inc_option){ o->cost, o->effect };
    }
    if (!rc)
        rc = inc_compute(io, k, nrep, ref, 0.95, d->lambda, d->rows, &d->nrows, &d->ref_status);
    free(io);
    if (rc <= -2) {
        text_fmt(why, n, "%s has no replication paired with the reference %s (every run of "
                 "one of them failed, or their %s / %s are NaN)", d->opt[-2 - rc].name,
                 d->opt[ref].name, kpi_descs[d->cost_kpi].name, kpi_descs[d->effect_kpi].name);
        d->nrows = 0;
        return -2;
    }
    return rc ? -1 : 0;
}

static int gather(void *ctx, const char *scenario, uint32_t point, uint32_t rep,
                  const struct kpi *k)
{
    struct decision *d = ctx;
    if (point != 0)
        return 0;
    int o = decision_option(d, scenario);
    return o < 0 ? -1 : decision_add(d, (size_t)o, rep, k);
}

int decision_read(struct decision *d, const char *path, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    int rc = h5parts_replay(path, gather, d, err, errlen);
    if (rc > 0 || (rc < 0 && !*err))
        text_fmt(err, errlen, "out of memory");
    return rc ? -1 : 0;
}
