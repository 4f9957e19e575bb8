/* test_alloc.c — out of memory, as Lua and SQLite test it: a scenario load
 * and a replication are run with an allocator (sim/alloc.h, passed
 * explicitly, not a global) that fails its n-th call, for every n from 1 to
 * the number of calls a whole load or run makes (libconfig's own parse is
 * outside: it has no allocator hook). A load must fail with "out of memory";
 * a run must end with MODEL_NO_MEMORY and "out of memory". Every block either
 * got back is freed (counted here; make check runs this under ASan too), and
 * nothing crashes; one call more than that, and the load or run is the
 * normal one, bit for bit (no allocation failure may be absorbed into a wrong
 * answer, such as an arrival turned away). */
#include "test.h"
#include "model_util.h"

#include <string.h>

/* The C library's realloc, counting calls and blocks, failing call fail_at. */
struct failing {
    long calls, fail_at, live, failed;
};

static void *failing_fn(void *ctx, void *p, size_t n)
{
    struct failing *f = ctx;
    if (n == 0) {
        if (p)
            f->live--;
        free(p);
        return NULL;
    }
    if (++f->calls == f->fail_at) {
        f->failed++;
        return NULL;
    }
    void *q = realloc(p, n);
    if (q && !p)
        f->live++;
    return q;
}

static int run_with(const struct scenario *sc, struct failing *f, struct run_result *out)
{
    struct alloc al = { failing_fn, f };
    struct model_sink sink = { .alloc = &al };
    memset(out, 0, sizeof *out);
    return model_run(sc, 1, 2026, &sink, out);
}

/* Every n from 1 to a whole run's calls; `what` names the scenario. */
static void every_failure(const struct scenario *sc, const char *what, long at_least)
{
    struct run_result *ref = malloc(sizeof *ref), *res = malloc(sizeof *res);
    struct failing f = { 0 };
    CHECK(run_with(sc, &f, ref) == MODEL_OK, "%s: the run without a failure", what);
    long calls = f.calls;
    CHECK(f.live == 0, "%s: every block freed after a normal run (%ld left)", what, f.live);
    /* the hook reaches the queue, every carrier's ring and the projects */
    CHECK(calls >= at_least, "%s: %ld allocations go through the hook, want >= %ld", what, calls,
          at_least);
    printf("    %s: %ld allocations, each made to fail in turn\n", what, calls);
    long wrong_rc = 0, leaked = 0, unsaid = 0, first_bad = 0;
    for (long n = 1; n <= calls; n++) {
        struct failing g = { .fail_at = n };
        int rc = run_with(sc, &g, res);
        int bad = 0;
        if (rc != MODEL_NO_MEMORY || g.failed != 1) {
            wrong_rc++;
            bad = 1;
        }
        if (g.live != 0) {
            leaked++;
            bad = 1;
        }
        if (strcmp(res->why, "out of memory") != 0) {
            unsaid++;
            bad = 1;
        }
        if (bad && !first_bad) {
            first_bad = n;
            printf("    %s: allocation %ld of %ld failing: rc %d (%s), %ld blocks left\n", what, n,
                   calls, rc, res->why, g.live);
        }
    }
    CHECK(wrong_rc == 0, "%s: %ld of %ld failures did not end the run with MODEL_NO_MEMORY",
          what, wrong_rc, calls);
    CHECK(leaked == 0, "%s: %ld of %ld failures leaked", what, leaked, calls);
    CHECK(unsaid == 0, "%s: %ld of %ld failures did not say \"out of memory\"", what, unsaid, calls);
    /* past the last call nothing fails: the same bits as the reference */
    struct failing g = { .fail_at = calls + 1 };
    CHECK(run_with(sc, &g, res) == MODEL_OK && g.failed == 0 && g.live == 0 &&
          memcmp(res, ref, sizeof *res) == 0, "%s: with room, the same bits as a normal run", what);
    free(ref);
    free(res);
}

/* A queue that outgrows its ring (64 waiting): the growth that failed before
 * turned the arrival away silently, a wrong answer with MODEL_OK. */
static void test_queue_growth(void)
{
    struct scenario *sc = load("tests/validation/jackson.cfg");
    sc->carriers[0].capacity = 1;      /* 100 arrivals a year on one seat: a long queue */
    sc->horizon = 3;
    sc->warmup = 0;
    every_failure(sc, "a long queue", sc->ncarriers + 2);
    free(sc);
}

static void test_jackson(void)
{
    struct scenario *sc = load("tests/validation/jackson.cfg");
    sc->horizon = 8;
    every_failure(sc, "jackson", sc->ncarriers + 2);
    free(sc);
}

/* the whole model: firms, the economy, every instrument */
static void test_baseline(void)
{
    struct scenario *sc = load("scenarios/baseline.cfg");
    sc->horizon = 8;
    sc->warmup = 2;
    every_failure(sc, "baseline", sc->ncarriers + 3);
    free(sc);
}

/* A scenario load: every n fails with "out of memory" and leaves nothing;
 * past the last call the scenario loads as it does with the C library's. */
static void load_failures(const char *path)
{
    struct scenario *ref = calloc(1, sizeof *ref), *sc = calloc(1, sizeof *sc);
    struct diag d;
    struct failing f = { 0 };
    struct alloc al = { failing_fn, &f };
    CHECK(scenario_load_alloc(path, ref, &d, &al) == 0 && f.live == 0,
          "%s loads through the hook (%ld blocks left)", path, f.live);
    long calls = f.calls, wrong = 0, leaked = 0;
    printf("    %s: %ld allocations, each made to fail in turn\n", path, calls);
    CHECK(calls >= 4, "%s: the file, its lines and its copies go through the hook: %ld", path,
          calls);
    for (long n = 1; n <= calls; n++) {
        struct failing g = { .fail_at = n };
        struct alloc gl = { failing_fn, &g };
        memset(sc, 0, sizeof *sc);
        int rc = scenario_load_alloc(path, sc, &d, &gl);
        if (rc != -1 || !strstr(d.msg, "out of memory") || g.failed != 1) {
            if (!wrong)
                printf("    %s: allocation %ld failing: rc %d, \"%s\"\n", path, n, rc, d.msg);
            wrong++;
        }
        leaked += g.live != 0;
    }
    CHECK(wrong == 0, "%s: %ld of %ld failures did not end the load with \"out of memory\"", path,
          wrong, calls);
    CHECK(leaked == 0, "%s: %ld of %ld failures leaked", path, leaked, calls);
    struct failing g = { .fail_at = calls + 1 };
    struct alloc gl = { failing_fn, &g };
    memset(sc, 0, sizeof *sc);
    CHECK(scenario_load_alloc(path, sc, &d, &gl) == 0 && g.live == 0 &&
          memcmp(sc, ref, sizeof *sc) == 0, "%s: with room, the same scenario", path);
    free(ref);
    free(sc);
}

static void test_scenario_load(void)
{
    load_failures("scenarios/baseline.cfg");
    load_failures("scenarios/budget_cut.cfg");   /* an @include of the baseline */
}

int main(void)
{
    test_scenario_load();
    test_queue_growth();
    test_jackson();
    test_baseline();
    TEST_END("alloc");
}
