/* evq.c — binary heap with Floyd's pop and a payload pool; see evq.h. */
#include "evq.h"

#include <stdlib.h>
#include <string.h>

#define SLOT_BITS EVQ_SLOT_BITS
#define SLOT_MASK ((1ULL << SLOT_BITS) - 1)
#define SEQ_BITS  32
#define SEQ_LIMIT (1ULL << SEQ_BITS)
#define NO_SLOT   UINT32_MAX

void evq_init(struct evq *q)
{
    memset(q, 0, sizeof *q);
    q->free_slot = NO_SLOT;
}

void evq_free(struct evq *q)
{
    free(q->heap);
    free(q->slots);
    evq_init(q);
}

static inline uint32_t slot_of(const struct evq_entry *e)
{
    return (uint32_t)(e->order & SLOT_MASK);
}

static inline void slot_release(struct evq *q, uint32_t s)
{
    q->slots[s].gen++;
    q->slots[s].arg = q->free_slot;
    q->free_slot = s;
}

/* (tbits, order) as one 128-bit number: the compiler makes a comparison of
 * it a subtract with borrow, no branch. */
static inline int less(const struct evq_entry *a, const struct evq_entry *b)
{
    unsigned __int128 x = (unsigned __int128)a->tbits << 64 | a->order;
    unsigned __int128 y = (unsigned __int128)b->tbits << 64 | b->order;
    return x < y;
}

static inline uint64_t time_bits(double t)
{
    uint64_t b;
    t += 0.0;   /* -0.0 becomes +0.0 */
    memcpy(&b, &t, sizeof b);
    return b;
}


static void remove_at(struct evq *q, size_t i);

void evq_close_hole(struct evq *q)
{
    q->hole = 0;
    remove_at(q, 0);
}

static inline void sift_up(struct evq_entry *h, size_t i, struct evq_entry e)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!less(&e, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

/* Fills the hole at i with e among h[0..n): the hole sinks along the
 * smaller children to a leaf, then e rises as far as it must. The child is
 * picked by arithmetic, not a branch: which one is smaller is a coin toss
 * the branch predictor would lose half the time. */
static void fill_hole(struct evq_entry *h, size_t n, size_t i, struct evq_entry last)
{
    size_t c;
    while ((c = 2 * i + 1) + 1 < n) {
        c += less(&h[c + 1], &h[c]);
        h[i] = h[c];
        i = c;
    }
    if (c < n) {   /* a lone left child */
        h[i] = h[c];
        i = c;
    }
    sift_up(h, i, last);
}

/* Removes entry i: the last entry fills its place. */
static void remove_at(struct evq *q, size_t i)
{
    size_t n = --q->n;
    if (i != n)
        fill_hole(q->heap, n, i, q->heap[n]);
}

static int by_order(const void *a, const void *b)
{
    const struct evq_entry *x = a, *y = b;
    return less(x, y) ? -1 : less(y, x);
}

/* The sequence would wrap: number the pending events 0..n-1 in their order.
 * A sorted array is a valid heap. Once per 2^32 pushes. */
static void renumber(struct evq *q)
{
    qsort(q->heap, q->n, sizeof *q->heap, by_order);
    for (size_t i = 0; i < q->n; i++) {
        struct evq_entry *e = &q->heap[i];
        e->order = (e->order & ~(((SEQ_LIMIT - 1) << SLOT_BITS))) | ((uint64_t)i << SLOT_BITS);
    }
    q->seq = q->n;
}

static int grow(struct evq *q)
{
    size_t ncap = q->cap ? q->cap * 2 : 256;
    if (ncap > EVQ_MAX_PENDING)
        ncap = EVQ_MAX_PENDING;
    if (ncap <= q->cap)
        return -1;
    struct evq_entry *nh = realloc(q->heap, ncap * sizeof *nh);
    if (!nh)
        return -1;
    q->heap = nh;
    struct evq_payload *ns = realloc(q->slots, ncap * sizeof *ns);
    if (!ns)
        return -1;
    q->slots = ns;
    for (size_t i = ncap; i-- > q->cap;) {   /* heap and slots grow together */
        q->slots[i].gen = 0;
        slot_release(q, (uint32_t)i);
    }
    q->cap = ncap;
    return 0;
}

uint64_t evq_push(struct evq *q, double t, int prio, evq_fn *fn, void *subject, uint64_t arg)
{
    if (q->n == q->cap && !q->hole && grow(q))
        return 0;
    if (q->seq == SEQ_LIMIT) {
        evq_settle(q);
        renumber(q);
    }
    uint32_t s = q->free_slot;
    q->free_slot = (uint32_t)q->slots[s].arg;
    struct evq_payload *p = &q->slots[s];
    p->fn = fn;
    p->subject = subject;
    p->arg = arg;
    uint64_t order = ((uint64_t)(prio - EVQ_PRIO_MIN) << (SEQ_BITS + SLOT_BITS)) |
                     (q->seq++ << SLOT_BITS) | s;
    struct evq_entry e = { time_bits(t), order };
    if (q->hole) {   /* the taken root's place: one sift instead of a pop's and a push's */
        q->hole = 0;
        fill_hole(q->heap, q->n, 0, e);
    } else {
        sift_up(q->heap, q->n++, e);
    }
    return ((uint64_t)p->gen << SLOT_BITS | s) + 1;
}

int evq_cancel(struct evq *q, uint64_t handle)
{
    if (handle == 0)
        return 0;
    uint64_t s = (handle - 1) & SLOT_MASK, gen = (handle - 1) >> SLOT_BITS;
    if (s >= q->cap || q->slots[s].gen != gen)
        return 0;
    evq_settle(q);
    for (size_t i = 0; i < q->n; i++)
        if (slot_of(&q->heap[i]) == s) {
            slot_release(q, (uint32_t)s);
            remove_at(q, i);
            return 1;
        }
    return 0;
}

int evq_pop(struct evq *q, struct evq_event *ev)
{
    int got = evq_take(q, ev);
    evq_settle(q);
    return got;
}
