/* model_util.h — helpers the model's tests share: load a scenario or die,
 * a scenario built from a core and overrides, a sink that keeps every project
 * row of a run, Erlang C and B. */
#ifndef INCUBSIM_TEST_MODEL_UTIL_H
#define INCUBSIM_TEST_MODEL_UTIL_H

#include "../models/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

/* A constructed scenario: `core` is written once to a file (so `extra` can
 * repeat its groups: a later @include'd group is overridden, not refused),
 * then `extra` overrides it. Call constructed_done() at the end to remove the
 * file. */
struct constructed {
    const char *core;
    const char *tag;   /* names the file: /tmp/incubsim_TAG_PID.cfg */
    char path[64];
};

/* NULL, with the refusal in d->msg, when the scenario does not load. */
static inline struct scenario *constructed_try(struct constructed *c, const char *extra,
                                               struct diag *d)
{
    char text[8192];
    if (!c->path[0]) {
        snprintf(c->path, sizeof c->path, "/tmp/incubsim_%s_%ld.cfg", c->tag, (long)getpid());
        FILE *f = fopen(c->path, "w");
        if (!f || fputs(c->core, f) < 0 || fclose(f)) {
            printf("cannot write %s\n", c->path);
            exit(1);
        }
    }
    snprintf(text, sizeof text, "@include \"%s\"\n%s", c->path, extra);
    struct scenario *sc = malloc(sizeof *sc);
    settings_defaults(&scenario_table, sc);
    if (settings_load_string("constructed.cfg", text, &scenario_table, sc, d) ||
            scenario_finish(sc, "constructed.cfg", d)) {
        free(sc);
        return NULL;
    }
    return sc;
}

/* The same, exiting when the scenario does not load; the caller frees it. */
static inline struct scenario *constructed_make(struct constructed *c, const char *extra)
{
    struct diag d;
    struct scenario *sc = constructed_try(c, extra, &d);
    if (!sc) {
        printf("cannot build the scenario: %s\n", d.msg);
        exit(1);
    }
    return sc;
}

static inline void constructed_done(struct constructed *c)
{
    if (c->path[0])
        unlink(c->path);
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
