/* sensitivity.c — `incubsim sensitivity`: Sobol indices from a Saltelli
 * design, or Morris elementary effects (the methods: sim/sensitivity.h).
 * Every point runs replications 0..R-1, the same keys at every point, so
 * model noise is common to the rows and does not inflate the indices; the
 * output analysed is each point's mean over its replications. */
#include "cmds.h"
#include "experiment.h"
#include "../../output/answer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void row(struct h5_sensitivity_row *r, const char *kpi, const char *lever,
                const char *method, const char *measure, double v, double lo, double hi)
{
    memset(r, 0, sizeof *r);
    snprintf(r->kpi, sizeof r->kpi, "%s", kpi);
    snprintf(r->lever, sizeof r->lever, "%s", lever);
    snprintf(r->method, sizeof r->method, "%s", method);
    snprintf(r->measure, sizeof r->measure, "%s", measure);
    r->value = v;
    r->ci_low = lo;
    r->ci_high = hi;
}

int main_sensitivity(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_SENSITIVITY, argc, argv, &o);
    if (rc || o.help)
        return rc;
    struct experiment *e = malloc(sizeof *e);
    struct job j = { 0 };
    double *u = NULL, *y = NULL;
    struct h5_sensitivity_row *rows = NULL;
    size_t nrows = 0, n = 0;
    double t0 = driver_seconds();
    rc = e ? experiment_load(o.files[0], CMD_SENSITIVITY, e) : EXIT_RUNTIME;
    if (!rc)
        rc = experiment_job(e, &o, &j);
    int k = rc ? 0 : e->nlevers, morris = !rc && e->design.kind == DESIGN_MORRIS;
    if (!rc) {
        n = morris ? (size_t)e->design.points * (size_t)(k + 1) : (size_t)e->design.points * (size_t)(k + 2);
        u = malloc(n * (size_t)k * sizeof *u);
        y = malloc(n * sizeof *y);
        rows = calloc((size_t)e->nkpis * (size_t)k * 3, sizeof *rows);
        if (!u || !y || !rows)
            rc = EXIT_RUNTIME;
        else if (morris ? morris_design(k, e->design.points, e->design.levels, o.seed, u)
                        : saltelli_design(k, e->design.points, o.seed, u))
            rc = EXIT_RUNTIME;
    }
    double values[MAX_LEVERS];
    for (size_t p = 0; !rc && p < n; p++) {
        experiment_values(e, u + p * (size_t)k, values);
        if (job_add_point(&j, values) < 0)
            rc = EXIT_RUNTIME;
    }
    if (!rc)
        rc = job_open(&j, 0, NULL);
    if (!rc) {
        progress_plan(&j.progress, j.end - j.next);
        rc = job_run(&j, 0, (uint32_t)o.reps, NULL, 0);
    }
    if (!rc)
        rc = job_finish(&j);   /* the summary complete, the file joined */
    for (int q = 0; !rc && q < e->nkpis; q++) {
        const char *kpi = kpi_descs[e->kpi[q]].name;
        for (size_t p = 0; p < n; p++) {
            struct summary_stat st;
            summary_stat(&j.sum, p, (size_t)e->kpi[q], &st);
            y[p] = st.mean;
        }
        if (morris) {
            struct morris_effects me[MAX_LEVERS];
            if (morris_analyse(k, e->design.points, u, y, e->design.bootstrap, o.seed, me)) {
                rc = EXIT_RUNTIME;
                break;
            }
            for (int l = 0; l < k; l++) {
                const char *lv = e->levers[l].path;
                row(&rows[nrows++], kpi, lv, "morris", "mu_star", me[l].mu_star.value,
                    me[l].mu_star.lo, me[l].mu_star.hi);
                row(&rows[nrows++], kpi, lv, "morris", "mu", me[l].mu, NAN, NAN);
                row(&rows[nrows++], kpi, lv, "morris", "sigma", me[l].sigma, NAN, NAN);
            }
        } else {
            struct sobol_indices si[SALTELLI_MAX_LEVERS];
            if (saltelli_analyse(k, e->design.points, y, e->design.bootstrap, o.seed, si))
                fprintf(stderr, "incubsim: warning: %s does not vary over the design (or too "
                        "few runs succeeded): its indices are NaN\n", kpi);
            for (int l = 0; l < k; l++) {
                const char *lv = e->levers[l].path;
                row(&rows[nrows++], kpi, lv, "sobol", "S1", si[l].S1.value, si[l].S1.lo,
                    si[l].S1.hi);
                row(&rows[nrows++], kpi, lv, "sobol", "ST", si[l].ST.value, si[l].ST.lo,
                    si[l].ST.hi);
            }
        }
    }
    if (!rc && h5out_sensitivity(j.h, rows, nrows)) {
        fprintf(stderr, "incubsim: %s\n", h5out_error(j.h));
        rc = EXIT_RUNTIME;
    }
    rc = job_close(&j, rc);
    if (!rc) {
        printf("sensitivity: %s, %s design, %zu points x %llu replications\n", e->name,
               morris ? "Morris" : "Saltelli", n, o.reps);
        answer_print_sensitivity(stdout, rows, nrows);   /* as `compare` reprints it */
        experiment_warn_binding(stdout, e, &j.sum);
        printf("\nresults: %s (%.1f s)\n", o.out, driver_seconds() - t0);
    }
    job_free(&j);
    free(u);
    free(y);
    free(rows);
    free(e);
    opts_free(&o);
    return rc;
}
