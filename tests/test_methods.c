/* test_methods.c — the experiment methods of sim/ against known answers:
 * designs (grid, LHS strata, the Sobol sequence), Sobol indices of the
 * Ishigami and G functions, Morris mu* of Ishigami's x2, the sizing
 * procedure on a linear output (answer, statuses, coverage over seeds),
 * sequential replications, MSER on pilot runs, and the task driver. */
#include "test.h"
#include "model_util.h"
#include "../sim/design.h"
#include "../sim/driver.h"
#include "../sim/mser.h"
#include "../sim/rng.h"
#include "../sim/sensitivity.h"
#include "../sim/sequential.h"
#include "../sim/sim.h"

#include <setjmp.h>
#include "../sim/sizing.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <stdlib.h>
#include <string.h>

/* ---- designs --------------------------------------------------------------------- */

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_designs(void)
{
    double g[27 * 3];
    CHECK(design_grid(3, 3, g, 100) == 27, "3 levers x 3 values = 27 points");
    CHECK(g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3 * 1 + 2] == 0.5 && g[3 * 26 + 0] == 1,
          "grid corners and the last lever fastest: %g %g %g", g[0], g[5], g[78]);
    CHECK(design_grid(3, 10, g, 100) == 0, "a grid over its limit is refused");

    /* LHS: in every lever, exactly one point in each of the n strata */
    enum { N = 50, K = 4 };
    double x[N * K];
    CHECK(design_lhs(K, N, 7, x) == 0, "lhs");
    int strata_ok = 1;
    for (int l = 0; l < K; l++) {
        int seen[N] = { 0 };
        for (int i = 0; i < N; i++)
            seen[(int)(x[i * K + l] * N)]++;
        for (int s = 0; s < N; s++)
            strata_ok &= seen[s] == 1;
    }
    CHECK(strata_ok, "lhs: one point per stratum on every lever");
    double y[N * K];
    design_lhs(K, N, 7, y);
    CHECK(memcmp(x, y, sizeof x) == 0, "lhs: keyed by the seed");
    design_lhs(K, N, 8, y);
    CHECK(memcmp(x, y, sizeof x) != 0, "lhs: another seed, another design");

    /* Sobol: the first 2^m points of each coordinate are {0..63} / 64; shifted
     * modulo 1, their circular gaps are all 1/64 */
    enum { M = 64, D = 5 };
    double s[M * D], raw[D];
    CHECK(design_sobol(D, M, 3, s) == 0, "sobol");
    int gaps_ok = 1;
    for (int l = 0; l < D; l++) {
        double c[M];
        for (int i = 0; i < M; i++)
            c[i] = s[i * D + l];
        qsort(c, M, sizeof c[0], cmp_d);
        for (int i = 0; i < M; i++) {
            double gap = i ? c[i] - c[i - 1] : c[0] + 1 - c[M - 1];
            gaps_ok &= fabs(gap - 1.0 / M) < 1e-12;
        }
    }
    CHECK(gaps_ok, "sobol: each coordinate's first 64 points are a shifted 1/64 grid");
    /* the shift is the same for every point: point i minus point 0 (the
     * shifted origin) is GSL's point i */
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, D);
    int seq_ok = 1;
    for (int i = 1; i < M; i++) {
        gsl_qrng_get(q, raw);
        for (int l = 0; l < D; l++) {
            double d = fmod(s[i * D + l] - s[l] + 2.0, 1.0);
            seq_ok &= fabs(d - raw[l]) < 1e-12 || fabs(fabs(d - raw[l]) - 1) < 1e-12;
        }
    }
    gsl_qrng_free(q);
    CHECK(seq_ok, "sobol: GSL's sequence, shifted");
    CHECK(design_sobol(41, 4, 1, s) == -1, "sobol: more than 40 dimensions refused");
    /* design.h's claim: the first 16 unshifted points of 2-D Sobol are a (0,4,2)-net (one
     * point in each of the 16 boxes of every shape 1 x 1/16, 1/2 x 1/8, ... 1/16 x 1); after
     * the shift each coordinate stays stratified, but the net property does not survive */
    int net_unshifted = 1, net_shifted = 0;
    double u2[16 * 2];
    for (int seed = 0; seed <= 20; seed++) {
        if (seed == 0) {   /* the unshifted points: the origin, then GSL's */
            gsl_qrng *q2 = gsl_qrng_alloc(gsl_qrng_sobol, 2);
            u2[0] = u2[1] = 0;
            for (int i = 1; i < 16; i++)
                gsl_qrng_get(q2, u2 + 2 * i);
            gsl_qrng_free(q2);
        } else {
            design_sobol(2, 16, (uint64_t)seed, u2);
        }
        int net = 1;
        for (int a = 0; a <= 4; a++) {   /* boxes 2^-a x 2^-(4-a) */
            int count[16] = { 0 };
            for (int i = 0; i < 16; i++)
                count[(int)(u2[2 * i] * (1 << a)) * (1 << (4 - a)) +
                      (int)(u2[2 * i + 1] * (1 << (4 - a)))]++;
            for (int c = 0; c < 16; c++)
                net &= count[c] == 1;
        }
        if (seed == 0)
            net_unshifted = net;
        else
            net_shifted += net;
    }
    CHECK(net_unshifted, "sobol: the unshifted first 16 points are a (0,4,2)-net");
    CHECK(net_shifted < 20, "sobol: shifted, the net property is lost (%d of 20 seeds keep it), "
          "as design.h now says", net_shifted);
}

