/* run.c — `incubsim run`: scenarios × replications, with --precision
 * (replications added until the intervals are narrow enough) and --warmup
 * auto (MSER on pilot runs). */
#include "cmds.h"
#include "job.h"
#include "../mser.h"
#include "../sequential.h"
#include "../text.h"
#include "../../output/compare.h"
#include "../../output/decision.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the shipped scenarios ------------------------------------------------------ */

static int cmp_names(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    int bx = strcmp(x, "baseline.cfg") == 0, by = strcmp(y, "baseline.cfg") == 0;
    if (bx != by)
        return by - bx;   /* the baseline first */
    return strcmp(x, y);
}

/* Where the shipped scenarios are: $INCUBSIM_SCENARIOS, else as
 * opts_shipped finds shipped files (a source tree and its build folders, an
 * install wherever PREFIX was, the PREFIX compiled in). */
static int shipped_dir(char *dir, size_t n)
{
    const char *env = getenv("INCUBSIM_SCENARIOS");
    if (env && *env) {
        snprintf(dir, n, "%s", env);
        return 0;
    }
    opts_shipped("scenarios", "../share/incubsim/scenarios", dir, n);
    return access(dir, R_OK) == 0 ? 0 : -1;
}

/* Fills paths[] (malloc'd) with dir's *.cfg, baseline first. Returns the
 * count, or -1 after a message (none found, more than max, no memory). */
static int list_shipped(char **paths, int max)
{
    char dir[PATH_MAX];
    if (shipped_dir(dir, sizeof dir)) {
        fprintf(stderr, "incubsim: no scenario given and no shipped scenarios found (looked in "
                "$INCUBSIM_SCENARIOS, next to the binary, in ../share/incubsim/scenarios from it, "
                "and in %s/scenarios)\n", INCUBSIM_SHARE);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "incubsim: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = calloc((size_t)max + 1, sizeof *names);
    int n = 0, over = 0;
    struct dirent *e;
    while (names && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".cfg") == 0) {
            if (n == max) {
                over++;
                continue;
            }
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    if (!names || over || n == 0) {
        if (!names)
            fprintf(stderr, "incubsim: out of memory\n");
        else if (over)
            fprintf(stderr, "incubsim: %s holds %d scenarios, more than the %d one run takes: "
                    "give the ones to run as files\n", dir, n + over, max);
        else
            fprintf(stderr, "incubsim: %s holds no scenario (*.cfg); give scenario files, or "
                    "point $INCUBSIM_SCENARIOS at a folder of them\n", dir);
        for (int i = 0; names && i < n; i++)
            free(names[i]);
        free(names);
        return -1;
    }
    qsort(names, (size_t)n, sizeof names[0], cmp_names);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        paths[i] = malloc(len);
        snprintf(paths[i], len, "%s/%s", dir, names[i]);
        free(names[i]);
    }
    free(names);
    return n;
}

/* ---- --warmup auto ---------------------------------------------------------------- */

struct series {
    double *y;
    size_t  n, cap;
    int     oom;
};

static int collect_occupancy(void *ctx, const struct ts_row *row)
{
    struct series *s = ctx;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        double *ny = realloc(s->y, cap * sizeof *ny);
        if (!ny) {
            s->oom = 1;
            return -1;
        }
        s->y = ny;
        s->cap = cap;
    }
    double v = 0;
    for (int st = 0; st < STAGE_COUNT; st++)
        v += row->occupancy[st] + row->queue[st];
    s->y[s->n++] = v;
    return 0;
}

/* The pilot: PILOT_REPS replications (whatever -r says: the method needs the
 * replications' spread), each sampled PILOT_SAMPLES times over the horizon. */
enum { PILOT_REPS = 5, PILOT_SAMPLES = 1000 };

/* Chooses sc's warm-up by MSER on batch means of the pipeline occupancy
 * (projects in service or waiting, all stages) of pilot replications run from
 * time 0 with no warm-up (sim/mser.h). Sets sc->warmup and *rule; keeps the
 * setting, with a warning that says why, when the pilot does not settle. */
