/* merge.c — `incubsim merge`: the shards of one run joined into one
 * file, /summary recomputed in task order (the bits of a one-process run). */
#include "cmds.h"
#include "job.h"
#include "../../output/decision.h"
#include "../../output/h5out.h"
#include "../../output/h5parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fold {
    struct summary *s;
    char (*names)[SET_NAME_LEN];
    int  nscs;
    uint32_t npoints;
    uint64_t failed;
    struct decision *d;   /* a run's decision table (point 0); NULL for an experiment */
};

static int add_run(void *ctx, const char *scenario, uint32_t point, uint32_t rep,
                   const struct kpi *k)
{
    struct fold *f = ctx;
    for (int i = 0; i < f->nscs; i++)
        if (strcmp(f->names[i], scenario) == 0 && point < f->npoints) {
            f->failed += k == NULL;
            if (f->d && point == 0 && decision_add(f->d, (size_t)i, rep, k))
                return -1;
            return summary_add_at(f->s, (size_t)i * f->npoints + point, rep, k);
        }
    return -1;
}

/* Whether path is a finished part of the run `want` (its identity) holding
 * exactly the tasks [first, end): what a Slurm shard must hold to be
 * skipped. A file's existence proves nothing (an earlier run with other
 * replications or shards writes the same names); its identity does. */
int merge_is_complete(const struct h5_part *want, uint64_t first, uint64_t end,
                      const char *path, char *why, size_t n)
{
    char err[2048], parts_dir[4200];
    if (access(path, F_OK) != 0) {
        snprintf(parts_dir, sizeof parts_dir, "%s.parts", path);
        snprintf(why, n, access(parts_dir, F_OK) == 0
                 ? "not written yet (an interrupted run's parts are in %s.parts: --resume "
                   "completes them)" : "not written yet", path);
        return 1;
    }
    struct h5_part p = { 0 };
    int rc = 1;
    if (h5part_read(path, &p, err, sizeof err))
        snprintf(why, n, "%s", err);
    else if (h5part_same_run(want, &p, err, sizeof err))
        snprintf(why, n, "a result of another run: %s differs", err);
    else if (p.first != first || p.end != end || p.total != want->total)
        snprintf(why, n, "holds tasks %llu..%llu of %llu, not this slice's %llu..%llu",
                 (unsigned long long)p.first, (unsigned long long)p.end,
                 (unsigned long long)p.total, (unsigned long long)first,
                 (unsigned long long)end);
    else {
        snprintf(why, n, "tasks %llu..%llu of %llu of this run", (unsigned long long)first,
                 (unsigned long long)end, (unsigned long long)p.total);
        rc = 0;
    }
    h5part_free(&p);
    return rc;
}