/* ---- sensitivity ------------------------------------------------------------------ */

static double ishigami(const double *u)
{
    double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1], x3 = -M_PI + 2 * M_PI * u[2];
    return sin(x1) + 7 * sin(x2) * sin(x2) + 0.1 * pow(x3, 4) * sin(x1);
}

static const double g_a[8] = { 0, 1, 4.5, 9, 99, 99, 99, 99 };

static double gfun(const double *u)
{
    double p = 1;
    for (int i = 0; i < 8; i++)
        p *= (fabs(4 * u[i] - 2) + g_a[i]) / (1 + g_a[i]);
    return p;
}

static void sobol_of(int k, int N, double (*f)(const double *), struct sobol_indices *out)
{
    size_t n = (size_t)N * (size_t)(k + 2);
    double *x = malloc(n * (size_t)k * sizeof *x), *y = malloc(n * sizeof *y);
    if (!x || !y || saltelli_design(k, N, 11, x))
        exit(1);
    for (size_t i = 0; i < n; i++)
        y[i] = f(x + i * (size_t)k);
    if (saltelli_analyse(k, N, y, 200, 11, out))
        exit(1);
    free(x);
    free(y);
}

static void test_sobol(void)
{
    struct sobol_indices si[8];
    /* Ishigami a = 7, b = 0.1; SALib's tolerance: atol 0.05 + rtol 0.1 */
    sobol_of(3, 8192, ishigami, si);
    const double S[3] = { 0.3139, 0.4424, 0 }, ST[3] = { 0.5576, 0.4424, 0.2437 };
    for (int i = 0; i < 3; i++) {
        char what[64];
        snprintf(what, sizeof what, "Ishigami S1[x%d]", i + 1);
        CHECK_NEAR(si[i].S1.value, S[i], 0.05 + 0.1 * S[i], what);
        snprintf(what, sizeof what, "Ishigami ST[x%d]", i + 1);
        CHECK_NEAR(si[i].ST.value, ST[i], 0.05 + 0.1 * ST[i], what);
        CHECK(si[i].S1.lo <= si[i].S1.value && si[i].S1.value <= si[i].S1.hi &&
              si[i].ST.lo <= si[i].ST.value && si[i].ST.value <= si[i].ST.hi,
              "Ishigami x%d: the bootstrap interval holds the estimate", i + 1);
        CHECK(si[i].ST.lo <= ST[i] + 0.02 && ST[i] - 0.02 <= si[i].ST.hi,
              "Ishigami x%d: ST interval [%g, %g] near %g", i + 1, si[i].ST.lo, si[i].ST.hi, ST[i]);
    }
    /* Sobol's G function, a = (0, 1, 4.5, 9, 99, 99, 99, 99) */
    sobol_of(8, 4096, gfun, si);
    double v[8], prod = 1;
    for (int i = 0; i < 8; i++) {
        v[i] = 1.0 / (3 * (1 + g_a[i]) * (1 + g_a[i]));
        prod *= 1 + v[i];
    }
    double V = prod - 1;
    for (int i = 0; i < 8; i++) {
        char what[64];
        double s1 = v[i] / V, st = v[i] * prod / (1 + v[i]) / V;
        snprintf(what, sizeof what, "G S1[x%d]", i + 1);
        CHECK_NEAR(si[i].S1.value, s1, 0.05 + 0.1 * s1, what);
        snprintf(what, sizeof what, "G ST[x%d]", i + 1);
        CHECK_NEAR(si[i].ST.value, st, 0.05 + 0.1 * st, what);
    }
    CHECK(saltelli_design(21, 4, 1, v) == -1, "saltelli: more than 20 levers refused (40 dimensions)");
}

