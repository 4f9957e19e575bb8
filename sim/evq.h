/* evq.h — the pending-event set of one simulation.
 *
 * Events are totally ordered by (time, priority, insertion sequence): at equal
 * times the lower priority runs first, and at equal (time, priority) the event
 * pushed first runs first, so a run never depends on the heap's layout.
 *
 * Structure, chosen by measurement (`make bench`; README has the figures):
 * a binary min-heap of 24-byte entries (sort key and a payload slot) on one
 * contiguous array; payloads (handler, subject, argument) stay put in a slot
 * pool. The key compares as two 64-bit integers without branches — the bits
 * of a time >= 0 order like the time, then priority, then sequence. Pop uses
 * Floyd's bottom-up sift: the hole sinks to a leaf and the last entry rises
 * into it, saving a comparison per level since it nearly always belongs near
 * the bottom. Measured alternatives (callgrind and wall time on the model of
 * DESIGN.md §5, whose heap holds ~100 events): 4-ary and 8-ary heaps were
 * 3-15% slower (more comparisons per level; their cache advantage only shows
 * past ~1e5 pending), a branchy comparison lost 2x on the hold benchmark
 * (mispredictions), 40-byte entries holding the payload cost more to move,
 * and keeping each slot's heap position (for O(log n) cancel) cost a random
 * write per move. Cancel therefore scans, O(n), for the rare event called
 * off. Arrays grow by doubling: no allocation per event after warm-up.
 */
#ifndef INCUBSIM_EVQ_H
#define INCUBSIM_EVQ_H

#include <stddef.h>
#include <stdint.h>

struct sim;

/* An event handler. `subject` is borrowed: the queue never frees it. */
typedef void evq_fn(struct sim *s, void *subject, uint64_t arg);

struct evq_entry {       /* what the heap moves: 24 bytes */
    uint64_t tbits;     /* the time's IEEE-754 bits (time >= 0) */
    uint64_t order;     /* priority (biased, high 16 bits) | sequence (low 48) */
    uint32_t slot;      /* where the payload waits */
};

struct evq_payload {
    evq_fn  *fn;
    void    *subject;
    uint64_t arg;       /* doubles as the free-list link when unused */
};

struct evq {
    struct evq_entry   *heap;
    size_t              n, cap;
    struct evq_payload *slots;     /* cap entries; a free list threads the unused */
    uint32_t            free_slot; /* head of the free list, UINT32_MAX = none */
    uint64_t            seq;
};

/* An event popped from the queue, ready to run. */
struct evq_event {
    double   t;
    evq_fn  *fn;
    void    *subject;
    uint64_t arg;
};

#define EVQ_PRIO_MIN (-32768)
#define EVQ_PRIO_MAX 32767

/* Zeroed struct is a valid empty queue; _free releases memory, accepts zeroed. */
void evq_init(struct evq *q);
void evq_free(struct evq *q);

/* Schedules fn(subject, arg) at time t >= 0 (not NaN). Returns a handle > 0
 * for evq_cancel, or 0 if memory ran out. prio in [EVQ_PRIO_MIN, EVQ_PRIO_MAX]. */
uint64_t evq_push(struct evq *q, double t, int prio, evq_fn *fn, void *subject, uint64_t arg);

/* Removes a pending event. Returns 1 if it was pending, 0 if it already ran,
 * was cancelled, or the handle is unknown. O(n). */
int evq_cancel(struct evq *q, uint64_t handle);

/* Removes the earliest event into *ev. Returns 0 when the queue is empty. */
int evq_pop(struct evq *q, struct evq_event *ev);

static inline size_t evq_size(const struct evq *q) { return q->n; }
/* Time of the earliest event; the queue must not be empty. */
double evq_peek_time(const struct evq *q);

#endif
