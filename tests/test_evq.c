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

/* The event loop's hold pattern against a reference: take the earliest, let
 * the "handler" push 0-2 events (ties on purpose) and sometimes cancel a
 * pending one, then settle; every taken event must be the reference's
 * earliest by (time, priority, sequence). Returns the number of steps that
 * disagreed (0 when the queue is right); *steps gets how many ran. */
static int hold_pattern_mismatches(int *steps)
{
    enum { STEPS = 30000, CAP = 4096 };
    struct pend { double t; int prio; uint64_t seq, handle; int live; };
    struct pend *ref = calloc(CAP * 8, sizeof *ref);
    struct evq q;
    evq_init(&q);
    struct rng r;
    rng_init(&r, 11, 0);
    gsl_rng *g = rng_key(&r, 2, 3);
    uint64_t seq = 0;
    size_t nref = 0;
    int bad = 0;
    double now = 0;
    for (int i = 0; i < 50; i++) {
        ref[nref] = (struct pend){ (double)gsl_rng_uniform_int(g, 40) / 4.0,
                                   (int)gsl_rng_uniform_int(g, 3) - 1, seq, 0, 1 };
        ref[nref].handle = evq_push(&q, ref[nref].t, ref[nref].prio, noop, NULL, seq);
        seq++, nref++;
    }
    int k;
    for (k = 0; k < STEPS && nref < CAP * 8 - 4; k++) {
        struct evq_event ev;
        if (!evq_take(&q, &ev))
            break;
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < nref; i++) {
            if (!ref[i].live)
                continue;
            if (best == SIZE_MAX || ref[i].t < ref[best].t ||
                (ref[i].t == ref[best].t && (ref[i].prio < ref[best].prio ||
                 (ref[i].prio == ref[best].prio && ref[i].seq < ref[best].seq))))
                best = i;
        }
        if (best == SIZE_MAX || ev.arg != ref[best].seq || ev.t != ref[best].t) {
            bad++;
            break;
        }
        ref[best].live = 0;
        now = ev.t;
        int pushes = (int)gsl_rng_uniform_int(g, 3);   /* 0, 1 or 2: the queue breathes */
        if (k % 97 == 0) {                            /* a cancel inside the handler */
            size_t c = gsl_rng_uniform_int(g, nref);
            int got = evq_cancel(&q, ref[c].handle);
            bad += got != ref[c].live;
            ref[c].live = 0;
        }
        for (int j = 0; j < pushes; j++) {
            ref[nref] = (struct pend){ now + (double)gsl_rng_uniform_int(g, 8) / 4.0,
                                       (int)gsl_rng_uniform_int(g, 3) - 1, seq, 0, 1 };
            ref[nref].handle = evq_push(&q, ref[nref].t, ref[nref].prio, noop, NULL, seq);
            seq++, nref++;
        }
        evq_settle(&q);
        if (evq_size(&q) == 0) {                      /* refill so the walk goes on */
            ref[nref] = (struct pend){ now + 1.0, 0, seq, 0, 1 };
            ref[nref].handle = evq_push(&q, now + 1.0, 0, noop, NULL, seq);
            seq++, nref++;
        }
    }
    *steps = k;
    evq_free(&q);
    free(ref);
    return bad;
}

int main(void)
{
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
    int steps = 0;
    int bad = hold_pattern_mismatches(&steps);
    CHECK(bad == 0 && steps > 1000, "hold pattern (take, push, cancel, settle) against a reference: "
          "%d mismatches in %d steps", bad, steps);
    evq_free(&q);
    TEST_END("evq");
}
