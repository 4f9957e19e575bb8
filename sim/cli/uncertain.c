/* uncertain.c — the assumptions as levers; see uncertain.h. */
#include "uncertain.h"
#include "../psa.h"
#include "../text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same_prior(const struct dist *a, const struct dist *b)
{
    return a->kind == b->kind && a->a == b->a && (dist_param_names[a->kind][1] == NULL || a->b == b->b);
}

int uncertain_init(struct uncertain *u, struct job *j, const char *what)
{
    memset(u, 0, sizeof *u);
    int cap = 0;
    for (int s = 0; s < j->nscs; s++)
        cap += j->scs[s]->nassumptions;
    if (cap == 0) {
        fprintf(stderr, "incubsim: %s: its scenarios declare no assumptions (add `assumptions = "
                "( { setting = \"...\"; source = \"...\"; dist = \"uniform\"; min = ...; max = "
                "...; } );`, DESIGN.md §10)\n", what);
        return EXIT_INPUT;
    }
    u->levers = calloc((size_t)cap, sizeof *u->levers);
    u->prior = calloc((size_t)cap, sizeof *u->prior);
    u->source = calloc((size_t)cap, sizeof *u->source);
    u->names = calloc((size_t)cap, sizeof *u->names);
    u->refs = calloc((size_t)cap * (size_t)j->nscs, sizeof *u->refs);
    u->applies = calloc((size_t)cap * (size_t)j->nscs, 1);
    struct scenario *probe = malloc(sizeof *probe);
    if (!u->levers || !u->prior || !u->source || !u->names || !u->refs || !u->applies || !probe) {
        free(probe);
        return EXIT_RUNTIME;
    }
    for (int s = 0; s < j->nscs; s++)
        for (int i = 0; i < j->scs[s]->nassumptions; i++) {
            const struct assumption_cfg *a = &j->scs[s]->assumptions[i];
            int at = -1;
            for (int k = 0; k < u->n; k++)
                if (strcmp(u->levers[k].path, a->setting) == 0)
                    at = k;
            if (at < 0) {
                at = u->n++;
                text_fmt(u->levers[at].path, sizeof u->levers[at].path, "%s", a->setting);
                u->prior[at] = a->dist;
                u->source[at] = a->source;
                u->names[at] = u->levers[at].path;
                u->levers[at].min = dist_quantile(&a->dist, 1e-9);
                u->levers[at].max = dist_quantile(&a->dist, 1 - 1e-9);
            } else if (!same_prior(&u->prior[at], &a->dist)) {
                fprintf(stderr, "incubsim: %s: scenarios \"%s\" and another declare assumption "
                        "\"%s\" with different priors; a draw is common to every option, so "
                        "the priors must agree\n", what, j->scs[s]->name, a->setting);
                free(probe);
                return EXIT_INPUT;
            }
        }
    /* where each assumption lies in each scenario that declares it, and the
     * prior's ends there */
    int rc = EXIT_OK;
    for (int s = 0; s < j->nscs && !rc; s++)
        for (int i = 0; i < j->scs[s]->nassumptions && !rc; i++) {
            const char *path = j->scs[s]->assumptions[i].setting;
            int a = 0;
            while (strcmp(u->levers[a].path, path) != 0)
                a++;
            size_t at = (size_t)s * (size_t)u->n + (size_t)a;
            struct diag d;
            if (settings_resolve(&scenario_table, j->scs[s], path, &u->refs[at], &d)) {
                fprintf(stderr, "incubsim: %s: scenario %s: %s\n", what, j->scs[s]->name, d.msg);
                rc = EXIT_INPUT;
                break;
            }
            u->applies[at] = 1;
            u->levers[a].ref = u->refs[at];
            const double ends[2] = { u->levers[a].min, u->levers[a].max };
            for (int e = 0; e < 2 && !rc; e++) {
                char why[400];
                *probe = *j->scs[s];
                if (settings_ref_set(&u->refs[at], probe, ends[e], why, sizeof why)
                        || scenario_finish(probe, j->scs[s]->name, &d)) {
                    fprintf(stderr, "incubsim: %s: scenario %s: assumption %s at its prior's "
                            "%s quantile (%.6g): %s\n", what, j->scs[s]->name, path,
                            e ? "1 - 1e-9" : "1e-9", ends[e], *why ? why : d.msg);
                    rc = EXIT_INPUT;
                }
            }
        }
    free(probe);
    if (rc)
        return rc;
    j->levers = u->levers;
    j->nlevers = u->n;
    j->unit_refs = u->refs;
    j->applies = u->applies;
    j->npoints = 0;
    return EXIT_OK;
}

void uncertain_free(struct uncertain *u)
{
    free(u->levers);
    free(u->prior);
    free(u->source);
    free(u->names);
    free(u->refs);
    free(u->applies);
    memset(u, 0, sizeof *u);
}

double uncertain_quantile(void *ctx, int a, double q)
{
    const struct uncertain *u = ctx;
    return dist_quantile(&u->prior[a], q);
}

int uncertain_draws(const struct uncertain *u, uint32_t ndraws, uint64_t seed,
                    const char *posterior, double *out)
{
    if (!posterior)
        return psa_draws(u->n, (int)ndraws, seed, uncertain_quantile, (void *)u, out)
               ? EXIT_RUNTIME : EXIT_OK;
    const char **cols = malloc(((size_t)u->n + 1) * sizeof *cols);
    if (!cols)
        return EXIT_RUNTIME;
    for (int a = 0; a < u->n; a++)
        cols[a] = u->names[a];
    cols[u->n] = "weight";
    double *rows = NULL;
    size_t nrows = 0;
    char err[1200];
    int rc = EXIT_OK;
    if (h5in_read_columns(posterior, "posterior", cols, u->n + 1, &rows, &nrows, err, sizeof err)) {
        fprintf(stderr, "incubsim: posterior: %s (it must hold a column per assumption of the "
                "scenarios)\n", err);
        rc = EXIT_INPUT;
    }
    size_t k = (size_t)u->n + 1;
    double *w = rc ? NULL : malloc((nrows ? nrows : 1) * sizeof *w);
    size_t *idx = rc ? NULL : malloc((ndraws ? ndraws : 1) * sizeof *idx);
    if (!rc && (!w || !idx))
        rc = EXIT_RUNTIME;
    for (size_t r = 0; !rc && r < nrows; r++)
        w[r] = rows[r * k + (size_t)u->n];
    if (!rc && (nrows == 0 || psa_resample(w, nrows, ndraws, seed, idx))) {
        fprintf(stderr, "incubsim: posterior: %s has no usable rows (none, or weights all 0)\n",
                posterior);
        rc = EXIT_INPUT;
    }
    for (uint32_t d = 0; !rc && d < ndraws; d++)
        memcpy(out + (size_t)d * (size_t)u->n, rows + idx[d] * k, (size_t)u->n * sizeof *out);
    free(w);
    free(idx);
    free(rows);
    free(cols);
    return rc;
}
