/* farm.c — the task grid over MPI ranks; see farm.h. */
#include "farm.h"

#ifndef INCUBSIM_MPI

void farm_init(int *argc, char ***argv) { (void)argc; (void)argv; }
void farm_finalize(void) {}
int  farm_rank(void) { return 0; }
int  farm_size(void) { return 1; }
int  farm_run(const struct grid *g, struct driver_stats *st, uint64_t *by_rank)
{
    int rc = driver_run(g, st);
    if (by_rank)
        by_rank[0] += st->done;
    return rc;
}
int  farm_serve(const struct grid *g) { (void)g; return 0; }
void farm_stop(void) {}
int  farm_same(const void *bytes, size_t n, int *odd) { (void)bytes; (void)n; *odd = 0; return 0; }

#else

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TAG_TASKS = 1, TAG_RESULTS = 2, TAG_STOP = 3 };
enum { CHUNK_MAX = 4096 };   /* tasks in one chunk */
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
    uint64_t            index;
    uint32_t            unit, rep;
    struct task_outcome out;
    uint64_t            bytes;
};

/* Waiting without spinning. Open MPI's blocking calls (MPI_Probe, MPI_Recv,
 * MPI_Send, MPI_Wait on a message not yet matched) poll the shared-memory
 * queues at full speed, so a rank that waits in one burns its core; a rank
 * here waits by MPI_Iprobe and naps that start at 20 us and double up to 1 ms
 * (latency at most 1 ms against chunks of ~100 ms of work). */
static void nap(long *ns)
{
    *ns = *ns < 20000 ? 20000 : *ns < 1000000 ? 2 * *ns : 1000000;
    struct timespec t = { 0, *ns };
    nanosleep(&t, NULL);
}

/* Waits for a message from `src` with `tag` (ANY allowed); 0, or -1 when MPI failed. */
static int await(int src, int tag, MPI_Status *st)
{
    for (long ns = 0;;) {
        int flag = 0;
        if (MPI_Iprobe(src, tag, MPI_COMM_WORLD, &flag, st) != MPI_SUCCESS)
            return -1;
        if (flag)
            return 0;
        nap(&ns);
    }
}

/* Waits for a request (a send) to complete, the same way; 0 or -1. */
static int await_request(MPI_Request *r)
{
    for (long ns = 0;;) {
        int flag = 0;
        if (MPI_Test(r, &flag, MPI_STATUS_IGNORE) != MPI_SUCCESS)
            return -1;
        if (flag)
            return 0;
        nap(&ns);
    }
}

/* Appends one task's wire header and packed result to *buf (grown as needed).
 * Returns 0, or -1 when out of memory. */
static int put_result(const struct grid *g, const struct task *t, const struct task_outcome *o,
                      const void *result, char **buf, size_t *cap, size_t *used)
{
    struct wire w;
    memset(&w, 0, sizeof w);   /* padding too: the bytes go on the wire */
    w.index = t->index;
    w.unit = t->unit;
    w.rep = t->rep;
    w.out = *o;
    w.bytes = g->pack(g->ctx, result, NULL, 0);
    size_t need = *used + sizeof w + w.bytes;
    if (need > *cap) {
        size_t ncap = *cap ? *cap : 1 << 16;
        while (ncap < need)
            ncap *= 2;
        char *n = realloc(*buf, ncap);
        if (!n)
            return -1;
        *buf = n;
        *cap = ncap;
    }
    memcpy(*buf + *used, &w, sizeof w);
    g->pack(g->ctx, result, *buf + *used + sizeof w, w.bytes);
    *used = need;
    return 0;
}

/* A worker's results of one chunk, sent without waiting (MPI_Isend): the
 * rank computes its next chunk while the master takes these in. A buffer is
 * reused once its send is done; when none is (a master busy with a long task
 * of its own), another is added: at most the chunks queued, AHEAD. */
struct outbox {
    char       *buf;
    size_t      cap;
    MPI_Request req;
};