static int choose_warmup(struct scenario *sc, const struct opts *o, const char **rule)
{
    struct scenario *pilot = malloc(sizeof *pilot);
    struct series s = { 0 };
    double *y = NULL;
    size_t n = 0;
    int rc = EXIT_RUNTIME;
    if (!pilot)
        return rc;
    *pilot = *sc;
    pilot->warmup = 0;
    pilot->timeseries_step = fmax(1e-3, sc->horizon / PILOT_SAMPLES);
    struct run_result *res = malloc(sizeof *res);
    for (int r = 0; res && r < PILOT_REPS; r++) {
        s.n = 0;
        struct model_sink sink = { &s, collect_occupancy, NULL, NULL, NULL };
        if (model_run(pilot, (uint32_t)r, o->seed, &sink, res) != MODEL_OK)
            goto out;
        if (!y) {
            n = s.n;
            y = calloc((size_t)PILOT_REPS * n, sizeof *y);
            if (!y)
                goto out;
        }
        for (size_t i = 0; i < n && i < s.n; i++)
            y[(size_t)r * n + i] = s.y[i];
    }
    struct mser_result m;
    if (!y || mser_pilot(y, PILOT_REPS, n, &m)) {
        fprintf(stderr, "incubsim: %s: --warmup auto: the pilot series is too short (%zu "
                "samples)\n", sc->name, n);
        rc = EXIT_INPUT;
        goto out;
    }
    double step = pilot->timeseries_step;
    double t = (double)m.truncate * step;
    if (m.verdict == MSER_TOO_SHORT) {
        fprintf(stderr, "incubsim: warning: %s: --warmup auto: the pipeline occupancy stays "
                "correlated over %.3g years (a trend, or a slow stage), so %.3g years make %zu "
                "batches of that, fewer than %d: the run does not settle within its horizon; "
                "keeping warmup = %.3g\n", sc->name, m.corr * step, sc->horizon, m.batches,
                2 * MSER_MIN_KEPT, sc->warmup);
        *rule = "setting (MSER refused)";
    } else if (m.verdict == MSER_DRIFT) {
        fprintf(stderr, "incubsim: warning: %s: --warmup auto: after the best truncation "
                "(%.3g years) the pipeline occupancy still drifts by %+.3g from the first to "
                "the second half of the rest (t = %.2f over %d pilot runs): the run does not "
                "settle within its horizon of %.3g years; keeping warmup = %.3g\n", sc->name,
                t, m.drift, m.drift_t, PILOT_REPS, sc->horizon, sc->warmup);
        *rule = "setting (MSER refused)";
    } else {
        if (!o->quiet)
            fprintf(stderr, "incubsim: %s: warm-up %.3g years by MSER on batches of %.3g years "
                    "(setting: %.3g)\n", sc->name, t, (double)m.batch * step, sc->warmup);
        sc->warmup = t;
        *rule = "MSER";
    }
    rc = EXIT_OK;
out:
    free(res);
    free(y);
    free(s.y);
    free(pilot);
    return rc;
}

/* ---- --precision ------------------------------------------------------------------ */

struct precision {
    const struct opts *o;
    struct seq_rule    rule[MAX_PRECISION];
    struct seq_track  *track;          /* [unit][goal] */
    int                ngoals;
    int                kpi[MAX_PRECISION];
};

/* What sees every committed run: --precision's tallies and the decision
 * table's pairs. */
struct watch {
    struct precision *p;
    struct decision  *d;
    uint32_t          npoints;
    int               oom;
};

static void observe(void *ctx, uint32_t unit, uint32_t rep, const struct kpi *k)
{
    struct watch *w = ctx;
    if (w->d && unit % w->npoints == 0 && decision_add(w->d, unit / w->npoints, rep, k))
        w->oom = 1;
    struct precision *p = w->p;
    for (int g = 0; p && g < p->ngoals; g++)
        seq_observe(&p->track[unit * (uint32_t)p->ngoals + (uint32_t)g],
                    k ? kpi_get(k, (size_t)p->kpi[g]) : NAN);
}

