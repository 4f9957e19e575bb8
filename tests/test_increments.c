/* test_increments.c — sim/increments against answers derived by hand:
 * dominance and extended dominance (dampack's rules) on small constructed
 * frontiers, one that needs a second pass, everything dominated by the
 * reference, ties, one option; the paired intervals against closed forms;
 * Fieller's interval (its ends solve the quadratic; with a constant effect it
 * is the cost interval over the effect; unbounded when the effect's interval
 * holds 0); the coverage of the ICER and net-benefit intervals over 1,000
 * synthetic paired data sets with a known true ratio. */
#include "test.h"
#include "../sim/increments.h"
#include "../sim/stats.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

enum { MAXK = 8, MAXN = 64 };

/* k options with constant samples (n of them, so intervals are [x, x]) at the
 * given mean cost and effect. */
struct fixture {
    double c[MAXK][MAXN], e[MAXK][MAXN];
    struct inc_option opt[MAXK];
    struct inc_row rows[2 * MAXK];
    size_t nrows;
    int ref_status;
};

static int build(struct fixture *f, size_t k, size_t n, const double *cost, const double *eff,
                 size_t ref, double lambda)
{
    for (size_t i = 0; i < k; i++) {
        for (size_t s = 0; s < n; s++) {
            /* the same per-sample noise in every option: it cancels in the pairs */
            double noise = (double)(s % 3) - 1.0;
            f->c[i][s] = cost[i] + 100 * noise;
            f->e[i][s] = eff[i] + noise;
        }
        f->opt[i].cost = f->c[i];
        f->opt[i].effect = f->e[i];
    }
    return inc_compute(f->opt, k, n, ref, 0.95, lambda, f->rows, &f->nrows, &f->ref_status);
}

/* The statuses of rows 0..k as a string of letters: R F D E. */
static void statuses(const struct fixture *f, size_t k, char *out)
{
    for (size_t i = 0; i < k; i++)
        out[i] = "?RFDE"[f->rows[i].status];
    out[k] = 0;
}

