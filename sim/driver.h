/* driver.h — the task driver: runs a grid of tasks in one canonical order.
 *
 * A task is (unit, replication): a unit is whatever the caller counts (a
 * scenario, a design point, a probe), a replication an index from 0. The
 * grid is replication-major — replication r of every unit before r + 1 —
 * so a streaming summary holds one replication at a time, and every table
 * and statistic is folded in that order whatever runs the tasks.
 *
 * The caller gives two functions: `run`, a pure function of the task (it may
 * fail, with a reason: the task is then committed as failed and the others
 * carry on), and `commit`, which receives each task's result in canonical
 * order and may stop the whole grid (a full disk). The driver owns progress
 * (a bar with ETA on stderr when it is a terminal), timing, interruption (a
 * flag the caller's signal handler sets) and the failed-task count.
 * Domain-free: it knows nothing of what a task computes.
 *
 * With threads > 1, `run` is called on worker threads (each with its own
 * scratch) and `commit` on the calling thread only, in canonical order: a
 * reorder buffer of 4 slots a worker holds results finished ahead of their
 * turn, so the committed sequence — and every file and statistic made from
 * it — is the same bits as with one thread. A result slot is reused: `run`
 * may keep growing buffers in it; `result_free` releases them at the end.
 */
#ifndef INCUBSIM_DRIVER_H
#define INCUBSIM_DRIVER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define DRIVER_WHY_LEN 64

struct task {
    uint32_t unit, rep;
    uint64_t index;      /* position in the canonical order of this grid */
};

enum task_status { TASK_OK = 0, TASK_FAILED = 1 };

/* How one run of a task went: what a worker thread keeps in its slot and an
 * MPI rank sends with the result (sim/farm.c). */
struct task_outcome {
    int32_t status;                  /* enum task_status */
    char    why[DRIVER_WHY_LEN];     /* the failure's reason; "" when ok */
    double  wall_seconds;
};

struct task_done {
    const struct task *task;
    int         status;              /* enum task_status */
    const char *why;                 /* the failure's reason; "" when ok */
    const void *result;              /* the run function's output (result_size bytes) */
    double      wall_seconds;
};

/* Progress over several grids (an adaptive command runs many): the bar's
 * label, what is planned so far, and when it started. */
struct progress {
    const char *label;   /* "runs", "probes", ... */
    int      quiet;      /* no bar at all */
    uint64_t done, planned;
    double   t0, drawn;
};

struct grid {
    uint32_t nunits;
    uint32_t rep_from, rep_to;       /* replications [rep_from, rep_to) */
    uint64_t first, end;             /* only the grid's tasks [first, end) (end 0: all), in
                                        canonical order: a shard, a resumed run */
    const uint32_t *units;           /* NULL: 0..nunits-1; else the units to run, in order */
    size_t   result_size;
    void    *ctx;
    /* Returns 0, or non-zero with a reason in why (DRIVER_WHY_LEN bytes):
     * the task failed and is committed as failed. `scratch` is the
     * worker's own memory (scratch_size bytes, zeroed once). */
    int (*run)(void *ctx, const struct task *t, void *scratch, void *result, char *why);
    size_t   scratch_size;
    /* Returns 0, or -1 to stop the grid (the caller reports why). */
    int (*commit)(void *ctx, const struct task_done *d);
    /* Releases what run left inside a result slot (may be NULL). */
    void (*result_free)(void *ctx, void *result);
    int      threads;                     /* workers; <= 1: run on the calling thread */
    /* MPI (sim/farm.h): a result as bytes, and back. pack returns the bytes
     * it needs and writes them when buf is not NULL. */
    size_t (*pack)(void *ctx, const void *result, void *buf, size_t cap);
    int    (*unpack)(void *ctx, void *result, const void *buf, size_t n);
    volatile sig_atomic_t *interrupted;   /* may be NULL */
    struct progress *progress;            /* may be NULL */
};

enum { DRIVER_OK = 0, DRIVER_STOPPED = 1, DRIVER_INTERRUPTED = 2, DRIVER_NO_MEMORY = 3 };

struct driver_stats {
    uint64_t done, failed;
    double   wall_seconds;
};

/* Runs the grid. Returns DRIVER_OK when every task was committed (failed
 * tasks included: see stats->failed), DRIVER_STOPPED when commit said stop,
 * DRIVER_INTERRUPTED when the flag was set, DRIVER_NO_MEMORY. */
int driver_run(const struct grid *g, struct driver_stats *stats);

/* The pieces driver_run is made of, for the MPI farm (sim/farm.c) to run
 * the same grid in the same order with the same commit:
 * the grid's tasks [*first, *end) in canonical order (a shard, a resume); */
void driver_range(const struct grid *g, uint64_t *first, uint64_t *end);
/* the k-th task of the whole grid in canonical order (k in [first, end)); */
struct task driver_task(const struct grid *g, uint64_t k);
/* runs one task (g->run), timing it and naming a failure without a reason; */
void driver_run_task(const struct grid *g, const struct task *t, void *scratch, void *result,
                     struct task_outcome *out);
/* commits one finished task, in canonical order: g->commit, the counts in st
 * and the progress bar. Returns non-zero when commit said stop. */
int driver_commit(const struct grid *g, const struct task *t, const struct task_outcome *o,
                  const void *result, struct driver_stats *st);

/* The cores this process may use (sched_getaffinity), at least 1. */
int driver_cores(void);

/* Seconds on a monotonic clock. */
double driver_seconds(void);

/* Progress: start (t0 = now), plan more tasks, note one done (redraws at most
 * ten times a second), finish the line. */
void progress_start(struct progress *p, const char *label, int quiet);
void progress_plan(struct progress *p, uint64_t more);
void progress_step(struct progress *p);
void progress_end(struct progress *p);

#endif