static void test_morris(void)
{
    enum { K = 3, R = 50 };
    double x[R * (K + 1) * K], y[R * (K + 1)];
    CHECK(morris_design(K, R, 4, 5, x) == 0, "morris design");
    int on_grid = 1, one_step = 1;
    for (int p = 0; p < R * (K + 1); p++) {
        y[p] = ishigami(x + p * K);
        for (int l = 0; l < K; l++) {
            double lv = x[p * K + l] * 3;
            on_grid &= fabs(lv - round(lv)) < 1e-12 && lv > -1e-12 && lv < 3 + 1e-12;
        }
    }
    for (int tr = 0; tr < R; tr++)
        for (int s = 0; s < K; s++) {
            int moved = 0;
            for (int l = 0; l < K; l++) {
                double d = fabs(x[((tr * (K + 1)) + s + 1) * K + l] - x[((tr * (K + 1)) + s) * K + l]);
                moved += d > 1e-12;
                one_step &= d < 1e-12 || fabs(d - 2.0 / 3.0) < 1e-12;
            }
            one_step &= moved == 1;
        }
    CHECK(on_grid, "morris: every point on the 4-level grid");
    CHECK(one_step, "morris: each step moves one lever by Delta = 2/3");
    struct morris_effects me[K];
    CHECK(morris_analyse(K, R, x, y, 100, 5, me) == 0, "morris analyse");
    CHECK_NEAR(me[1].mu_star.value, 7.875, 1e-9, "Ishigami x2: mu* with 4 levels");
    CHECK(me[1].mu_star.lo <= 7.875 + 1e-9 && me[1].mu_star.hi >= 7.875 - 1e-9, "its interval");
    CHECK(me[0].mu_star.value > 0 && me[2].mu_star.value > 0, "x1 and x3 have effects");
}

/* ---- sizing --------------------------------------------------------------------- */

/* Y = a + b x + sigma z_r: replication r has the same z at every probe
 * (common random numbers), z keyed by (seed, r). */
struct linear {
    double a, b, sigma;
    uint64_t seed;
    uint64_t calls;
};

static int linear_eval(void *ctx, uint32_t point, double value, uint32_t from, uint32_t to,
                       double *y)
{
    (void)point;
    struct linear *L = ctx;
    struct rng r;
    rng_init(&r, L->seed, 0);
    for (uint32_t i = from; i < to; i++) {
        gsl_rng *g = rng_key(&r, i, 0);
        y[i - from] = L->a + L->b * value + L->sigma * gsl_ran_gaussian_ziggurat(g, 1.0);
    }
    L->calls += to - from;
    return 0;
}

/* An output NaN in every replication (every = 0) or in every `every`-th. */
struct nan_eval { uint64_t calls; uint32_t every; };

static int nan_eval(void *ctx, uint32_t point, double value, uint32_t from, uint32_t to,
                    double *y)
{
    (void)point;
    struct nan_eval *e = ctx;
    for (uint32_t i = from; i < to; i++)
        y[i - from] = e->every && i % e->every ? value : NAN;
    e->calls += to - from;
    return 0;
}

static void test_sizing(void)
{
    struct size_spec spec = { .lo = 0, .hi = 5, .step = 0.05, .target = 0.3, .at_most = 0,
                              .confidence = 0.95, .tolerance = 0.005, .n0 = 10, .max_n = 100000 };
    struct linear L = { 0.1, 0.1, 0.05, 1, 0 };
    struct size_result *res = malloc(sizeof *res);
    /* analytic: x* = (0.3 - 0.1) / 0.1 = 2; within the tolerance, x in [1.95, 2.05] */
    CHECK(size_run(&spec, linear_eval, &L, res) == 0, "size runs");
    CHECK(res->status == SIZE_MET, "met: %d", res->status);
    CHECK(res->answer >= 1.95 - 1e-9 && res->answer <= 2.05 + 0.05 + 1e-9,
          "answer %g near the analytic 2 (tolerance 0.005 / slope 0.1 = 0.05, plus a step)",
          res->answer);
    CHECK(fabs(res->answer_high - res->answer_low - 0.05) < 1e-9,
          "the interval is one step: (%g, %g]", res->answer_low, res->answer_high);
    CHECK(res->nprobes <= 2 + 7, "bisection: at most 2 + ceil(log2(100)) probes, got %d",
          res->nprobes);
    /* probes hold the evidence: decisions agree with the bisection */
    int consistent = 1;
    for (int i = 0; i < res->nprobes; i++) {
        const struct size_probe *p = &res->probes[i];
        if (p->decision == SIZE_FEASIBLE)
            consistent &= p->value >= res->answer_high - 1e-9;
        if (p->decision == SIZE_INFEASIBLE)
            consistent &= p->value <= res->answer_low + 1e-9;
    }
    CHECK(consistent, "feasible probes above the interval, infeasible below");

    spec.target = 0.8;   /* above a + b hi = 0.6 */
    CHECK(size_run(&spec, linear_eval, &L, res) == 0 && res->status == SIZE_NOT_MET &&
          isnan(res->answer) && res->answer_low == 5, "not_met_in_range: %d", res->status);
    spec.target = 0.05;  /* below a = 0.1 */
    CHECK(size_run(&spec, linear_eval, &L, res) == 0 && res->status == SIZE_MET_AT_MIN &&
          res->answer == 0, "met_at_min: %d %g", res->status, res->answer);
    CHECK(res->answer_high == 0 && isnan(res->answer_low),
          "met_at_min: no zero-width interval, the threshold is at or below lo: (%g, %g]",
          res->answer_low, res->answer_high);
    /* an output NaN in every replication: stopped after the first stage, not at max_n */
    struct nan_eval nn = { 0 };
    spec.target = 0.3;
    CHECK(size_run(&spec, nan_eval, &nn, res) == SIZE_UNDEFINED && res->nprobes == 1 &&
          res->probes[0].undefined == 10 && res->probes[0].n == 0,
          "a NaN output: SIZE_UNDEFINED at the first probe (%d probes)", res->nprobes);
    CHECK(nn.calls == 10, "after the first stage's 10 replications, not one at a time to "
          "100,000: %llu", (unsigned long long)nn.calls);
    /* NaN in one replication of three: still decided, the first stage refilled at once */
    struct nan_eval some = { .every = 3 };
    CHECK(size_run(&spec, nan_eval, &some, res) == 0, "an output NaN now and then is decided");
    spec.target = 0.4;   /* at_most: the largest... no: the smallest x with mean <= 0.4 on a falling line */
    struct linear down = { 0.6, -0.1, 0.05, 1, 0 };   /* Y = 0.6 - 0.1 x: <= 0.4 from x = 2 */
    spec.at_most = 1;
    CHECK(size_run(&spec, linear_eval, &down, res) == 0 && res->status == SIZE_MET &&
          res->answer >= 1.95 - 1e-9 && res->answer <= 2.1 + 1e-9, "at_most: %g", res->answer);
    spec.at_most = 0;

    /* coverage over seeds: with probability >= 0.95 the answer is right within
     * the tolerance: answer >= x(q - eps) and answer_low <= x(q + eps) */
    spec.target = 0.3;
    int covered = 0, runs = 400;
    uint64_t reps = 0;
    for (int s = 0; s < runs; s++) {
        struct linear Ls = { 0.1, 0.1, 0.05, 1000 + (uint64_t)s, 0 };
        size_run(&spec, linear_eval, &Ls, res);
        covered += res->status == SIZE_MET && res->answer >= 1.95 - 1e-9 &&
                   res->answer_low <= 2.05 + 1e-9;
        reps += res->replications;
    }
    double coverage = (double)covered / runs;
    printf("    size coverage over %d seeds: %.4f (stated 0.95); %.0f replications a search\n",
           runs, coverage, (double)reps / runs);
    CHECK(coverage >= 0.95, "coverage %.4f", coverage);
    free(res);
}

