/* test_rng.c — keyed streams: reproducible, distinct, full 64-bit keys. */
#include "test.h"
#include "../sim/rng.h"

#include <gsl/gsl_randist.h>
#include <string.h>

static void draw(struct rng *r, uint64_t entity, uint64_t purpose, double *out, int n)
{
    gsl_rng *g = rng_key(r, entity, purpose);
    for (int i = 0; i < n; i++)
        out[i] = gsl_rng_uniform(g);
}

int main(void)
{
    struct rng a, b;
    double x[16], y[16];

    rng_init(&a, 42, 3);
    rng_init(&b, 42, 3);
    draw(&a, 5, 1, x, 16);
    draw(&b, 5, 1, y, 16);
    CHECK(memcmp(x, y, sizeof x) == 0, "same key, same stream");

    /* re-keying elsewhere in between does not disturb a stream's content */
    draw(&a, 9, 9, y, 3);
    draw(&a, 5, 1, y, 16);
    CHECK(memcmp(x, y, sizeof x) == 0, "a stream is a pure function of its key");

    struct { uint64_t seed, rep, entity, purpose; const char *what; } other[] = {
        { 43, 3, 5, 1, "seed" }, { 42, 4, 5, 1, "replication" },
        { 42, 3, 6, 1, "entity" }, { 42, 3, 5, 2, "purpose" },
        { 42 + (1ULL << 32), 3, 5, 1, "seed + 2^32 (GSL's generators ignore the high bits)" },
        { 42, 3, 5 + (1ULL << 40), 1, "entity + 2^40" },
    };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        rng_init(&b, other[i].seed, other[i].rep);
        draw(&b, other[i].entity, other[i].purpose, y, 16);
        int same = 0;
        for (int k = 0; k < 16; k++)
            same += x[k] == y[k];
        CHECK(same == 0, "a different %s gives a different stream (%d equal draws)", other[i].what, same);
    }

    /* a project stream past its 2^24 blocks goes on in the long kind's space:
     * without that, its next block would be the next purpose's first */
    {
        uint64_t w[4], next[4];
        rng_init(&a, 42, 3);
        rng_key(&a, 5, 1);
        a.st.ctr[2] = RNG_SHORT_BLOCKS - 1;
        for (int i = 0; i < 4; i++)
            w[i] = rng_next_word(&a.st);
        rng_key(&a, 5, 2);
        for (int i = 0; i < 4; i++)
            next[i] = rng_next_word(&a.st);
        CHECK(w[2] != next[0] && w[3] != next[1] && w[2] != next[2],
              "a project stream's block 2^24 is not the next purpose's block 0");
        CHECK(a.st.ctr[3] == 1, "rng_key gives a project stream");
        rng_init(&b, 42, UINT64_C(1) << 32);
        rng_key(&b, 5, 1);
        CHECK(b.st.ctr[3] == 0, "a replication past 32 bits gets the long kind");
        rng_key(&a, 5, 256);
        CHECK(a.st.ctr[3] == 0, "a purpose past 8 bits gets the long kind");
        draw(&a, 5, 1, x, 4);
        rng_stream(&a, 5, 1);
        for (int i = 0; i < 4; i++)
            y[i] = gsl_rng_uniform(&a.gsl);
        CHECK(memcmp(x, y, 4 * sizeof x[0]) != 0, "rng_key and rng_stream name different streams");
    }

    /* uniforms look uniform; gsl_ran_* work on the stream */
    rng_init(&a, 1, 0);
    gsl_rng *g = rng_key(&a, 0, 0);
    double sum = 0, sum2 = 0, gs = 0, gs2 = 0, ex = 0;
    double lo = 1, hi = 0;
    enum { N = 1000000 };
    for (int i = 0; i < N; i++) {
        double u = gsl_rng_uniform(g);
        sum += u;
        sum2 += u * u;
        if (u < lo) lo = u;
        if (u > hi) hi = u;
        double z = gsl_ran_gaussian(g, 1.0);
        gs += z;
        gs2 += z * z;
        ex += rng_exponential(g, 2.0);
    }
    CHECK_NEAR(sum / N, 0.5, 0.002, "uniform mean");
    CHECK_NEAR(sum2 / N - (sum / N) * (sum / N), 1.0 / 12, 0.001, "uniform variance");
    CHECK(lo >= 0 && hi < 1, "uniforms in [0,1): [%g, %g]", lo, hi);
    CHECK_NEAR(gs / N, 0.0, 0.005, "gaussian mean");
    CHECK_NEAR(gs2 / N, 1.0, 0.005, "gaussian variance");
    CHECK_NEAR(ex / N, 2.0, 0.01, "exponential mean");
    CHECK(gsl_rng_max(&a.gsl) == 0xffffffffUL && gsl_rng_min(&a.gsl) == 0, "32-bit gsl_rng_get range");
    unsigned long k = gsl_rng_uniform_int(g, 10);
    CHECK(k < 10, "uniform_int in range: %lu", k);

    /* the ziggurat tables are what the paper's recurrence gives */
    {
        double de = 7.697117470131487, te = de, ve = 3.949659822581572e-3, m = 0x1.0p53;
        double q = ve / exp(-de);
        int bad = (double)zigexp_k[0] != (de / q) * m || zigexp_k[1] != 0 || zigexp_f[0] != 1.0;
        for (int i = 254; i >= 1; i--) {
            de = -log(ve / de + exp(-de));
            bad += fabs((double)zigexp_k[i + 1] - (de / te) * m) > 2.0;
            te = de;
            bad += fabs(zigexp_f[i] - exp(-de)) > 1e-15 * exp(-de);
            bad += fabs(zigexp_w[i] - de / m) > 1e-15 * de / m;
        }
        CHECK(bad == 0, "%d ziggurat table entries differ from the recurrence", bad);
    }

    /* exponential law: moments, tails (through the slow paths), and the
     * Kolmogorov-Smirnov distance on a histogram of 1e6 draws */
    {
        enum { D = 2000000, BINS = 4000 };
        static unsigned hist[BINS];
        double m1 = 0, m2 = 0;
        long over1 = 0, over5 = 0, over8 = 0;
        rng_init(&a, 99, 0);
        g = rng_key(&a, 0, 0);
        for (int i = 0; i < D; i++) {
            double x = rng_exponential(g, 1.0);
            m1 += x;
            m2 += x * x;
            over1 += x > 1;
            over5 += x > 5;
            over8 += x > 8;
            int b = (int)(x / 10.0 * BINS);
            hist[b < BINS ? b : BINS - 1]++;
        }
        CHECK_NEAR(m1 / D, 1.0, 0.004, "exponential mean");
        CHECK_NEAR(m2 / D - (m1 / D) * (m1 / D), 1.0, 0.01, "exponential variance");
        CHECK_NEAR(over1 / (double)D, exp(-1.0), 0.0015, "P(X > 1)");
        CHECK_NEAR(over5 / (double)D, exp(-5.0), 0.0002, "P(X > 5)");
        CHECK_NEAR(over8 / (double)D, exp(-8.0), 0.0001, "P(X > 8), beyond the base strip");
        double cum = 0, ks = 0;
        for (int b = 0; b < BINS; b++) {
            cum += hist[b];
            double x = (b + 1) * 10.0 / BINS, d = fabs(cum / D - (1 - exp(-x)));
            if (d > ks) ks = d;
        }
        CHECK(ks < 1.63 / sqrt((double)D), "KS distance %.6f below the 1%% critical value %.6f",
              ks, 1.63 / sqrt((double)D));
    }

    /* a million distinct entities: no two first draws collide (64-bit words) */
    enum { M = 1000000 };
    static uint64_t first[M];
    for (uint64_t e = 0; e < M; e++)
        first[e] = gsl_rng_get(rng_key(&a, e, 1)) << 32 | gsl_rng_get(&a.gsl);
    int collisions = 0;
    /* sort-free check: a hash table would do; here, a simple open-addressing set */
    static uint64_t set[1 << 21];
    for (int i = 0; i < M; i++) {
        uint64_t h = (first[i] * 0x9e3779b97f4a7c15ULL) >> 43;
        while (set[h] && set[h] != first[i] + 1)
            h = (h + 1) & ((1 << 21) - 1);
        collisions += set[h] == first[i] + 1;
        set[h] = first[i] + 1;
    }
    CHECK(collisions == 0, "%d collisions among 1e6 streams", collisions);

    /* the project streams' Philox2x64-10, with its round keys computed once,
     * is Random123's philox2x64 block for block: 100,000 (counter, key) pairs,
     * the extremes among them */
    {
        int bad = 0;
        uint64_t z = 12345;
        for (int i = 0; i < 100000; i++) {
            uint64_t w[3];
            for (int j = 0; j < 3; j++) {   /* splitmix64 */
                uint64_t q = (z += 0x9e3779b97f4a7c15ULL);
                q = (q ^ (q >> 30)) * 0xbf58476d1ce4e5b9ULL;
                q = (q ^ (q >> 27)) * 0x94d049bb133111ebULL;
                w[j] = q ^ (q >> 31);
            }
            if (i < 4)
                w[0] = w[1] = w[2] = i & 1 ? UINT64_MAX : 0;
            uint64_t rk[10], v[2] = { w[0], w[1] };
            rng_round_keys(rk, w[2]);
            rng_philox2x64(v, rk);
            philox2x64_ctr_t c = { { w[0], w[1] } };
            philox2x64_key_t k = { { w[2] } };
            philox2x64_ctr_t o = philox2x64(c, k);
            if (v[0] != o.v[0] || v[1] != o.v[1]) {
                if (!bad++)
                    printf("  first difference: ctr %016llx %016llx key %016llx\n",
                           (unsigned long long)w[0], (unsigned long long)w[1],
                           (unsigned long long)w[2]);
            }
        }
        CHECK(bad == 0, "%d of 100000 Philox2x64 blocks differ from Random123's", bad);
    }
    {   /* and the long streams' Philox4x64-10 */
        int bad = 0;
        uint64_t z = 777;
        for (int i = 0; i < 100000; i++) {
            uint64_t w[6];
            for (int j = 0; j < 6; j++) {   /* splitmix64 */
                uint64_t q = (z += 0x9e3779b97f4a7c15ULL);
                q = (q ^ (q >> 30)) * 0xbf58476d1ce4e5b9ULL;
                q = (q ^ (q >> 27)) * 0x94d049bb133111ebULL;
                w[j] = q ^ (q >> 31);
            }
            if (i < 4)
                for (int j = 0; j < 6; j++)
                    w[j] = i & 1 ? UINT64_MAX : 0;
            uint64_t rk4[20], v[4] = { w[0], w[1], w[2], w[3] };
            rng_round_keys4(rk4, w[4], w[5]);
            rng_philox4x64(v, rk4);
            philox4x64_ctr_t c = { { w[0], w[1], w[2], w[3] } };
            philox4x64_key_t k = { { w[4], w[5] } };
            philox4x64_ctr_t o = philox4x64(c, k);
            bad += memcmp(v, o.v, sizeof v) != 0;
        }
        CHECK(bad == 0, "%d of 100000 Philox4x64 blocks differ from Random123's", bad);
    }
    TEST_END("rng");
}
