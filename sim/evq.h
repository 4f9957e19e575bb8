/* evq.h — the pending-event set of one simulation.
 *
 * Events are totally ordered by (time, priority, insertion sequence): at equal
 * times the lower priority runs first, and at equal (time, priority) the event
 * pushed first runs first, so a run never depends on the heap's layout.
 *
 * Structure, chosen by measurement (`make bench`; README has the figures):
 * a 4-ary min-heap of 16-byte entries on one contiguous array; payloads
 * (handler, subject, argument) stay put in a slot pool. An entry is the time's
 * bits (a time >= 0 orders like its IEEE-754 bits) and one word packing
 * priority (8 bits), sequence (32) and slot (24), so a comparison is two
 * integer compares without branches. Pop uses Floyd's bottom-up sift: the
 * hole sinks to a leaf and the last entry rises into it, which saves a
 * comparison per level since it nearly always belongs near the bottom.
 * Measured on the R1s network of ../shared/bench (a heap of ~100 events,
 * whole process, interleaved against the binary heap it replaced): 439 vs
 * 463 ms; on the hold benchmark (1e5 pending) 106 vs 139 ns a hold. The
 * binary heap had won before the entry being placed was passed as two
 * scalars: passed as a 16-byte struct it was spilled and reloaded with a
 * store-forwarding stall (perf annotate: a fifth of the heap's time), which
 * hid the 4-ary heap's shorter chain of dependent loads. Also measured and
 * dropped: a calendar queue (Brown 1988): 7% fewer instructions on R1s but
 * 7% slower (lists and bucket scans miss where the heap's array does not);
 * a branchy comparison (2x slower on holds: mispredictions); keeping each
 * slot's heap position for O(log n) cancel (a random write per move).
 * Cancel therefore scans, O(n), for the rare event called off.
 * Also measured and dropped (issue 22): a tournament (winner) tree over the
 * event slots, keys in the leaves, each inner node its subtree's winning
 * slot, one replay of log2(capacity) matches per change, O(log n) cancel,
 * and the hold pattern kept (the taken slot is the next one pushed). Same
 * bits on every table, but more instructions (callgrind, whole process):
 * R1s at 200,000 arrivals 452.5 M against the heap's 414.2 M (+9%); the
 * hold benchmark (tests/bench hold P 1e6) 611 M vs 450 M at 100 pending,
 * 1,054 M vs 699 M at 1e5 pending. Its path is as long as the capacity's
 * log2 (8 matches at ~100 pending), where the 4-ary heap's is ~3 levels.
 *
 * Sentinels (issue 22): three PAD entries, larger than any event, always
 * follow the last entry, so every family of children has four members and
 * min_child needs neither a count nor a loop for the last one; the descent
 * walks pointers, not indices; push's rare cases (grow, renumber) are out of
 * line, which spares its common path a six-register prologue. Same order, same
 * bits; R1s at 200,000 arrivals, whole process (callgrind): 436.3 M -> 414.0 M
 * instructions. Inlining sim_at (and with it evq_push) into every caller was
 * measured too and dropped: +3.7 M. Instructions only: times were not measured
 * (a machine shared by 8 sessions).
 *
 * Hold pattern: most handlers schedule an event. evq_take() therefore leaves
 * the popped root as a hole; the handler's first push fills it (sinking the
 * hole to a leaf and raising the new entry, as Floyd's pop does) and
 * evq_settle() removes the hole only if nothing filled it: one sift per event
 * instead of two. The order of events is a total order, so the heap's layout
 * never changes which event runs next: the same bits either way.
 *
 * Limits that follow: priorities in [-128, 127]; at most 2^24 (16.7 M)
 * events pending at once; the 32-bit sequence is renumbered, keeping the
 * order, when it would wrap. Arrays grow by doubling: no allocation per event.
 */
#ifndef INCUBSIM_EVQ_H
#define INCUBSIM_EVQ_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include <string.h>

struct sim;

