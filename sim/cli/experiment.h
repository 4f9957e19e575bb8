/* experiment.h — the experiment file (README "Experiments"): a base
 * scenario, levers by setting path, a design, KPIs and, for `size`, a
 * target; and the job it makes. Shared by sweep, size and sensitivity. */
#ifndef INCUBSIM_MAIN_EXPERIMENT_H
#define INCUBSIM_MAIN_EXPERIMENT_H

#include "job.h"
#include "../design.h"
#include "../sensitivity.h"

#define EXP_MAX_KPIS 16

enum design_kind { DESIGN_GRID, DESIGN_LHS, DESIGN_SOBOL, DESIGN_SALTELLI, DESIGN_MORRIS };

struct experiment {
    char     file[4096];
    char     name[48];
    char     scenario[4096];      /* resolved against the experiment's folder */
    uint32_t replications;
    struct lever levers[MAX_LEVERS];
    int      nlevers;
    int      kind;                /* enum design_kind */
    int      points, levels, bootstrap;
    int      kpi[EXP_MAX_KPIS];
    int      nkpis;
    struct {
        int      kpi, at_most, given;
        double   value, confidence, tolerance;
        uint32_t max_replications;
    } target;
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

#endif
