/* main_job.c — scenarios, design points, the results file and the summary,
 * wired to the task driver; see main_job.h. */
#include "main_job.h"
#include "../sim/text.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set by SIGINT/SIGTERM/SIGHUP so a run can remove its partial file: the one
 * piece of mutable state outside a replication, as signals require. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

void job_catch_signals(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
}

int job_load(struct job *j, const struct opts *o, const char *const *files, int n)
{
    j->o = o;
    j->threads = (int)o->threads;
    summary_init(&j->sum);
    j->scs = calloc((size_t)n, sizeof *j->scs);
    j->texts = calloc((size_t)n, sizeof *j->texts);
    j->warmup_rules = calloc((size_t)n, sizeof *j->warmup_rules);
    if (!j->scs || !j->texts || !j->warmup_rules)
        return EXIT_RUNTIME;
    j->nscs = n;
    j->npoints = 1;
    struct diag d;
    for (int i = 0; i < n; i++) {
        j->scs[i] = malloc(sizeof *j->scs[i]);
        if (!j->scs[i])
            return EXIT_RUNTIME;
        if (scenario_load(files[i], j->scs[i], &d)) {
            fprintf(stderr, "incubsim: %s\n", d.msg);
            return EXIT_INPUT;
        }
        for (int s = 0; s < o->nsets; s++)
            if (settings_override(&scenario_table, j->scs[i], o->sets[s], "--set", &d)
                    || scenario_finish(j->scs[i], files[i], &d)) {
                fprintf(stderr, "incubsim: %s%s%s\n", strncmp(d.msg, "--set", 5) ? files[i] : "",
                        strncmp(d.msg, "--set", 5) ? " with --set: " : "", d.msg);
                return EXIT_INPUT;
            }
        for (int k = 0; k < i; k++)
            if (strcmp(j->scs[k]->name, j->scs[i]->name) == 0) {
                fprintf(stderr, "incubsim: %s: scenario name \"%s\" is also the name of %s; "
                        "names must be unique in a run\n", files[i], j->scs[i]->name, files[k]);
                return EXIT_INPUT;
            }
    }
    return EXIT_OK;
}

int job_add_point(struct job *j, const double *values)
{
    if (j->npoints == j->pointcap) {
        uint32_t cap = j->pointcap ? 2 * j->pointcap : 64;
        double *np = realloc(j->points, (size_t)cap * (size_t)j->nlevers * sizeof *np);
        if (!np)
            return -1;
        j->points = np;
        j->pointcap = cap;
    }
    uint32_t p = j->npoints;
    for (int l = 0; l < j->nlevers; l++)   /* what an integer setting will hold */
        j->points[(size_t)p * (size_t)j->nlevers + (size_t)l] =
            j->levers[l].ref.type == SET_INT ? round(values[l]) : values[l];
    if (j->h && summary_unit(&j->sum, j->scs[0]->name, p) < 0)
        return -1;
    j->npoints++;
    return (int)p;
}

int job_build(const struct job *j, uint32_t unit, struct scenario *out, char *why, size_t n)
{
    uint32_t np = j->npoints ? j->npoints : 1;
    *out = *j->scs[unit / np];
    if (j->nlevers == 0)
        return 0;
    const double *v = j->points + (size_t)(unit % np) * (size_t)j->nlevers;
    char bad[300];
    for (int l = 0; l < j->nlevers; l++)
        if (settings_ref_set(&j->levers[l].ref, out, v[l], bad, sizeof bad)) {
            text_fmt(why, n, "%s %s", j->levers[l].path, bad);
            return -1;
        }
    struct diag d;
    if (scenario_finish(out, "design point", &d)) {
        text_fmt(why, n, "%s", d.msg);
        return -1;
    }
    return 0;
}

/* ---- the model as a task --------------------------------------------------- */

struct job_scratch {
    uint32_t        built;      /* 1 + the unit whose scenario `sc` holds */
    struct scenario sc;
};

/* A task's outcome. With worker threads the rows a run emits wait here
 * until its turn to be written (the buffers are kept from task to task). */
