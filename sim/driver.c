/* driver.c — the task grid in canonical order; see driver.h. */
#include "driver.h"

#include <pthread.h>
#include <sched.h>
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

int driver_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

void driver_range(const struct grid *g, uint64_t *first, uint64_t *end)
{
    uint64_t all = (uint64_t)g->nunits * (g->rep_to > g->rep_from ? g->rep_to - g->rep_from : 0);
    *first = g->first < all ? g->first : all;
    *end = g->end && g->end < all ? g->end : all;
    if (*end < *first)
        *end = *first;
}

/* Replication-major: replication r of every unit before r + 1. */
struct task driver_task(const struct grid *g, uint64_t k)
{
    uint32_t r = g->rep_from + (uint32_t)(k / g->nunits), i = (uint32_t)(k % g->nunits);
    return (struct task){ g->units ? g->units[i] : i, r, k };
}

void driver_run_task(const struct grid *g, const struct task *t, void *scratch, void *result,
                     struct task_outcome *out)
{
    out->why[0] = '\0';
    double w0 = driver_seconds();
    int failed = g->run(g->ctx, t, scratch, result, out->why) != 0;
    if (failed && !out->why[0])
        snprintf(out->why, sizeof out->why, "failed");
    out->status = failed ? TASK_FAILED : TASK_OK;
    out->wall_seconds = driver_seconds() - w0;
}

int driver_commit(const struct grid *g, const struct task *t, const struct task_outcome *o,
                  const void *result, struct driver_stats *st)
{
    struct task_done d = { t, o->status, o->why, result, o->wall_seconds };
    st->failed += o->status == TASK_FAILED;
    if (g->commit(g->ctx, &d))
        return 1;
    st->done++;
    if (g->progress)
        progress_step(g->progress);
    return 0;
}

/* A result slot of the reorder buffer. */
struct slot {
    struct task         task;
    struct task_outcome out;
    int                 ready;
    void               *result;
};

struct pool {
    const struct grid *g;
    struct slot    *slots;
    size_t          nslots;
    uint64_t        first, total, next, committed;
    int             stop;
    pthread_mutex_t mu;
    pthread_cond_t  space, done;
};

static void *worker(void *arg)
{
    struct pool *p = arg;
    const struct grid *g = p->g;
    void *scratch = calloc(1, g->scratch_size ? g->scratch_size : 1);
    pthread_mutex_lock(&p->mu);
    if (!scratch)
        p->stop = DRIVER_NO_MEMORY;
    for (;;) {
        while (!p->stop && p->next < p->total && p->next - p->committed >= p->nslots)
            pthread_cond_wait(&p->space, &p->mu);
        if (p->stop || p->next >= p->total)
            break;
        uint64_t k = p->next++;
        struct slot *sl = &p->slots[k % p->nslots];
        pthread_mutex_unlock(&p->mu);
        sl->task = driver_task(g, p->first + k);
        driver_run_task(g, &sl->task, scratch, sl->result, &sl->out);
        pthread_mutex_lock(&p->mu);
        sl->ready = 1;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    free(scratch);
    return NULL;
}

static void free_slots(const struct grid *g, struct slot *slots, size_t n)
{
    for (size_t i = 0; slots && i < n; i++) {
        if (slots[i].result && g->result_free)
            g->result_free(g->ctx, slots[i].result);
        free(slots[i].result);
    }
    free(slots);
}

int driver_run(const struct grid *g, struct driver_stats *st)
{
    memset(st, 0, sizeof *st);
    double t0 = driver_seconds();
    uint64_t first, end;
    driver_range(g, &first, &end);
    uint64_t total = end - first;
    int threads = g->threads > 1 ? g->threads : 1;
    if ((uint64_t)threads > total)
        threads = total > 0 ? (int)total : 1;
    size_t nslots = threads > 1 ? 4 * (size_t)threads : 1;
    struct slot *slots = calloc(nslots, sizeof *slots);
    int rc = slots ? DRIVER_OK : DRIVER_NO_MEMORY;
    for (size_t i = 0; !rc && i < nslots; i++)
        if (!(slots[i].result = calloc(1, g->result_size ? g->result_size : 1)))
            rc = DRIVER_NO_MEMORY;
    if (!rc && threads == 1) {
        void *scratch = calloc(1, g->scratch_size ? g->scratch_size : 1);
        if (!scratch)
            rc = DRIVER_NO_MEMORY;
        for (uint64_t k = 0; !rc && k < total; k++) {
            if (g->interrupted && *g->interrupted) {
                rc = DRIVER_INTERRUPTED;
                break;
            }
            slots[0].task = driver_task(g, first + k);
            driver_run_task(g, &slots[0].task, scratch, slots[0].result, &slots[0].out);
            if (g->interrupted && *g->interrupted) {
                rc = DRIVER_INTERRUPTED;   /* the task in flight was cut short: not committed */
                break;
            }
            if (driver_commit(g, &slots[0].task, &slots[0].out, slots[0].result, st))
                rc = DRIVER_STOPPED;
        }
        free(scratch);
    } else if (!rc) {
        struct pool p = { .g = g, .slots = slots, .nslots = nslots, .first = first,
                          .total = total };
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.space, NULL);
        pthread_cond_init(&p.done, NULL);
        pthread_t *tid = calloc((size_t)threads, sizeof *tid);
        int started = 0;
        for (; tid && started < threads; started++)
            if (pthread_create(&tid[started], NULL, worker, &p))
                break;
        if (started == 0)
            rc = DRIVER_NO_MEMORY;
        /* the calling thread commits, in canonical order */
        for (uint64_t k = 0; !rc && k < total; k++) {
            struct slot *sl = &slots[k % nslots];
            pthread_mutex_lock(&p.mu);
            while (!sl->ready && !p.stop) {
                if (g->interrupted && *g->interrupted)
                    p.stop = DRIVER_INTERRUPTED;
                else {
                    /* wake at least every 0.1 s to see an interrupt */
                    struct timespec ts;
                    clock_gettime(CLOCK_REALTIME, &ts);
                    ts.tv_nsec += 100000000;
                    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
                    pthread_cond_timedwait(&p.done, &p.mu, &ts);
                }
            }
            if (p.stop) {
                rc = p.stop;
                pthread_mutex_unlock(&p.mu);
                break;
            }
            pthread_mutex_unlock(&p.mu);
            if (g->interrupted && *g->interrupted) {
                rc = DRIVER_INTERRUPTED;
                break;
            }
            if (driver_commit(g, &sl->task, &sl->out, sl->result, st)) {
                rc = DRIVER_STOPPED;
                break;
            }
            pthread_mutex_lock(&p.mu);
            sl->ready = 0;
            p.committed = k + 1;
            pthread_cond_broadcast(&p.space);
            pthread_mutex_unlock(&p.mu);
        }
        pthread_mutex_lock(&p.mu);
        if (!p.stop)
            p.stop = rc ? rc : -1;   /* done or stopped: the workers leave */
        pthread_cond_broadcast(&p.space);
        pthread_mutex_unlock(&p.mu);
        for (int i = 0; i < started; i++)
            pthread_join(tid[i], NULL);
        free(tid);
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.space);
        pthread_cond_destroy(&p.done);
    }
    free_slots(g, slots, slots ? nslots : 0);
    st->wall_seconds = driver_seconds() - t0;
    return rc;
}
