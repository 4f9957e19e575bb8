/* compare.h — the comparison table: per scenario each KPI's mean and 95% CI,
 * and the paired difference against the baseline with its CI, marked `*`
 * where the interval excludes 0. Fits 100 columns; CSV for machines. */
#ifndef INCUBSIM_COMPARE_H
#define INCUBSIM_COMPARE_H

#include <stdio.h>

#include "decision.h"
#include "summary.h"

/* The KPIs shown when none are asked for. */
extern const char *const compare_default_kpis;

/* Checks a --kpi list before any work is done. Returns 0, or -1 with a
 * message on stderr naming the unknown KPI and the known ones. */
int compare_check_kpis(const char *kpis);

/* kpis: comma-separated names, or NULL for the default. Returns 0, or -1
 * with a message on stderr for an unknown KPI name. */
int compare_print(FILE *out, const struct summary *s, const char *kpis, int csv);

/* A sweep's table: per KPI, one line per design point with the levers'
 * values (values[point * nlevers + lever]), the mean and its 95% CI; or CSV.
 * kpis as above (NULL: the default). Returns 0, or -1 for an unknown KPI. */
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
