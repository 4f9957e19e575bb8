/* sweep.c — `incubsim sweep`: the base scenario at every point of a
 * grid, Latin hypercube or Sobol design, with common random numbers. */
#include "cmds.h"
#include "experiment.h"
#include "../../output/compare.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

enum { MAX_POINTS = 1000000 };

int main_sweep(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_SWEEP, argc, argv, &o);
    if (rc || o.help)
        return rc;
    struct experiment *e = malloc(sizeof *e);
    struct job j = { 0 };
    double *u = NULL;
    double t0 = driver_seconds();
    rc = e ? experiment_load(o.files[0], CMD_SWEEP, e) : EXIT_RUNTIME;
    if (!rc)
        rc = experiment_job(e, &o, &j);
    size_t n = 0;
    if (!rc) {
        size_t k = (size_t)e->nlevers;
        size_t cap = e->design.kind == DESIGN_GRID ? MAX_POINTS : (size_t)e->design.points;
        u = malloc(cap * k * sizeof *u);
        if (!u)
            rc = EXIT_RUNTIME;
        else if (e->design.kind == DESIGN_GRID) {
            n = design_grid(e->nlevers, e->design.points, u, MAX_POINTS);
            if (n == 0) {
                fprintf(stderr, "incubsim: %s: a grid of %ld points per lever over %d levers is "
                        "more than %d points; use kind = \"lhs\" or \"sobol\"\n", e->file,
                        e->design.points, e->nlevers, MAX_POINTS);
                rc = EXIT_INPUT;
            }
        } else {
            n = (size_t)e->design.points;
            if (e->design.kind == DESIGN_LHS ? design_lhs(e->nlevers, e->design.points, o.seed, u)
                                      : design_sobol(e->nlevers, e->design.points, o.seed, u))
                rc = EXIT_RUNTIME;
        }
    }
    double values[MAX_LEVERS];
    for (size_t p = 0; !rc && p < n; p++) {
        experiment_values(e, u + p * (size_t)e->nlevers, values);
        if (job_add_point(&j, values) < 0)
            rc = EXIT_RUNTIME;
    }
    if (!rc)
        rc = job_open(&j, 0, NULL);
    if (!rc) {
        progress_plan(&j.progress, j.end - j.next);
        rc = job_run(&j, 0, (uint32_t)o.reps, NULL, 0);
    }
    uint64_t failed = j.failed;
    rc = job_close(&j, rc);
    if (!rc) {
        const char *names[MAX_LEVERS];
        char kpis[1024];
        for (int l = 0; l < e->nlevers; l++)
            names[l] = e->levers[l].path;
        if (compare_print_points(stdout, &j.sum, names, e->nlevers, j.points, j.npoints,
                                 o.kpis ? o.kpis : experiment_kpi_list(e, kpis, sizeof kpis),
                                 o.csv))
            rc = EXIT_INPUT;
        if (!rc && !o.csv)
        {
            char plot[PATH_MAX];
            opts_shipped("output/plot.py", "../share/incubsim/plot.py", plot, sizeof plot);
            printf("\nresults: %s (%zu points x %llu replications%s, %.1f s); figures: "
                   "/usr/bin/python3 %s %s\n", o.out, n, o.reps,
                   failed ? ", some failed: see /runs status" : "", driver_seconds() - t0, plot,
                   o.out);
        }
    }
    job_free(&j);
    free(u);
    free(e);
    opts_free(&o);
    return rc;
}
