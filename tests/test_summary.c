/* test_summary.c — statistics over replications: known values, paired
 * differences, order independence, flat memory in replication-major order. */
#include "test.h"
#include "../output/summary.h"

#include <string.h>

static struct kpi k_of(double landed, double sourced)
{
    struct kpi k;
    memset(&k, 0, sizeof k);
    k.landed = landed;
    k.sourced = sourced;
    return k;
}

int main(void)
{
    int L = kpi_index("landed");
    CHECK(L >= 0 && kpi_index("no_such_kpi") == -1, "kpi_index");

    /* base lands 10, 12, 14; policy lands base + 1, +2, +3 (paired: diffs 1, 2, 3) */
    struct summary s;
    summary_init(&s);
    CHECK(summary_unit(&s, "policy", 0) == 0 && summary_unit(&s, "baseline", 0) == 1, "units");
    CHECK(summary_unit(&s, "policy", 0) == 0, "declaring twice is a no-op");
    CHECK(summary_set_baseline(&s, NULL) == 0 && s.baseline == 1, "default baseline by name");
    CHECK(summary_set_baseline(&s, "nope") == -1, "unknown baseline refused");
    summary_set_baseline(&s, NULL);
    size_t max_pending = 0;
    for (uint32_t r = 0; r < 3; r++) {
        struct kpi b = k_of(10 + 2 * r, 100), p = k_of(11 + 3 * r, 100);
        summary_add(&s, "baseline", 0, r, &b);
        if (s.npending > max_pending) max_pending = s.npending;
        summary_add(&s, "policy", 0, r, &p);
        if (s.npending > max_pending) max_pending = s.npending;
    }
    CHECK(max_pending == 1 && s.npending == 0, "replication-major: one replication waits at a time (%zu)",
          max_pending);
    CHECK(summary_unit(&s, "late", 0) == -1, "no new unit once values arrived");
    summary_finish(&s);
    struct summary_stat st;
    summary_stat(&s, 0, (size_t)L, &st);
    CHECK_NEAR(st.mean, 14.0, 1e-12, "policy mean");
    CHECK_NEAR(st.diff_mean, 2.0, 1e-12, "paired difference mean");
    /* t(0.975, 2) = 4.30265272975; sd of (1,2,3) = 1 */
    CHECK_NEAR(st.diff_high - st.diff_mean, 4.30265272975 / sqrt(3.0), 1e-9, "paired CI half-width");
    CHECK(st.n == 3 && st.diff_n == 3, "counts %g %g", st.n, st.diff_n);
    summary_stat(&s, 1, (size_t)L, &st);
    CHECK(isnan(st.diff_mean), "no difference for the baseline itself");

    /* the same rows in another order, one replication incomplete */
    struct summary t;
    summary_init(&t);
    summary_unit(&t, "policy", 0);
    summary_unit(&t, "baseline", 0);
    summary_set_baseline(&t, "baseline");
    uint32_t order[] = { 2, 0, 1 };
    for (int i = 0; i < 3; i++) {
        uint32_t r = order[i];
        struct kpi p = k_of(11 + 3 * r, 100);
        summary_add(&t, "policy", 0, r, &p);
    }
    for (int i = 0; i < 2; i++) {   /* the baseline never reports replication 1 */
        uint32_t r = order[i];
        struct kpi b = k_of(10 + 2 * r, 100);
        summary_add(&t, "baseline", 0, r, &b);
    }
    CHECK(t.npending == 1, "replication 1 waits: %zu", t.npending);
    summary_finish(&t);
    summary_stat(&t, 0, (size_t)L, &st);
    CHECK(st.n == 3 && st.diff_n == 2, "policy counted 3 times, paired twice: %g %g", st.n, st.diff_n);
    CHECK_NEAR(st.diff_mean, 2.0, 1e-12, "pairs (r0: 1, r2: 3)");
    summary_free(&s);
    summary_free(&t);
    TEST_END("summary");
}
