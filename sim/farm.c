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
int  farm_same(const void *bytes, size_t n, int *odd) { (void)bytes; (void)n; *odd = 0; return 0; }

#else

#include <mpi.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_TASKS = 1, TAG_RESULTS = 2, TAG_STOP = 3 };
enum { CHUNK_MAX = 4096 };
#define CHUNK_SECONDS 0.1

/* Which rank this is and how many (set once in farm_init, read only after),
 * and whether the workers were released (set once, by farm_stop on rank 0). */
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

int farm_same(const void *bytes, size_t n, int *odd)
{
    *odd = 0;
    if (size_ < 2)
        return 0;
    char *all = malloc(n * (size_t)size_);
    if (!all || MPI_Allgather(bytes, (int)n, MPI_BYTE, all, (int)n, MPI_BYTE,
                              MPI_COMM_WORLD) != MPI_SUCCESS) {
        free(all);
        *odd = -1;
        return -1;
    }
    for (int r = 1; r < size_ && !*odd; r++)
        if (memcmp(all, all + (size_t)r * n, n) != 0)
            *odd = r;
    free(all);
    return *odd ? -1 : 0;
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

/* The master's bookkeeping: results filed by index until their turn. */
struct master {
    const struct grid *g;
    struct held *held;
    size_t       hcap;
    uint64_t     next, end, committed;
    double       timed;          /* seconds of the tasks timed so far */
    uint64_t     ntimed;
    void        *result;         /* unpacked here to commit */
    struct driver_stats *st;
};

/* Files the packed results in buf (wire header + bytes, repeated). */
static int file_results(struct master *m, const char *buf, size_t nbytes)
{
    for (size_t at = 0; at + sizeof(struct wire) <= nbytes;) {
        struct wire w;
        memcpy(&w, buf + at, sizeof w);
        at += sizeof w;
        struct held *h = w.index >= m->committed ? hold(&m->held, &m->hcap, m->committed, w.index)
                                                 : NULL;
        if (!h || at + w.bytes > nbytes)
            return DRIVER_NO_MEMORY;
        h->w = w;
        h->bytes = malloc(w.bytes ? w.bytes : 1);
        if (!h->bytes)
            return DRIVER_NO_MEMORY;
        memcpy(h->bytes, buf + at, w.bytes);
        h->have = 1;
        at += w.bytes;
        m->timed += w.wall;
        m->ntimed++;
    }
    return DRIVER_OK;
}

/* Commits what is now in order. */
static int commit_ready(struct master *m)
{
    const struct grid *g = m->g;
    while (m->held[m->committed & (m->hcap - 1)].have) {
        struct held *h = &m->held[m->committed & (m->hcap - 1)];
        struct task t = { h->w.unit, h->w.rep, h->w.index };
        if (g->unpack(g->ctx, m->result, h->bytes, h->w.bytes))
            return DRIVER_NO_MEMORY;
        struct task_done d = { &t, h->w.status, h->w.why, m->result, h->w.wall };
        m->st->failed += h->w.status == TASK_FAILED;
        if (g->commit(g->ctx, &d))
            return DRIVER_STOPPED;
        free(h->bytes);
        memset(h, 0, sizeof *h);
        m->committed++;
        m->st->done++;
        if (g->progress)
            progress_step(g->progress);
    }
    return DRIVER_OK;
}

/* Runs one task on the master itself and packs it like a worker's result
 * (*out grows as needed). Returns the bytes, 0 when out of memory. */
static size_t run_here(const struct grid *g, const struct task *t, void *scratch, void *result,
                       char **out, size_t *cap)
{
    struct wire w = { t->index, t->unit, t->rep, 0, 0, "", 0 };
    double t0 = driver_seconds();
    w.status = g->run(g->ctx, t, scratch, result, w.why) ? TASK_FAILED : TASK_OK;
    if (w.status == TASK_FAILED && !w.why[0])
        snprintf(w.why, sizeof w.why, "failed");
    w.wall = driver_seconds() - t0;
    size_t need = g->pack(g->ctx, result, NULL, 0);
    while (sizeof w + need > *cap) {
        char *n = realloc(*out, *cap * 2);
        if (!n)
            return 0;
        *out = n;
        *cap *= 2;
    }
    w.bytes = need;
    memcpy(*out, &w, sizeof w);
    g->pack(g->ctx, result, *out + sizeof w, need);
    return sizeof w + need;
}

/* Rank 0 is a worker too: when no result is waiting it runs one task itself
 * (a replication, milliseconds), so `-np 2` computes on two ranks, not one.
 * Each worker rank keeps up to AHEAD chunks queued, so the next is already
 * there when it finishes one, even while the master is busy with its own
 * task; a chunk carries ~CHUNK_SECONDS of work, at most a fair share of
 * what is left (no rank idles at the end). */
enum { AHEAD = 2 };

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
    struct master m = { .g = g, .hcap = 1024, .next = first, .end = end, .committed = first,
                        .st = st };
    int workers = size_ - 1, busy = 0, rc = DRIVER_OK;
    int *queued = calloc((size_t)size_, sizeof *queued);
    m.held = calloc(m.hcap, sizeof *m.held);
    struct task *chunk = malloc(CHUNK_MAX * sizeof *chunk);
    m.result = calloc(1, g->result_size);
    void *mine = calloc(1, g->result_size), *scratch = calloc(1, g->scratch_size ? g->scratch_size : 1);
    size_t lcap = 1 << 16;
    char *lbuf = malloc(lcap);
    if (!queued || !m.held || !chunk || !m.result || !mine || !scratch || !lbuf)
        rc = DRIVER_NO_MEMORY;
    /* tops worker w up to AHEAD chunks; the first chunks are one task each,
     * so the first results size the rest */
    for (int round = 0; round < AHEAD; round++)
        for (int w = 1; !rc && w <= workers && m.next < end; w++) {
            struct task t = task_at(g, m.next++);
            if (MPI_Send(&t, sizeof t, MPI_BYTE, w, TAG_TASKS, MPI_COMM_WORLD) != MPI_SUCCESS)
                rc = DRIVER_STOPPED;
            queued[w]++;
            busy++;
        }
    while (!rc && m.committed < end) {
        MPI_Status ms;
        int e, flag = 0;
        if ((e = MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULTS, MPI_COMM_WORLD, &flag, &ms)) != MPI_SUCCESS) {
            char s[MPI_MAX_ERROR_STRING];
            int len;
            MPI_Error_string(e, s, &len);
            fprintf(stderr, "\nincubsim: a worker rank failed (%s); the tasks committed so "
                    "far are kept\n", s);
            rc = DRIVER_STOPPED;
            break;
        }
        if (flag) {
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
            queued[src]--;
            rc = file_results(&m, buf, (size_t)nbytes);
            free(buf);
            /* the worker that answered gets its queue topped up */
            while (!rc && queued[src] < AHEAD && m.next < end) {
                double mean = m.ntimed ? m.timed / (double)m.ntimed : 0;
                uint64_t n = mean > 0 ? (uint64_t)(CHUNK_SECONDS / mean) : 1;
                if (n < 1) n = 1;
                if (n > CHUNK_MAX) n = CHUNK_MAX;
                uint64_t ways = (uint64_t)workers * AHEAD + 1;   /* queues, and the master */
                uint64_t share = (end - m.next + ways - 1) / ways;
                if (n > share) n = share > 0 ? share : 1;
                if (n > end - m.next) n = end - m.next;
                for (uint64_t i = 0; i < n; i++)
                    chunk[i] = task_at(g, m.next++);
                if (MPI_Send(chunk, (int)(n * sizeof *chunk), MPI_BYTE, src, TAG_TASKS,
                             MPI_COMM_WORLD) != MPI_SUCCESS) {
                    rc = DRIVER_STOPPED;
                    break;
                }
                queued[src]++;
                busy++;
            }
        } else if (m.next < end) {
            struct task t = task_at(g, m.next++);
            size_t n = run_here(g, &t, scratch, mine, &lbuf, &lcap);
            if (g->interrupted && *g->interrupted)
                rc = DRIVER_INTERRUPTED;   /* the task was cut short: not committed */
            else
                rc = n ? file_results(&m, lbuf, n) : DRIVER_NO_MEMORY;
        } else {
            /* poll gently: a blocking probe spins a core the workers need */
            struct timespec nap = { 0, 50000 };
            nanosleep(&nap, NULL);
        }
        if (!rc)
            rc = commit_ready(&m);
        if (!rc && g->interrupted && *g->interrupted)
            rc = DRIVER_INTERRUPTED;
    }
    /* Stopped early: take in what the workers still owe (discarded), so none
     * is left blocked sending to a master that no longer listens. */
    for (double t1 = driver_seconds(); busy > 0 && driver_seconds() - t1 < 30;) {
        MPI_Status ms;
        int flag = 0, nbytes;
        if (MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULTS, MPI_COMM_WORLD, &flag, &ms) != MPI_SUCCESS)
            break;
        if (!flag) {
            struct timespec nap = { 0, 1000000 };
            nanosleep(&nap, NULL);
            continue;
        }
        MPI_Get_count(&ms, MPI_BYTE, &nbytes);
        char *buf = malloc((size_t)nbytes + 1);
        if (!buf || MPI_Recv(buf, nbytes, MPI_BYTE, ms.MPI_SOURCE, TAG_RESULTS, MPI_COMM_WORLD,
                             MPI_STATUS_IGNORE) != MPI_SUCCESS) {
            free(buf);
            break;
        }
        free(buf);
        busy--;
    }
    for (size_t i = 0; m.held && i < m.hcap; i++)
        free(m.held[i].bytes);
    if (g->result_free) {
        if (m.result)
            g->result_free(g->ctx, m.result);
        if (mine)
            g->result_free(g->ctx, mine);
    }
    free(m.result);
    free(mine);
    free(scratch);
    free(lbuf);
    free(m.held);
    free(chunk);
    free(queued);
    st->wall_seconds = driver_seconds() - t0;
    return rc;
}

#endif