struct job_result {
    int               rc;       /* model_run's */
    struct run_result res;
    struct ts_row     *ts;
    size_t             nts, capts;
    struct project_row *pr;
    size_t             npr, cappr;
    int                oom;
};

static int keep_ts(void *ctx, const struct ts_row *row)
{
    struct job_result *r = ctx;
    if (r->nts == r->capts) {
        size_t cap = r->capts ? 2 * r->capts : 64;
        struct ts_row *n = realloc(r->ts, cap * sizeof *n);
        if (!n)
            return r->oom = 1;
        r->ts = n;
        r->capts = cap;
    }
    r->ts[r->nts++] = *row;
    return 0;
}

static int keep_project(void *ctx, const struct project_row *row)
{
    struct job_result *r = ctx;
    if (r->npr == r->cappr) {
        size_t cap = r->cappr ? 2 * r->cappr : 1024;
        struct project_row *n = realloc(r->pr, cap * sizeof *n);
        if (!n)
            return r->oom = 1;
        r->pr = n;
        r->cappr = cap;
    }
    r->pr[r->npr++] = *row;
    return 0;
}

static void result_free(void *ctx, void *result)
{
    (void)ctx;
    struct job_result *r = result;
    free(r->ts);
    free(r->pr);
}

static int task_run(void *ctx, const struct task *t, void *scratch, void *result, char *why)
{
    struct job *j = ctx;
    struct job_scratch *w = scratch;
    struct job_result *r = result;
    uint32_t np = j->npoints ? j->npoints : 1;
    if (w->built != t->unit + 1) {
        w->built = 0;
        if (job_build(j, t->unit, &w->sc, why, DRIVER_WHY_LEN)) {
            r->rc = MODEL_FAILED;
            return 1;
        }
        w->built = t->unit + 1;
    }
    struct model_sink sink;
    r->nts = r->npr = 0;
    r->oom = 0;
    if (j->threads > 1)   /* rows wait in the result for their turn */
        sink = (struct model_sink){ r, keep_ts, h5out_records(j->h) ? keep_project : NULL };
    else                  /* one run at a time: rows go straight to the file */
        sink = h5out_sink(j->h, (int)(t->unit / np), t->unit % np, t->rep);
    r->rc = model_run(&w->sc, t->rep, j->o->seed, &sink, &r->res);
    if (r->rc == MODEL_SINK_FAILED && r->oom)
        r->rc = MODEL_NO_MEMORY;
    if (r->rc == MODEL_OK || r->rc == MODEL_SINK_FAILED)
        return 0;   /* a write that failed stops the grid at its commit */
    text_fmt(why, DRIVER_WHY_LEN, "%s", model_status_text(r->rc));
    return 1;
}

static int task_commit(void *ctx, const struct task_done *d)
{
    struct job *j = ctx;
    const struct job_result *r = d->result;
    uint32_t np = j->npoints ? j->npoints : 1, u = d->task->unit, rep = d->task->rep;
    int s = (int)(u / np);
    if (d->status == TASK_OK && r->rc == MODEL_SINK_FAILED) {
        fprintf(stderr, "\nincubsim: %s\n", h5out_error(j->h));
        return -1;
    }
    const char *failed = d->status == TASK_FAILED ? d->why : NULL;
    int bad = 0;
    for (size_t i = 0; !failed && !bad && i < r->nts; i++)
        bad = h5out_ts_row(j->h, s, u % np, rep, &r->ts[i]);
    for (size_t i = 0; !failed && !bad && i < r->npr; i++)
        bad = h5out_project_row(j->h, s, u % np, rep, &r->pr[i]);
    if (bad || h5out_run(j->h, s, u % np, rep, j->o->seed, d->wall_seconds, failed, &r->res)) {
        fprintf(stderr, "\nincubsim: %s\n", h5out_error(j->h));
        return -1;
    }
    if (summary_add_at(&j->sum, u, rep, failed ? NULL : &r->res.kpi)) {
        fprintf(stderr, "\nincubsim: out of memory\n");
        return -1;
    }
    if (failed) {
        j->failed++;
        fprintf(stderr, "%sincubsim: scenario %s point %u replication %u failed: %s "
                "(recorded in /runs; the others go on)\n", j->progress.quiet ? "" : "\n",
                j->scs[s]->name, u % np, rep, failed);
    }
    j->tasks++;
    if (j->observe)
        j->observe(j->octx, u, rep, failed ? NULL : &r->res.kpi);
    return 0;
}

