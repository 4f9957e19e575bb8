/* resource.h — a multi-seat server with a FIFO queue and its statistics.
 *
 * Entities are opaque pointers (borrowed; the resource never frees them).
 * The caller drives service: res_arrive() says whether the entity got a seat,
 * waits, or was turned away; after res_release() the caller starts the next
 * waiting entities with res_next(). Statistics are time-weighted (busy seats,
 * queue length) or per entity (wait in queue, sojourn) and restart at
 * res_reset_stats() (the warm-up).
 */
#ifndef INCUBSIM_RESOURCE_H
#define INCUBSIM_RESOURCE_H

#include <stddef.h>

#include "alloc.h"
#include "stats.h"

/* RES_NO_MEMORY: the queue was full and could not grow; the arrival is not
 * counted (the caller ends the run: turning it away would be a wrong answer). */
enum res_outcome { RES_SEIZED, RES_QUEUED, RES_BALKED, RES_NO_MEMORY };

struct res_waiter {
    void  *who;
    double t_enq;
};

struct resource {
    long   capacity;      /* seats */
    long   busy;
    long   queue_limit;   /* -1 unbounded; 0 turn away when full */
    /* FIFO ring buffer, grown by doubling (amortised, not per event); cap is a
     * power of two, so an index wraps with a mask, not a division */
    struct res_waiter *ring;
    size_t head, len, cap;
    /* statistics since the last reset */
    struct twa   busy_twa, queue_twa, cap_twa;
    struct mean  wait;        /* time in queue, per entity that got a seat */
    struct mean  sojourn;     /* time from arrival to release */
    double arrivals, served, balked;
    const struct alloc *al;   /* the ring's (NULL: the C library) */
};

/* Returns 0, or -1 when out of memory. The ring comes from `al` (NULL: the
 * C library), borrowed until res_free. */
int  res_init(struct resource *r, long capacity, long queue_limit, double now,
              const struct alloc *al);
void res_free(struct resource *r);

enum res_outcome res_arrive(struct resource *r, double now, void *who);
/* Frees a seat held since t_arrived (the arrival time at this resource). */
void res_release(struct resource *r, double now, double t_arrived);
/* Gives a free seat to the head of the queue: returns it, or NULL. */
void *res_next(struct resource *r, double now);
/* Adds seats (a construction subsidy); waiting entities get them via res_next. */
void res_add_capacity(struct resource *r, double now, long seats);

void res_reset_stats(struct resource *r, double now);

double res_utilisation(const struct resource *r, double now);
double res_mean_queue(const struct resource *r, double now);

#endif
