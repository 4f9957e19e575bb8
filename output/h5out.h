/* h5out.h — the HDF5 results file (schema: output/SCHEMA.md, printed by
 * `incubsim schema` from output/columns.c). Its callers need no hdf5.h:
 * only output/h5out.c and output/h5parts.c (through h5internal.h) include
 * it, and sim/cli/main.c for the library's version.
 *
 * The tables written row by row (/scenarios, /runs, /carriers, /timeseries,
 * /projects, /summary) are chunked, extendible compound datasets that grow
 * through a one-chunk buffer per table, so memory stays flat however many
 * runs a file holds; /design, /sizing, /sensitivity and /increments are
 * written whole, once. The file is written as NAME.part in the folder of
 * NAME and renamed on h5out_commit(); h5out_abort() (or a crash) leaves
 * nothing under NAME.
 */
#ifndef INCUBSIM_H5OUT_H
#define INCUBSIM_H5OUT_H

#include <stdint.h>

#include "../models/model.h"
#include "../sim/sizing.h"
#include "summary.h"
#include "h5parts.h"

struct h5out;

struct h5_provenance {
    const char *command_line;
    uint64_t    master_seed;
    uint32_t    replications;
    const char *const *warmup_rules;   /* per scenario, how its warm-up was chosen; NULL: "setting" */
    /* What makes files parts of one run (h5parts.h): `merge` and --resume
     * compare it before joining them. Borrowed. */
    const struct h5_part *identity;
    uint64_t    task_first, task_end, task_total;   /* the canonical tasks the file holds */
    const char *shard;                 /* "I/N", or "" */
};

/* Creates NAME.part with /scenarios filled from scs[i] and their resolved
 * text configs[i] (both borrowed until h5out_commit/abort). Fails (NULL,
 * message in err) when NAME exists and !force, or on any HDF5 or disk error.
 * `records` adds /projects. */
struct h5out *h5out_create(const char *path, int force, int records,
                           const struct h5_provenance *prov,
                           const struct scenario *const *scs, const char *const *configs, int n,
                           char *err, size_t errlen);

/* The sink for the /timeseries and /projects rows of one run of scs[scenario],
 * written as they come (one run at a time). */
struct model_sink h5out_sink(struct h5out *h, int scenario, uint32_t point, uint32_t rep);
/* Where the rows a run writes straight to the file (h5out_sink) begin, and
 * their removal when that run fails partway: a failed task leaves no rows of
 * its own in /timeseries or /projects, however it was run. */
struct h5out_mark {
    uint64_t ts, projects;
};
struct h5out_mark h5out_mark(const struct h5out *h);
int h5out_rollback(struct h5out *h, const struct h5out_mark *m);
/* The same rows one by one, for rows a worker kept until their turn; a
 * project row is dropped unless the file has /projects. */
int h5out_ts_row(struct h5out *h, int scenario, uint32_t point, uint32_t rep,
                 const struct ts_row *row);
int h5out_project_row(struct h5out *h, int scenario, uint32_t point, uint32_t rep,
                      const struct project_row *row);


/* Rows of /runs and /carriers for a finished run of scs[scenario]; with
 * `failed` (the reason), a /runs row with status failed and NaN KPIs. */
int h5out_run(struct h5out *h, int scenario, uint32_t point, uint32_t rep,
              uint64_t seed, double wall_seconds, const char *failed,
              const struct run_result *r);

/* /design: one row per design point, `point` then one float64 column per
 * lever, named by its setting path; values[point * nlevers + lever]. */
int h5out_design(struct h5out *h, const char *const *levers, int nlevers, const double *values,
                 uint32_t npoints);

/* /sizing: every probe of `size`, and the answer in the table's attributes. */
struct h5_sizing {
    const char *lever, *kpi;
    double target, confidence, tolerance;
    int    at_most;
    const struct size_result *result;
    /* the answer's price (DESIGN.md §9); cost_kpi NULL: not written */
    const char *cost_kpi, *effect_kpi;
    double cost_at_answer;                         /* the cost KPI's mean at the answer */
    double cost_per_extra_effect, cpe_low, cpe_high;   /* ICER vs the lever's minimum, Fieller */
    /* size --robust (result->robust > 0): the attributes robust, draws,
     * replications_per_draw, assumptions, share_at_answer, answer_boot_low,
     * answer_boot_high, bootstrap, robust_rule */
    uint32_t reps_per_draw;
    const char *assumptions;   /* "prior", or the posterior file */
};
int h5out_sizing(struct h5out *h, const struct h5_sizing *s);

/* /sensitivity: one row per (kpi, lever, measure). */
struct h5_sensitivity_row {
    char   kpi[48], lever[128], method[8], measure[8];
    double value, ci_low, ci_high;
};
int h5out_sensitivity(struct h5out *h, const struct h5_sensitivity_row *rows, size_t n);