/* ---- sequential replications and MSER -------------------------------------------- */

static void test_sequential(void)
{
    struct seq_rule rule = seq_rule_default(0.2);
    struct seq_track s = { 0 };
    struct rng r;
    rng_init(&r, 3, 0);
    gsl_rng *g = rng_key(&r, 0, 0);
    uint64_t n = rule.min_n;
    for (int look = 0; look < 100; look++) {
        while (s.t.n < n)
            seq_observe(&s, gsl_ran_gaussian_ziggurat(g, 1.0));
        if (seq_look(&rule, &s))
            break;
        n = seq_next_n(&rule, &s, 100000);
    }
    double hw = tally_halfwidth(&s.t, 0.95);
    CHECK(s.done && hw <= 0.2, "sd 1 to a half-width of 0.2: done %d, hw %g", s.done, hw);
    CHECK(s.t.n >= 70 && s.t.n <= 250, "about (1.96 / 0.2)^2 = 96 replications: %llu",
          (unsigned long long)s.t.n);
    /* a lucky start: twenty equal values, a half-width of 0, must not stop at one look */
    struct seq_track lucky = { 0 };
    for (int i = 0; i < 20; i++)
        seq_observe(&lucky, 0.5);
    CHECK(!seq_look(&rule, &lucky), "one look with zero variance does not stop");
    for (int i = 0; i < 3; i++)
        seq_observe(&lucky, gsl_ran_gaussian_ziggurat(g, 1.0));
    CHECK(!seq_look(&rule, &lucky) && lucky.looks_ok == 0, "the look-ahead sees the spread");
    /* 0/1 data with both outcomes: 5 of each */
    struct seq_track rare = { 0 };
    for (int i = 0; i < 400; i++)
        seq_observe(&rare, i % 100 == 0 ? 1.0 : 0.0);
    CHECK(!seq_look(&rule, &rare) && !seq_look(&rule, &rare), "0/1 data needs 5 of each");
    /* a constant KPI (zero variance: all 0 here) is met: it stops after the look-ahead,
     * not at --max-reps */
    struct seq_track zeros = { 0 };
    uint64_t want = rule.min_n;
    for (int look = 0; look < 50 && !zeros.done; look++) {
        while (zeros.t.n < want)
            seq_observe(&zeros, 0.0);
        if (!seq_look(&rule, &zeros))
            want = seq_next_n(&rule, &zeros, 1000);
    }
    CHECK(zeros.done && zeros.t.n == rule.min_n + rule.min_n / 2 + 1,
          "a constant stops at the look-ahead: n %llu", (unsigned long long)zeros.t.n);
    struct seq_track few = { 0 };
    for (int i = 0; i < 19; i++)
        seq_observe(&few, 1.0 + 1e-3 * i);
    CHECK(!seq_look(&rule, &few) && !seq_look(&rule, &few), "below the minimum n");
    /* the skewness: an exponential's g1 is 2 */
    struct seq_track ex = { 0 };
    for (int i = 0; i < 200000; i++)
        seq_observe(&ex, gsl_ran_exponential(g, 1.0));
    CHECK(fabs(seq_skewness(&ex) - 2) < 0.1, "skewness of an exponential: %g", seq_skewness(&ex));
}

