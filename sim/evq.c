/* evq.c — a 4-ary heap with Floyd's pop and a payload pool; see evq.h. */
#include "evq.h"

#include <stdlib.h>
#include <string.h>

#define SLOT_BITS EVQ_SLOT_BITS
#define SLOT_MASK ((1ULL << SLOT_BITS) - 1)
#define SEQ_BITS  32
#define SEQ_LIMIT (1ULL << SEQ_BITS)
#define NO_SLOT   UINT32_MAX
#define NPAD      3            /* sentinels past the last entry: h[n..n+3) */

/* Larger than any event (a time's bits are at most +inf's, 0x7ff0...). */
static const struct evq_entry PAD = { UINT64_MAX, UINT64_MAX };

void evq_init(struct evq *q)
{
    memset(q, 0, sizeof *q);
    q->free_slot = NO_SLOT;
}

void evq_free(struct evq *q)
{
    const struct alloc *al = q->al;
    al_free(al, q->heap);
    al_free(al, q->slots);
    evq_init(q);
    q->al = al;
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

/* The entry being placed travels as two scalars, not a struct: a 16-byte
 * struct passed by value is spilled as two 8-byte stores and reloaded as one
 * 16-byte load, which stalls store forwarding (~20% of this file's time,
 * measured with perf annotate). */
static inline int less_than(uint64_t t, uint64_t o, const struct evq_entry *b)
{
    unsigned __int128 x = (unsigned __int128)t << 64 | o;
    unsigned __int128 y = (unsigned __int128)b->tbits << 64 | b->order;
    return x < y;
}

static inline void put(struct evq_entry *at, uint64_t t, uint64_t o)
{
    at->tbits = t;
    at->order = o;
}

static inline void sift_up(struct evq_entry *h, size_t i, uint64_t t, uint64_t o)
{
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!less_than(t, o, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    put(&h[i], t, o);
}

/* The smallest of the four children from c, picked by arithmetic in a
 * tournament, not by branches: which one is smaller is a coin toss the branch
 * predictor would lose. A family past the last entry is padded with sentinels
 * (PAD entries, larger than any event), so every family has four: no count
 * of the last family's members, and pointers, not indices, on the way down. */
static inline struct evq_entry *min_child(struct evq_entry *c)
{
    struct evq_entry *a = c + less(&c[1], &c[0]);
    struct evq_entry *b = c + 2 + less(&c[3], &c[2]);
    return less(b, a) ? b : a;
}

/* Fills the hole at i with the entry (t, o) among h[0..n); h[n..n+3) are
 * sentinels. One level top-down first: an entry due soon (a source's next
 * arrival) stops there. Then Floyd's way: the hole sinks along the smallest
 * children to a leaf and the entry rises as far as it must, which saves the
 * comparison with it at each level for the usual entry, due late. sift_up
 * also serves a hole a cancel left mid-heap, where the entry may belong
 * higher. */
static void fill_hole(struct evq_entry *h, size_t n, size_t i, uint64_t t, uint64_t o)
{
    size_t c = 4 * i + 1;
    struct evq_entry *m;
    if (c >= n || less_than(t, o, m = min_child(&h[c]))) {
        sift_up(h, i, t, o);
        return;
    }
    struct evq_entry *hole = &h[i];
    for (;;) {
        *hole = *m;
        hole = m;
        c = 4 * (size_t)(m - h) + 1;
        if (c >= n)
            break;
        m = min_child(&h[c]);
    }
    sift_up(h, (size_t)(hole - h), t, o);
}

/* Removes entry i: the last entry fills its place, and its own place
 * becomes a sentinel. */
static void remove_at(struct evq *q, size_t i)
{
    size_t n = --q->n;
    uint64_t t = q->heap[n].tbits, o = q->heap[n].order;
    q->heap[n] = PAD;
    if (i != n)
        fill_hole(q->heap, n, i, t, o);
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
    struct evq_entry *nh = al_realloc(q->al, q->heap, (ncap + NPAD) * sizeof *nh);
    if (!nh)
        return -1;
    q->heap = nh;
    for (size_t i = q->cap; i < ncap + NPAD; i++)   /* n <= cap: the old pads are past n too */
        nh[i] = PAD;
    struct evq_payload *ns = al_realloc(q->al, q->slots, ncap * sizeof *ns);
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

/* The rare cases before a push, out of line so that the push's own path
 * keeps few registers (inlined, they cost it a six-register prologue):
 * the arrays are full, or the sequence would wrap. Returns non-zero when
 * memory or the pending limit ran out. */
static __attribute__((noinline)) int push_prepare(struct evq *q)
{
    if (q->n == q->cap && !q->hole && grow(q))
        return -1;
    if (q->seq == SEQ_LIMIT) {
        evq_settle(q);
        renumber(q);
    }
    return 0;
}

uint64_t evq_push(struct evq *q, double t, int prio, evq_fn *fn, void *subject, uint64_t arg)
{
    if (__builtin_expect((q->n == q->cap && !q->hole) || q->seq == SEQ_LIMIT, 0) &&
        push_prepare(q))
        return 0;
    uint32_t s = q->free_slot;
    struct evq_payload *p = &q->slots[s];
    q->free_slot = (uint32_t)p->arg;
    p->fn = fn;
    p->subject = subject;
    p->arg = arg;
    uint64_t order = ((uint64_t)(prio - EVQ_PRIO_MIN) << (SEQ_BITS + SLOT_BITS)) |
                     (q->seq++ << SLOT_BITS) | s;
    uint64_t tb = time_bits(t);
    if (q->hole) {   /* the taken root's place: one sift instead of a pop's and a push's */
        q->hole = 0;
        fill_hole(q->heap, q->n, 0, tb, order);
    } else {
        sift_up(q->heap, q->n++, tb, order);
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