/* An event handler. `subject` is borrowed: the queue never frees it. */
typedef void evq_fn(struct sim *s, void *subject, uint64_t arg);

struct evq_entry {      /* what the heap moves */
    uint64_t tbits;     /* the time's IEEE-754 bits */
    uint64_t order;     /* priority + 128 (8 bits) | sequence (32) | slot (24) */
};

struct evq_payload {
    evq_fn  *fn;
    void    *subject;
    uint64_t arg;       /* doubles as the free-list link while unused */
    uint32_t gen;       /* bumped at each reuse, so a stale handle cancels nothing */
};

struct evq {
    struct evq_entry   *heap;
    size_t              n, cap;     /* n counts the hole, if any */
    int                 hole;       /* heap[0] is the taken event's place, to fill */
    struct evq_payload *slots;      /* cap entries; a free list threads the unused */
    uint32_t            free_slot;  /* head of the free list */
    uint64_t            seq;        /* next sequence number, < 2^32 */
    const struct alloc *al;         /* heap and slots come from it (NULL: the C library) */
};

/* An event popped from the queue, ready to run. */
struct evq_event {
    double   t;
    evq_fn  *fn;
    void    *subject;
    uint64_t arg;
};

#define EVQ_PRIO_MIN (-128)
#define EVQ_PRIO_MAX 127
#define EVQ_MAX_PENDING (1u << 24)

/* Zeroed struct is a valid empty queue (with the C library's allocator: set
 * `al` after evq_init for another); _free releases memory, keeps `al`,
 * accepts zeroed. */
void evq_init(struct evq *q);
void evq_free(struct evq *q);

/* Schedules fn(subject, arg) at time t >= 0 (not NaN), prio in
 * [EVQ_PRIO_MIN, EVQ_PRIO_MAX]. Returns a handle > 0 for evq_cancel, or 0
 * when memory ran out or EVQ_MAX_PENDING events are already pending. */
uint64_t evq_push(struct evq *q, double t, int prio, evq_fn *fn, void *subject, uint64_t arg);

/* Removes a pending event. Returns 1 if it was pending, 0 if it already ran,
 * was cancelled, or the handle is unknown. O(n). */
int evq_cancel(struct evq *q, uint64_t handle);

/* Removes the earliest event into *ev. Returns 0 when the queue is empty. */
int evq_pop(struct evq *q, struct evq_event *ev);

/* The same for the event loop: the root stays a hole for the handler's first
 * push to fill; evq_settle() after the handler closes it if still open.
 * Inline, with evq_peek_time: they run once per event. */
static inline int evq_take(struct evq *q, struct evq_event *ev);
static inline void evq_settle(struct evq *q);

static inline size_t evq_size(const struct evq *q) { return q->n - (size_t)q->hole; }
/* Time of the earliest event; the queue must not be empty. */
static inline double evq_peek_time(struct evq *q);

/* ---- inline bodies ---- */

#define EVQ_SLOT_BITS 24
void evq_close_hole(struct evq *q);   /* evq_settle's slow half */

static inline void evq_settle(struct evq *q)
{
    if (q->hole)
        evq_close_hole(q);
}

static inline double evq_bits_time(uint64_t b)
{
    double t;
    memcpy(&t, &b, sizeof t);
    return t;
}

static inline double evq_peek_time(struct evq *q)
{
    evq_settle(q);
    return evq_bits_time(q->heap[0].tbits);
}

static inline int evq_take(struct evq *q, struct evq_event *ev)
{
    evq_settle(q);
    if (q->n == 0)
        return 0;
    uint32_t s = (uint32_t)(q->heap[0].order & ((1ULL << EVQ_SLOT_BITS) - 1));
    struct evq_payload *p = &q->slots[s];
    ev->t = evq_bits_time(q->heap[0].tbits);
    ev->fn = p->fn;
    ev->subject = p->subject;
    ev->arg = p->arg;
    p->gen++;                      /* the slot goes back to the free list */
    p->arg = q->free_slot;
    q->free_slot = s;
    q->hole = 1;
    return 1;
}

#endif