/* The final interval's coverage when replications stop by the rule, on a
 * skewed output of known mean (exponential, mean 1, skewness 2), the loop
 * of sim/cli/run.c's --precision; and of the same interval at a fixed n. */
static double coverage_of(struct seq_rule rule, uint64_t first, int lookahead_old, int seeds,
                          double *mean_n, double *early)
{
    int covered = 0, nearly = 0, cearly = 0;
    double sum_n = 0;
    for (int sd = 0; sd < seeds; sd++) {
        struct rng r;
        rng_init(&r, 500 + (uint64_t)sd, 0);
        gsl_rng *g = rng_key(&r, 0, 0);
        struct seq_track t = { 0 };
        uint64_t to = first;
        for (;;) {
            while (t.t.n < to)
                seq_observe(&t, gsl_ran_exponential(g, 1.0));
            if (seq_look(&rule, &t))
                break;
            to = lookahead_old && t.looks_ok ? to + to / 5 + 1 : seq_next_n(&rule, &t, 100000);
        }
        int c = fabs(t.t.mean - 1.0) <= tally_halfwidth(&t.t, 0.95);
        covered += c;
        sum_n += (double)t.t.n;
        if (t.t.n < 40) {
            nearly++;
            cearly += c;
        }
    }
    *mean_n = sum_n / seeds;
    *early = nearly ? (double)cearly / nearly : NAN;
    return (double)covered / seeds;
}

static void test_precision_coverage(void)
{
    enum { SEEDS = 4000 };
    double n_new, n_old, e_new, e_old;
    double c_new = coverage_of(seq_rule_default(0.3), 20, 0, SEEDS, &n_new, &e_new);
    struct seq_rule old = { .halfwidth = 0.3, .min_n = 10, .looks = 2, .min_each = 5 };
    double c_old = coverage_of(old, 10, 1, SEEDS, &n_old, &e_old);
    /* the same interval at a fixed n near the rule's: the t interval's own shortfall */
    struct seq_rule fixed = { .halfwidth = 1e300, .min_n = 1, .looks = 1, .min_each = 0 };
    double n_fix, e_fix, c_fix = coverage_of(fixed, (uint64_t)n_new, 0, SEEDS, &n_fix, &e_fix);
    printf("    --precision coverage, exponential output, %d seeds, half-width 0.3: %.4f "
           "(mean n %.0f); the old rule %.4f (mean n %.0f, stops below 40: %.3f); a fixed "
           "n = %.0f: %.4f\n", SEEDS, c_new, n_new, c_old, n_old, e_old, n_fix, c_fix);
    /* measured: 0.9305 (the old rule 0.8818); the fixed-n interval 0.9417 */
    CHECK(c_new >= 0.92, "coverage of the stopped interval %.4f (the old rule's 0.88)", c_new);
    CHECK(c_new >= c_fix - 0.015, "within 0.015 of the fixed-n interval's %.4f: %.4f", c_fix,
          c_new);
}

/* A skewed KPI with a known mean: an M/M/1 queue's mean wait in queue over k
 * customers (service rate 1, load rho), from a stationary start (the first
 * wait 0 with probability 1 - rho, else exponential of rate 1 - rho), so
 * every wait has the stationary law and the mean is Erlang C's (c = 1)
 * rho / (1 - rho) exactly. */
static double mm1_mean_wait(gsl_rng *g, double rho, int k)
{
    double w = gsl_rng_uniform(g) < rho ? gsl_ran_exponential(g, 1 / (1 - rho)) : 0, sum = 0;
    for (int i = 0; i < k; i++) {
        sum += w;
        w = fmax(0, w + gsl_ran_exponential(g, 1.0) - gsl_ran_exponential(g, 1 / rho));
    }
    return sum / k;
}

/* Wilson's 95% interval of a binomial proportion x / n. */
static void wilson(int x, int n, double *lo, double *hi)
{
    double z = 1.959964, p = (double)x / n, d = 1 + z * z / n;
    double c = (p + z * z / (2.0 * n)) / d, h = z * sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
    *lo = c - h;
    *hi = c + h;
}

/* --precision's loop (sim/cli/run.c) on the queue's mean wait: two_stage runs
 * the pilot on streams of its own and starts from seq_pilot_n; else the
 * one-stage rule from its first stage. Returns the coverage of the final
 * Student-t interval over `seeds`; *mean_n the mean replications. */
