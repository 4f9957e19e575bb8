/* sweep.c — `incubsim sweep`: the base scenario at every point of a
 * grid, Latin hypercube or Sobol design, with common random numbers. */
#include "cmds.h"
#include "experiment.h"
#include "../../output/compare.h"
#include "../text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_POINTS = 1000000 };

/* The points whose runs failed (any replication), marked as runs commit. */
struct failures {
    unsigned char *point;
    uint32_t       npoints, nfailed;
};

static void observe(void *ctx, uint32_t unit, uint32_t rep, const struct kpi *k)
{
    (void)rep;
    struct failures *f = ctx;
    if (!k && unit < f->npoints && !f->point[unit]) {
        f->point[unit] = 1;
        f->nfailed++;
    }
}

/* "point 4 (landing.base = 0.35, horizon = 2)" into buf[n]. */
static const char *point_text(const struct job *j, uint32_t p, char *buf, size_t n)
{
    text_fmt(buf, n, "point %u (", p);
    for (int l = 0; l < j->nlevers; l++)
        text_fmt(buf + strlen(buf), n - strlen(buf), "%s%s = %.6g", l ? ", " : "",
                 j->levers[l].path, j->points[(size_t)p * (size_t)j->nlevers + (size_t)l]);
    text_fmt(buf + strlen(buf), n - strlen(buf), ")");
    return buf;
}

/* Each point applied to the base scenario before anything runs: a design
 * whose every point is an invalid combination of levers is refused (exit
 * 2, no output); some invalid points are said, then recorded as failed
 * runs like any other. */
static int check_points(const struct experiment *e, const struct job *j)
{
    struct scenario *sc = malloc(sizeof *sc);
    if (!sc)
        return EXIT_RUNTIME;
    uint32_t bad = 0, first = 0;
    char why[600] = "", first_why[600] = "";
    for (uint32_t p = 0; p < j->npoints; p++)
        if (job_build(j, p, sc, why, sizeof why)) {
            if (bad++ == 0) {
                first = p;
                memcpy(first_why, why, sizeof why);
            }
        }
    free(sc);
    char at[1024];
    if (bad == j->npoints) {
        fprintf(stderr, "incubsim: %s: every one of the %u design points is an invalid "
                "combination of the levers (e.g. %s: %s); nothing was run\n", e->file,
                j->npoints, point_text(j, first, at, sizeof at), first_why);
        return EXIT_INPUT;
    }
    if (bad)
        fprintf(stderr, "incubsim: %s: %u of the %u design points are invalid combinations of "
                "the levers (the first, %s: %s); their runs are recorded as failed\n",
                e->file, bad, j->npoints, point_text(j, first, at, sizeof at), first_why);
    return EXIT_OK;
}

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
    struct failures fails = { calloc(n ? n : 1, 1), (uint32_t)n, 0 };
    if (!rc && !fails.point)
        rc = EXIT_RUNTIME;
    if (!rc)
        rc = check_points(e, &j);
    j.observe = observe;
    j.octx = &fails;
    if (!rc)
        rc = job_open(&j, 0, NULL);
    if (!rc) {
        progress_plan(&j.progress, j.end - j.next);
        rc = job_run(&j, 0, (uint32_t)o.reps, NULL, 0);
    }
    uint64_t failed = j.failed, tasks = j.tasks;
    rc = job_close(&j, rc);
    if (!rc && tasks > 0 && failed == tasks) {
        fprintf(stderr, "incubsim: every run of the sweep failed (%llu of %llu): see /runs, "
                "columns status and reason, in %s\n", (unsigned long long)failed,
                (unsigned long long)tasks, o.out);
        rc = EXIT_RUNTIME;
    } else if (!rc && fails.nfailed) {
        char list[600] = "";
        uint32_t shown = 0;
        for (uint32_t p = 0; p < fails.npoints && shown < 20; p++)
            if (fails.point[p])
                text_fmt(list + strlen(list), sizeof list - strlen(list), "%s%u",
                         shown++ ? ", " : "", p);
        fprintf(stderr, "incubsim: %u of the %u points had failed runs (%llu runs in all): "
                "points %s%s; see /runs, columns status and reason\n", fails.nfailed,
                fails.npoints, (unsigned long long)failed, list,
                fails.nfailed > shown ? ", ..." : "");
    }
    if (!rc) {
        const char *names[MAX_LEVERS];
        char kpis[1024];
        for (int l = 0; l < e->nlevers; l++)
            names[l] = e->levers[l].path;
        /* a shard's tables would be of a slice of the grid: the merged file
         * has the answer (merge, then compare); --csv asks for them anyway */
        int tables = !o.shards || o.csv;
        if (tables && compare_print_points(stdout, &j.sum, names, e->nlevers, j.points,
                                           j.npoints, o.kpis ? o.kpis
                                           : experiment_kpi_list(e, kpis, sizeof kpis), o.csv))
            rc = EXIT_INPUT;
        if (!rc && tables)
            experiment_warn_binding(o.csv ? stderr : stdout, e, &j.sum);
        if (!rc && !o.csv && o.shards)
            printf("results: %s (shard %llu/%llu of %zu points x %llu replications%s, %.1f s): "
                   "no tables from a slice; `incubsim merge` joins the shards\n", o.out,
                   o.shard, o.shards, n, o.reps, failed ? ", some failed: see above" : "",
                   driver_seconds() - t0);
        else if (!rc && !o.csv)
        {
            char plot[PATH_MAX];
            opts_shipped("output/plot.py", "../share/incubsim/plot.py", plot, sizeof plot);
            printf("\nresults: %s (%zu points x %llu replications%s, %.1f s)\nfigures: "
                   "/usr/bin/python3 %s %s\n", o.out, n, o.reps,
                   failed ? ", some failed: see above" : "", driver_seconds() - t0, plot,
                   o.out);
        }
    }
    job_free(&j);
    free(fails.point);
    free(u);
    free(e);
    opts_free(&o);
    return rc;
}