int job_run(struct job *j, uint32_t from, uint32_t to, const uint32_t *units, uint32_t nunits)
{
    uint32_t all = (uint32_t)j->nscs * (j->npoints ? j->npoints : 1);
    struct grid g = {
        .nunits = units ? nunits : all, .rep_from = from, .rep_to = to, .units = units,
        .result_size = sizeof(struct job_result), .ctx = j, .run = task_run,
        .scratch_size = sizeof(struct job_scratch), .commit = task_commit,
        .result_free = result_free, .threads = j->threads,
        .interrupted = &interrupted, .progress = &j->progress,
    };
    struct driver_stats st;
    switch (driver_run(&g, &st)) {
    case DRIVER_OK:
        return EXIT_OK;
    case DRIVER_INTERRUPTED:
        fprintf(stderr, "\nincubsim: interrupted; %s not written\n", j->o->out);
        return EXIT_RUNTIME;
    case DRIVER_NO_MEMORY:
        fprintf(stderr, "incubsim: out of memory\n");
        return EXIT_RUNTIME;
    default:
        return EXIT_RUNTIME;   /* commit said why */
    }
}

int job_open(struct job *j)
{
    const struct opts *o = j->o;
    for (int i = 0; i < j->nscs; i++) {
        j->texts[i] = scenario_print(j->scs[i]);
        if (!j->texts[i])
            return EXIT_RUNTIME;
    }
    uint32_t np = j->npoints ? j->npoints : 1;
    for (int i = 0; i < j->nscs; i++)
        for (uint32_t p = 0; p < (j->nlevers ? j->npoints : np); p++)
            if (summary_unit(&j->sum, j->scs[i]->name, p) < 0)
                return EXIT_RUNTIME;
    progress_start(&j->progress, "runs", o->quiet);
    job_catch_signals();   /* from here on an interrupt removes the .part */
    char err[1024];
    struct h5_provenance prov = { o->command_line, o->seed, (uint32_t)o->reps, j->warmup_rules };
    j->h = h5out_create(o->out, o->force, o->records, &prov, (const struct scenario *const *)j->scs,
                        (const char *const *)j->texts, j->nscs, err, sizeof err);
    if (!j->h) {
        fprintf(stderr, "incubsim: %s\n", err);
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

int job_close(struct job *j, int rc)
{
    if (!j->h)
        return rc;
    if (rc == EXIT_OK) {
        progress_end(&j->progress);
        summary_finish(&j->sum);
        const char *names[MAX_LEVERS];
        for (int l = 0; l < j->nlevers; l++)
            names[l] = j->levers[l].path;
        if ((j->nlevers && h5out_design(j->h, names, j->nlevers, j->points, j->npoints))
                || h5out_summary(j->h, &j->sum)) {
            fprintf(stderr, "incubsim: %s\n", h5out_error(j->h));
            rc = EXIT_RUNTIME;
        }
    }
    if (rc != EXIT_OK) {
        h5out_abort(j->h);
        j->h = NULL;
        return rc;
    }
    char err[1024];
    int c = h5out_commit(j->h, err, sizeof err);
    j->h = NULL;
    if (c) {
        fprintf(stderr, "incubsim: %s\n", err);
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

void job_free(struct job *j)
{
    if (j->h)
        h5out_abort(j->h);
    for (int i = 0; i < j->nscs; i++) {
        if (j->scs)
            free(j->scs[i]);
        if (j->texts)
            free(j->texts[i]);
    }
    free(j->scs);
    free(j->texts);
    free(j->warmup_rules);
    free(j->points);
    summary_free(&j->sum);
    memset(j, 0, sizeof *j);
}