static double queue_coverage(int two_stage, int seeds, double hw, double *mean_n, int *covered,
                             uint64_t fixed_n)
{
    const double rho = 0.8, truth = rho / (1 - rho);
    enum { K = 100 };
    int cov = 0;
    double sum_n = 0;
    for (int sd = 0; sd < seeds; sd++) {
        struct rng r;
        rng_init(&r, 7000 + (uint64_t)sd, 0);
        gsl_rng *g = rng_key(&r, 0, 0), *gp = rng_key(&r, 1, 0);
        struct seq_rule rule = two_stage ? seq_rule_after_pilot(hw) : seq_rule_default(hw);
        if (fixed_n)   /* the same interval at a fixed n */
            rule = (struct seq_rule){ .halfwidth = 1e300, .min_n = fixed_n, .looks = 1 };
        uint64_t to = rule.min_n;
        if (two_stage && !fixed_n) {
            struct seq_track pilot = { 0 };
            for (int i = 0; i < SEQ_PILOT; i++)
                seq_observe(&pilot, mm1_mean_wait(gp, rho, K));
            to = seq_pilot_n(&rule, &pilot, 100000);
        }
        struct seq_track t = { 0 };
        for (;;) {
            while (t.t.n < to)
                seq_observe(&t, mm1_mean_wait(g, rho, K));
            if (seq_look(&rule, &t))
                break;
            to = seq_next_n(&rule, &t, 100000);
        }
        cov += fabs(t.t.mean - truth) <= tally_halfwidth(&t.t, 0.95);
        sum_n += (double)t.t.n;
    }
    *mean_n = sum_n / seeds;
    *covered = cov;
    return (double)cov / seeds;
}

static void test_queue_coverage(void)
{
    /* 400 seeds here; a longer run (INCUBSIM_LONG=1) uses 4,000 */
    int seeds = getenv("INCUBSIM_LONG") ? 4000 : 400, x1, x2, xf;
    double n1, n2, nf, lo, hi;
    double c2 = queue_coverage(1, seeds, 0.5, &n2, &x2, 0);
    double c1 = queue_coverage(0, seeds, 0.5, &n1, &x1, 0);
    double cf = queue_coverage(0, seeds, 0.5, &nf, &xf, (uint64_t)n2);
    wilson(x2, seeds, &lo, &hi);
    printf("    --precision on an M/M/1 queue's mean wait (rho 0.8, 100 customers, mean 4, "
           "half-width 0.5), %d seeds: two-stage %.4f [Wilson %.3f, %.3f] (mean n %.0f); "
           "one-stage %.4f (mean n %.0f); a fixed n = %.0f: %.4f\n", seeds, c2, lo, hi, n2, c1, n1,
           nf, cf);
    CHECK(lo <= 0.95 && 0.95 <= hi + 0.01,
          "two-stage coverage %.4f: its Wilson interval [%.3f, %.3f] holds 0.95 (within 0.01)",
          c2, lo, hi);
    CHECK(c2 >= 0.93, "two-stage coverage %.4f >= 0.93", c2);
    CHECK(c2 >= cf - 0.015, "within 0.015 of the fixed-n interval's %.4f: %.4f", cf, c2);
}

/* R series of an AR(1) noise with correlation time ~2 phi/(1-phi) samples, plus a
 * transient amp e^(-i/decay) and a trend slope i. */
static void pilot_series(double *y, int reps, int n, double amp, double decay, double slope,
                         double phi, gsl_rng *g)
{
    for (int r = 0; r < reps; r++) {
        double e = gsl_ran_gaussian_ziggurat(g, 1.0);
        for (int i = 0; i < n; i++) {
            e = phi * e + sqrt(1 - phi * phi) * gsl_ran_gaussian_ziggurat(g, 1.0);
            y[r * n + i] = amp * exp(-i / decay) + slope * i + e;
        }
    }
}