static void test_dominance(void)
{
    static struct fixture f;
    char s[MAXK + 1];

    /* A(0,0) ref; B(10,1): ICER 10; C(30,1.5): 40 after B, but D(40,3) is 6.67
     * after C, so C is extended-dominated; E(50,2.5) costs more than D for less:
     * dominated; F(100,4): 60 after D. Frontier A B D F, sequential ICERs
     * 10, 30/2 = 15, 60/1 = 60. */
    const double c1[] = { 0, 10, 30, 40, 50, 100 }, e1[] = { 0, 1, 1.5, 3, 2.5, 4 };
    CHECK(build(&f, 6, 5, c1, e1, 0, NAN) == 0, "compute");
    statuses(&f, 6, s);
    CHECK(strcmp(s, "RFEFDF") == 0, "textbook frontier: got %s, want RFEFDF", s);
    CHECK(f.ref_status == INC_FRONTIER, "the reference is on the frontier: %d", f.ref_status);
    CHECK(f.nrows == 9, "6 rows against the reference + 3 sequential: %zu", f.nrows);
    const size_t so[] = { 1, 3, 5 }, sv[] = { 0, 1, 3 };
    const double si[] = { 10, 15, 60 };
    for (int j = 0; j < 3; j++) {
        const struct inc_row *r = &f.rows[6 + j];
        CHECK(r->against == INC_AGAINST_FRONTIER && r->option == so[j] && r->versus == sv[j],
              "sequential row %d: option %zu versus %zu (against %d)", j, r->option, r->versus,
              r->against);
        CHECK_NEAR(r->icer, si[j], 1e-9, "sequential ICER");
        CHECK_NEAR(r->icer_low, si[j], 1e-9, "constant samples: interval is the point");
    }
    CHECK_NEAR(f.rows[2].icer, 30 / 1.5, 1e-12, "C's ICER against the reference is still given");
    CHECK(f.rows[0].against == INC_AGAINST_REFERENCE && f.rows[0].delta_cost == 0 &&
          isnan(f.rows[0].icer) && f.rows[0].icer_ci == INC_CI_NONE,
          "the reference's own row: 0, no ratio");

    /* the same options given in another order, the reference elsewhere:
     * the same statuses, option by option */
    const size_t perm[] = { 4, 2, 5, 0, 3, 1 };
    double c2[6], e2[6];
    for (int i = 0; i < 6; i++) {
        c2[i] = c1[perm[i]] + 7;   /* a common shift changes no increment */
        e2[i] = e1[perm[i]] - 2;
    }
    CHECK(build(&f, 6, 5, c2, e2, 3, NAN) == 0, "compute (permuted)");
    statuses(&f, 6, s);
    CHECK(strcmp(s, "DEFRFF") == 0, "permuted frontier: got %s, want DEFRFF", s);

    /* extended dominance that shows only after a first removal: A(0,0)
     * B(10,1) C(12,1.1) D(40,2) E(42,3). Pass 1: ICERs 10, 20, 31.1, 2 -> D
     * out. Pass 2: 10, 20, 30/1.9 = 15.8 -> C out. Pass 3: 10, 16: stable. */
    const double c3[] = { 0, 10, 12, 40, 42 }, e3[] = { 0, 1, 1.1, 2, 3 };
    CHECK(build(&f, 5, 4, c3, e3, 0, NAN) == 0, "compute (two passes)");
    statuses(&f, 5, s);
    CHECK(strcmp(s, "RFEEF") == 0, "second-pass extended dominance: got %s, want RFEEF", s);
    CHECK(f.nrows == 7 && f.rows[6].option == 4 && f.rows[6].versus == 1,
          "E's sequential ICER is against B: rows %zu, %zu vs %zu", f.nrows, f.rows[6].option,
          f.rows[6].versus);
    CHECK_NEAR(f.rows[6].icer, 32.0 / 2.0, 1e-9, "E against B");

    /* collinear options (equal ICERs) stay on the frontier, as in dampack */
    const double c4[] = { 0, 10, 20, 30 }, e4[] = { 0, 1, 2, 3 };
    build(&f, 4, 3, c4, e4, 0, NAN);
    statuses(&f, 4, s);
    CHECK(strcmp(s, "RFFF") == 0, "collinear: got %s, want RFFF", s);

    /* everything dominated by the reference (cheaper and better than all) */
    const double c5[] = { 0, 5, 10, 3, 0 }, e5[] = { 0, -1, -0.5, -2, 0 };
    CHECK(build(&f, 5, 4, c5, e5, 0, NAN) == 0, "compute (all dominated)");
    statuses(&f, 5, s);
    CHECK(strcmp(s, "RDDDD") == 0, "all dominated (the last an exact twin of the reference): %s",
          s);
    CHECK(f.nrows == 5, "no sequential rows when the frontier is one option: %zu", f.nrows);
    CHECK(f.rows[1].icer < 0, "a dearer, worse option has a negative ICER: %g", f.rows[1].icer);

    /* a cheaper, worse option starts the frontier; the reference is then
     * compared against it in a sequential row */
    const double c6[] = { 0, -5, 8 }, e6[] = { 0, -1, 1 };
    build(&f, 3, 4, c6, e6, 0, NAN);
    statuses(&f, 3, s);
    CHECK(strcmp(s, "RFF") == 0, "cheaper-and-worse on the frontier: %s", s);
    CHECK(f.nrows == 5 && f.rows[3].option == 0 && f.rows[3].versus == 1 &&
          f.rows[3].status == INC_REFERENCE,
          "the reference's sequential row is against the cheaper option");
    CHECK_NEAR(f.rows[3].icer, 5.0, 1e-12, "5 yuan for 1 more");
    CHECK_NEAR(f.rows[4].icer, 8.0, 1e-12, "then 8 for 1 more");

    /* a reference that is dominated keeps its status name; ref_status says where */
    const double c7[] = { 0, -1, 5 }, e7[] = { 0, 1, 2 };
    build(&f, 3, 4, c7, e7, 0, NAN);
    statuses(&f, 3, s);
    CHECK(strcmp(s, "RFF") == 0 && f.ref_status == INC_DOMINATED,
          "a dominated reference: %s, ref_status %d", s, f.ref_status);

    /* ties: equal cost -> the less effective is dominated; equal effect ->
     * the dearer; exact twins -> the one given later */
    const double c8[] = { 0, 10, 10, 12, 20, 20 }, e8[] = { 0, 0.5, 1, 1, 2, 2 };
    build(&f, 6, 3, c8, e8, 0, NAN);
    statuses(&f, 6, s);
    CHECK(strcmp(s, "RDFDFD") == 0, "ties: got %s, want RDFDFD", s);

    /* one option: its own row, nothing else */
    const double c9[] = { 3 }, e9[] = { 1 };
    CHECK(build(&f, 1, 3, c9, e9, 0, 2.0) == 0, "compute (one option)");
    CHECK(f.nrows == 1 && f.rows[0].status == INC_REFERENCE && f.ref_status == INC_FRONTIER &&
          f.rows[0].net_benefit == 0,
          "one option: %zu rows, status %d", f.nrows, f.rows[0].status);

    /* bad arguments and an option without a usable pair */
    size_t nr;
    CHECK(inc_compute(f.opt, 0, 3, 0, 0.95, NAN, f.rows, &nr, NULL) == -1, "k = 0");
    CHECK(inc_compute(f.opt, 1, 3, 1, 0.95, NAN, f.rows, &nr, NULL) == -1, "ref out of range");
    CHECK(inc_compute(f.opt, 1, 3, 0, 1.0, NAN, f.rows, &nr, NULL) == -1, "level 1");
    build(&f, 3, 3, c6, e6, 0, NAN);
    for (int s2 = 0; s2 < 3; s2++)
        f.c[2][s2] = NAN;
    CHECK(inc_compute(f.opt, 3, 3, 0, 0.95, NAN, f.rows, &nr, NULL) == -2 - 2,
          "option 2 failed in every sample: -4");

    CHECK(strcmp(inc_status_names[INC_EXTENDED_DOMINATED], "extended_dominated") == 0 &&
          inc_status_names[0] == NULL && INC_REFERENCE == 1,
          "enum names indexed from 1");
}

