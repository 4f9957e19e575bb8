/* job.c — scenarios, design points, the results file and the summary,
 * wired to the task driver; see job.h. */
#include "job.h"
#include "cmds.h"
#include "../text.h"

#include "../../output/h5parts.h"
#include "../../output/sha256.h"
#include "../farm.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
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
        /* every --set first, then the cross-checks once: `--set horizon=5
         * --set warmup=1` must not trip over the old warm-up in between */
        for (int s = 0; s < o->nsets; s++)
            if (settings_override(&scenario_table, j->scs[i], o->sets[s], "--set", &d)) {
                fprintf(stderr, "incubsim: %s\n", d.msg);
                return EXIT_INPUT;
            }
        if (o->nsets && scenario_finish(j->scs[i], files[i], &d)) {
            fprintf(stderr, "incubsim: %s with --set: %s\n", files[i], d.msg);
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
    size_t s = unit / np;
    char bad[300];
    for (int l = 0; l < j->nlevers; l++) {
        size_t at = s * (size_t)j->nlevers + (size_t)l;
        if (j->applies && !j->applies[at])
            continue;
        const struct setting_ref *ref = j->unit_refs ? &j->unit_refs[at] : &j->levers[l].ref;
        if (settings_ref_set(ref, out, v[l], bad, sizeof bad)) {
            text_fmt(why, n, "%s %s", j->levers[l].path, bad);
            return -1;
        }
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
    int                direct;  /* rows went straight to the file, from `mark` on */
    struct h5out_mark  mark;
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

/* MPI: a result as bytes: rc, the run's result, then its rows. */
static size_t pack(void *ctx, const void *result, void *buf, size_t cap)
{
    (void)ctx;
    const struct job_result *r = result;
    size_t need = sizeof r->rc + sizeof r->res + 2 * sizeof(uint64_t) +
                  r->nts * sizeof *r->ts + r->npr * sizeof *r->pr;
    if (!buf || cap < need)
        return need;
    char *p = buf;
    uint64_t nts = r->nts, npr = r->npr;
    memcpy(p, &r->rc, sizeof r->rc); p += sizeof r->rc;
    memcpy(p, &r->res, sizeof r->res); p += sizeof r->res;
    memcpy(p, &nts, sizeof nts); p += sizeof nts;
    memcpy(p, &npr, sizeof npr); p += sizeof npr;
    if (nts) memcpy(p, r->ts, nts * sizeof *r->ts);
    p += nts * sizeof *r->ts;
    if (npr) memcpy(p, r->pr, npr * sizeof *r->pr);
    return need;
}

static int unpack(void *ctx, void *result, const void *buf, size_t n)
{
    (void)ctx;
    struct job_result *r = result;
    const char *p = buf;
    uint64_t nts, npr;
    size_t head = sizeof r->rc + sizeof r->res + 2 * sizeof(uint64_t);
    if (n < head)
        return -1;
    memcpy(&r->rc, p, sizeof r->rc); p += sizeof r->rc;
    memcpy(&r->res, p, sizeof r->res); p += sizeof r->res;
    memcpy(&nts, p, sizeof nts); p += sizeof nts;
    memcpy(&npr, p, sizeof npr); p += sizeof npr;
    if (n != head + nts * sizeof *r->ts + npr * sizeof *r->pr)
        return -1;
    r->nts = r->npr = 0;
    for (uint64_t i = 0; i < nts; i++, p += sizeof(struct ts_row)) {
        struct ts_row row;   /* copied out: the bytes need not be aligned */
        memcpy(&row, p, sizeof row);
        if (keep_ts(r, &row))
            return -1;
    }
    for (uint64_t i = 0; i < npr; i++, p += sizeof(struct project_row)) {
        struct project_row row;
        memcpy(&row, p, sizeof row);
        if (keep_project(r, &row))
            return -1;
    }
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
    r->direct = !(j->threads > 1 || farm_size() > 1);
    if (!r->direct)   /* rows wait in the result for their turn */
        sink = (struct model_sink){ r, keep_ts, j->o->records ? keep_project : NULL, NULL, NULL };
    else {            /* one run at a time: rows go straight to the file */
        r->mark = h5out_mark(j->h);
        sink = h5out_sink(j->h, (int)(t->unit / np), t->unit % np, t->rep);
    }
    sink.interrupt = &interrupted;
    r->rc = model_run(&w->sc, t->rep, j->o->seed, &sink, &r->res);
    if (r->rc == MODEL_SINK_FAILED && r->oom)
        r->rc = MODEL_NO_MEMORY;
    if (r->rc == MODEL_OK || r->rc == MODEL_SINK_FAILED)
        return 0;   /* a write that failed stops the grid at its commit */
    text_fmt(why, DRIVER_WHY_LEN, "%s",
             r->rc == MODEL_FAILED ? r->res.why : model_status_text(r->rc));
    return 1;
}

static int rotate(struct job *j);

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
    int bad = failed && r->direct && h5out_rollback(j->h, &r->mark);
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
    j->next++;
    if (j->observe)
        j->observe(j->octx, u, rep, failed ? NULL : &r->res.kpi);
    return rotate(j);
}

/* ---- parts: the run's crash-safe batches ----------------------------------- */

/* What every part of this run is written with (output/h5parts.h); prov is
 * the caller's, for the call. */
static struct h5parts_spec part_spec(const struct job *j, struct h5_provenance *prov)
{
    const struct opts *o = j->o;
    *prov = (struct h5_provenance){ o->command_line, o->seed, (uint32_t)o->reps,
                                    j->warmup_rules, &j->id, 0, 0, j->total, j->shard };
    return (struct h5parts_spec){ j->parts_dir, o->records, prov,
                                  (const struct scenario *const *)j->scs,
                                  (const char *const *)j->texts, j->nscs };
}

/* Opens the part that will hold tasks from j->next on. */
static int part_open(struct job *j)
{
    char err[1024];
    struct h5_provenance prov;
    struct h5parts_spec spec = part_spec(j, &prov);
    j->h = h5parts_open(&spec, j->next, err, sizeof err);
    if (!j->h) {
        fprintf(stderr, "incubsim: %s\n", err);
        return EXIT_RUNTIME;
    }
    j->part_first = j->next;
    j->part_t0 = driver_seconds();
    return EXIT_OK;
}

/* Closes the current part, crash-safe on disk under its final name. */
static int part_close(struct job *j)
{
    char err[1024];
    struct h5out *h = j->h;
    j->h = NULL;
    if (h5parts_close(h, j->part_first, j->next, err, sizeof err)) {
        fprintf(stderr, "\nincubsim: %s\n", err);
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

/* A checkpoint: every --checkpoint seconds the part in flight is committed
 * and the next one opened. */
static int rotate(struct job *j)
{
    if (j->next == j->part_first || driver_seconds() - j->part_t0 < j->o->checkpoint)
        return 0;
    char err[1024];
    struct h5_provenance prov;
    struct h5parts_spec spec = part_spec(j, &prov);
    if (h5parts_rotate(&spec, &j->h, &j->part_first, j->next, err, sizeof err)) {
        fprintf(stderr, "\nincubsim: %s\n", err);
        return -1;
    }
    j->part_t0 = driver_seconds();
    return 0;
}

int job_run(struct job *j, uint32_t from, uint32_t to, const uint32_t *units, uint32_t nunits)
{
    uint32_t all = (uint32_t)j->nscs * (j->npoints ? j->npoints : 1);
    uint64_t first = 0, end = 0;
    if (!units && from == 0 && to == j->o->reps) {   /* the whole grid: a shard, a resume */
        first = j->next;
        end = j->end;
    }
    struct grid g = {
        .nunits = units ? nunits : all, .rep_from = from, .rep_to = to, .units = units,
        .first = first, .end = end,
        .result_size = sizeof(struct job_result), .ctx = j, .run = task_run,
        .scratch_size = sizeof(struct job_scratch), .commit = task_commit,
        .result_free = result_free, .threads = j->threads, .pack = pack, .unpack = unpack,
        .interrupted = &interrupted, .progress = &j->progress,
    };
    struct driver_stats st;
    if (farm_rank() > 0)   /* a worker rank: serve the master until it says stop */
        return farm_serve(&g) ? EXIT_RUNTIME : EXIT_OK;
    if (farm_size() > 1 && !j->by_rank)
        j->by_rank = calloc((size_t)farm_size(), sizeof *j->by_rank);
    if (farm_size() > 1 && !j->by_rank) {
        fprintf(stderr, "incubsim: out of memory\n");
        return EXIT_RUNTIME;
    }
    switch (farm_size() > 1 ? farm_run(&g, &st, j->by_rank) : driver_run(&g, &st)) {
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

int job_units(const struct job *j)
{
    return j->nscs * (int)(j->npoints ? j->npoints : 1);
}

/* The hash of the levers and the design points: part of the run's identity. */
static void design_hash(const struct job *j, char *hex)
{
    size_t n = 0;
    for (int l = 0; l < j->nlevers; l++)
        n += strlen(j->levers[l].path) + 1;
    size_t pts = (size_t)j->npoints * (size_t)j->nlevers * sizeof(double);
    char *buf = malloc(n + pts + 1);
    if (!buf) {
        strcpy(hex, "");
        return;
    }
    size_t at = 0;
    for (int l = 0; l < j->nlevers; l++) {
        size_t len = strlen(j->levers[l].path) + 1;
        memcpy(buf + at, j->levers[l].path, len);
        at += len;
    }
    if (pts)
        memcpy(buf + at, j->points, pts);
    sha256_hex(buf, at + pts, hex);
    free(buf);
}

/* Reads the complete parts a killed run left, keeps those of this run that
 * continue from its first task without a gap, and replays their runs into
 * the summary. Sets j->next to where to go on. */
static int replay_run(void *ctx, const char *scenario, uint32_t point, uint32_t rep,
                      const struct kpi *k)
{
    struct job *j = ctx;
    int s = -1;
    for (int i = 0; i < j->nscs; i++)
        if (strcmp(j->scs[i]->name, scenario) == 0)
            s = i;
    uint32_t np = j->npoints ? j->npoints : 1;
    if (s < 0 || point >= np)
        return -1;
    uint32_t u = (uint32_t)s * np + point;
    if (summary_add_at(&j->sum, u, rep, k))
        return -1;
    j->failed += k == NULL;
    if (j->observe)
        j->observe(j->octx, u, rep, k);
    return 0;
}

static int resume(struct job *j)
{
    struct h5_part *parts = NULL;
    char err[1200], why[300];
    int n = h5parts_list(j->parts_dir, &parts, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "incubsim: --resume: %s; the part is kept: move it out of %s to run its "
                "tasks again, or start over with --force\n", err, j->parts_dir);
        return EXIT_INPUT;
    }
    int rc = EXIT_OK;
    for (int i = 0; i < n && !rc; i++) {
        if (h5part_same_run(&j->id, &parts[i], why, sizeof why)) {
            fprintf(stderr, "incubsim: --resume: %s is the start of another run: %s changed; "
                    "run without --resume and with --force to start over\n", j->o->out, why);
            rc = EXIT_INPUT;
        } else if (strcmp(parts[i].shard, j->shard) != 0) {
            fprintf(stderr, "incubsim: --resume: %s holds tasks of %s%s, not of %s%s; resume "
                    "with the --shard it was started with\n", parts[i].path,
                    *parts[i].shard ? "shard " : "the whole run", parts[i].shard,
                    *j->shard ? "shard " : "the whole run", j->shard);
            rc = EXIT_INPUT;
        }
    }
    /* the parts that go on from the first task without a gap (sorted) */
    uint64_t at = j->next;
    int nk = 0;
    for (int i = 0; i < n && !rc; i++) {
        if (parts[i].first == at && nk == i) {
            nk++;
            at = parts[i].end;
        } else if (parts[i].first < at || parts[i].end > j->end) {
            fprintf(stderr, "incubsim: --resume: %s holds tasks %llu..%llu, which do not follow "
                    "the others of %s; move it out to go on\n", parts[i].path,
                    (unsigned long long)parts[i].first, (unsigned long long)parts[i].end - 1,
                    j->parts_dir);
            rc = EXIT_INPUT;
        }
    }
    if (!rc && nk < n) {   /* after a gap: these tasks run again, and the part is in the way */
        fprintf(stderr, "incubsim: --resume: %s holds tasks %llu..%llu, after a gap at %llu (a "
                "part was removed?); move it out to go on\n", parts[nk].path,
                (unsigned long long)parts[nk].first, (unsigned long long)parts[nk].end - 1,
                (unsigned long long)at);
        rc = EXIT_INPUT;
    }
    for (int i = 0; i < nk && !rc; i++)
        if (h5parts_replay(parts[i].path, replay_run, j, err, sizeof err)) {
            fprintf(stderr, "incubsim: --resume: %s\n", err);
            rc = EXIT_RUNTIME;
        }
    if (!rc && nk && !j->o->quiet)
        fprintf(stderr, "incubsim: resuming: %llu of %llu tasks done, %llu to run\n",
                (unsigned long long)(at - j->next), (unsigned long long)(j->end - j->next),
                (unsigned long long)(j->end - at));
    if (!rc) {
        j->tasks += at - j->next;
        j->next = at;
    }
    h5part_free_all(parts, n);
    return rc;
}

/* What a run will cost, estimated before it starts: events, rows, bytes. */
struct estimate {
    double tasks, events, ts_rows, project_rows, bytes;
};

static void estimate(const struct job *j, struct estimate *e)
{
    memset(e, 0, sizeof *e);
    uint32_t np = j->npoints ? j->npoints : 1;
    for (int i = 0; i < j->nscs; i++) {
        const struct scenario *sc = j->scs[i];
        double arrivals = 0;
        for (int k = 0; k < sc->nsources; k++) {
            const struct source_cfg *so = &sc->sources[k];
            arrivals += so->rate * sc->horizon;
            if (so->every > 0)
                arrivals += (double)so->batch * floor(sc->horizon / so->every + 1);
        }
        double tasks = (double)np * (double)j->o->reps;
        double ts = floor((sc->horizon - sc->warmup) / sc->timeseries_step) + 1;
        e->tasks += tasks;
        e->events += tasks * arrivals * 4;   /* arrival, and an end per stage */
        e->ts_rows += tasks * ts;
        e->project_rows += j->o->records ? tasks * arrivals : 0;
    }
    /* uncompressed widths: an upper bound of what lands on disk */
    e->bytes = e->tasks * 4096 + e->ts_rows * 160 + e->project_rows * 170;
}

/* Refuses, before anything runs, a run whose file or work would be absurd
 * unless --force; prints the estimate with -v. */
static int check_size(const struct job *j)
{
    struct estimate e;
    estimate(j, &e);
    const struct opts *o = j->o;
    if (o->verbose && farm_rank() == 0)   /* once, not by every MPI rank */
        fprintf(stderr, "incubsim: estimate: %.0f tasks, %.3g events (~%.2g CPU-hours at 200 "
                "ns/event), %.3g /timeseries rows, %.3g /projects rows, at most %.3g GB\n",
                e.tasks, e.events, e.events * 200e-9 / 3600, e.ts_rows, e.project_rows,
                e.bytes / 1e9);
    const char *what = NULL;
    if (e.bytes > 50e9)
        what = "the results file would exceed 50 GB";
    else if (e.ts_rows > 1e9)
        what = "/timeseries would exceed 10^9 rows (raise timeseries_step)";
    else if (e.events > 1e13)
        what = "the run would take over 10^13 events";
    if (what && !o->force) {
        fprintf(stderr, "incubsim: %s (estimate: %.3g GB, %.3g events, %.3g /timeseries rows); "
                "check the horizon, rates and timeseries_step, or add --force to run it anyway "
                "(-v prints the estimate)\n", what, e.bytes / 1e9, e.events, e.ts_rows);
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* The results file must be somewhere a file can go: not a directory, not a
 * device or FIFO (never replaced, even with --force), not one of the inputs. */
int job_check_output(const char *out, const char *const *inputs, int n)
{
    struct stat so;
    if (stat(out, &so) != 0)
        return EXIT_OK;   /* new: fine (its folder is checked when the file is made) */
    if (S_ISDIR(so.st_mode)) {
        fprintf(stderr, "incubsim: -o %s is a directory; name a file in it\n", out);
        return EXIT_INPUT;
    }
    if (!S_ISREG(so.st_mode)) {
        fprintf(stderr, "incubsim: -o %s is not a regular file (a device or FIFO is never "
                "replaced)\n", out);
        return EXIT_INPUT;
    }
    for (int i = 0; i < n; i++) {
        struct stat si;
        if (inputs[i] && stat(inputs[i], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
            fprintf(stderr, "incubsim: -o %s is an input of this run (%s); write the results "
                    "elsewhere\n", out, inputs[i]);
            return EXIT_INPUT;
        }
    }
    return EXIT_OK;
}

/* The summary's units and the run's identity (j->id): what makes a file a
 * part of this run. Returns an exit code. */
static int identity(struct job *j, int paired, const char *baseline)
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
    if (paired && summary_set_baseline(&j->sum, baseline))
        return opts_bad(o->cmd, "--baseline \"%s\" is not among the scenarios run", baseline);
    snprintf(j->baseline, sizeof j->baseline, "%s",
             j->sum.baseline >= 0 ? j->sum.units[j->sum.baseline].scenario : "");
    snprintf(j->command, sizeof j->command, "%s", opts_command_name(o->cmd));
    design_hash(j, j->design_sha);
    j->total = (uint64_t)job_units(j) * o->reps;
    if (h5part_identity(&j->id, j->command, o->seed, o->reps, (uint64_t)o->records, j->total,
                        j->design_sha, j->baseline, (const struct scenario *const *)j->scs,
                        (const char *const *)j->texts, j->nscs))
        return EXIT_RUNTIME;
    return EXIT_OK;
}

int job_adopt(struct job *j, const char *path)
{
    const struct opts *o = j->o;
    const char *inputs[MAX_FILES + 2];
    int ninputs = 0;
    for (int i = 0; i < o->nfiles && ninputs < MAX_FILES; i++)
        inputs[ninputs++] = o->files[i];
    inputs[ninputs++] = path;
    int rc = job_check_output(o->out, inputs, ninputs);
    if (!rc)
        rc = identity(j, 0, NULL);
    if (rc)
        return rc;
    struct h5_part p = { 0 };
    char err[1200], why[300];
    if (h5part_read(path, &p, err, sizeof err)) {
        fprintf(stderr, "incubsim: --analyse: %s\n", err);
        h5part_free(&p);
        return EXIT_INPUT;
    }
    if (h5part_same_run(&j->id, &p, why, sizeof why)) {
        fprintf(stderr, "incubsim: --analyse: %s holds another run than this command's: %s "
                "differs (give the experiment, -s, -r and --set the runs were made with)\n",
                path, why);
        rc = EXIT_INPUT;
    } else if (p.first != 0 || p.end != p.total) {
        fprintf(stderr, "incubsim: --analyse: %s holds tasks %llu..%llu of the run's %llu: join "
                "every shard first (incubsim merge -o ALL.h5 PART.h5 ...)\n", path,
                (unsigned long long)p.first, (unsigned long long)p.end - 1,
                (unsigned long long)p.total);
        rc = EXIT_INPUT;
    }
    if (!rc && (rc = lock_take(&j->lock, o->out)) == 0 &&
            text_fmt(j->parts_dir, sizeof j->parts_dir, "%s.parts", o->out)) {
        fprintf(stderr, "incubsim: output path too long\n");
        rc = EXIT_INPUT;
    }
    if (!rc && h5parts_replay(path, replay_run, j, err, sizeof err)) {
        fprintf(stderr, "incubsim: --analyse: %s: %s\n", path, *err ? err
                : "rows of an unknown scenario or point");
        rc = EXIT_INPUT;
    }
    if (!rc) {
        j->tasks = j->total;
        j->next = j->end = j->total;
        summary_finish(&j->sum);
        j->h = h5parts_join(o->out, o->force, &p, 1, 0, err, sizeof err);
        if (!j->h) {
            fprintf(stderr, "incubsim: %s\n", err);
            rc = EXIT_RUNTIME;
        } else if (h5out_summary(j->h, &j->sum)) {   /* /design came with the file */
            fprintf(stderr, "incubsim: %s\n", h5out_error(j->h));
            rc = EXIT_RUNTIME;
        }
    }
    h5part_free(&p);
    if (!rc) {
        j->opened = j->finished = 1;   /* job_close commits it */
        job_catch_signals();
    }
    return rc;
}

int job_open(struct job *j, int paired, const char *baseline)
{
    const struct opts *o = j->o;
    int sized = check_size(j);
    if (sized)
        return sized;
    const char *inputs[MAX_FILES + 1];
    int ninputs = 0;
    for (int i = 0; i < o->nfiles && ninputs < MAX_FILES; i++)
        inputs[ninputs++] = o->files[i];
    if (j->nlevers && j->scenario_file)
        inputs[ninputs++] = j->scenario_file;
    int bad = job_check_output(o->out, inputs, ninputs);
    if (bad)
        return bad;
    int id = identity(j, paired, baseline);
    if (id)
        return id;
    /* every rank must run the same run: one started with another seed,
     * scenario or --set would be recorded as rank 0's */
    int odd;
    if (farm_same(j->id.run_sha256, sizeof j->id.run_sha256, &odd)) {
        if (farm_rank() == 0)
            fprintf(stderr, "incubsim: MPI rank %d was started with another run than rank 0 "
                    "(its seed, scenarios, --set, replications or design differ); give every "
                    "rank the same command line\n", odd);
        if (farm_rank() > 0) {
            job_free(j);
            farm_finalize();
            exit(EXIT_INPUT);
        }
        return EXIT_INPUT;
    }
    if (o->is_complete) {   /* a query (--is-complete): nothing is run, locked or written */
        uint64_t first = o->shards ? j->total * o->shard / o->shards : 0;
        uint64_t end = o->shards ? j->total * (o->shard + 1) / o->shards : j->total;
        char why[2600];
        int done = merge_is_complete(&j->id, first, end, o->out, why, sizeof why);
        if (farm_rank() == 0)
            printf("%s: %s: %s\n", o->out, done == 0 ? "complete" : "not complete", why);
        fflush(stdout);
        job_free(j);
        farm_finalize();
        exit(done == 0 ? EXIT_OK : EXIT_RUNTIME);
    }
    if (farm_rank() > 0) {   /* a worker rank: no file; serve, then leave quietly */
        int rc = job_run(j, 0, (uint32_t)o->reps, NULL, 0);
        job_free(j);
        farm_finalize();
        exit(rc);
    }
    /* the task range: all of it, or this shard's contiguous block */
    j->next = o->shards ? j->total * o->shard / o->shards : 0;
    j->end = o->shards ? j->total * (o->shard + 1) / o->shards : j->total;
    if (o->shards)
        snprintf(j->shard, sizeof j->shard, "%llu/%llu", o->shard, o->shards);
    int locked = lock_take(&j->lock, o->out);   /* one writer per output */
    if (locked)
        return locked;
    if (text_fmt(j->parts_dir, sizeof j->parts_dir, "%s.parts", o->out)) {
        fprintf(stderr, "incubsim: output path too long\n");
        return EXIT_INPUT;
    }
    if (!o->force && access(o->out, F_OK) == 0 && !o->resume) {
        fprintf(stderr, "incubsim: %s exists; use --force to overwrite it\n", o->out);
        return EXIT_RUNTIME;
    }
    struct stat st;
    int have_parts = stat(j->parts_dir, &st) == 0;
    if (have_parts && !o->resume && !o->force) {
        fprintf(stderr, "incubsim: %s holds the committed tasks of an interrupted run: add "
                "--resume to complete it, or --force to start over\n", j->parts_dir);
        return EXIT_INPUT;
    }
    if (have_parts && !o->resume)
        h5parts_remove(j->parts_dir);
    if (o->resume && !have_parts && access(o->out, F_OK) == 0) {
        fprintf(stderr, "incubsim: --resume: %s is complete; nothing to resume\n", o->out);
        return EXIT_INPUT;
    }
    if (mkdir(j->parts_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "incubsim: cannot create %s: %s\n", j->parts_dir, strerror(errno));
        return EXIT_RUNTIME;
    }
    progress_start(&j->progress, "runs", o->quiet);
    int rc = o->resume ? resume(j) : EXIT_OK;
    if (rc)
        return rc;
    job_catch_signals();   /* from here on an interrupt leaves the committed parts */
    j->opened = 1;
    /* resumed with every task committed: straight to the join, the parts untouched */
    return o->resume && j->next == j->end && h5parts_count(j->parts_dir) > 0 ? EXIT_OK
                                                                           : part_open(j);
}

static int finish_file(struct job *j);

int job_finish(struct job *j)
{
    if (j->finished)
        return EXIT_OK;
    j->finished = 1;
    farm_stop();   /* every task is in: release the worker ranks */
    progress_end(&j->progress);
    if (j->o->verbose && j->by_rank) {   /* how the work was shared: a count, not a time */
        fprintf(stderr, "incubsim: tasks run by each MPI rank:");
        for (int r = 0; r < farm_size(); r++)
            fprintf(stderr, " %d: %llu", r, (unsigned long long)j->by_rank[r]);
        fputc('\n', stderr);
    }
    summary_finish(&j->sum);
    uint64_t first = j->o->shards ? j->total * j->o->shard / j->o->shards : 0;
    if (!j->o->resume && j->part_first == first) {
        /* one part holds the whole run: it becomes the file, still open. A
         * kill from here to the commit loses it, as it would a part in flight */
        int whole = first == 0 && j->next == j->total;
        if (h5out_become(j->h, j->o->out, j->o->force, first, j->next, whole)) {
            fprintf(stderr, "incubsim: %s\n", h5out_error(j->h));
            return EXIT_RUNTIME;
        }
        return finish_file(j);
    }
    if (j->h && part_close(j))
        return EXIT_RUNTIME;
    /* every part of this run, in task order, joined into the results file;
     * a failure leaves the parts as they were, for --resume */
    struct h5_part *parts = NULL;
    char err[1200];
    int n = h5parts_list(j->parts_dir, &parts, err, sizeof err);
    if (n < 0 || h5part_tile(parts, n, first, j->next, err, sizeof err)) {
        fprintf(stderr, "incubsim: %s: %s\n", j->parts_dir, err);
        h5part_free_all(parts, n);
        return EXIT_RUNTIME;
    }
    j->h = h5parts_join(j->o->out, j->o->force, parts, n, 1, err, sizeof err);
    h5part_free_all(parts, n);
    if (!j->h) {
        fprintf(stderr, "incubsim: %s\n", err);
        return EXIT_RUNTIME;
    }
    return finish_file(j);
}

/* The results file's own tables: the design's points and the summary. */
static int finish_file(struct job *j)
{
    int rc = EXIT_OK;
    const char *names[MAX_LEVERS];
    for (int l = 0; l < j->nlevers; l++)
        names[l] = j->levers[l].path;
    if ((j->nlevers && h5out_design(j->h, names, j->nlevers, j->points, j->npoints))
            || h5out_summary(j->h, &j->sum)) {
        fprintf(stderr, "incubsim: %s\n", h5out_error(j->h));
        rc = EXIT_RUNTIME;
    }
    return rc;
}

/* After a failure: the committed parts stay for --resume, and the message
 * says so only when there are some. */
static int keep_parts(struct job *j, int rc)
{
    if (j->o->cmd == CMD_SIZE || j->o->nprecision) {
        /* decided as it went: it cannot be resumed, so its parts help no one
         * (and would block the next run) */
        h5parts_remove(j->parts_dir);
        fprintf(stderr, "incubsim: nothing kept: %s cannot be resumed; run the same command "
                "again (the same seed gives the same answer)\n",
                j->o->cmd == CMD_SIZE ? "size" : "--precision");
        return rc;
    }
    if (h5parts_count(j->parts_dir) > 0)
        fprintf(stderr, "incubsim: the tasks committed so far are kept in %s: the same "
                "command with --resume completes the run\n", j->parts_dir);
    else
        rmdir(j->parts_dir);   /* nothing committed: nothing to keep */
    return rc;
}

int job_close(struct job *j, int rc)
{
    if (!j->opened)
        return rc;
    j->opened = 0;
    if (rc == EXIT_OK)
        rc = job_finish(j);
    if (rc != EXIT_OK) {
        h5out_abort(j->h);   /* only the file in flight goes */
        j->h = NULL;
        rc = keep_parts(j, rc);
        lock_release(&j->lock);
        return rc;
    }
    char err[1024];
    int c = h5out_commit(j->h, err, sizeof err);
    j->h = NULL;
    if (c) {
        fprintf(stderr, "incubsim: %s\n", err);
        rc = keep_parts(j, EXIT_RUNTIME);
    } else {
        h5parts_remove(j->parts_dir);
    }
    lock_release(&j->lock);
    return rc;
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
    free(j->by_rank);
    summary_free(&j->sum);
    h5part_free(&j->id);
    lock_release(&j->lock);
    memset(j, 0, sizeof *j);
}
