/* driver.c — the task grid in canonical order; see driver.h. */
#include "driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double driver_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- progress ----------------------------------------------------------------- */

void progress_start(struct progress *p, const char *label, int quiet)
{
    memset(p, 0, sizeof *p);
    p->label = label;
    p->quiet = quiet || !isatty(STDERR_FILENO);
    p->t0 = driver_seconds();
}

void progress_plan(struct progress *p, uint64_t more)
{
    p->planned += more;
}

static void draw(struct progress *p, double now)
{
    enum { WIDTH = 30 };
    uint64_t total = p->planned > p->done ? p->planned : p->done;
    int fill = total ? (int)(WIDTH * p->done / total) : 0;
    double spent = now - p->t0;
    double eta = p->done ? spent * (double)(total - p->done) / (double)p->done : 0;
    fprintf(stderr, "\r[%.*s%*s] %llu/%llu %s, %.0f s, %.0f s left  ", fill,
            "##############################", WIDTH - fill, "", (unsigned long long)p->done,
            (unsigned long long)total, p->label, spent, eta);
    p->drawn = now;
}

void progress_step(struct progress *p)
{
    p->done++;
    if (p->quiet)
        return;
    double now = driver_seconds();
    if (now - p->drawn >= 0.1)
        draw(p, now);
}

void progress_end(struct progress *p)
{
    if (p->quiet)
        return;
    draw(p, driver_seconds());
    fputc('\n', stderr);
}

/* ---- the grid ----------------------------------------------------------------- */

int driver_run(const struct grid *g, struct driver_stats *st)
{
    memset(st, 0, sizeof *st);
    double t0 = driver_seconds();
    void *result = malloc(g->result_size ? g->result_size : 1);
    void *scratch = calloc(1, g->scratch_size ? g->scratch_size : 1);
    if (!result || !scratch) {
        free(result);
        free(scratch);
        return DRIVER_NO_MEMORY;
    }
    int rc = DRIVER_OK;
    uint64_t index = 0;
    for (uint32_t r = g->rep_from; r < g->rep_to && rc == DRIVER_OK; r++)
        for (uint32_t k = 0; k < g->nunits; k++, index++) {
            if (g->interrupted && *g->interrupted) {
                rc = DRIVER_INTERRUPTED;
                break;
            }
            struct task t = { g->units ? g->units[k] : k, r, index };
            char why[DRIVER_WHY_LEN] = "";
            double w0 = driver_seconds();
            int failed = g->run(g->ctx, &t, scratch, result, why) != 0;
            if (failed && !why[0])
                snprintf(why, sizeof why, "failed");
            struct task_done d = { &t, failed ? TASK_FAILED : TASK_OK, why, result,
                                   driver_seconds() - w0 };
            st->failed += (uint64_t)failed;
            if (g->commit(g->ctx, &d)) {
                rc = DRIVER_STOPPED;
                break;
            }
            st->done++;
            if (g->progress)
                progress_step(g->progress);
        }
    st->wall_seconds = driver_seconds() - t0;
    free(result);
    free(scratch);
    return rc;
}
