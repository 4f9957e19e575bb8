/* sim.h — one simulation: clock, pending events, random streams.
 *
 * Everything a replication touches hangs off one `struct sim` passed
 * explicitly (as Lua's lua_State): nothing is global, so replications run
 * side by side in threads, MPI ranks or Slurm shards and give the same bits.
 * The engine knows nothing of incubators: `model` is opaque to it.
 */
#ifndef INCUBSIM_SIM_H
#define INCUBSIM_SIM_H

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "evq.h"
#include "rng.h"

struct sim {
    double      now;          /* years; advanced only by sim_run */
    struct evq  queue;
    struct rng  rng;          /* this replication's streams */
    void       *model;        /* opaque to the engine, borrowed */
    uint64_t    seed;
    uint32_t    replication;
    uint64_t    events;       /* handled so far */
    int         stopped;
    /* Where a broken invariant goes: with `bail` set, SIM_ASSERT jumps there
     * with the reason in `failure` (the run fails, the process goes on);
     * without, it aborts. */
    jmp_buf    *bail;
    char        failure[96];
    /* Set by a signal handler: the run stops within 2^16 events. */
    volatile sig_atomic_t *interrupt;
};

/* Owns the queue's memory; sim_free releases it (accepts a zeroed struct).
 * The queue's memory comes from the C library, or from `al` after
 * sim_use_alloc (borrowed until sim_free). */
void sim_init(struct sim *s, uint64_t seed, uint32_t replication, void *model);
void sim_use_alloc(struct sim *s, const struct alloc *al);
void sim_free(struct sim *s);

/* Schedules fn at now + delay (delay >= 0). Returns the event's handle
 * (evq_cancel on s->queue cancels it; the model has not needed to). */
uint64_t sim_after(struct sim *s, double delay, int prio, evq_fn *fn, void *subject, uint64_t arg);
uint64_t sim_at(struct sim *s, double t, int prio, evq_fn *fn, void *subject, uint64_t arg);

/* Runs events in order until the next one is later than `until`, the queue
 * is empty or sim_stop() was called; then sets now = until (unless stopped).
 * A clock that does not move (SIM_STALL events in a row at one time) is a
 * broken invariant; every 2^16 events the interrupt flag is read, and when
 * set the run bails out ("interrupted"). Returns the number of events
 * handled. */
#define SIM_STALL (1u << 26)
uint64_t sim_run(struct sim *s, double until);
void     sim_stop(struct sim *s);

/* Memory ran out inside the run: leaves through `bail` with SIM_NO_MEMORY
 * as the reason (model_run reports it as such, not as a broken invariant). */
#define SIM_NO_MEMORY "out of memory"
_Noreturn void sim_no_memory(struct sim *s);

/* A broken invariant: a bug, not bad input. Stays on in release builds. */
#define SIM_ASSERT(s, cond) \
    do { if (!(cond)) sim_assert_fail((s), #cond, __FILE__, __LINE__); } while (0)
_Noreturn void sim_assert_fail(struct sim *s, const char *expr, const char *file, int line);
/* Leaves the run through `bail` (or aborts) with a reason in words. */
_Noreturn void sim_fail(struct sim *s, const char *why);

#endif
