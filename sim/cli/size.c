/* size.c — `incubsim size`: the smallest lever value meeting a target
 * with a stated confidence (the procedure: sim/sizing.h). */
#include "cmds.h"
#include "experiment.h"
#include "../farm.h"
#include "../sizing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

struct size_ctx {
    struct job *j;
    int      kpi;
    double  *y;          /* where the current batch's outputs go */
    uint32_t from;
};

static void observe(void *ctx, uint32_t unit, uint32_t rep, const struct kpi *k)
{
    (void)unit;
    struct size_ctx *c = ctx;
    c->y[rep - c->from] = k ? kpi_get(k, (size_t)c->kpi) : NAN;
}

static int eval(void *ctx, uint32_t point, double value, uint32_t from, uint32_t to, double *y)
{
    struct size_ctx *c = ctx;
    if (point == c->j->npoints && job_add_point(c->j, &value) < 0)
        return EXIT_RUNTIME;
    c->y = y;
    c->from = from;
    progress_plan(&c->j->progress, to - from);
    return job_run(c->j, from, to, &point, 1);
}

int main_size(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_SIZE, argc, argv, &o);
    if (rc || o.help)
        return rc;
    struct experiment *e = malloc(sizeof *e);
    struct size_result *res = calloc(1, sizeof *res);
    struct job j = { 0 };
    double t0 = driver_seconds();
    rc = e && res ? experiment_load(o.files[0], CMD_SIZE, e) : EXIT_RUNTIME;
    if (!rc)
        rc = experiment_job(e, &o, &j);
    if (!rc && farm_size() > 1)
        rc = opts_bad(CMD_SIZE, "size decides each probe from the last: it runs in one process "
                      "(use -j for the cores of one machine), not under mpirun");
    if (!rc && o.resume)
        rc = opts_bad(CMD_SIZE, "size decides where to probe from what it sees: it cannot be "
                      "resumed (it is quick to rerun: the same seed gives the same answer)");
    if (!rc)
        rc = job_open(&j, 0, NULL);
    struct size_spec spec = { 0 };
    if (!rc) {
        const struct lever *L = &e->levers[0];
        spec = (struct size_spec){
            .lo = L->min, .hi = L->max,
            .step = L->step > 0 ? L->step : (L->max - L->min) / 64,
            .target = e->target.value, .at_most = e->target.at_most,
            .confidence = e->target.confidence, .tolerance = e->target.tolerance,
            .n0 = (uint32_t)o.reps, .max_n = e->target.max_replications,
        };
        if (L->ref.type == SET_INT && spec.step < 1)
            spec.step = 1;
        if (spec.max_n < spec.n0)
            spec.max_n = spec.n0;
        if (o.reps < 2)
            rc = opts_bad(CMD_SIZE, "size needs a first stage of at least 2 replications (-r)");
    }
    struct size_ctx c = { &j, e ? e->target.kpi : 0, NULL, 0 };
    j.observe = observe;
    j.octx = &c;
    if (!rc) {
        int sr = size_run(&spec, eval, &c, res);
        rc = sr < 0 ? EXIT_RUNTIME : sr;
    }
    if (!rc)
        rc = job_finish(&j);
    if (!rc) {
        struct h5_sizing z = { e->levers[0].path, kpi_descs[e->target.kpi].name, spec.target,
                               spec.confidence, spec.tolerance, spec.at_most, res };
        if (h5out_sizing(j.h, &z)) {
            fprintf(stderr, "incubsim: %s\n", h5out_error(j.h));
            rc = EXIT_RUNTIME;
        }
    }
    rc = job_close(&j, rc);
    if (!rc) {
        const char *lever = e->levers[0].path, *kpi = kpi_descs[e->target.kpi].name;
        const char *cmp = spec.at_most ? "<=" : ">=";
        printf("size: the smallest %s with mean %s %s %.6g\n"
               "(confidence %.3g, tolerance %.3g)\n\n", lever, kpi, cmp, spec.target,
               spec.confidence, spec.tolerance);
        printf("  %5s %11s %6s %10s %23s  %s\n", "probe", "value", "n", "mean", "95% CI",
               "decision");
        for (int i = 0; i < res->nprobes; i++) {
            const struct size_probe *p = &res->probes[i];
            printf("  %5u %11.6g %6u %10.6g [%10.6g, %10.6g]  %s\n", p->point, p->value, p->n,
                   p->mean, p->ci_low, p->ci_high, size_decision_names[p->decision]);
        }
        printf("\nstatus: %s\n", size_status_names[res->status]);
        switch (res->status) {
        case SIZE_MET:
            printf("answer: %s = %.6g\n(the threshold lies in (%.6g, %.6g])\n", lever,
                   res->answer, res->answer_low, res->answer_high);
            break;
        case SIZE_MET_AT_MIN:
            printf("answer: the target is met already at the lever's minimum,\n%s = %.6g\n",
                   lever, res->answer);
            break;
        default:
            printf("answer: none; the target is not met even at the lever's maximum,\n"
                   "%s = %.6g\n", lever, spec.hi);
        }
        printf("With probability >= %.3g every probe was judged right wherever its mean is\n"
               "more than %.3g from the target, if %s moves steadily\nwith the lever.\n",
               spec.confidence, spec.tolerance, kpi);
        if (res->undecided)
            printf("warning: %d probes reached max_replications (%u) undecided: the guarantee\n"
                   "does not cover them (raise target.max_replications)\n", res->undecided,
                   spec.max_n);
        printf("\nresults: %s (%d probes, %llu replications, %.1f s)\n", o.out, res->nprobes,
               (unsigned long long)res->replications, driver_seconds() - t0);
    }
    job_free(&j);
    free(res);
    free(e);
    opts_free(&o);
    return rc;
}
