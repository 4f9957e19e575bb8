/* compare.h — the comparison table: per scenario (and design point) each
 * KPI's mean and 95% CI, and the paired difference against the baseline with
 * its CI, marked `*` where the interval excludes 0. Fits 80 columns (a name
 * wider than 30 gets a line of its own, never cut); CSV for machines, every
 * number with 17 significant digits (it reads back to the same double). */
#ifndef INCUBSIM_COMPARE_H
#define INCUBSIM_COMPARE_H

#include <stdio.h>

#include "decision.h"
#include "summary.h"

/* The KPIs shown when none are asked for. */
extern const char *const compare_default_kpis;

/* Checks a --kpi list before any work is done. Returns 0, or -1 with a
 * message on stderr: an unknown KPI (naming the known ones), or a list over
 * 2 KB. */
int compare_check_kpis(const char *kpis);

/* kpis: comma-separated names, or NULL for the default. Returns 0, or -1
 * with a message on stderr for a list compare_check_kpis refuses. A write
 * error on `out` is not reported here: the caller checks the stream. */
int compare_print(FILE *out, const struct summary *s, const char *kpis, int csv);

/* A sweep's table: per KPI, one line per design point with the first three
 * levers' values (x1..x3, named in a legend; the others in the CSV only),
 * the mean and its 95% CI; or CSV with every lever. values[point * nlevers +
 * lever]; a run whose point is not below npoints is left out. kpis as above
 * (NULL: the default). Returns 0, or -1 as compare_print. */
int compare_print_points(FILE *out, const struct summary *s, const char *const *levers,
                         int nlevers, const double *values, uint32_t npoints, const char *kpis,
                         int csv);

/* The decision table (output/decision.h, after decision_compute) in words a
 * planner reads, 80 columns: per scenario against the reference, "+X
 * landings [lo, hi] for +Y yuan [lo, hi], Z yuan per extra landing [lo, hi];
 * on the frontier", the net benefit when a value per effect was given, then
 * the sequential ICERs along the frontier. */
void compare_print_decision(FILE *out, const struct decision *d);
/* What one unit of effect KPI k is called ("landing", "landings"). */
void compare_effect_words(size_t k, const char **one, const char **many);
/* Money as a planner reads it: 1.27e9, 15.0e6, 0.66e6, 8,100 (three significant
 * digits); NaN is "-". */
void compare_money(char *buf, size_t n, double v, int sign);
/* A cost in its KPI's unit: money as above when the unit is yuan, else three
 * significant digits. */
void compare_cost(char *buf, size_t n, double v, int sign, const char *unit);

#endif