/* /increments: the decision table (output/decision.h), one row per
 * (scenario, versus), with the reference, KPIs, interval method and
 * value_per_effect (when given) as attributes. */
struct decision;
int h5out_increments(struct h5out *h, const struct decision *d);
/* ---- what we don't know (DESIGN.md §10; output/h5psa.c) ---------------- */

/* /psa: one row per (draw, scenario): `draw`, `scenario`, one float64 column
 * per assumption (named by its setting path: the value the scenario ran
 * with), then every KPI's mean over the draw's replications.
 * theta[(draw * nscen + s) * nassume + a], kpi[(draw * nscen + s) * kpi_count + k]. */
struct h5_psa {
    const char *const *assumptions;
    int nassume;
    const char *const *scenarios;
    int nscen;
    uint32_t ndraws;
    const double *theta, *kpi;
    const char *source;     /* "prior" or the posterior's file */
};
int h5out_psa(struct h5out *h, const struct h5_psa *p);

struct h5_ceac_row {
    double value_per_effect;
    char   scenario[SET_NAME_LEN];
    double probability_best;
};
/* /ceac, with the cost and effect KPIs as attributes. */
int h5out_ceac(struct h5out *h, const struct h5_ceac_row *rows, size_t n, const char *cost_kpi,
               const char *effect_kpi);

struct h5_evppi_row {
    char   setting[128];
    double value_per_effect, evppi;
};
/* /evppi, with the estimator and the draws it used as attributes. */
int h5out_evppi(struct h5out *h, const struct h5_evppi_row *rows, size_t n, const char *method,
                uint32_t draws);

/* /posterior: one row per retained draw: one float64 column per assumption,
 * `weight`, `implausibility`, `wave`; attributes `method`, `targets` (one
 * string per target: "kpi = value +- sd (source)"), `cut`.
 * values[row * nassume + a]. */
struct h5_posterior {
    const char *const *assumptions;
    int nassume;
    size_t n;
    const double *values, *weight, *implausibility;
    const uint32_t *wave;
    const char *method;
    const char *const *targets;
    int ntargets;
    double cut;
};
int h5out_posterior(struct h5out *h, const struct h5_posterior *p);
/* Reads the float64 columns names[k] of a table of `path` into a malloc'd
 * out[row * k + column] (*nrows rows). Returns 0, or -1 with err (no such
 * file, table or column). */
int h5in_read_columns(const char *path, const char *table, const char *const *names, int k,
                      double **out, size_t *nrows, char *err, size_t errlen);
/* A string attribute on table `table` (replacing one of that name). */
int h5out_table_note(struct h5out *h, const char *table, const char *name, const char *value);

/* /summary from the summary of every run. */
int h5out_summary(struct h5out *h, const struct summary *s);

/* Flushes, writes each table's row count (attribute `rows`, which a reader
 * of a part checks), closes and renames to the final name. Frees h. Returns 0, or -1
 * with the reason in err (the temporary file is then removed). */
int h5out_commit(struct h5out *h, char *err, size_t errlen);
/* Closes and removes the temporary file. Frees h. */
void h5out_abort(struct h5out *h);
/* The last error, for a message after a failed call. */
const char *h5out_error(const struct h5out *h);

/* Reads /runs of a results file into an empty summary, with `baseline` (NULL:
 * the default rule of summary_set_baseline). Three streamed passes: the
 * units, the baseline's runs, every run folded against them; memory is the
 * baseline's runs and a tally per unit and KPI, whatever the rows' order. Returns 0; -3 with err on a
 * missing, foreign or damaged file, or one lacking a column; -2 when the
 * baseline is not in the file; -1 when out of memory. */
int h5in_read_runs(const char *path, const char *baseline, struct summary *s, char *err,
                   size_t errlen);

/* Reads /design when the file has one: lever names (malloc'd array of
 * malloc'd strings) and values[point * nlevers + lever]. Returns 1 when
 * read, 0 when the file has no /design, -1 with err on failure. Free with
 * h5in_free_design. */
int h5in_read_design(const char *path, char ***levers, int *nlevers, double **values,
                     uint32_t *npoints, char *err, size_t errlen);
void h5in_free_design(char **levers, int nlevers, double *values);

/* ---- parts (h5parts.h) ------------------------------------------------------ */

/* Sets the task range a file holds (a part's end is known when it closes). */
int h5out_set_range(struct h5out *h, uint64_t first, uint64_t end);
/* The run's only part, still open, becomes its results file as it is: what
 * h5parts_join with `adopt` makes of it, without a close, a copy and a
 * reopen. Sets its task range [first, end) and shard ("" when whole), and
 * path as where h5out_commit publishes it. -1 with h5out_error on failure. */
int h5out_become(struct h5out *h, const char *path, int force, uint64_t first, uint64_t end,
                 int whole);

#endif
