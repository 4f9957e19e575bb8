/* model_util.h — helpers the model's tests share: load a scenario or die,
 * and a sink that keeps every project row of a run. */
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

#endif
