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
    rng_round_keys4(s->rk4, seed, 0);
    s->idx = 4;
}

static const gsl_rng_type philox_type = {
    "philox-10", 0xffffffffUL, 0, sizeof(struct rng_state),
    philox_set, philox_get, philox_get_double
};

const gsl_rng_type *const rng_philox = &philox_type;

/* Philox4x64-10 with its round keys computed once per stream, as
 * rng_philox2x64 (rng.h): the same block as Random123's philox4x64
 * (tests/test_rng.c compares them). A round: (hi0, lo0) = M0 x v0,
 * (hi1, lo1) = M1 x v2; v = (hi1 ^ v1 ^ k0_i, lo1, hi0 ^ v3 ^ k1_i, lo0). */
void rng_round_keys4(uint64_t rk4[20], uint64_t k0, uint64_t k1)
{
    for (int i = 0; i < 10; i++) {
        rk4[2 * i] = k0 + (uint64_t)i * UINT64_C(0x9E3779B97F4A7C15);
        rk4[2 * i + 1] = k1 + (uint64_t)i * UINT64_C(0xBB67AE8584CAA73B);
    }
}

void rng_philox4x64(uint64_t v[4], const uint64_t rk4[20])
{
    uint64_t a = v[0], b = v[1], c = v[2], d = v[3];
#pragma GCC unroll 10
    for (int i = 0; i < 10; i++) {
        unsigned __int128 p0 = (unsigned __int128)a * UINT64_C(0xD2E7470EE14C6C93);
        unsigned __int128 p1 = (unsigned __int128)c * UINT64_C(0xCA5A826395121157);
        a = (uint64_t)(p1 >> 64) ^ b ^ rk4[2 * i];
        b = (uint64_t)p1;
        c = (uint64_t)(p0 >> 64) ^ d ^ rk4[2 * i + 1];
        d = (uint64_t)p0;
    }
    v[0] = a;
    v[1] = b;
    v[2] = c;
    v[3] = d;
}

void rng_refill_long(struct rng_state *s)
{
    memcpy(s->buf, s->ctr, sizeof s->buf);
    rng_philox4x64(s->buf, s->rk4);
    s->idx = 0;
    s->ctr[2]++;
}

void rng_init(struct rng *r, uint64_t seed, uint64_t replication)
{
    memset(&r->st, 0, sizeof r->st);
    r->st.key[0] = seed;
    r->st.key[1] = replication;
    rng_round_keys(r->st.rk, seed);
    rng_round_keys4(r->st.rk4, seed, replication);
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
