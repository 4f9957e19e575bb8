/* test.h — a tiny test harness. The counts live at file scope (one test
 * binary = one translation unit), so a test is a named function that calls
 * CHECK, and main() is the list of them. CHECK prints the values it got when
 * it fails; SKIP counts a check that could not run here (a missing tool or
 * privilege) — never as passed; TEST_END prints "# NAME: N passed, N failed"
 * (", N skipped" when any were) for tests/run.sh to total, and returns the
 * exit status. One binary per module. */
#ifndef INCUBSIM_TEST_H
#define INCUBSIM_TEST_H

#include <math.h>
#include <stdio.h>

static struct test_counts {
    int passed, failed, skipped;
} tc_;

/* kept so a main() may still open with it; the counts need no setup */
#define TEST_BEGIN() ((void)0)

#define CHECK(cond, ...) do {                                            \
    if (cond) {                                                          \
        tc_.passed++;                                                    \
    } else {                                                             \
        tc_.failed++;                                                    \
        printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);           \
        printf(__VA_ARGS__);                                             \
        printf("\n");                                                    \
    }                                                                    \
} while (0)

/* |got - want| <= tol, printing both. */
#define CHECK_NEAR(got, want, tol, what) do {                            \
    double g_ = (got), w_ = (want), t_ = (tol);                          \
    CHECK(fabs(g_ - w_) <= t_, "%s: got %.9g, want %.9g +- %.3g", what, g_, w_, t_); \
} while (0)

/* A check that cannot run here: counted as skipped, with why. */
#define SKIP(...) do {                                                   \
    tc_.skipped++;                                                       \
    printf("SKIP %s:%d: ", __FILE__, __LINE__);                          \
    printf(__VA_ARGS__);                                                 \
    printf("\n");                                                        \
} while (0)

#define TEST_END(name) do {                                              \
    if (tc_.skipped)                                                     \
        printf("# %s: %d passed, %d failed, %d skipped\n", name,         \
               tc_.passed, tc_.failed, tc_.skipped);                     \
    else                                                                 \
        printf("# %s: %d passed, %d failed\n", name, tc_.passed, tc_.failed); \
    return tc_.failed ? 1 : 0;                                           \
} while (0)

#endif
