/* answer.h — what an experiment answers, printed the same way when it is
 * found (`size`, `sensitivity`) and when `compare` reprints it from the
 * results file: the sizing answer with its interval, status and evidence;
 * the sensitivity indices. Both fit 80 columns. */
#ifndef INCUBSIM_ANSWER_H
#define INCUBSIM_ANSWER_H

#include <stddef.h>
#include <stdio.h>

#include "../sim/sizing.h"
#include "h5out.h"

struct answer_sizing {
    char   lever[128], kpi[48];
    int    at_most;
    double target, confidence, tolerance;
    double hi;                     /* the lever's maximum (for "not met") */
    unsigned max_n;                /* 0: not known */
    double lo;                     /* the lever's minimum (the price's comparator) */
    /* the answer's price (DESIGN.md §9), when has_price */
    int    has_price;
    char   cost_kpi[48], effect_kpi[48];
    double cost_at_answer, cpe, cpe_low, cpe_high;   /* cpe: cost per extra effect */
    /* size --robust (res.robust > 0): replications per draw, and where the
     * draws came from ("prior", or the posterior file) */
    unsigned reps_per_draw;
    char   assumptions[4096];
    struct size_result res;
};

void answer_print_sizing(FILE *out, const struct answer_sizing *a);
/* rows as h5out_sensitivity writes them, grouped by KPI. */
void answer_print_sensitivity(FILE *out, const struct h5_sensitivity_row *rows, size_t n);

/* From a results file: 1 read, 0 the file has no such table, -1 with err. */
int answer_read_sizing(const char *path, struct answer_sizing *a, char *err, size_t errlen);
/* *rows malloc'd (free it). */
int answer_read_sensitivity(const char *path, struct h5_sensitivity_row **rows, size_t *n,
                            char *err, size_t errlen);

#endif
