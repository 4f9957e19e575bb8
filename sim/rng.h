/* rng.h — keyed random streams on GSL.
 *
 * Generators: Philox2x64-10 and Philox4x64-10 (Salmon et al., SC'11; Debian's
 * librandom123-dev), counter-based: block i of a stream is philox(counter,
 * key), so a stream is a pure function of its key and needs no state beyond
 * a counter. Both at Random123's default 10 rounds (its authors know of no
 * statistical flaw from 6 and 7 rounds respectively: a like safety margin).
 *
 * Two kinds of stream, each collision-free by construction:
 * - a project's stream at one draw site, rng_key(): a few words, drawn at an
 *   event. Philox2x64-10: key = master seed; counter = (entity, replication
 *   (32 bits) | purpose (8) | block (24)). Two words a block for half the
 *   instructions of Philox4x64's four: the whole program ran R1s 7% faster
 *   (418 -> 390 ms, interleaved), since most sites use two words or fewer. A
 *   stream that would pass 2^24 blocks (33 M words) goes on in Philox4x64
 *   with counter word 3 = 1, so it never runs into another purpose's stream.
 * - a long sequential stream, rng_stream(): a source's interarrival times,
 *   an experiment design's or a bootstrap's draws. Philox4x64-10: key =
 *   (master seed, replication), counter = (entity, purpose, block, 0).
 * rng_key() falls back to the long kind when the replication or the purpose
 * does not fit its fields. No hashing into 32 bits anywhere, so no
 * collisions however many projects a run has (GSL's classic generators use
 * only the low 32 bits of a seed and collide at 1e4 streams).
 *
 * Usage: a model keeps one `struct rng` per replication and re-keys it at each
 * draw site (re-keying costs a few stores), so a project's service time is
 * drawn from the stream (seed, rep, project, purpose) whatever order the events
 * run in: common random numbers survive a policy change that reorders events.
 * Both return the stream as a gsl_rng, so every gsl_ran_* works on it. A
 * stream drawn from in sequence keeps its own struct rng, keyed once.
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
    uint64_t rk[10];     /* Philox2x64's round keys: seed + i x W, i = 0..9 (rng_round_keys) */
    uint64_t rk4[20];    /* Philox4x64's: (seed + i x W0, replication + i x W1) (rng_round_keys4) */
    uint64_t ctr[4];     /* entity, purpose, block, 1 for a project stream (0: long) */
    uint64_t buf[4];     /* the current block's outputs (a Philox2x64 block: buf[2..3]) */
    unsigned idx;        /* next unused word of buf; 4 = empty */
};

/* Owns nothing on the heap; `gsl.state` points into the struct itself, so a
 * struct rng must not be copied after rng_init (re-init the copy instead). */
struct rng {
    struct rng_state st;
    gsl_rng          gsl;
};

extern const gsl_rng_type *const rng_philox;

void rng_init(struct rng *r, uint64_t seed, uint64_t replication);

#define RNG_SHORT_BLOCKS (UINT64_C(1) << 24)

/* Positions r at the start of a project's stream (entity, purpose) and
 * returns it: Philox2x64, or Philox4x64 when the replication (>= 2^32) or the
 * purpose (>= 2^8) does not fit the short kind's counter. */
static inline gsl_rng *rng_key(struct rng *r, uint64_t entity, uint64_t purpose)
{
    r->st.ctr[0] = entity;
    r->st.ctr[1] = purpose;
    r->st.ctr[2] = 0;
    r->st.ctr[3] = (r->st.key[1] >> 32 | purpose >> 8) == 0;
    r->st.idx = 4;
    return &r->gsl;
}

/* Positions r at the start of the long stream (entity, purpose). */
static inline gsl_rng *rng_stream(struct rng *r, uint64_t entity, uint64_t purpose)
{
    r->st.ctr[0] = entity;
    r->st.ctr[1] = purpose;
    r->st.ctr[2] = 0;
    r->st.ctr[3] = 0;
    r->st.idx = 4;
    return &r->gsl;
}

/* The next block of a long stream, or of a project stream past its 2^24
 * blocks, into buf (rng.c: out of line, so that the hot path below stays
 * small enough to inline). */
void rng_refill_long(struct rng_state *s);

/* Philox2x64-10 (Salmon et al. 2011) with its ten round keys computed once
 * per stream (rng_round_keys), not bumped block by block: the same block as
 * Random123's philox2x64(ctr, {rk[0]}) (tests/test_rng.c compares them),
 * ~20 fewer instructions a block. A round: (hi, lo) = M x v0;
 * v = (hi ^ key_i ^ v1, lo). */
#define RNG_PHILOX2_M UINT64_C(0xD2B74407B1CE6E93)
#define RNG_PHILOX2_W UINT64_C(0x9E3779B97F4A7C15)
static inline void rng_round_keys(uint64_t rk[10], uint64_t key)
{
    for (int i = 0; i < 10; i++)
        rk[i] = key + (uint64_t)i * RNG_PHILOX2_W;
}

/* The same for Philox4x64-10, keyed (k0, k1) (rng.c; the long streams). */
void rng_round_keys4(uint64_t rk4[20], uint64_t k0, uint64_t k1);
void rng_philox4x64(uint64_t v[4], const uint64_t rk4[20]);

static inline void rng_philox2x64(uint64_t v[2], const uint64_t rk[10])
{
    uint64_t a = v[0], b = v[1];
#pragma GCC unroll 10
    for (int i = 0; i < 10; i++) {
        unsigned __int128 p = (unsigned __int128)a * RNG_PHILOX2_M;
        a = (uint64_t)(p >> 64) ^ rk[i] ^ b;
        b = (uint64_t)p;
    }
    v[0] = a;
    v[1] = b;
}

/* The next 64-bit word of a stream (inline: the hot path of every draw). */
static inline uint64_t rng_next_word(struct rng_state *s)
{
    if (s->idx >= 4) {
        if (s->ctr[3] && s->ctr[2] < RNG_SHORT_BLOCKS) {
            uint64_t v[2] = { s->ctr[0], s->key[1] << 32 | s->ctr[1] << 24 | s->ctr[2] };
            rng_philox2x64(v, s->rk);
            s->buf[2] = v[0];
            s->buf[3] = v[1];
            s->idx = 2;
            s->ctr[2]++;
        } else {
            rng_refill_long(s);
        }
    }
    return s->buf[s->idx++];
}

/* A uniform in [0,1) with 53 random bits: what gsl_rng_uniform returns on
 * these streams, without its two indirect calls. r must come from rng_key or
 * rng_stream. */
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
