/* evq.c — 4-ary heap with a slot pool; see evq.h for the why. */
#include "evq.h"

#include <stdlib.h>
#include <string.h>

#define EVQ_FREE  UINT32_MAX
#define ARITY     4
#define SEQ_BITS  48

void evq_init(struct evq *q)
{
    memset(q, 0, sizeof *q);
    q->free_head = EVQ_FREE;
}

void evq_free(struct evq *q)
{
    free(q->heap);
    free(q->slots);
    evq_init(q);
}

void evq_clear(struct evq *q)
{
    for (size_t i = 0; i < q->n; i++) {
        struct evq_slot *sl = &q->slots[q->heap[i].slot];
        sl->gen++;
        sl->pos = q->free_head;
        q->free_head = q->heap[i].slot;
    }
    q->n = 0;
}

static inline int key_less(const struct evq_key *a, const struct evq_key *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    return a->order < b->order;
}

static inline void place(struct evq *q, size_t i, struct evq_key k)
{
    q->heap[i] = k;
    q->slots[k.slot].pos = (uint32_t)i;
}

static void sift_up(struct evq *q, size_t i, struct evq_key k)
{
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!key_less(&k, &q->heap[parent]))
            break;
        place(q, i, q->heap[parent]);
        i = parent;
    }
    place(q, i, k);
}

static void sift_down(struct evq *q, size_t i, struct evq_key k)
{
    size_t n = q->n;
    for (;;) {
        size_t first = i * ARITY + 1;
        if (first >= n)
            break;
        size_t best = first;
        size_t last = first + ARITY < n ? first + ARITY : n;
        for (size_t c = first + 1; c < last; c++)
            if (key_less(&q->heap[c], &q->heap[best]))
                best = c;
        if (!key_less(&q->heap[best], &k))
            break;
        place(q, i, q->heap[best]);
        i = best;
    }
    place(q, i, k);
}

static int grow(void **p, size_t *cap, size_t elem)
{
    size_t ncap = *cap ? *cap * 2 : 256;
    void *np = realloc(*p, ncap * elem);
    if (!np)
        return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

uint64_t evq_push(struct evq *q, double t, int prio, evq_fn *fn, void *subject, uint64_t arg)
{
    uint32_t s;
    if (q->free_head != EVQ_FREE) {
        s = q->free_head;
        q->free_head = q->slots[s].pos;
    } else {
        if (q->nslots == q->slotcap && grow((void **)&q->slots, &q->slotcap, sizeof *q->slots))
            return 0;
        s = (uint32_t)q->nslots++;
        q->slots[s].gen = 0;
    }
    if (q->n == q->cap && grow((void **)&q->heap, &q->cap, sizeof *q->heap)) {
        q->slots[s].pos = q->free_head;
        q->free_head = s;
        return 0;
    }
    struct evq_slot *sl = &q->slots[s];
    sl->fn = fn;
    sl->subject = subject;
    sl->arg = arg;
    uint64_t biased = (uint64_t)(prio - EVQ_PRIO_MIN);
    struct evq_key k = { t, (biased << SEQ_BITS) | (q->seq++ & ((1ULL << SEQ_BITS) - 1)), s };
    sift_up(q, q->n++, k);
    return ((uint64_t)sl->gen << 32) | ((uint64_t)s + 1);
}

static void release_slot(struct evq *q, uint32_t s)
{
    q->slots[s].gen++;
    q->slots[s].pos = q->free_head;
    q->free_head = s;
}

static void remove_at(struct evq *q, size_t i)
{
    struct evq_key last = q->heap[--q->n];
    if (i == q->n)
        return;
    if (i > 0 && key_less(&last, &q->heap[(i - 1) / ARITY]))
        sift_up(q, i, last);
    else
        sift_down(q, i, last);
}

int evq_cancel(struct evq *q, uint64_t handle)
{
    uint64_t s1 = handle & 0xffffffffu;
    if (s1 == 0 || s1 > q->nslots)
        return 0;
    uint32_t s = (uint32_t)(s1 - 1);
    struct evq_slot *sl = &q->slots[s];
    if (sl->gen != (uint32_t)(handle >> 32) || sl->pos >= q->n || q->heap[sl->pos].slot != s)
        return 0;
    remove_at(q, sl->pos);
    release_slot(q, s);
    return 1;
}

int evq_pop(struct evq *q, struct evq_event *ev)
{
    if (q->n == 0)
        return 0;
    struct evq_key top = q->heap[0];
    struct evq_slot *sl = &q->slots[top.slot];
    ev->t = top.t;
    ev->fn = sl->fn;
    ev->subject = sl->subject;
    ev->arg = sl->arg;
    remove_at(q, 0);
    release_slot(q, top.slot);
    return 1;
}