/* The intervals of one pair against closed forms. */
static void test_pair(void)
{
    /* dC = 10, 12, 14, 16, 18 (mean 14, sd sqrt(10)); dE = 2 everywhere */
    double ca[5] = { 10, 12, 14, 16, 18 }, ea[5] = { 3, 3, 3, 3, 3 };
    double cb[5] = { 0 }, eb[5] = { 1, 1, 1, 1, 1 };
    struct inc_option a = { ca, ea }, b = { cb, eb };
    struct inc_row r;
    inc_pair(&a, &b, 5, 0.95, 10.0, &r);
    double tq = stats_t_quantile(0.95, 4), h = tq * sqrt(10.0) / sqrt(5.0);
    CHECK(r.n == 5, "n %u", r.n);
    CHECK_NEAR(r.delta_cost, 14, 1e-12, "mean dC");
    CHECK_NEAR(r.delta_cost_low, 14 - h, 1e-9, "dC low (t, 4 df)");
    CHECK_NEAR(r.delta_cost_high, 14 + h, 1e-9, "dC high");
    CHECK_NEAR(r.delta_effect_low, 2, 1e-12, "constant dE: a point interval");
    CHECK_NEAR(r.icer, 7, 1e-12, "ICER 14 / 2");
    CHECK(r.icer_ci == INC_CI_BOUNDED, "bounded");
    /* a constant effect: Fieller's interval is the cost interval over it */
    CHECK_NEAR(r.icer_low, (14 - h) / 2, 1e-9, "Fieller low = dC low / dE");
    CHECK_NEAR(r.icer_high, (14 + h) / 2, 1e-9, "Fieller high");
    /* net benefit 10 * 2 - dC: mean 6, the cost's half-width */
    CHECK_NEAR(r.net_benefit, 6, 1e-12, "NB");
    CHECK_NEAR(r.net_benefit_high - r.net_benefit, h, 1e-9, "NB half-width");
    CHECK(isnan(r.icer) == 0 && r.icer_low < r.icer && r.icer < r.icer_high, "inside");

    /* a failed replication is left out of the pairs */
    ca[4] = NAN;
    inc_pair(&a, &b, 5, 0.95, NAN, &r);
    CHECK(r.n == 4 && r.delta_cost == 13 && isnan(r.net_benefit), "NaN pair skipped: n %u, dC %g",
          r.n, r.delta_cost);
    ca[4] = 18;

    /* the effect's interval includes 0: no bounded interval, NaN stored */
    double e0[5] = { 1.5, 0.5, 1.2, 0.8, 1.1 };   /* dE = .5 -.5 .2 -.2 .1 */
    struct inc_option a0 = { ca, e0 };
    inc_pair(&a0, &b, 5, 0.95, NAN, &r);
    CHECK(r.delta_effect_low < 0 && r.delta_effect_high > 0, "the effect's CI holds 0");
    CHECK(r.icer_ci == INC_CI_UNBOUNDED && isnan(r.icer_low) && isnan(r.icer_high),
          "unbounded: ci %d, [%g, %g]", r.icer_ci, r.icer_low, r.icer_high);
    CHECK_NEAR(r.icer, 14 / 0.02, 1e-6, "the ratio of the means is still stored");

    /* one pair: no interval */
    inc_pair(&a, &b, 1, 0.95, NAN, &r);
    CHECK(r.n == 1 && isnan(r.delta_cost_low) && r.icer_ci == INC_CI_NONE, "n = 1");

    /* Fieller's ends solve (mC - R mE)^2 = t^2 var(mC - R mE), on correlated data */
    double c3[6] = { 5, 9, 4, 12, 8, 7 }, e3[6] = { 1.0, 1.6, 0.9, 2.1, 1.1, 1.5 };
    double z[6] = { 0 };
    struct inc_option a3 = { c3, e3 }, b3 = { z, z };
    inc_pair(&a3, &b3, 6, 0.95, NAN, &r);
    double mc = 0, me = 0, cc = 0, ee = 0, ce = 0;
    for (int i = 0; i < 6; i++) {
        mc += c3[i] / 6;
        me += e3[i] / 6;
    }
    for (int i = 0; i < 6; i++) {
        cc += (c3[i] - mc) * (c3[i] - mc) / 5 / 6;
        ee += (e3[i] - me) * (e3[i] - me) / 5 / 6;
        ce += (c3[i] - mc) * (e3[i] - me) / 5 / 6;
    }
    double t2 = pow(stats_t_quantile(0.95, 5), 2);
    for (int end = 0; end < 2; end++) {
        double R = end ? r.icer_high : r.icer_low;
        double f = (mc - R * me) * (mc - R * me) - t2 * (cc - 2 * R * ce + R * R * ee);
        CHECK(fabs(f) < 1e-9 * (mc * mc + 1), "Fieller end %d: f(%g) = %g", end, R, f);
    }
    double R = r.icer;
    CHECK((mc - R * me) * (mc - R * me) - t2 * (cc - 2 * R * ce + R * R * ee) < 0,
          "the point estimate is inside");
}

