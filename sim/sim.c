#include "sim.h"

#include <string.h>

void sim_init(struct sim *s, uint64_t seed, uint32_t replication, void *model)
{
    memset(s, 0, sizeof *s);
    evq_init(&s->queue);
    rng_init(&s->rng, seed, replication);
    s->model = model;
    s->seed = seed;
    s->replication = replication;
}

void sim_use_alloc(struct sim *s, const struct alloc *al)
{
    s->queue.al = al;
}

void sim_free(struct sim *s)
{
    evq_free(&s->queue);
}

uint64_t sim_at(struct sim *s, double t, int prio, evq_fn *fn, void *subject, uint64_t arg)
{
    SIM_ASSERT(s, t >= s->now);
    SIM_ASSERT(s, prio >= EVQ_PRIO_MIN && prio <= EVQ_PRIO_MAX);
    uint64_t h = evq_push(&s->queue, t, prio, fn, subject, arg);
    if (!h && s->queue.n < EVQ_MAX_PENDING)
        sim_no_memory(s);
    SIM_ASSERT(s, h != 0);   /* 2^24 events pending */
    return h;
}

uint64_t sim_after(struct sim *s, double delay, int prio, evq_fn *fn, void *subject, uint64_t arg)
{
    return sim_at(s, s->now + delay, prio, fn, subject, arg);
}

void sim_stop(struct sim *s)
{
    s->stopped = 1;
}

uint64_t sim_run(struct sim *s, double until)
{
    uint64_t n = 0;
    struct evq_event ev = { 0 };
    s->stopped = 0;
    uint64_t same = 0;
    struct evq *q = &s->queue;
    evq_settle(q);
    /* the queue is settled at the top of the loop: the root is the next event */
    while (!s->stopped && q->n > 0 && evq_bits_time(q->heap[0].tbits) <= until) {
        evq_take(q, &ev);   /* the handler's first push fills its place */
        same = ev.t == s->now ? same + 1 : 0;
        if (same >= SIM_STALL)
            sim_fail(s, "the clock does not advance (2^26 events at one time)");
        s->now = ev.t;
        ev.fn(s, ev.subject, ev.arg);
        evq_settle(q);
        if ((++n & 0xFFFF) == 0 && s->interrupt && *s->interrupt)
            sim_fail(s, "interrupted");
    }
    if (!s->stopped && until > s->now)
        s->now = until;
    s->events += n;
    return n;
}

void sim_fail(struct sim *s, const char *why)
{
    if (s && s->bail) {
        snprintf(s->failure, sizeof s->failure, "%s", why);
        longjmp(*s->bail, 1);
    }
    fprintf(stderr, "incubsim: %s (t=%.17g, replication %u, seed %llu)\n", why,
            s ? s->now : 0.0, s ? s->replication : 0u, s ? (unsigned long long)s->seed : 0ULL);
    abort();
}

void sim_no_memory(struct sim *s)
{
    sim_fail(s, SIM_NO_MEMORY);
}

void sim_assert_fail(struct sim *s, const char *expr, const char *file, int line)
{
    const char *base = strrchr(file, '/');
    char why[160];
    snprintf(why, sizeof why, "internal error: %s at %s:%d", expr, base ? base + 1 : file, line);
    sim_fail(s, why);
}