int main_merge(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_MERGE, argc, argv, &o);
    if (rc || o.help)
        return rc;
    int n = o.nfiles;
    struct lock lock;
    if ((rc = job_check_output(o.out, o.files, n)) || (rc = lock_take(&lock, o.out))) {
        opts_free(&o);
        return rc;
    }
    struct h5_part *parts = calloc((size_t)n, sizeof *parts);
    char err[2048], why[300];
    rc = parts ? EXIT_OK : EXIT_RUNTIME;
    for (int i = 0; !rc && i < n; i++)
        if (h5part_read(o.files[i], &parts[i], err, sizeof err)) {
            fprintf(stderr, "incubsim: merge: %s\n", err);
            rc = EXIT_INPUT;
        } else if (i && h5part_same_run(&parts[0], &parts[i], why, sizeof why)) {
            fprintf(stderr, "incubsim: merge: %s is not a part of the run of %s: %s differs\n",
                    o.files[i], o.files[0], why);
            rc = EXIT_INPUT;
        } else if (strcmp(o.files[i], o.out) == 0) {
            fprintf(stderr, "incubsim: merge: the output %s is also a part\n", o.out);
            rc = EXIT_INPUT;
        }
    if (!rc && h5part_tile(parts, n, 0, parts[0].total, err, sizeof err)) {
        fprintf(stderr, "incubsim: merge: %s\n", err);
        rc = EXIT_INPUT;
    }
    /* the summary's units: every scenario (in file order) at every design point */
    struct summary s;
    summary_init(&s);
    struct decision dec = { 0 };
    if (!rc && decision_init(&dec, o.cost_kpi, o.effect_kpi, o.lambda))
        rc = EXIT_INPUT;
    struct fold f = { &s, NULL, 0, 1, 0, NULL };
    char **levers = NULL;
    double *values = NULL;
    int nlevers = 0;
    uint32_t npoints = 0;
    if (!rc && h5in_read_design(parts[0].path, &levers, &nlevers, &values, &npoints, err,
                                sizeof err) < 0) {
        fprintf(stderr, "incubsim: merge: %s\n", err);
        rc = EXIT_INPUT;
    }
    f.npoints = nlevers ? npoints : 1;
    if (!rc) {
        f.names = calloc(strlen(parts[0].scenarios) + 1, sizeof *f.names);
        char *list = strdup(parts[0].scenarios), *save;
        for (char *t = list ? strtok_r(list, ";", &save) : NULL; f.names && t;
             t = strtok_r(NULL, ";", &save)) {
            char *eq = strchr(t, '=');
            if (eq)
                *eq = '\0';
            snprintf(f.names[f.nscs++], SET_NAME_LEN, "%s", t);
        }
        if (!list)
            rc = EXIT_RUNTIME;
        free(list);
        for (int i = 0; f.names && i < f.nscs; i++)
            for (uint32_t p = 0; p < f.npoints; p++)
                if (summary_unit(&s, f.names[i], p) < 0)
                    rc = EXIT_RUNTIME;
        if (!f.names)
            rc = EXIT_RUNTIME;
        else if (*parts[0].baseline)
            summary_set_baseline(&s, parts[0].baseline);
        /* a run's parts: the decision table `run` writes, from the same options */
        if (!rc && !nlevers && strcmp(parts[0].command, "run") == 0) {
            for (int i = 0; i < f.nscs; i++)
                if (decision_option(&dec, f.names[i]) < 0)
                    rc = EXIT_RUNTIME;
            f.d = &dec;
            if (!rc && decision_reference(&dec, o.reference, *parts[0].baseline
                                          ? parts[0].baseline : NULL) < 0)
                rc = opts_bad(CMD_MERGE, "--reference \"%s\" is not a scenario of the run",
                              o.reference);
        }
    }
    for (int i = 0; !rc && i < n; i++)
        if (h5parts_replay(parts[i].path, add_run, &f, err, sizeof err)) {
            fprintf(stderr, "incubsim: merge: %s: rows of an unknown scenario or point\n",
                    parts[i].path);
            rc = EXIT_INPUT;
        }
    struct h5out *h = NULL;
    if (!rc) {
        summary_finish(&s);
        h = h5parts_join(o.out, o.force, parts, n, 0, err, sizeof err);
        if (!h) {
            fprintf(stderr, "incubsim: merge: %s\n", err);
            rc = EXIT_RUNTIME;
        }
    }
    if (!rc && h5out_summary(h, &s)) {
        fprintf(stderr, "incubsim: merge: %s\n", h5out_error(h));
        h5out_abort(h);
        rc = EXIT_RUNTIME;
    }
    if (!rc && f.d) {
        int ref = decision_reference(&dec, o.reference, *parts[0].baseline
                                     ? parts[0].baseline : NULL);
        int dr = decision_compute(&dec, (size_t)ref, why, sizeof why);
        if (dr == -2)
            fprintf(stderr, "incubsim: warning: no decision table: %s\n", why);
        else if (dr || h5out_increments(h, &dec)) {
            fprintf(stderr, "incubsim: merge: %s\n", dr ? "out of memory" : h5out_error(h));
            h5out_abort(h);
            rc = EXIT_RUNTIME;
        }
    }
    if (!rc && h5out_commit(h, err, sizeof err)) {
        fprintf(stderr, "incubsim: merge: %s\n", err);
        rc = EXIT_RUNTIME;
    }
    if (!rc)
        printf("merged %d parts (%llu tasks%s) into %s\n", n, (unsigned long long)parts[0].total,
               f.failed ? ", some failed: see /runs status" : "", o.out);
    h5in_free_design(levers, nlevers, values);
    free(f.names);
    h5part_free_all(parts, n);   /* unread entries are zeroed */
    summary_free(&s);
    decision_free(&dec);
    lock_release(&lock);
    opts_free(&o);
    return rc;
}
