/* farm.h — the task grid over MPI ranks (`make MPI=1`; `mpirun -np K`).
 *
 * Rank 0 is the master: it runs the command, hands chunks of tasks to the
 * other ranks (dynamic load balancing: replications differ in length; each
 * worker keeps up to two chunks queued so it never waits on the master),
 * receives their packed results, files them by task index and commits them
 * in canonical order — so the results file, written by rank 0 alone, is the
 * same bits as a one-process run. Between messages rank 0 runs tasks itself,
 * one at a time, so every rank computes (`-np 2` uses two cores). A chunk is
 * sized from the tasks timed so far to carry about 100 ms of work.
 *
 * No rank waits in a blocking MPI call: Open MPI's poll the shared memory at
 * full speed, so a rank waiting in one burns the core the other ranks need.
 * Chunks and results go out by MPI_Isend (a worker computes its next chunk
 * while the master takes in the last), and a rank with nothing to do waits
 * by MPI_Iprobe/MPI_Test and naps of at most 1 ms.
 *
 * Ranks > 0 are workers: they load the same scenarios (every rank parses the
 * same command line), then serve chunks until the master says stop.
 *
 * Without MPI (the default build), or with one rank, farm_run is driver_run
 * (the threads of one process) and the rest are stubs of a single rank 0.
 */
#ifndef INCUBSIM_FARM_H
#define INCUBSIM_FARM_H

#include "driver.h"

/* Call first and last in main(). farm_init may rewrite argc/argv. */
void farm_init(int *argc, char ***argv);
void farm_finalize(void);
int  farm_rank(void);
int  farm_size(void);

/* Master: runs the grid on the workers and itself (g->pack and g->unpack
 * move results), in the driver's canonical order and through its commit
 * (driver_task, driver_commit: one definition of each). Returns as
 * driver_run. by_rank (farm_size() entries, may be NULL) gains the tasks
 * each rank ran. */
int farm_run(const struct grid *g, struct driver_stats *st, uint64_t *by_rank);
/* Worker: serves chunks of tasks, running g->run, until the master stops
 * it. Returns 0, or -1 when the master went away (a failed MPI call) or
 * memory ran out. */
int farm_serve(const struct grid *g);
/* Master: releases every worker (idempotent; also on failure paths). */
void farm_stop(void);
/* Collective (every rank calls it): 0 when every rank passed the same n
 * bytes (a run's identity hash: ranks started with another seed, scenario
 * or --set must not serve rank 0's run); else -1 on every rank, with the
 * first rank that differs from rank 0 in *odd. */
int  farm_same(const void *bytes, size_t n, int *odd);

#endif