/* A buffer whose send is done, or a new one; NULL when out of memory. */
static struct outbox *free_box(struct outbox **box, int *n)
{
    for (int i = 0; i < *n; i++) {
        int flag = 0;
        if (MPI_Test(&(*box)[i].req, &flag, MPI_STATUS_IGNORE) == MPI_SUCCESS && flag)
            return &(*box)[i];
    }
    struct outbox *nb = realloc(*box, (size_t)(*n + 1) * sizeof *nb);
    if (!nb)
        return NULL;
    *box = nb;
    nb[*n] = (struct outbox){ NULL, 0, MPI_REQUEST_NULL };
    return &nb[(*n)++];
}

int farm_serve(const struct grid *g)
{
    void *result = calloc(1, g->result_size ? g->result_size : 1);
    void *scratch = calloc(1, g->scratch_size ? g->scratch_size : 1);
    struct task *tasks = NULL;
    size_t tcap = 0;
    struct outbox *box = NULL;
    int nbox = 0, rc = result && scratch ? 0 : -1;
    while (!rc) {
        MPI_Status st;
        if (await(0, MPI_ANY_TAG, &st)) {
            rc = -1;
            break;
        }
        if (st.MPI_TAG == TAG_STOP) {
            MPI_Recv(NULL, 0, MPI_BYTE, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            break;
        }
        int nbytes;
        MPI_Get_count(&st, MPI_BYTE, &nbytes);
        size_t n = (size_t)nbytes / sizeof *tasks;
        if (n > tcap) {
            struct task *t = realloc(tasks, n * sizeof *t);
            if (!t) {
                rc = -1;
                break;
            }
            tasks = t;
            tcap = n;
        }
        if (MPI_Recv(tasks, nbytes, MPI_BYTE, 0, TAG_TASKS, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE) != MPI_SUCCESS) {
            rc = -1;
            break;
        }
        struct outbox *b = free_box(&box, &nbox);
        if (!b) {
            rc = -1;
            break;
        }
        size_t used = 0;
        for (size_t i = 0; !rc && i < n; i++) {
            struct task_outcome o;
            driver_run_task(g, &tasks[i], scratch, result, &o);
            rc = put_result(g, &tasks[i], &o, result, &b->buf, &b->cap, &used);
            for (int k = 0; k < nbox; k++) {   /* lets sends in flight progress, no wait */
                int flag;
                MPI_Test(&box[k].req, &flag, MPI_STATUS_IGNORE);
            }
        }
        if (!rc && MPI_Isend(b->buf, (int)used, MPI_BYTE, 0, TAG_RESULTS, MPI_COMM_WORLD,
                             &b->req) != MPI_SUCCESS)
            rc = -1;
    }
    /* the master takes in every result before it says stop */
    for (int i = 0; i < nbox; i++) {
        if (box[i].req != MPI_REQUEST_NULL)
            await_request(&box[i].req);
        free(box[i].buf);
    }
    free(box);
    if (g->result_free && result)
        g->result_free(g->ctx, result);
    free(result);
    free(scratch);
    free(tasks);
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

/* Rank 0 is a worker too: when no result is waiting it runs one task itself
 * (a replication, milliseconds), so `-np 2` computes on two ranks, not one.
 * Each worker rank keeps up to AHEAD chunks queued, so the next is already
 * there when it finishes one, even while the master is busy with its own
 * task; a chunk carries ~CHUNK_SECONDS of work, at most a fair share of
 * what is left (no rank idles at the end). Chunks go out by MPI_Isend (a big
 * chunk must not hold the master until the worker looks), from a buffer per
 * queue place, reused when the chunk it held has been answered. */
enum { AHEAD = 3 };

struct feed {
    int          queued;           /* chunks sent, not yet answered */
    unsigned     sent;             /* chunks sent so far: the next buffer is sent % AHEAD */
    struct task *buf[AHEAD];
    size_t       cap[AHEAD];
    MPI_Request  req[AHEAD];
};

/* The master's bookkeeping: results filed by index until their turn. */
struct master {
    const struct grid *g;
    struct held *held;
    size_t       hcap;
    uint64_t     next, end, committed;
    double       timed;          /* seconds of the tasks timed so far */
    uint64_t     ntimed;
    int          workers, busy;  /* busy: chunks out, not yet answered */
    struct feed *feed;           /* [rank] */
    void        *result;         /* unpacked here to commit */
    struct driver_stats *st;
};

/* Files the packed results in buf (wire header + bytes, repeated); *n counts them. */
static int file_results(struct master *m, const char *buf, size_t nbytes, uint64_t *n)
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
        m->timed += w.out.wall_seconds;
        m->ntimed++;
        ++*n;
    }
    return DRIVER_OK;
}