/* Runs batches until every unit meets every goal or reaches --max-reps. */
static int run_to_precision(struct job *j, struct watch *w)
{
    const struct opts *o = j->o;
    struct precision p = { .o = o, .ngoals = o->nprecision };
    w->p = &p;
    uint32_t nunits = (uint32_t)j->nscs;
    p.track = calloc((size_t)nunits * (size_t)p.ngoals, sizeof *p.track);
    uint32_t *todo = calloc(nunits, sizeof *todo), *at = calloc(nunits, sizeof *at);
    if (!p.track || !todo || !at) {
        free(p.track); free(todo); free(at);
        return EXIT_RUNTIME;
    }
    for (int g = 0; g < p.ngoals; g++) {
        p.kpi[g] = kpi_index(o->precision[g].kpi);
        p.rule[g] = seq_rule_after_pilot(o->precision[g].halfwidth);
    }
    /* the first stage: a pilot per scenario whose replications are numbered from
     * --max-reps on, so it shares no random numbers with the run (sequential.h) */
    uint64_t first = (uint64_t)o->reps;
    struct run_result *res = malloc(sizeof *res);
    struct seq_track *pt = calloc((size_t)p.ngoals, sizeof *pt);
    for (uint32_t u = 0; res && pt && u < nunits; u++) {
        memset(pt, 0, (size_t)p.ngoals * sizeof *pt);
        for (uint32_t i = 0; i < SEQ_PILOT; i++) {
            int st = model_run(j->scs[u], (uint32_t)o->max_reps + i, o->seed,
                                             NULL, res);
            for (int g = 0; g < p.ngoals; g++)
                seq_observe(&pt[g], st == MODEL_OK ? kpi_get(&res->kpi, (size_t)p.kpi[g]) : NAN);
        }
        for (int g = 0; g < p.ngoals; g++) {
            uint64_t want = seq_pilot_n(&p.rule[g], &pt[g], o->max_reps);
            if (first < want)
                first = want;
        }
    }
    int pilot_ok = res && pt;
    free(res);
    free(pt);
    if (!pilot_ok) {
        free(p.track); free(todo); free(at);
        return EXIT_RUNTIME;
    }
    if (first > o->max_reps)
        first = o->max_reps;
    if (!o->quiet)
        fprintf(stderr, "incubsim: --precision: a pilot of %d replications per scenario asks "
                "for %llu to start with\n", SEQ_PILOT, (unsigned long long)first);
    int rc = EXIT_OK;
    uint32_t from = 0, to = (uint32_t)first;
    progress_plan(&j->progress, (uint64_t)nunits * (uint64_t)to);
    for (;;) {
        uint32_t n = 0;
        for (uint32_t u = 0; u < nunits; u++) {
            int done = 1;
            for (int g = 0; g < p.ngoals; g++)
                done &= p.track[u * (uint32_t)p.ngoals + (uint32_t)g].done;
            if (!done && at[u] < o->max_reps)
                todo[n++] = u;
        }
        if (n == 0 || (rc = job_run(j, from, to, todo, n)))
            break;
        for (uint32_t i = 0; i < n; i++)
            at[todo[i]] = to;
        /* look, then aim the next batch at the neediest unit still open */
        uint64_t next = to;
        for (uint32_t i = 0; i < n; i++)
            for (int g = 0; g < p.ngoals; g++) {
                struct seq_track *t = &p.track[todo[i] * (uint32_t)p.ngoals + (uint32_t)g];
                if (t->done || seq_look(&p.rule[g], t))
                    continue;
                uint64_t want = seq_next_n(&p.rule[g], t, o->max_reps);   /* or the look-ahead */
                if (next < want)
                    next = want;
            }
        if (next > o->max_reps)
            next = o->max_reps;
        if (next <= to)
            next = to + 1 <= o->max_reps ? to + 1 : to;
        if (next == to)
            break;
        progress_plan(&j->progress, (uint64_t)n * (next - to));
        from = to;
        to = (uint32_t)next;
    }
    if (!rc) {
        int unmet = 0;
        for (uint32_t u = 0; u < nunits; u++)
            for (int g = 0; g < p.ngoals; g++) {
                const struct seq_track *t = &p.track[u * (uint32_t)p.ngoals + (uint32_t)g];
                if (!t->done) {
                    unmet = 1;
                    fprintf(stderr, "%sincubsim: warning: %s: %s half-width %.4g after %llu "
                            "replications (--max-reps), above the %.4g asked\n",
                            j->progress.quiet ? "" : "\n", j->scs[u]->name, o->precision[g].kpi,
                            tally_halfwidth(&t->t, 0.95), (unsigned long long)t->t.n,
                            o->precision[g].halfwidth);
                }
            }
        if (!unmet && !o->quiet)
            fprintf(stderr, "%sincubsim: every half-width met (replications per scenario in "
                    "/summary, column n)\n", j->progress.quiet ? "" : "\n");
    }
    free(p.track);
    free(todo);
    free(at);
    w->p = NULL;
    return rc;
}

/* ---- run ------------------------------------------------------------------------ */

