#include "resource.h"

#include <stdlib.h>
#include <string.h>

int res_init(struct resource *r, long capacity, long queue_limit, double now,
             const struct alloc *al)
{
    memset(r, 0, sizeof *r);
    r->al = al;
    r->capacity = capacity;
    r->queue_limit = queue_limit;
    r->cap = 64;
    r->ring = al_malloc(al, r->cap * sizeof *r->ring);
    if (!r->ring)
        return -1;
    res_reset_stats(r, now);
    return 0;
}

void res_free(struct resource *r)
{
    al_free(r->al, r->ring);
    memset(r, 0, sizeof *r);
}

static int ring_grow(struct resource *r)
{
    size_t ncap = r->cap * 2;
    struct res_waiter *n = al_malloc(r->al, ncap * sizeof *n);
    if (!n)
        return -1;
    for (size_t i = 0; i < r->len; i++)
        n[i] = r->ring[(r->head + i) & (r->cap - 1)];
    al_free(r->al, r->ring);
    r->ring = n;
    r->head = 0;
    r->cap = ncap;
    return 0;
}

enum res_outcome res_arrive(struct resource *r, double now, void *who)
{
    if (r->busy < r->capacity && r->len == 0) {
        r->arrivals++;
        twa_set(&r->busy_twa, now, (double)++r->busy);
        r->wait.n++;   /* mean_add(&r->wait, 0.0) to the bit: sum and carry are never -0 */
        return RES_SEIZED;
    }
    if (r->queue_limit >= 0 && (long)r->len >= r->queue_limit) {
        r->arrivals++;
        r->balked++;
        return RES_BALKED;
    }
    if (r->len == r->cap && ring_grow(r) != 0)
        return RES_NO_MEMORY;
    r->arrivals++;
    r->ring[(r->head + r->len) & (r->cap - 1)] = (struct res_waiter){ who, now };
    twa_set(&r->queue_twa, now, (double)++r->len);
    return RES_QUEUED;
}

void res_release(struct resource *r, double now, double t_arrived)
{
    twa_set(&r->busy_twa, now, (double)--r->busy);
    r->served++;
    mean_add(&r->sojourn, now - t_arrived);
}

void *res_next(struct resource *r, double now)
{
    if (r->len == 0 || r->busy >= r->capacity)
        return NULL;
    struct res_waiter w = r->ring[r->head];
    r->head = (r->head + 1) & (r->cap - 1);
    twa_set(&r->queue_twa, now, (double)--r->len);
    twa_set(&r->busy_twa, now, (double)++r->busy);
    mean_add(&r->wait, now - w.t_enq);
    return w.who;
}

void res_add_capacity(struct resource *r, double now, long seats)
{
    r->capacity += seats;
    twa_set(&r->cap_twa, now, (double)r->capacity);
}

void res_reset_stats(struct resource *r, double now)
{
    twa_reset(&r->busy_twa, now);
    twa_reset(&r->queue_twa, now);
    twa_reset(&r->cap_twa, now);
    twa_set(&r->cap_twa, now, (double)r->capacity);
    memset(&r->wait, 0, sizeof r->wait);
    memset(&r->sojourn, 0, sizeof r->sojourn);
    r->arrivals = r->served = r->balked = 0;
}

double res_utilisation(const struct resource *r, double now)
{
    double seats = twa_mean(&r->cap_twa, now);
    return seats > 0.0 ? twa_mean(&r->busy_twa, now) / seats : 0.0;
}

double res_mean_queue(const struct resource *r, double now)
{
    return twa_mean(&r->queue_twa, now);
}