/* Commits what is now in order, through the driver's commit. */
static int commit_ready(struct master *m)
{
    const struct grid *g = m->g;
    while (m->held[m->committed & (m->hcap - 1)].have) {
        struct held *h = &m->held[m->committed & (m->hcap - 1)];
        struct task t = { h->w.unit, h->w.rep, h->w.index };
        if (g->unpack(g->ctx, m->result, h->bytes, h->w.bytes))
            return DRIVER_NO_MEMORY;
        if (driver_commit(g, &t, &h->w.out, m->result, m->st))
            return DRIVER_STOPPED;
        free(h->bytes);
        memset(h, 0, sizeof *h);
        m->committed++;
    }
    return DRIVER_OK;
}

/* Sends worker w its next chunk of n tasks, in canonical order. */
static int send_chunk(struct master *m, int w, uint64_t n)
{
    struct feed *f = &m->feed[w];
    int k = (int)(f->sent % AHEAD);
    /* this buffer's chunk was answered (queued < AHEAD), so its send is done */
    if (await_request(&f->req[k]))
        return DRIVER_STOPPED;
    if (n > f->cap[k]) {
        struct task *b = realloc(f->buf[k], n * sizeof *b);
        if (!b)
            return DRIVER_NO_MEMORY;
        f->buf[k] = b;
        f->cap[k] = n;
    }
    for (uint64_t i = 0; i < n; i++)
        f->buf[k][i] = driver_task(m->g, m->next++);
    if (MPI_Isend(f->buf[k], (int)(n * sizeof *f->buf[k]), MPI_BYTE, w, TAG_TASKS,
                  MPI_COMM_WORLD, &f->req[k]) != MPI_SUCCESS)
        return DRIVER_STOPPED;
    f->sent++;
    f->queued++;
    m->busy++;
    return DRIVER_OK;
}

/* Tops worker w's queue up to AHEAD chunks of ~CHUNK_SECONDS each. */
static int top_up(struct master *m, int w)
{
    int rc = DRIVER_OK;
    while (!rc && m->feed[w].queued < AHEAD && m->next < m->end) {
        double mean = m->ntimed ? m->timed / (double)m->ntimed : 0;
        uint64_t n = mean > 0 ? (uint64_t)(CHUNK_SECONDS / mean) : 1;
        if (n < 1) n = 1;
        if (n > CHUNK_MAX) n = CHUNK_MAX;
        uint64_t ways = (uint64_t)m->workers * AHEAD + 1;   /* queues, and the master */
        uint64_t share = (m->end - m->next + ways - 1) / ways;
        if (n > share) n = share > 0 ? share : 1;
        if (n > m->end - m->next) n = m->end - m->next;
        rc = send_chunk(m, w, n);
    }
    return rc;
}

/* Takes in every result message waiting; *got: whether there was one. */
static int take_results(struct master *m, uint64_t *by_rank, int *got)
{
    *got = 0;
    for (;;) {
        MPI_Status ms;
        int e, flag = 0;
        if ((e = MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULTS, MPI_COMM_WORLD, &flag, &ms)) != MPI_SUCCESS) {
            char s[MPI_MAX_ERROR_STRING];
            int len;
            MPI_Error_string(e, s, &len);
            fprintf(stderr, "\nincubsim: a worker rank failed (%s); the tasks committed so "
                    "far are kept\n", s);
            return DRIVER_STOPPED;
        }
        if (!flag)
            return DRIVER_OK;
        int nbytes, src = ms.MPI_SOURCE;
        MPI_Get_count(&ms, MPI_BYTE, &nbytes);
        char *buf = malloc((size_t)nbytes + 1);
        if (!buf || MPI_Recv(buf, nbytes, MPI_BYTE, src, TAG_RESULTS, MPI_COMM_WORLD,
                             MPI_STATUS_IGNORE) != MPI_SUCCESS) {
            fprintf(stderr, "\nincubsim: lost the results of rank %d\n", src);
            free(buf);
            return DRIVER_STOPPED;
        }
        *got = 1;
        m->busy--;
        m->feed[src].queued--;
        uint64_t n = 0;
        int rc = file_results(m, buf, (size_t)nbytes, &n);
        free(buf);
        if (by_rank)
            by_rank[src] += n;
        if (!rc)
            rc = top_up(m, src);   /* the worker that answered gets its queue topped up */
        if (rc)
            return rc;
    }
}

