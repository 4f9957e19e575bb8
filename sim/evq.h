/* evq.h — the pending-event set of one simulation.
 *
 * Events are totally ordered by (time, priority, insertion sequence): at equal
 * times the lower priority runs first, and at equal (time, priority) the event
 * pushed first runs first, so a run never depends on the heap's layout.
 *
 * Structure, chosen by measurement (`make bench`, hold model, 1e5 pending):
 * a 4-ary min-heap of 24-byte keys on one contiguous array, pointing into a
 * slot pool that holds the payload. A 4-ary heap halves the depth of a binary
 * one and keeps the four children of a node in one or two cache lines; the
 * payload lives outside the heap so sifting moves 24 bytes, not 48. The pool
 * recycles slots through a free list, so after warm-up no push allocates.
 * Each slot remembers its heap position so that cancel is O(log n); handles
 * carry a generation count so a stale handle cannot cancel a reused slot.
 */
#ifndef INCUBSIM_EVQ_H
#define INCUBSIM_EVQ_H

#include <stddef.h>
#include <stdint.h>

struct sim;

/* An event handler. `subject` is borrowed: the queue never frees it. */
typedef void evq_fn(struct sim *s, void *subject, uint64_t arg);

struct evq_key {
    double   t;
    uint64_t order;     /* priority (biased, high 16 bits) | sequence (low 48) */
    uint32_t slot;
};

struct evq_slot {
    evq_fn  *fn;
    void    *subject;
    uint64_t arg;
    uint32_t pos;       /* index in heap, or EVQ_FREE when not queued */
    uint32_t gen;       /* bumped each time the slot is reused */
};

struct evq {
    struct evq_key  *heap;
    size_t           n, cap;
    struct evq_slot *slots;
    size_t           nslots, slotcap;
    uint32_t         free_head;    /* free-list of slots, linked through .pos */
    uint64_t         seq;
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
/* Drops every pending event, keeps the memory. */
void evq_clear(struct evq *q);

/* Schedules fn(subject, arg) at time t. Returns a handle > 0 for evq_cancel,
 * or 0 if memory ran out. prio must lie in [EVQ_PRIO_MIN, EVQ_PRIO_MAX]. */
uint64_t evq_push(struct evq *q, double t, int prio, evq_fn *fn, void *subject, uint64_t arg);

/* Removes a pending event. Returns 1 if it was pending, 0 if it already ran,
 * was cancelled, or the handle is unknown. */
int evq_cancel(struct evq *q, uint64_t handle);

/* Removes the earliest event into *ev. Returns 0 when the queue is empty. */
int evq_pop(struct evq *q, struct evq_event *ev);

static inline size_t evq_size(const struct evq *q) { return q->n; }
static inline double evq_peek_time(const struct evq *q) { return q->heap[0].t; }

#endif
