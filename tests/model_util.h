/* model_util.h — helpers the model's tests share: load a scenario or die,
 * a sink that keeps every project row of a run, Erlang C. */
#ifndef INCUBSIM_TEST_MODEL_UTIL_H
#define INCUBSIM_TEST_MODEL_UTIL_H

#include "../models/model.h"

#include <stdio.h>
#include <stdlib.h>

/* A scenario file, loaded and finished; the caller frees it. Exits on error. */
static inline struct scenario *load(const char *path)
{
    struct scenario *sc = malloc(sizeof *sc);
    struct diag d;
    if (!sc || scenario_load(path, sc, &d)) {
        printf("cannot load %s: %s\n", path, sc ? d.msg : "out of memory");
        exit(1);
    }
    return sc;
}

/* Every project row of a run (rows owned by the caller: free(s.rows)). */
struct seen {
    struct project_row *rows;
    size_t n, cap;
};

static inline int collect(void *ctx, const struct project_row *r)
{
    struct seen *s = ctx;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 1024;
        s->rows = realloc(s->rows, s->cap * sizeof *s->rows);
        if (!s->rows)
            exit(1);
    }
    s->rows[s->n++] = *r;
    return 0;
}

/* Erlang C: mean wait in queue of an M/M/s queue with arrival rate lam and
 * mean service time m (test_model.c: one class; test_outbound.c: two classes
 * of the same service law, whose FIFO waits are those of their sum). */
static inline double erlang_c_wait(double lam, double m, int s)
{
    double a = lam * m, term = 1.0, sum = 0.0;
    for (int k = 0; k < s; k++) {
        sum += term;
        term *= a / (k + 1);
    }
    double last = term * s / (s - a);           /* a^s/s! * 1/(1-rho) */
    double pw = last / (sum + last);
    return pw * m / (s - a);
}

/* Erlang B: the share of arrivals turned away by an M/M/s/s loss system
 * (offered load a = arrival rate x mean service time). */
static inline double erlang_b(double a, int s)
{
    double b = 1.0;
    for (int k = 1; k <= s; k++)
        b = a * b / (k + a * b);
    return b;
}

#endif
