/* test_stats.c — Welford tallies, time-weighted means, t-intervals. */
#include "test.h"
#include "../sim/stats.h"
#include "../sim/resource.h"

int main(void)
{
    struct tally t = { 0 };
    for (int i = 1; i <= 10; i++)
        tally_add(&t, i);
    CHECK_NEAR(t.mean, 5.5, 1e-12, "mean of 1..10");
    CHECK_NEAR(tally_var(&t), 55.0 / 6.0, 1e-12, "variance of 1..10");
    CHECK(t.min == 1 && t.max == 10, "min %g max %g", t.min, t.max);
    /* t(0.975, 9) = 2.2621571628; halfwidth = t * sd / sqrt(n) */
    CHECK_NEAR(stats_t_quantile(0.95, 9), 2.2621571628, 1e-8, "t quantile");
    CHECK_NEAR(tally_halfwidth(&t, 0.95), 2.2621571628 * sqrt(55.0 / 6.0) / sqrt(10.0), 1e-8,
               "95% halfwidth");

    /* numerically stable far from zero, where sum-of-squares cancels */
    struct tally big = { 0 };
    for (int i = 0; i < 1000000; i++)
        tally_add(&big, 1e9 + (i % 2 ? 1.0 : -1.0));
    CHECK_NEAR(big.mean, 1e9, 1e-6, "mean near 1e9");
    CHECK_NEAR(tally_var(&big), 1.000001, 1e-6, "variance near 1e9");

    struct tally one = { 0 };
    tally_add(&one, 3.0);
    CHECK(isnan(tally_var(&one)) && isnan(tally_halfwidth(&one, 0.95)), "n = 1 has no interval");

    /* time-weighted: 2 for 1 year, 4 for 3 years -> 3.5 */
    struct twa w = { 0 };
    twa_reset(&w, 0.0);
    twa_set(&w, 0.0, 2.0);
    twa_set(&w, 1.0, 4.0);
    CHECK_NEAR(twa_mean(&w, 4.0), 3.5, 1e-12, "time-weighted mean");
    twa_reset(&w, 4.0);
    CHECK_NEAR(twa_mean(&w, 6.0), 4.0, 1e-12, "after a reset the current value carries on");

    /* a resource: 1 seat, queue limit 1 */
    struct resource r;
    int A, B, C;
    res_init(&r, 1, 1, 0.0, NULL);
    CHECK(res_arrive(&r, 0.0, &A) == RES_SEIZED, "first gets the seat");
    CHECK(res_arrive(&r, 1.0, &B) == RES_QUEUED, "second waits");
    CHECK(res_arrive(&r, 1.5, &C) == RES_BALKED, "third is turned away");
    res_release(&r, 2.0, 0.0);
    CHECK(res_next(&r, 2.0) == &B, "the waiting one gets the seat");
    res_release(&r, 4.0, 1.0);
    CHECK(res_next(&r, 4.0) == NULL, "nobody left");
    CHECK(r.arrivals == 3 && r.served == 2 && r.balked == 1, "counts %g %g %g", r.arrivals, r.served, r.balked);
    CHECK_NEAR(mean_of(&r.wait), 0.5, 1e-12, "mean wait (0 and 1)");
    CHECK_NEAR(mean_of(&r.sojourn), 2.5, 1e-12, "mean sojourn (2 and 3)");
    CHECK_NEAR(res_utilisation(&r, 4.0), 1.0, 1e-12, "utilisation");
    CHECK_NEAR(res_mean_queue(&r, 4.0), 0.25, 1e-12, "mean queue (1 for 1 of 4 years)");
    res_free(&r);
    TEST_END("stats");
}
