/* farm.c — the task grid over MPI ranks; see farm.h. */
#include "farm.h"

#ifndef INCUBSIM_MPI

void farm_init(int *argc, char ***argv) { (void)argc; (void)argv; }
void farm_finalize(void) {}
int  farm_rank(void) { return 0; }
int  farm_size(void) { return 1; }
int  farm_run(const struct grid *g, struct driver_stats *st) { return driver_run(g, st); }
int  farm_serve(const struct grid *g) { (void)g; return 0; }
void farm_stop(void) {}

#else

#include <mpi.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_TASKS = 1, TAG_RESULTS = 2, TAG_STOP = 3 };
enum { CHUNK_MAX = 4096 };
#define CHUNK_SECONDS 0.1

/* Set once in farm_init, read only after: which rank this is, how many. */
static int rank_, size_, stopped_;

void farm_init(int *argc, char ***argv)
{
    int ok;
    MPI_Initialized(&ok);
    if (!ok)
        MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    /* a failed call returns an error to report, not an abort without words */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

void farm_finalize(void)
{
    int ok, done;
    MPI_Initialized(&ok);
    MPI_Finalized(&done);
    if (ok && !done) {
        farm_stop();
        MPI_Finalize();
    }
}

int farm_rank(void) { return rank_; }
int farm_size(void) { return size_; }

void farm_stop(void)
{
    if (rank_ != 0 || stopped_)
        return;
    stopped_ = 1;
    for (int w = 1; w < size_; w++)
        MPI_Send(NULL, 0, MPI_BYTE, w, TAG_STOP, MPI_COMM_WORLD);
}

/* A task's result on the wire: this header, then `bytes` of packed result. */
struct wire {
    uint64_t index;
    uint32_t unit, rep;
    int32_t  status;
    double   wall;
    char     why[DRIVER_WHY_LEN];
    uint64_t bytes;
};

static struct task task_at(const struct grid *g, uint64_t k)
{
    uint32_t r = g->rep_from + (uint32_t)(k / g->nunits), i = (uint32_t)(k % g->nunits);
    return (struct task){ g->units ? g->units[i] : i, r, k };
}

int farm_serve(const struct grid *g)
{
    void *result = calloc(1, g->result_size), *scratch = calloc(1, g->scratch_size ? g->scratch_size : 1);
    struct task *tasks = malloc(CHUNK_MAX * sizeof *tasks);
    size_t cap = 1 << 20, used;
    char *out = malloc(cap);
    int rc = result && scratch && tasks && out ? 0 : -1;
    while (!rc) {
        MPI_Status st;
        if (MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st) != MPI_SUCCESS) {
            rc = -1;
            break;
        }
        if (st.MPI_TAG == TAG_STOP) {
            MPI_Recv(NULL, 0, MPI_BYTE, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            break;
        }
        int nbytes;
        MPI_Get_count(&st, MPI_BYTE, &nbytes);
        if (MPI_Recv(tasks, nbytes, MPI_BYTE, 0, TAG_TASKS, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE) != MPI_SUCCESS) {
            rc = -1;
            break;
        }
        used = 0;
        for (int i = 0; i < nbytes / (int)sizeof *tasks; i++) {
            struct wire w = { tasks[i].index, tasks[i].unit, tasks[i].rep, 0, 0, "", 0 };
            double t0 = driver_seconds();
            w.status = g->run(g->ctx, &tasks[i], scratch, result, w.why) ? TASK_FAILED : TASK_OK;
            if (w.status == TASK_FAILED && !w.why[0])
                snprintf(w.why, sizeof w.why, "failed");
            w.wall = driver_seconds() - t0;
            size_t need = g->pack(g->ctx, result, NULL, 0);
            while (used + sizeof w + need > cap) {
                char *n = realloc(out, cap *= 2);
                if (!n) {
                    rc = -1;
                    break;
                }
                out = n;
            }
            if (rc)
                break;
            w.bytes = need;
            memcpy(out + used, &w, sizeof w);
            g->pack(g->ctx, result, out + used + sizeof w, need);
            used += sizeof w + need;
        }
        if (!rc && MPI_Send(out, (int)used, MPI_BYTE, 0, TAG_RESULTS, MPI_COMM_WORLD) != MPI_SUCCESS)
            rc = -1;
    }
    if (g->result_free && result)
        g->result_free(g->ctx, result);
    free(result);
    free(scratch);
    free(tasks);
    free(out);
    return rc;
}

/* Results received ahead of their turn: a ring indexed by task index modulo
 * its capacity (a power of two, at least the tasks in flight). */
struct held {
    struct wire w;
    char       *bytes;
    int         have;
};

/* Makes room for index i (committed <= i); returns its slot or NULL. */
static struct held *hold(struct held **ring, size_t *cap, uint64_t committed, uint64_t i)
{
    while (i - committed >= *cap) {
        size_t ncap = 2 * *cap;
        struct held *n = calloc(ncap, sizeof *n);
        if (!n)
            return NULL;
        for (uint64_t k = committed; k < committed + *cap; k++)
            n[k & (ncap - 1)] = (*ring)[k & (*cap - 1)];
        free(*ring);
        *ring = n;
        *cap = ncap;
    }
    return &(*ring)[i & (*cap - 1)];
}

int farm_run(const struct grid *g, struct driver_stats *st)
{
    if (size_ < 2)
        return driver_run(g, st);
    memset(st, 0, sizeof *st);
    double t0 = driver_seconds();
    uint64_t all = (uint64_t)g->nunits * (g->rep_to > g->rep_from ? g->rep_to - g->rep_from : 0);
    uint64_t first = g->first < all ? g->first : all;
    uint64_t end = g->end && g->end < all ? g->end : all;
    if (end < first)
        end = first;
    uint64_t next = first, committed = first;
    int workers = size_ - 1, busy = 0, rc = DRIVER_OK;
    size_t hcap = 1024;
    struct held *held = calloc(hcap, sizeof *held);
    struct task *chunk = malloc(CHUNK_MAX * sizeof *chunk);
    void *result = calloc(1, g->result_size);
    double timed = 0;
    uint64_t ntimed = 0;
    if (!held || !chunk || !result)
        rc = DRIVER_NO_MEMORY;
    /* each worker starts with one task, so the first results size the chunks */
    for (int w = 1; !rc && w <= workers && next < end; w++) {
        struct task t = task_at(g, next++);
        if (MPI_Send(&t, sizeof t, MPI_BYTE, w, TAG_TASKS, MPI_COMM_WORLD) != MPI_SUCCESS)
            rc = DRIVER_STOPPED;
        busy++;
    }
    while (busy > 0) {
        MPI_Status ms;
        int e, flag = 0;
        /* poll gently: a blocking probe spins a core the workers need */
        while ((e = MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULTS, MPI_COMM_WORLD, &flag, &ms)) ==
                   MPI_SUCCESS && !flag) {
            struct timespec nap = { 0, 50000 };
            nanosleep(&nap, NULL);
        }
        if (e != MPI_SUCCESS) {
            char s[MPI_MAX_ERROR_STRING];
            int len;
            MPI_Error_string(e, s, &len);
            fprintf(stderr, "\nincubsim: a worker rank failed (%s); the tasks committed so "
                    "far are kept\n", s);
            rc = DRIVER_STOPPED;
            break;
        }
        int nbytes, src = ms.MPI_SOURCE;
        MPI_Get_count(&ms, MPI_BYTE, &nbytes);
        char *buf = malloc((size_t)nbytes + 1);
        if (!buf || MPI_Recv(buf, nbytes, MPI_BYTE, src, TAG_RESULTS, MPI_COMM_WORLD,
                             MPI_STATUS_IGNORE) != MPI_SUCCESS) {
            fprintf(stderr, "\nincubsim: lost the results of rank %d\n", src);
            free(buf);
            rc = DRIVER_STOPPED;
            break;
        }
        busy--;
        /* file each result under its index */
        for (size_t at = 0; at + sizeof(struct wire) <= (size_t)nbytes;) {
            struct wire w;
            memcpy(&w, buf + at, sizeof w);
            at += sizeof w;
            struct held *h = w.index >= committed ? hold(&held, &hcap, committed, w.index) : NULL;
            if (!h) {
                rc = DRIVER_NO_MEMORY;
                break;
            }
            h->w = w;
            h->bytes = malloc(w.bytes ? w.bytes : 1);
            if (h->bytes)
                memcpy(h->bytes, buf + at, w.bytes);
            h->have = 1;
            at += w.bytes;
            timed += w.wall;
            ntimed++;
        }
        free(buf);
        /* commit what is now in order */
        while (!rc && held[committed & (hcap - 1)].have) {
            struct held *h = &held[committed & (hcap - 1)];
            struct task t = { h->w.unit, h->w.rep, h->w.index };
            if (!h->bytes || g->unpack(g->ctx, result, h->bytes, h->w.bytes)) {
                rc = DRIVER_NO_MEMORY;
                break;
            }
            struct task_done d = { &t, h->w.status, h->w.why, result, h->w.wall };
            st->failed += h->w.status == TASK_FAILED;
            if (g->commit(g->ctx, &d))
                rc = DRIVER_STOPPED;
            free(h->bytes);
            memset(h, 0, sizeof *h);
            committed++;
            if (!rc) {
                st->done++;
                if (g->progress)
                    progress_step(g->progress);
            }
        }
        if (!rc && g->interrupted && *g->interrupted)
            rc = DRIVER_INTERRUPTED;
        /* the worker that answered gets the next chunk: ~0.1 s of work */
        if (!rc && next < end) {
            double mean = ntimed ? timed / (double)ntimed : 0;
            uint64_t n = mean > 0 ? (uint64_t)(CHUNK_SECONDS / mean) : 1;
            if (n < 1) n = 1;
            if (n > CHUNK_MAX) n = CHUNK_MAX;
            /* no worker idles at the end: at most a fair share of what is left */
            uint64_t share = (end - next + (uint64_t)workers - 1) / (uint64_t)workers;
            if (n > share) n = share > 0 ? share : 1;
            if (n > end - next) n = end - next;
            for (uint64_t i = 0; i < n; i++)
                chunk[i] = task_at(g, next++);
            if (MPI_Send(chunk, (int)(n * sizeof *chunk), MPI_BYTE, src, TAG_TASKS,
                         MPI_COMM_WORLD) != MPI_SUCCESS)
                rc = DRIVER_STOPPED;
            else
                busy++;
        }
    }
    for (size_t i = 0; held && i < hcap; i++)
        free(held[i].bytes);
    if (g->result_free && result)
        g->result_free(g->ctx, result);
    free(result);
    free(held);
    free(chunk);
    st->wall_seconds = driver_seconds() - t0;
    return rc;
}

#endif