/* Coverage: dE ~ N(2, 1), dC ~ N(30, 10) with correlation 0.3, n = 30: the
 * true ratio is 15, the true net benefit at lambda 20 is 10. Fieller's
 * interval is exact for normal data, so about 95% of 1,000 intervals cover
 * (binomial sd 0.7%). */
static void test_coverage(void)
{
    enum { N = 30, SETS = 1000 };
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 20261203);
    double c[N], e[N], z[N] = { 0 };
    struct inc_option a = { c, e }, b = { z, z };
    int cover = 0, cover_nb = 0, bounded = 0, cover_naive = 0;
    double width = 0;
    for (int set = 0; set < SETS; set++) {
        for (int i = 0; i < N; i++) {
            double x, y;
            gsl_ran_bivariate_gaussian(g, 10.0, 1.0, 0.3, &x, &y);
            c[i] = 30 + x;
            e[i] = 2 + y;
        }
        struct inc_row r;
        inc_pair(&a, &b, N, 0.95, 20.0, &r);
        bounded += r.icer_ci == INC_CI_BOUNDED;
        cover += r.icer_low <= 15 && 15 <= r.icer_high;
        cover_nb += r.net_benefit_low <= 10 && 10 <= r.net_benefit_high;
        width += (r.icer_high - r.icer_low) / SETS;
        /* the cost interval divided by the mean effect ignores the effect's
         * noise: it must cover visibly less (a check that the test can fail) */
        cover_naive += r.delta_cost_low / r.delta_effect <= 15 &&
                       15 <= r.delta_cost_high / r.delta_effect;
    }
    gsl_rng_free(g);
    double p = (double)cover / SETS, pn = (double)cover_nb / SETS;
    CHECK(bounded == SETS, "effect well away from 0: every interval bounded (%d)", bounded);
    CHECK(p >= 0.93 && p <= 0.97, "Fieller coverage %.3f in [0.93, 0.97] (n=30, 1,000 sets)", p);
    CHECK(pn >= 0.93 && pn <= 0.97, "net benefit coverage %.3f", pn);
    CHECK((double)cover_naive / SETS < 0.90, "the naive interval undercovers: %.3f",
          (double)cover_naive / SETS);
    printf("# coverage: Fieller %.3f (mean width %.2f around 15), net benefit %.3f, naive %.3f\n",
           p, width, pn, (double)cover_naive / SETS);
}

int main(void)
{
    test_dominance();
    test_pair();
    test_coverage();
    TEST_END("increments");
}
