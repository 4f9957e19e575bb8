/* rng.c — Philox4x64-10 wrapped as a gsl_rng_type; see rng.h. */
#include "rng.h"

#include <string.h>

static unsigned long philox_get(void *vs)
{
    return (unsigned long)(rng_next_word(vs) >> 32);
}

static double philox_get_double(void *vs)
{
    return (double)(rng_next_word(vs) >> 11) * 0x1.0p-53;
}

/* gsl_rng_set: the seed becomes the key's first word, replication 0. */
static void philox_set(void *vs, unsigned long seed)
{
    struct rng_state *s = vs;
    memset(s, 0, sizeof *s);
    s->key[0] = seed;
    s->idx = 4;
}

static const gsl_rng_type philox_type = {
    "philox4x64-10", 0xffffffffUL, 0, sizeof(struct rng_state),
    philox_set, philox_get, philox_get_double
};

const gsl_rng_type *const rng_philox4x64 = &philox_type;

void rng_init(struct rng *r, uint64_t seed, uint64_t replication)
{
    memset(&r->st, 0, sizeof r->st);
    r->st.key[0] = seed;
    r->st.key[1] = replication;
    r->st.idx = 4;
    r->gsl.type = &philox_type;
    r->gsl.state = &r->st;
}