int farm_run(const struct grid *g, struct driver_stats *st, uint64_t *by_rank)
{
    if (size_ < 2) {
        int rc = driver_run(g, st);
        if (by_rank)
            by_rank[0] += st->done;
        return rc;
    }
    memset(st, 0, sizeof *st);
    double t0 = driver_seconds();
    uint64_t first, end;
    driver_range(g, &first, &end);
    struct master m = { .g = g, .hcap = 1024, .next = first, .end = end, .committed = first,
                        .workers = size_ - 1, .st = st };
    int rc = DRIVER_OK;
    m.feed = calloc((size_t)size_, sizeof *m.feed);
    m.held = calloc(m.hcap, sizeof *m.held);
    m.result = calloc(1, g->result_size ? g->result_size : 1);
    void *mine = calloc(1, g->result_size ? g->result_size : 1);
    void *scratch = calloc(1, g->scratch_size ? g->scratch_size : 1);
    size_t lcap = 0;
    char *lbuf = NULL;
    if (!m.feed || !m.held || !m.result || !mine || !scratch)
        rc = DRIVER_NO_MEMORY;
    for (int w = 0; m.feed && w < size_; w++)
        for (int k = 0; k < AHEAD; k++)
            m.feed[w].req[k] = MPI_REQUEST_NULL;
    /* the first chunks are one task each, so the first results size the rest */
    for (int round = 0; round < AHEAD; round++)
        for (int w = 1; !rc && w <= m.workers && m.next < end; w++)
            rc = send_chunk(&m, w, 1);
    for (long ns = 0; !rc && m.committed < end;) {
        int got;
        rc = take_results(&m, by_rank, &got);
        if (!rc)
            rc = commit_ready(&m);
        if (!rc && g->interrupted && *g->interrupted)
            rc = DRIVER_INTERRUPTED;
        if (rc || m.committed == end)
            break;
        if (m.next < end) {   /* nothing waiting: one task here */
            struct task t = driver_task(g, m.next++);
            struct task_outcome o;
            size_t used = 0;
            uint64_t n = 0;
            driver_run_task(g, &t, scratch, mine, &o);
            if (g->interrupted && *g->interrupted)
                rc = DRIVER_INTERRUPTED;   /* the task was cut short: not committed */
            else if (put_result(g, &t, &o, mine, &lbuf, &lcap, &used))
                rc = DRIVER_NO_MEMORY;
            else
                rc = file_results(&m, lbuf, used, &n);
            if (by_rank)
                by_rank[0] += n;
            ns = 0;
        } else if (got)
            ns = 0;
        else
            nap(&ns);   /* every task is out: wait for the workers' last results */
    }
    /* Stopped early: take in what the workers still owe (discarded), so none
     * is left waiting on a master that no longer listens. */
    for (double t1 = driver_seconds(); m.busy > 0 && driver_seconds() - t1 < 30;) {
        MPI_Status ms;
        int flag = 0, nbytes;
        if (MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULTS, MPI_COMM_WORLD, &flag, &ms) != MPI_SUCCESS)
            break;
        if (!flag) {
            long ns = 1000000;
            nap(&ns);
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
        m.busy--;
        m.feed[ms.MPI_SOURCE].queued--;
    }
    /* every chunk answered was received: its send is done; one still out
     * (a worker that never answered) keeps its buffer */
    for (int w = 1; m.feed && w < size_; w++)
        for (int k = 0; k < AHEAD; k++) {
            int flag = 1;
            if (m.feed[w].req[k] != MPI_REQUEST_NULL)
                MPI_Test(&m.feed[w].req[k], &flag, MPI_STATUS_IGNORE);
            if (flag)
                free(m.feed[w].buf[k]);
            else
                MPI_Request_free(&m.feed[w].req[k]);
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
    free(m.feed);
    st->wall_seconds = driver_seconds() - t0;
    return rc;
}

#endif
