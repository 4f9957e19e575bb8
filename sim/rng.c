/* rng.c — Philox2x64-10 and Philox4x64-10 wrapped as a gsl_rng_type; see rng.h. */
#include "rng.h"
#include "zigexp_tables.h"

#include <string.h>

static unsigned long philox_get(void *vs)
{
    return (unsigned long)(rng_next_word(vs) >> 32);
}

static double philox_get_double(void *vs)
{
    return (double)(rng_next_word(vs) >> 11) * 0x1.0p-53;
}

/* gsl_rng_set: the seed becomes the key's first word, replication 0; the
 * long stream (0, 0). */
static void philox_set(void *vs, unsigned long seed)
{
    struct rng_state *s = vs;
    memset(s, 0, sizeof *s);
    s->key[0] = seed;
    rng_round_keys(s->rk, seed);
    s->idx = 4;
}

static const gsl_rng_type philox_type = {
    "philox-10", 0xffffffffUL, 0, sizeof(struct rng_state),
    philox_set, philox_get, philox_get_double
};

const gsl_rng_type *const rng_philox = &philox_type;

void rng_refill_long(struct rng_state *s)
{
    philox4x64_ctr_t c = { { s->ctr[0], s->ctr[1], s->ctr[2], s->ctr[3] } };
    philox4x64_key_t k = { { s->key[0], s->key[1] } };
    philox4x64_ctr_t out = philox4x64(c, k);
    memcpy(s->buf, out.v, sizeof s->buf);
    s->idx = 0;
    s->ctr[2]++;
}

void rng_init(struct rng *r, uint64_t seed, uint64_t replication)
{
    memset(&r->st, 0, sizeof r->st);
    r->st.key[0] = seed;
    r->st.key[1] = replication;
    rng_round_keys(r->st.rk, seed);
    r->st.idx = 4;
    r->gsl.type = &philox_type;
    r->gsl.state = &r->st;
}

/* The ziggurat's rare path: the base strip's tail, or a wedge test. */
double rng_exponential_slow(struct rng_state *s, uint64_t w)
{
    for (;;) {
        unsigned i = (unsigned)(w & 255);
        uint64_t u = w >> 11;
        if (i == 0)   /* beyond r: the tail is exponential again, shifted */
            return 7.697117470131487 - log(1.0 - (double)(rng_next_word(s) >> 11) * 0x1.0p-53);
        double x = (double)u * zigexp_w[i];
        double v = (double)(rng_next_word(s) >> 11) * 0x1.0p-53;
        if (zigexp_f[i] + v * (zigexp_f[i - 1] - zigexp_f[i]) < exp(-x))
            return x;
        w = rng_next_word(s);
        u = w >> 11;
        i = (unsigned)(w & 255);
        if (u < zigexp_k[i])
            return (double)u * zigexp_w[i];
    }
}