static void test_mser(void)
{
    enum { R = 5, N = 1000 };
    double *y = malloc(R * N * sizeof *y);
    struct rng r;
    rng_init(&r, 9, 0);
    gsl_rng *g = rng_key(&r, 0, 0);
    struct mser_result m;
    /* a transient decaying over ~60 samples, then white noise */
    pilot_series(y, R, N, 40, 60, 0, 0, g);
    CHECK(mser_pilot(y, R, N, &m) == 0 && m.verdict == MSER_OK, "mser_pilot on a transient");
    CHECK(m.batch == 5 && m.corr < 2, "white noise: batches of 5 (correlation time %.2f)", m.corr);
    CHECK(m.truncate % m.batch == 0 && m.truncate >= 150 && m.truncate <= 500,
          "truncates the transient (40 e^(-t/60) < 1 after t = 221): %zu", m.truncate);
    /* a slow noise (correlation time ~100 samples) after a transient of ~200: a late
     * minimum by chance is what the floor stops; the batches follow the correlation */
    int late = 0, refused = 0;
    for (int k = 0; k < 20; k++) {
        pilot_series(y, R, N, 5, 50, 0, 0.98, g);
        CHECK(mser_pilot(y, R, N, &m) == 0, "mser_pilot on a slow series");
        refused += m.verdict != MSER_OK;
        late += m.verdict == MSER_OK && m.truncate > N / 2;
        CHECK(m.batch >= 40 && m.batch <= 200, "batches span the correlation time (%.1f): %zu",
              m.corr, m.batch);
    }
    CHECK(refused <= 1 && late <= 2, "a slow stationary tail: %d of 20 refused, %d past half",
          refused, late);
    /* a trend that never settles: refused */
    pilot_series(y, R, N, 0, 1, 0.01, 0.5, g);
    CHECK(mser_pilot(y, R, N, &m) == 0 && m.verdict != MSER_OK, "a steady trend: refused (%d)",
          (int)m.verdict);
    /* a slower trend under white noise: refused too (the trend lengthens the correlation
     * time of the second half past a tenth of the run) */
    pilot_series(y, R, N, 0, 1, 0.005, 0.0, g);
    CHECK(mser_pilot(y, R, N, &m) == 0 && m.verdict != MSER_OK,
          "a slow trend in white noise: refused (t = %.1f, verdict %d)", m.drift_t, (int)m.verdict);
    /* stationary from the start */
    pilot_series(y, R, N, 0, 1, 0, 0, g);
    CHECK(mser_pilot(y, R, N, &m) == 0 && m.verdict == MSER_OK && m.truncate < N / 4,
          "stationary from the start: little or no truncation (%zu, verdict %d, t %.2f)", m.truncate,
          (int)m.verdict, m.drift_t);
    CHECK(mser_pilot(y, 1, N, &m) == -1, "one replication: no noise to compare with");
    CHECK(mser_pilot(y, R, 19, &m) == -1, "too short");
    free(y);
}

/* ---- the task driver -------------------------------------------------------------- */

struct drv {
    const struct scenario *sc;
    struct run_result res[3][4];   /* [unit][rep] as committed */
    uint32_t order[12][2];
    int      ncommit, fail_unit, fail_rep, failed_seen, stop_after;
    volatile sig_atomic_t flag;
    char     why[DRIVER_WHY_LEN];
};

static int drv_run(void *ctx, const struct task *t, void *scratch, void *result, char *why)
{
    (void)scratch;
    struct drv *d = ctx;
    if ((int)t->unit == d->fail_unit && (int)t->rep == d->fail_rep) {
        snprintf(why, DRIVER_WHY_LEN, "injected");
        return 1;
    }
    struct scenario sc = *d->sc;
    sc.landing.base = 0.5 + 0.1 * t->unit;   /* three units, three scenarios */
    struct model_sink none = { 0 };
    return model_run(&sc, t->rep, 42, &none, result) != MODEL_OK;
}

static int drv_commit(void *ctx, const struct task_done *dn)
{
    struct drv *d = ctx;
    d->order[d->ncommit][0] = dn->task->unit;
    d->order[d->ncommit][1] = dn->task->rep;
    d->ncommit++;
    if (dn->status == TASK_FAILED) {
        d->failed_seen++;
        snprintf(d->why, sizeof d->why, "%s", dn->why);
    } else {
        d->res[dn->task->unit][dn->task->rep] = *(const struct run_result *)dn->result;
    }
    if (d->stop_after && d->ncommit == d->stop_after)
        d->flag = 1;
    return 0;
}

