/* job.h — what every running command shares: scenarios loaded with their
 * --set overrides, design points (levers applied to a base scenario), the
 * results file, the streaming summary, and the task driver wired to the model.
 *
 * A unit is a (scenario, design point): unit u is scenario u / npoints at
 * point u % npoints. `run` has one point per scenario; an experiment one
 * scenario and many points. */
#ifndef INCUBSIM_MAIN_JOB_H
#define INCUBSIM_MAIN_JOB_H

#include "../../models/model.h"
#include "../../output/h5out.h"
#include "../../output/h5parts.h"
#include "../../output/summary.h"
#include "../driver.h"
#include "lock.h"
#include "opts.h"

#define MAX_LEVERS 64

struct lever {
    char   path[128];          /* the setting, as `incubsim check` prints it */
    double min, max, step;     /* step: size's grid spacing; 0 = default */
    struct setting_ref ref;
};

struct job {
    const struct opts *o;
    struct scenario  **scs;
    char             **texts;          /* each scenario resolved, as stored in /scenarios */
    const char       **warmup_rules;
    int                nscs;
    struct lever      *levers;         /* NULL for run */
    int                nlevers;
    double            *points;         /* [point][lever]: the lever values, applied */
    /* optional: where each lever lies in each scenario, [scenario * nlevers +
     * lever], and whether it applies there (psa: an assumption only some
     * options declare leaves the others at their own value). NULL: every
     * scenario takes levers[l].ref. Owned by the command. */
    const struct setting_ref *unit_refs;
    const unsigned char *applies;
    uint32_t           npoints, pointcap;
    struct h5out      *h;
    struct summary     sum;
    struct progress    progress;
    uint64_t           failed, tasks;
    int                threads;        /* worker threads (-j) */
    uint64_t          *by_rank;        /* MPI rank 0: the tasks each rank ran (-v prints them) */
    /* the canonical task range this process runs, and its crash-safe parts */
    uint64_t           total, next, end, part_first;
    double             part_t0;
    char               parts_dir[4200];
    char               command[16], design_sha[65], baseline[48], shard[48];
    struct h5_part     id;             /* the run's identity (h5parts.h), in every part */
    struct lock        lock;           /* OUT.lock, held while this process writes OUT */
    int                opened, finished;   /* opened: the parts folder is this run's */
    const char        *scenario_file;  /* an experiment's base scenario, an input too */
    /* optional: sees every committed task in canonical order (k NULL: failed) */
    void (*observe)(void *octx, uint32_t unit, uint32_t rep, const struct kpi *k);
    void              *octx;
};

/* Loads the files (with every --set of o) into j. Returns an exit code. */
int  job_load(struct job *j, const struct opts *o, const char *const *files, int nfiles);
/* Adds a design point (the levers' values); returns its index, or -1 when
 * out of memory. A value an integer setting cannot take is rounded. */
int  job_add_point(struct job *j, const double *values);
/* Builds unit u's scenario into out (a copy of its base with the levers
 * applied). Returns 0, or -1 with the reason in why[n]. */
int  job_build(const struct job *j, uint32_t unit, struct scenario *out, char *why, size_t n);
/* Declares the summary's units (every point added so far; an adaptive
 * command adds the rest as it goes), pairs them against `baseline` when
 * `paired` (NULL: the default rule), and opens the run's parts folder
 * (OUT.parts): with --resume, the committed tasks it holds are replayed
 * into the summary. Returns an exit code. */
int  job_open(struct job *j, int paired, const char *baseline);
/* Instead of job_open and running: adopts `path`, a complete results file
 * of this very run (one process, or its shards joined by `merge`): checks its
 * identity and that it holds every task, replays its /runs into the summary
 * and joins it into the output with /summary written (its /design, /runs
 * and the other tables copied), so a command adds its own tables and
 * job_close commits it: the file a one-process run writes (psa --analyse).
 * Returns an exit code. */
int  job_adopt(struct job *j, const char *path);
/* EXIT_OK when `out` may receive the results: not a directory, device or
 * FIFO, nor one of the inputs; else a message and EXIT_INPUT. */
int  job_check_output(const char *out, const char *const *inputs, int n);
/* (unit, replication) units of the grid: scenarios x points. */
int  job_units(const struct job *j);
/* Runs replications [from, to) of the given units (NULL: all, in order).
 * Returns an exit code; failed tasks are counted, not fatal. */
int  job_run(struct job *j, uint32_t from, uint32_t to, const uint32_t *units, uint32_t nunits);
/* Joins the parts into the results file (not yet under its name) and writes
 * /design and /summary there; a command then adds its own tables to j->h.
 * Returns an exit code. */
int  job_finish(struct job *j);
/* Finishes (when not yet), commits the file and removes the parts; with rc
 * not EXIT_OK, keeps the committed parts for --resume. Returns the final
 * exit code. */
int  job_close(struct job *j, int rc);
void job_free(struct job *j);

/* SIGINT, SIGTERM and SIGHUP stop the grid between tasks and remove the
 * partial file. */
void job_catch_signals(void);

#endif
