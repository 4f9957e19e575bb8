/* test.h — a tiny test harness. CHECK prints the values it got when it
 * fails; TEST_END prints "# NAME: N passed, N failed" for tests/run.sh to
 * total, and sets the exit status. One binary per module. */
#ifndef INCUBSIM_TEST_H
#define INCUBSIM_TEST_H

#include <math.h>
#include <stdio.h>

struct test_counts {
    int passed, failed;
};

#define TEST_BEGIN() struct test_counts tc_ = { 0, 0 }

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

#define TEST_END(name) do {                                              \
    printf("# %s: %d passed, %d failed\n", name, tc_.passed, tc_.failed); \
    return tc_.failed ? 1 : 0;                                           \
} while (0)

#endif
