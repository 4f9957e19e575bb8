/* test_evq.c — the event queue: total order, ties, cancel, growth. */
#include "test.h"
#include "../sim/evq.h"
#include "../sim/rng.h"

#include <stdlib.h>

static void noop(struct sim *s, void *subject, uint64_t arg)
{
    (void)s; (void)subject; (void)arg;
}

struct ref { double t; int prio; uint64_t seq; };

static int ref_cmp(const void *a, const void *b)
{
    const struct ref *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    if (x->prio != y->prio) return x->prio < y->prio ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int main(void)
{
    TEST_BEGIN();
    struct evq q;
    struct evq_event ev;
    evq_init(&q);

    /* ties: equal times run by priority, then in insertion order */
    evq_push(&q, 1.0, 0, noop, NULL, 10);
    evq_push(&q, 1.0, 0, noop, NULL, 11);
    evq_push(&q, 1.0, -5, noop, NULL, 12);
    evq_push(&q, 0.5, 7, noop, NULL, 13);
    evq_push(&q, 1.0, 0, noop, NULL, 14);
    uint64_t want[] = { 13, 12, 10, 11, 14 };
    for (int i = 0; i < 5; i++) {
        CHECK(evq_pop(&q, &ev) == 1, "pop %d", i);
        CHECK(ev.arg == want[i], "pop %d: got arg %llu, want %llu", i,
              (unsigned long long)ev.arg, (unsigned long long)want[i]);
    }
    CHECK(evq_pop(&q, &ev) == 0, "empty queue pops nothing");

    /* cancel: pending yes, twice no, already run no, unknown no */
    uint64_t a = evq_push(&q, 2.0, 0, noop, NULL, 1);
    uint64_t b = evq_push(&q, 3.0, 0, noop, NULL, 2);
    uint64_t c = evq_push(&q, 4.0, 0, noop, NULL, 3);
    CHECK(a && b && c && a != b && b != c, "handles are distinct and > 0");
    CHECK(evq_cancel(&q, b) == 1, "cancel a pending event");
    CHECK(evq_cancel(&q, b) == 0, "cancel twice");
    CHECK(evq_cancel(&q, 0) == 0, "cancel handle 0");
    CHECK(evq_cancel(&q, 999999) == 0, "cancel an unknown handle");
    evq_pop(&q, &ev);
    CHECK(ev.arg == 1 && ev.t == 2.0, "got arg %llu at %g", (unsigned long long)ev.arg, ev.t);
    CHECK(evq_cancel(&q, a) == 0, "cancel an event that already ran");
    evq_pop(&q, &ev);
    CHECK(ev.arg == 3, "the cancelled event never runs: got %llu", (unsigned long long)ev.arg);
    CHECK(evq_size(&q) == 0, "size %zu", evq_size(&q));

    /* against a sorted reference: 20000 random events with many ties, with
     * every 7th cancelled, interleaved pops and pushes through growth */
    enum { N = 20000 };
    struct ref *ref = malloc(N * sizeof *ref);
    uint64_t *handles = malloc(N * sizeof *handles);
    int *cancelled = calloc(N, sizeof *cancelled);
    struct rng r;
    rng_init(&r, 7, 0);
    gsl_rng *g = rng_key(&r, 1, 1);
    for (int i = 0; i < N; i++) {
        ref[i].t = (double)gsl_rng_uniform_int(g, 500) / 4.0;   /* ties on purpose */
        ref[i].prio = (int)gsl_rng_uniform_int(g, 3) - 1;
        ref[i].seq = (uint64_t)i;
        handles[i] = evq_push(&q, ref[i].t, ref[i].prio, noop, NULL, (uint64_t)i);
    }
    int ncancel = 0;
    for (int i = 0; i < N; i += 7) {
        cancelled[i] = 1;
        ncancel += evq_cancel(&q, handles[i]);
    }
    CHECK(ncancel == (N + 6) / 7, "cancelled %d", ncancel);
    qsort(ref, N, sizeof *ref, ref_cmp);
    int order_ok = 1, k = 0;
    for (int i = 0; i < N; i++) {
        if (cancelled[ref[i].seq])
            continue;
        if (!evq_pop(&q, &ev) || ev.arg != ref[i].seq || ev.t != ref[i].t) {
            order_ok = 0;
            printf("  at %d: got arg %llu t %g, want %llu t %g\n", k,
                   (unsigned long long)ev.arg, ev.t, (unsigned long long)ref[i].seq, ref[i].t);
            break;
        }
        k++;
    }
    CHECK(order_ok, "pops follow (time, priority, sequence) after %d events", k);
    CHECK(evq_size(&q) == 0, "all popped, %zu left", evq_size(&q));
    free(ref);
    free(handles);
    free(cancelled);

    /* the 32-bit sequence wraps: pending events are renumbered in order */
    q.seq = (1ULL << 32) - 3;
    for (uint64_t i = 0; i < 8; i++)
        evq_push(&q, 5.0, 0, noop, NULL, i);          /* 8 ties across the wrap */
    evq_push(&q, 4.0, 0, noop, NULL, 100);
    int wrap_ok = 1;
    evq_pop(&q, &ev);
    wrap_ok &= ev.arg == 100;
    for (uint64_t i = 0; i < 8; i++) {
        evq_pop(&q, &ev);
        wrap_ok &= ev.arg == i && ev.t == 5.0;
    }
    CHECK(wrap_ok && q.seq < 100, "ties keep insertion order across a sequence wrap (seq now %llu)",
          (unsigned long long)q.seq);

    /* a stale handle cannot cancel the event that reuses its slot */
    uint64_t old = evq_push(&q, 1.0, 0, noop, NULL, 1);
    evq_pop(&q, &ev);
    uint64_t reuse = evq_push(&q, 2.0, 0, noop, NULL, 2);
    CHECK(evq_cancel(&q, old) == 0 && evq_size(&q) == 1, "stale handle refused");
    CHECK(evq_cancel(&q, reuse) == 1 && evq_size(&q) == 0, "fresh handle cancels");
    evq_free(&q);
    TEST_END("evq");
}
