/* test_robust.c — size --robust's method (sim/sizing.h, size_robust_run) on
 * constructed cases whose answer is known exactly:
 * - D draws theta_d = (d + 0.5) 100 / D of an assumption, each draw's mean
 *   output at lever value v is v - theta_d (no noise), the target at_least 0:
 *   draw d meets it iff v >= theta_d, so the share at an integer v is
 *   floor-free v / 100 when D = 100 and the answer at P is ceil(100 P);
 * - the same mirrored (at_most), a range where the target is never met, one
 *   where it is met at the minimum, draws without a defined mean;
 * - the Wilson interval against its textbook value; the bootstrap interval
 *   holds the answer and its ends are probed values; same inputs, same bits. */
#include "test.h"
#include "../sim/sizing.h"

#include <stdlib.h>
#include <string.h>

struct lin {
    uint32_t D;
    int      mirrored;    /* mean theta_d - v, target at_most 0 */
    int      nan_from;    /* draws d >= nan_from have no mean (D: none) */
    uint32_t calls, bad_point;
    double   seen[40];    /* the values probed, in order */
};

static int lin_eval(void *ctx, uint32_t point, double value, double *means)
{
    struct lin *L = ctx;
    if (point != L->calls)
        L->bad_point++;   /* probes must come numbered in order */
    if (L->calls < 40)
        L->seen[L->calls] = value;
    L->calls++;
    for (uint32_t d = 0; d < L->D; d++) {
        double theta = (d + 0.5) * 100.0 / L->D;
        means[d] = (int)d >= L->nan_from ? NAN : L->mirrored ? theta - value : value - theta;
    }
    return 0;
}

static struct size_spec spec_of(double lo, double hi, int at_most)
{
    return (struct size_spec){ .lo = lo, .hi = hi, .step = 1, .target = 0, .at_most = at_most,
                               .confidence = 0.95, .tolerance = 1, .n0 = 2, .max_n = 2 };
}

static void test_known_answers(void)
{
    struct size_result *res = malloc(sizeof *res);
    const double ps[] = { 0.5, 0.9, 0.95, 0.333 };
    for (int mirrored = 0; mirrored < 2; mirrored++)
        for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
            struct lin L = { .D = 100, .mirrored = mirrored, .nan_from = 100 };
            struct size_spec s = spec_of(0, 100, mirrored);
            struct size_robust_spec rs = { ps[i], 100, 500, 7 };
            int rc = size_robust_run(&s, &rs, lin_eval, &L, res);
            double want = ceil(100 * ps[i] - 1e-9);
            CHECK(rc == 0 && res->status == SIZE_MET && res->answer == want &&
                  res->answer_low == want - 1 && res->answer_high == want,
                  "P %.3g%s: answer %g (%g, %g], want %g", ps[i], mirrored ? " (at_most)" : "",
                  res->answer, res->answer_low, res->answer_high, want);
            CHECK_NEAR(res->share_at_answer, want / 100, 1e-12, "share at the answer");
            CHECK(res->robust == ps[i] && res->draws == 100 && L.bad_point == 0 &&
                  res->nprobes == (int)L.calls && res->nprobes <= 2 + 7,
                  "bookkeeping: P %g, D %u, %d probes, %u calls", res->robust, res->draws,
                  res->nprobes, L.calls);
            /* every probe's share and the bisection's reading of it */
            int ok = 1, probed_lo = 0, probed_hi = 0;
            for (int k = 0; k < res->nprobes; k++) {
                const struct size_probe *p = &res->probes[k];
                double share = p->value / 100;
                ok &= fabs(p->share - share) < 1e-12 && p->share_low <= p->share &&
                      p->share_high >= p->share && p->n == 100;
                ok &= (p->share >= ps[i]) == (p->value >= want);
                probed_lo |= p->value == res->boot_low;
                probed_hi |= p->value == res->boot_high;
            }
            CHECK(ok, "each probe's share is value / 100 with its Wilson interval");
            CHECK(res->boot == 500 && res->boot_low <= res->answer &&
                  res->boot_high >= res->answer && probed_lo && probed_hi,
                  "bootstrap [%g, %g] holds %g, its ends probed", res->boot_low, res->boot_high,
                  res->answer);
        }
    /* the probes right at the answer have the share near P: undecided; the
     * range's ends are far from it: decided */
    struct lin L = { .D = 100, .nan_from = 100 };
    struct size_spec s = spec_of(0, 100, 0);
    struct size_robust_spec rs = { 0.9, 100, 200, 7 };
    CHECK(size_robust_run(&s, &rs, lin_eval, &L, res) == 0, "runs");
    CHECK(res->probes[0].decision == SIZE_FEASIBLE && res->probes[1].decision == SIZE_INFEASIBLE,
          "the top (share 1) is decided feasible, the bottom (share 0) infeasible: %d %d",
          res->probes[0].decision, res->probes[1].decision);
    int at = -1;
    for (int k = 0; k < res->nprobes; k++)
        if (res->probes[k].value == 90)
            at = k;
    CHECK(at >= 0 && res->probes[at].decision == SIZE_UNDECIDED && res->undecided >= 1,
          "at the answer the share 0.9 = P is undecided");
    free(res);
}

