/* rng.h — keyed random streams on GSL.
 *
 * Generator: Philox4x64-10 (Salmon et al., SC'11; Debian's librandom123-dev),
 * a counter-based generator: block i of a stream is philox(counter, key), so a
 * stream is a pure function of its key and needs no state beyond a counter.
 *
 * Keying: the 128-bit Philox key holds (master seed, replication); the first
 * three 64-bit counter words hold (entity, purpose, block). Every stream of
 * every replication is thus a distinct point of a 256-bit space: no hashing
 * into 32 bits, no collisions however many projects a run has (GSL's classic
 * generators use only the low 32 bits of a seed and collide at 1e4 streams).
 *
 * Usage: a model keeps one `struct rng` per replication and re-keys it at each
 * draw site (re-keying costs a few stores), so a project's service time is
 * drawn from the stream (seed, rep, project, purpose) whatever order the events
 * run in: common random numbers survive a policy change that reorders events.
 * rng_key() returns the stream as a gsl_rng, so every gsl_ran_* works on it. A
 * stream drawn from in sequence (a source's interarrival times) keeps its own
 * struct rng, keyed once.
 *
 * Outputs: gsl_rng_get returns 32-bit words (min 0, max 2^32-1) and
 * gsl_rng_uniform returns 53-bit doubles in [0,1); each call consumes one
 * 64-bit Philox output word.
 */
#ifndef INCUBSIM_RNG_H
#define INCUBSIM_RNG_H

#include <stdint.h>
#include <math.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include <Random123/philox.h>

struct rng_state {
    uint64_t key[2];     /* seed, replication */
    uint64_t ctr[4];     /* entity, purpose, block, 0 */
    uint64_t buf[4];     /* the current block's outputs */
    unsigned idx;        /* next unused word of buf; 4 = empty */
};

/* Owns nothing on the heap; `gsl.state` points into the struct itself, so a
 * struct rng must not be copied after rng_init (re-init the copy instead). */
struct rng {
    struct rng_state st;
    gsl_rng          gsl;
};

extern const gsl_rng_type *const rng_philox4x64;

void rng_init(struct rng *r, uint64_t seed, uint64_t replication);

/* Positions the stream at the start of (entity, purpose) and returns it. */
static inline gsl_rng *rng_key(struct rng *r, uint64_t entity, uint64_t purpose)
{
    r->st.ctr[0] = entity;
    r->st.ctr[1] = purpose;
    r->st.ctr[2] = 0;
    r->st.idx = 4;
    return &r->gsl;
}

/* The next 64-bit word of a stream (inline: the hot path of every draw). */
static inline uint64_t rng_next_word(struct rng_state *s)
{
    if (s->idx >= 4) {
        philox4x64_ctr_t c = { { s->ctr[0], s->ctr[1], s->ctr[2], s->ctr[3] } };
        philox4x64_key_t k = { { s->key[0], s->key[1] } };
        philox4x64_ctr_t out = philox4x64(c, k);
        memcpy(s->buf, out.v, sizeof s->buf);
        s->ctr[2]++;
        s->idx = 0;
    }
    return s->buf[s->idx++];
}

/* A uniform in [0,1) with 53 random bits: what gsl_rng_uniform returns on
 * these streams, without its two indirect calls. r must come from rng_key. */
static inline double rng_uniform(gsl_rng *r)
{
    return (double)(rng_next_word((struct rng_state *)r->state) >> 11) * 0x1.0p-53;
}

/* Exponential variates by the ziggurat (Marsaglia & Tsang 2000) on 64-bit
 * words: the low 8 bits pick one of 256 strips, the top 53 bits the point,
 * so the two are independent (the 32-bit original shares bits between them).
 * ~98% of draws take one word, a compare and a multiply, no logarithm: about
 * 4x faster than inversion (-log U) here, and the same law (test_rng.c
 * checks moments and tail; test_model.c's Erlang C checks depend on it). */
extern const uint64_t zigexp_k[256];
extern const double zigexp_w[256], zigexp_f[256];
double rng_exponential_slow(struct rng_state *s, uint64_t word);

static inline double rng_exponential(gsl_rng *r, double mean)
{
    struct rng_state *s = (struct rng_state *)r->state;
    uint64_t w = rng_next_word(s), u = w >> 11;
    unsigned i = (unsigned)(w & 255);
    if (u < zigexp_k[i])
        return mean * (double)u * zigexp_w[i];
    return mean * rng_exponential_slow(s, w);
}

#endif
