/* experiment.h — the experiment file (README "Experiments"): a base
 * scenario, levers by setting path, a design, KPIs and, for `size`, a
 * target; and the job it makes. Shared by sweep, size and sensitivity.
 *
 * The file is read by the settings engine (models/settings.h) through
 * experiment_table in experiment.c: the same dialect as a scenario
 * (@include, comments, 64-bit integers), the same messages
 * ("file:line: path: why", "did you mean"), every field checked as its type
 * says (an integer field refuses 2.5; a real field takes 3). Errors name
 * the path as --set spells it: levers.policy.landing_award.max.
 *
 * Adding a key (psa, calibrate, cost/effect ...): a field below in the
 * "read from the file" part, a spec in experiment_specs[] (experiment.c), a
 * K_ value in enum exp_key and its commands in key_commands[] (which
 * commands accept it; any other refuses it at its line), and any
 * cross-check in experiment_check(). Nested groups and lists get their own
 * table (see lever_table, target_table), with their own check.
 *
 * Ownership: a struct experiment is a plain value (no pointers into it
 * outlive experiment_load but levers, which the job borrows). */
#ifndef INCUBSIM_MAIN_EXPERIMENT_H
#define INCUBSIM_MAIN_EXPERIMENT_H

#include "job.h"
#include "../design.h"
#include "../sensitivity.h"

#include <stdio.h>

#define EXP_MAX_KPIS 16
#define EXP_PATH_LEN 4096

enum design_kind { DESIGN_GRID, DESIGN_LHS, DESIGN_SOBOL, DESIGN_SALTELLI, DESIGN_MORRIS };

/* The top-level keys, in experiment_specs[] order: given[K] is 1 when the
 * file (or one it includes) gives key K. */
enum exp_key { K_NAME, K_SCENARIO, K_REPLICATIONS, K_LEVERS, K_DESIGN, K_KPIS, K_TARGET,
               K_SCENARIOS, K_DRAWS, K_VALUE_PER_EFFECT, K_POSTERIOR, K_TARGETS, K_METHOD,
               K_WAVES, K_CUT, K_COUNT };

#define EXP_MAX_SCENARIOS 32
#define EXP_MAX_TARGETS   16
#define EXP_SCENARIO_LEN  1024

enum calib_method { CALIB_HISTORY_MATCHING };

/* A calibration target: an observed figure of a KPI and how sure it is. */
struct calib_target {
    char   kpi_name[SET_NAME_LEN];
    double value, sd;            /* observation and its standard deviation */
    char   source[320];
    int    kpi;                  /* derived: index into kpi_descs */
};

struct experiment {
    /* ---- read from the file (experiment_table) ---- */
    char     name[SET_NAME_LEN];
    char     scenario[EXP_PATH_LEN];   /* as written; then resolved against the file's folder */
    long     replications;
    struct lever levers[MAX_LEVERS];
    int      nlevers;
    struct {
        int  kind;                     /* enum design_kind */
        long points, levels, bootstrap;
    } design;
    char     kpi_names[EXP_MAX_KPIS][SET_NAME_LEN];
    int      nkpi_names;
    struct {
        char   kpi_name[SET_NAME_LEN];
        double least, most;            /* at_least / at_most; NaN when not given */
        double confidence, tolerance;
        long   max_replications;
        /* derived */
        int    kpi, at_most;           /* kpi: index into kpi_descs */
        double value;                  /* the bound given */
    } target;
    /* psa (DESIGN.md §10) */
    char     scenarios[EXP_MAX_SCENARIOS][EXP_SCENARIO_LEN];   /* the options; resolved */
    int      nscenarios;
    long     draws;
    double   value_per_effect[2];      /* lambda's range for /ceac and /evppi */
    int      nvalue_per_effect;
    char     posterior[EXP_PATH_LEN];  /* "": draw from the priors; resolved */
    /* calibrate */
    struct calib_target targets[EXP_MAX_TARGETS];
    int      ntargets;
    int      method;                   /* enum calib_method */
    long     waves;
    double   cut;
    int      given[K_COUNT];
    /* ---- set before reading, or derived ---- */
    enum command cmd;                  /* which keys, designs and defaults apply */
    char     file[EXP_PATH_LEN];
    int      kpi[EXP_MAX_KPIS];
    int      nkpis;
};

/* Loads an experiment for command cmd (which designs and settings apply).
 * Returns an exit code, with a message naming file and line. */
int experiment_load(const char *path, enum command cmd, struct experiment *e);
/* Loads its base scenario (with o's --set) into j and resolves the levers,
 * checking each lever's range against its setting before anything runs.
 * Replications: -r when given, else the file's. Returns an exit code. */
int experiment_job(struct experiment *e, struct opts *o, struct job *j);
/* A unit-cube point's lever values: min + u (max - min). */
void experiment_values(const struct experiment *e, const double *u, double *values);

/* Its KPIs as a comma-separated list, in buf[n]. */
char *experiment_kpi_list(const struct experiment *e, char *buf, size_t n);
/* Prints a warning line for each lever whose instrument's envelope (or the
 * fund's budget, or the cap) refused payments at some point of the results
 * (its binding_* KPI above 0): there the lever's effect is capped, and a
 * sweep, size or sensitivity index measures rationing. Returns how many. */
int experiment_warn_binding(FILE *out, const struct experiment *e, const struct summary *sum);

#endif
