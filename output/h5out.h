/* h5out.h — the HDF5 results file (schema: DESIGN.md §6). The only code
 * that includes hdf5.h.
 *
 * Every table is a chunked, extendible compound dataset that grows as runs
 * finish, through a one-chunk buffer per table, so memory stays flat however
 * many runs a file holds. The file is written as NAME.part in the folder of
 * NAME and renamed on h5out_commit(); h5out_abort() (or a crash) leaves
 * nothing under NAME.
 */
#ifndef INCUBSIM_H5OUT_H
#define INCUBSIM_H5OUT_H

#include <stdint.h>

#include "../models/model.h"
#include "summary.h"

struct h5out;

struct h5_provenance {
    const char *command_line;
    uint64_t    master_seed;
    uint32_t    replications;
};

/* Creates NAME.part. Fails (NULL, message in err) when NAME exists and
 * !force, or on any HDF5 or disk error. `records` adds /projects. */
struct h5out *h5out_create(const char *path, int force, int records,
                           const struct h5_provenance *prov, char *err, size_t errlen);

/* One row of /scenarios: the resolved config text and its SHA-256. */
int h5out_scenario(struct h5out *h, int index, const struct scenario *sc, const char *config);

/* The sink for one run's /timeseries and /projects rows. */
struct model_sink h5out_sink(struct h5out *h, const struct scenario *sc, uint32_t point,
                             uint32_t rep);

/* Rows of /runs and /carriers for a finished run. */
int h5out_run(struct h5out *h, const struct scenario *sc, uint32_t point, uint32_t rep,
              uint64_t seed, double wall_seconds, const struct run_result *r);

/* /summary from the summary of every run. */
int h5out_summary(struct h5out *h, const struct summary *s);

/* Flushes, closes and renames to the final name. Frees h. Returns 0 or -1. */
int h5out_commit(struct h5out *h);
/* Closes and removes the temporary file. Frees h. */
void h5out_abort(struct h5out *h);
/* The last error, for a message after a failed call. */
const char *h5out_error(const struct h5out *h);

/* Reads /runs of a results file into a summary. Returns 0 or -1 (err). */
int h5in_read_runs(const char *path, struct summary *s, char *err, size_t errlen);

#endif
