/* model.h — one replication of an incubation pipeline.
 *
 * model_run() is a pure function of (scenario, replication, seed) — a design
 * point reaches it as the scenario its levers were set in: it touches no
 * global state and draws every number from keyed streams, so runs can happen
 * in any order, on any rank, and give the same bits. Rows for the optional
 * tables (/timeseries, /projects) of the window go to a sink as they happen,
 * so a caller's memory stays flat however long the run; the run's own memory
 * (projects in flight, firms) comes from the sink's allocator.
 */
#ifndef INCUBSIM_MODEL_H
#define INCUBSIM_MODEL_H

#include <signal.h>
#include <stdint.h>

#include "../sim/alloc.h"
#include "kpi.h"
#include "scenario.h"

enum outcome {
    OUT_REJECTED, OUT_BALKED, OUT_FAILED_PRE, OUT_FAILED_ACC, OUT_STAYED_HUB,
    OUT_THIRD_REGION, OUT_FAILED_IND, OUT_PRODUCTION, OUT_IN_PIPELINE, OUT_COUNT
};
extern const char *const outcome_names[OUT_COUNT];

struct carrier_result {
    double arrivals, served, balked;
    double mean_wait, mean_queue, utilisation, mean_sojourn;
    double capacity_end;
};

struct run_result {
    char       why[96];        /* MODEL_FAILED: the reason, in words */
    struct kpi kpi;
    struct carrier_result carriers[SC_MAX_CARRIERS];
    int      ncarriers;
    uint64_t events;
};

struct ts_row {
    double t;
    double occupancy[STAGE_COUNT], queue[STAGE_COUNT];
    double landed_cum, firms, jobs, public_spend_cum;
};

struct project_row {
    uint64_t project;          /* sequence number in the run */
    int      source, sector, outcome;
    double   quality, score;
    double   t_arrive, t_pre, t_acc, t_land;   /* NaN: never */
    double   t_end;     /* the outcome's time (production: its start); NaN: in pipeline */
    int      carrier[STAGE_COUNT];                                  /* -1: none */
    double   money[INSTR_COUNT];                                    /* yuan by instrument */
    double   private_round;
};

/* What the caller lends a run: where rows go, the interrupt flag, the
 * allocator. A callback returning non-zero stops the run (model_run then
 * returns MODEL_SINK_FAILED). The sink, either callback, the flag and the
 * allocator may be NULL (no rows; no interrupt; the C library's memory). */
struct model_sink {
    void *ctx;
    int (*timeseries)(void *ctx, const struct ts_row *row);
    int (*project)(void *ctx, const struct project_row *row);
    volatile sig_atomic_t *interrupt;   /* set by a signal: the run stops soon (may be NULL) */
    const struct alloc *alloc;          /* every allocation of the run (sim/alloc.h) */
};

enum { MODEL_OK = 0, MODEL_NO_MEMORY = -1, MODEL_SINK_FAILED = 1, MODEL_FAILED = 2 };

/* Why a run returned what it did, in words (static text). */
const char *model_status_text(int rc);

/* Runs one replication. Returns MODEL_OK, MODEL_SINK_FAILED when a sink
 * callback said stop, MODEL_FAILED (testing.fail_replication, a broken
 * invariant, an interrupt: out->why says which), or MODEL_NO_MEMORY (out->why
 * "out of memory"; whatever allocation failed, nothing is leaked). On
 * MODEL_OK every field of `out` but `why` is written; otherwise only `why`
 * (MODEL_SINK_FAILED: not even that) — its other fields are not a result. */
int model_run(const struct scenario *sc, uint32_t replication, uint64_t seed,
              const struct model_sink *sink, struct run_result *out);

#endif