int main_run(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_RUN, argc, argv, &o);
    if (rc || o.help)
        return rc;
    char *shipped[MAX_FILES] = { 0 };
    int nshipped = 0;
    if (o.nfiles == 0) {
        nshipped = list_shipped(shipped, MAX_FILES);
        if (nshipped <= 0) {
            opts_free(&o);
            return EXIT_INPUT;
        }
        for (int i = 0; i < nshipped; i++)
            o.files[i] = shipped[i];
        o.nfiles = nshipped;
    }
    struct job j = { 0 };
    struct decision dec;
    struct watch w = { 0 };
    double t0 = driver_seconds();
    rc = decision_init(&dec, o.cost_kpi, o.effect_kpi, o.lambda) ? EXIT_INPUT : EXIT_OK;
    if (!rc)
        rc = job_load(&j, &o, o.files, o.nfiles);
    int ref = -1;
    for (int i = 0; !rc && i < j.nscs; i++)
        if (decision_option(&dec, j.scs[i]->name) < 0)
            rc = EXIT_RUNTIME;
    if (!rc && (ref = decision_reference(&dec, o.reference, o.baseline)) < 0)
        rc = opts_bad(CMD_RUN, "--reference \"%s\" is not one of the scenarios run", o.reference);
    /* a shard holds a slice of the replications: no decision from it (merge's file has them) */
    w.d = o.shards ? NULL : &dec;
    w.npoints = j.npoints ? j.npoints : 1;
    j.observe = observe;
    j.octx = &w;
    for (int i = 0; !rc && o.warmup_auto && i < j.nscs; i++)
        rc = choose_warmup(j.scs[i], &o, &j.warmup_rules[i]);
    if (!rc && o.warmup_auto && j.nscs > 1) {
        /* one window for every scenario compared (DESIGN.md §9): the largest
         * warm-up any of them needs, so no table compares windows of
         * different lengths */
        double w = 0;
        for (int i = 0; i < j.nscs; i++)
            w = fmax(w, j.scs[i]->warmup);
        for (int i = 0; i < j.nscs; i++) {
            j.scs[i]->warmup = w;
            j.warmup_rules[i] = "MSER, the largest over the scenarios compared";
        }
        if (!o.quiet)
            fprintf(stderr, "incubsim: one warm-up for all %d scenarios: %.3g years\n", j.nscs, w);
    }
    /* --precision: one part for the whole run, as size and calibrate. Parts exist for
     * --resume, which --precision refuses, and a part's task total is fixed at job_open,
     * before the replications the rule adds exist: a run longer than --checkpoint failed at
     * its end ("task range [32, 33) is not within the run's 20 tasks") and kept nothing */
    if (o.nprecision)
        o.checkpoint = 1e12;
    if (!rc)
        rc = job_open(&j, 1, o.baseline);
    if (!rc && o.nprecision) {
        rc = run_to_precision(&j, &w);
    } else if (!rc) {
        progress_plan(&j.progress, j.end - j.next);
        rc = job_run(&j, 0, (uint32_t)o.reps, NULL, 0);
    }
    uint64_t tasks = j.tasks, failed = j.failed;
    if (!rc && w.oom)
        rc = EXIT_RUNTIME;
    int decided = 0;
    if (!rc && w.d && (rc = job_finish(&j)) == EXIT_OK) {
        char why[512];
        int dr = decision_compute(&dec, (size_t)ref, why, sizeof why);
        if (dr == -2)
            fprintf(stderr, "incubsim: warning: no decision table: %s\n", why);
        else if (dr)
            rc = EXIT_RUNTIME;
        else if (h5out_increments(j.h, &dec)) {
            fprintf(stderr, "incubsim: %s\n", h5out_error(j.h));
            rc = EXIT_RUNTIME;
        } else
            decided = 1;
    }
    rc = job_close(&j, rc);
    if (!rc && decided && !o.csv && dec.nopts > 1) {
        compare_print_decision(stdout, &dec);
        putchar('\n');
    }
    /* a shard's tables would be of a slice of the replications: the merged
     * file has the answer (merge, then compare); --csv asks for them anyway */
    int tables = !o.shards || o.csv;
    if (!rc && tables && compare_print(stdout, &j.sum, o.kpis, o.csv))
        rc = EXIT_INPUT;
    if (!rc && !o.csv) {
        printf("%sresults: %s (", tables ? "\n" : "", o.out);
        if (o.shards)
            printf("shard %llu/%llu, ", o.shard, o.shards);
        printf("%llu runs", (unsigned long long)tasks);
        if (failed)
            printf(", %llu failed: see /runs, columns status and reason", (unsigned long long)failed);
        printf(", %.1f s)%s\n", driver_seconds() - t0, o.shards ? ": no tables from a slice; "
               "`incubsim merge` joins the shards" : "");
    }
    job_free(&j);
    decision_free(&dec);
    for (int i = 0; i < nshipped; i++)
        free(shipped[i]);
    opts_free(&o);
    return rc;
}