static void test_edges(void)
{
    struct size_result *res = malloc(sizeof *res);
    /* never met: the share at hi = 50 is 0.5 < 0.9 */
    struct lin L = { .D = 100, .nan_from = 100 };
    struct size_spec s = spec_of(0, 50, 0);
    struct size_robust_spec rs = { 0.9, 100, 100, 7 };
    CHECK(size_robust_run(&s, &rs, lin_eval, &L, res) == 0 && res->status == SIZE_NOT_MET &&
          res->answer_low == 50 && isnan(res->answer) && res->nprobes == 1 &&
          isnan(res->share_at_answer) && isinf(res->boot_low),
          "not met in range: status %d, low %g, boot %g", res->status, res->answer_low,
          res->boot_low);
    /* met at the minimum: at 95 the share is 0.95 >= 0.5 */
    struct lin M = { .D = 100, .nan_from = 100 };
    s = spec_of(95, 100, 0);
    rs.p = 0.5;
    CHECK(size_robust_run(&s, &rs, lin_eval, &M, res) == 0 && res->status == SIZE_MET_AT_MIN &&
          res->answer == 95 && res->nprobes == 2, "met at the minimum: %d %g", res->status,
          res->answer);
    /* draws without a mean: a few count as not meeting it; most stop the search */
    struct lin N = { .D = 100, .nan_from = 80 };   /* 20 undefined: share at most 0.8 */
    s = spec_of(0, 100, 0);
    rs.p = 0.5;
    CHECK(size_robust_run(&s, &rs, lin_eval, &N, res) == 0 && res->answer == 50 &&
          res->probes[0].n == 80 && res->probes[0].undefined == 20 &&
          fabs(res->probes[0].share - 0.8) < 1e-12,
          "20 undefined draws: answer %g, n %u, share %g", res->answer, res->probes[0].n,
          res->probes[0].share);
    struct lin U = { .D = 100, .nan_from = 40 };   /* 60 undefined */
    CHECK(size_robust_run(&s, &rs, lin_eval, &U, res) == SIZE_UNDEFINED && res->nprobes == 1,
          "most draws undefined: SIZE_UNDEFINED");
    /* bad specs */
    rs.p = 1;
    CHECK(size_robust_run(&s, &rs, lin_eval, &N, res) == -1, "P = 1 refused");
    rs.p = 0;
    CHECK(size_robust_run(&s, &rs, lin_eval, &N, res) == -1, "P = 0 refused");
    rs = (struct size_robust_spec){ 0.5, 0, 10, 1 };
    CHECK(size_robust_run(&s, &rs, lin_eval, &N, res) == -1, "no draws refused");
    free(res);
}

static void test_wilson_and_bits(void)
{
    double lo, hi;
    size_wilson(5, 10, 1.959963984540054, &lo, &hi);
    CHECK_NEAR(lo, 0.2366, 5e-5, "Wilson 5/10 lower");
    CHECK_NEAR(hi, 0.7634, 5e-5, "Wilson 5/10 upper");
    size_wilson(0, 20, 1.959963984540054, &lo, &hi);
    CHECK(lo == 0 && fabs(hi - 0.1611) < 5e-5, "Wilson 0/20: [%g, %g]", lo, hi);
    size_wilson(0, 0, 1.96, &lo, &hi);
    CHECK(isnan(lo) && isnan(hi), "no trials: NaN");
    /* same inputs, same bits; another bootstrap seed moves only the bootstrap */
    struct size_result *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    struct lin L1 = { .D = 37, .nan_from = 37 }, L2 = L1, L3 = L1;
    struct size_spec s = spec_of(0, 100, 0);
    struct size_robust_spec rs = { 0.8, 37, 300, 11 };
    size_robust_run(&s, &rs, lin_eval, &L1, a);
    size_robust_run(&s, &rs, lin_eval, &L2, b);
    CHECK(memcmp(a, b, sizeof *a) == 0, "the same inputs give the same bits");
    rs.seed = 12;
    size_robust_run(&s, &rs, lin_eval, &L3, b);
    CHECK(a->answer == b->answer && a->nprobes == b->nprobes, "the seed keys the bootstrap only");
    free(a);
    free(b);
}

int main(void)
{
    test_known_answers();
    test_edges();
    test_wilson_and_bits();
    TEST_END("test_robust");
}