static void test_driver(void)
{
    struct scenario *sc = load("tests/validation/jackson.cfg");
    sc->horizon = 30;
    sc->warmup = 5;
    struct drv *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    a->sc = b->sc = sc;
    a->fail_unit = b->fail_unit = -1;
    struct grid g = { .nunits = 3, .rep_from = 0, .rep_to = 4,
                      .result_size = sizeof(struct run_result), .ctx = a, .run = drv_run,
                      .commit = drv_commit };
    struct driver_stats st;
    CHECK(driver_run(&g, &st) == DRIVER_OK && st.done == 12 && st.failed == 0, "12 tasks");
    int canonical = 1;
    for (int i = 0; i < 12; i++)
        canonical &= a->order[i][0] == (uint32_t)(i % 3) && a->order[i][1] == (uint32_t)(i / 3);
    CHECK(canonical, "replication-major: replication r of every unit before r + 1");
    /* the same tasks in another order (units reversed, replications from the
     * top): the same bits for every task */
    static const uint32_t rev[3] = { 2, 1, 0 };
    g.ctx = b;
    g.units = rev;
    int same = 1;
    for (int r = 3; r >= 0; r--) {
        g.rep_from = (uint32_t)r;
        g.rep_to = (uint32_t)r + 1;
        driver_run(&g, &st);
    }
    for (int u = 0; u < 3; u++)
        for (int r = 0; r < 4; r++)
            same &= memcmp(&a->res[u][r].kpi, &b->res[u][r].kpi, sizeof a->res[u][r].kpi) == 0;
    CHECK(same, "the same bits whatever order the tasks run in");
    /* worker threads: the same commits in the same order, the same bits */
    struct drv *w = calloc(1, sizeof *w);
    w->sc = sc;
    w->fail_unit = -1;
    struct grid gw = { .nunits = 3, .rep_from = 0, .rep_to = 4,
                       .result_size = sizeof(struct run_result), .ctx = w, .run = drv_run,
                       .commit = drv_commit, .threads = 3 };
    CHECK(driver_run(&gw, &st) == DRIVER_OK && st.done == 12, "3 threads: 12 tasks");
    CHECK(memcmp(w->order, a->order, sizeof w->order) == 0, "3 threads: canonical commit order");
    same = 1;
    for (int u = 0; u < 3; u++)
        for (int r = 0; r < 4; r++)
            same &= memcmp(&a->res[u][r].kpi, &w->res[u][r].kpi, sizeof a->res[u][r].kpi) == 0;
    CHECK(same, "3 threads: the same bits");
    free(w);
    /* a failing task is committed as failed, with its reason; the rest complete */
    struct drv *c = calloc(1, sizeof *c);
    c->sc = sc;
    c->fail_unit = 1;
    c->fail_rep = 2;
    struct grid gc = { .nunits = 3, .rep_from = 0, .rep_to = 4,
                       .result_size = sizeof(struct run_result), .ctx = c, .run = drv_run,
                       .commit = drv_commit };
    gc.threads = 2;
    CHECK(driver_run(&gc, &st) == DRIVER_OK && st.done == 12 && st.failed == 1 &&
          c->failed_seen == 1 && strcmp(c->why, "injected") == 0,
          "one failed task recorded (%llu failed), the other 11 done",
          (unsigned long long)st.failed);
    CHECK(memcmp(&c->res[2][3].kpi, &a->res[2][3].kpi, sizeof c->res[2][3].kpi) == 0,
          "the tasks after it are unchanged");
    /* interruption: between tasks, at once */
    struct drv *d = calloc(1, sizeof *d);
    d->sc = sc;
    d->fail_unit = -1;
    d->stop_after = 5;
    struct grid gd = gc;
    gd.ctx = d;
    gd.interrupted = &d->flag;
    gd.threads = 1;
    CHECK(driver_run(&gd, &st) == DRIVER_INTERRUPTED && st.done == 5, "interrupted after 5: %llu",
          (unsigned long long)st.done);
    d->ncommit = 0;
    d->flag = 0;
    gd.threads = 2;
    CHECK(driver_run(&gd, &st) == DRIVER_INTERRUPTED && st.done == 5,
          "2 threads: interrupted after 5 commits: %llu", (unsigned long long)st.done);
    free(a); free(b); free(c); free(d); free(sc);
}

/* ---- the engine's bail-out: a broken invariant ends the run, not the process ---- */

static void forever(struct sim *s, void *subject, uint64_t arg)
{
    (void)subject;
    sim_after(s, arg ? 1e-300 : 1.0, 0, forever, NULL, arg);   /* 1e-300: t + d == t */
}

static void nan_time(struct sim *s, void *subject, uint64_t arg)
{
    (void)subject;
    (void)arg;
    sim_after(s, NAN, 0, nan_time, NULL, 0);
}

static int bails(struct sim *s, evq_fn *fn, uint64_t arg, double until, const char *want)
{
    jmp_buf jb;
    s->bail = &jb;
    if (setjmp(jb))
        return strstr(s->failure, want) != NULL;
    sim_at(s, 1.0, 0, fn, NULL, arg);   /* at 1: 1 + 1e-300 == 1, the clock cannot move */
    sim_run(s, until);
    return 0;
}

static void test_bail(void)
{
    struct sim s;
    sim_init(&s, 1, 0, NULL);
    CHECK(bails(&s, forever, 1, 10.0, "clock does not advance"), "a stalled clock: %s", s.failure);
    sim_free(&s);
    sim_init(&s, 1, 0, NULL);
    CHECK(bails(&s, nan_time, 0, 10.0, "internal error"), "a NaN time: %s", s.failure);
    sim_free(&s);
    volatile sig_atomic_t flag = 1;
    sim_init(&s, 1, 0, NULL);
    s.interrupt = &flag;
    CHECK(bails(&s, forever, 0, 1e12, "interrupted"), "an interrupt inside the loop: %s",
          s.failure);
    CHECK(s.events < (1u << 17) + 2, "within 2^16 events of it: %llu",
          (unsigned long long)s.events);
    sim_free(&s);
}

int main(void)
{
    test_designs();
    test_sobol();
    test_morris();
    test_sizing();
    test_sequential();
    test_precision_coverage();
    test_queue_coverage();
    test_mser();
    test_driver();
    test_bail();
    TEST_END("methods");
}
