/* bench.c — `make bench`: engine and model throughput, one core.
 *   bench hold [PENDING] [HOLDS]      event-queue hold model (default 1e5, 1e7)
 *   bench model FILE.cfg [ARRIVALS]   one replication; horizon set so that the
 *                                     expected arrivals are ARRIVALS (default 2e6)
 * Prints events/s, ns/event and peak RSS. Figures go in the README, not in
 * a timed test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../models/model.h"
#include "../sim/driver.h"
#include "../sim/evq.h"
#include "../sim/rng.h"
#include "../sim/stats.h"
#include <gsl/gsl_randist.h>

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void noop(struct sim *s, void *subject, uint64_t arg)
{
    (void)s; (void)subject; (void)arg;
}

static int bench_hold(long pending, long holds)
{
    struct evq q;
    struct rng r;
    evq_init(&q);
    rng_init(&r, 42, 0);
    gsl_rng *g = rng_key(&r, 0, 0);
    for (long i = 0; i < pending; i++)
        evq_push(&q, gsl_ran_exponential(g, 1.0), 0, noop, NULL, 0);
    double t0 = seconds();
    struct evq_event ev = { 0 };
    for (long i = 0; i < holds; i++) {
        evq_pop(&q, &ev);
        evq_push(&q, ev.t + gsl_ran_exponential(g, 1.0), 0, noop, NULL, 0);
    }
    double dt = seconds() - t0;
    printf("hold: %ld pending, %ld holds: %.1f ns/hold (incl. one exponential draw), "
           "%.2f M holds/s, peak RSS %ld KiB\n",
           pending, holds, 1e9 * dt / (double)holds, (double)holds / dt / 1e6, peak_rss_kib());
    evq_free(&q);
    return 0;
}

static int bench_model(const char *file, double arrivals)
{
    struct scenario *sc = malloc(sizeof *sc);
    struct diag d;
    if (!sc || scenario_load(file, sc, &d)) {
        fprintf(stderr, "bench: %s\n", sc ? d.msg : "out of memory");
        return 2;
    }
    double rate = 0;
    for (int i = 0; i < sc->nsources; i++)
        rate += sc->sources[i].rate + (sc->sources[i].every > 0 ? sc->sources[i].batch / sc->sources[i].every : 0);
    sc->horizon = arrivals / rate;
    sc->warmup = 0;
    struct run_result res;
    double t0 = seconds();
    int rc = model_run(sc, 0, 1, NULL, &res);
    double dt = seconds() - t0;
    if (rc) {
        fprintf(stderr, "bench: model_run failed (%d)\n", rc);
        return 1;
    }
    printf("model %s: %.0f projects over %.1f years, %llu events in %.3f s: "
           "%.2f M events/s, %.1f ns/event, %.2f M projects/s, peak RSS %ld KiB\n",
           sc->name, res.kpi.sourced, sc->horizon, (unsigned long long)res.events, dt,
           (double)res.events / dt / 1e6, 1e9 * dt / (double)res.events,
           res.kpi.sourced / dt / 1e6, peak_rss_kib());
    free(sc);
    return 0;
}

/* N replications of a scenario, bare (model_run in a loop) or through the
 * task driver with a commit that folds a KPI into a tally: the driver's cost
 * per task is the difference. */
struct fold {
    const struct scenario *sc;
    struct tally t;
};

static int fold_run(void *ctx, const struct task *t, void *scratch, void *result, char *why)
{
    (void)scratch;
    (void)why;
    const struct fold *f = ctx;
    return model_run(f->sc, t->rep, 1, NULL, result) != MODEL_OK;
}

static int fold_commit(void *ctx, const struct task_done *d)
{
    struct fold *f = ctx;
    tally_add(&f->t, ((const struct run_result *)d->result)->kpi.landing_rate);
    return 0;
}

static int bench_reps(const char *file, long n, int driver)
{
    struct scenario *sc = malloc(sizeof *sc);
    struct run_result *res = malloc(sizeof *res);
    struct diag d;
    if (!sc || !res || scenario_load(file, sc, &d)) {
        fprintf(stderr, "bench: %s\n", sc ? d.msg : "out of memory");
        return 2;
    }
    struct fold f = { sc, { 0 } };
    double t0 = seconds();
    if (driver) {
        struct grid g = { .nunits = 1, .rep_from = 0, .rep_to = (uint32_t)n,
                          .result_size = sizeof(struct run_result), .ctx = &f, .run = fold_run,
                          .commit = fold_commit };
        struct driver_stats st;
        if (driver_run(&g, &st) != DRIVER_OK)
            return 1;
    } else {
        for (long r = 0; r < n; r++) {
            if (model_run(sc, (uint32_t)r, 1, NULL, res))
                return 1;
            tally_add(&f.t, res->kpi.landing_rate);
        }
    }
    double dt = seconds() - t0;
    printf("reps %s %s: %ld replications in %.3f s, %.3f ms each (mean landing_rate %.6f)\n",
           driver ? "driver" : "bare", sc->name, n, dt, 1e3 * dt / (double)n, f.t.mean);
    free(sc);
    free(res);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "hold") == 0)
        return bench_hold(argc > 2 ? atol(argv[2]) : 100000, argc > 3 ? atol(argv[3]) : 10000000);
    if (argc >= 3 && strcmp(argv[1], "model") == 0)
        return bench_model(argv[2], argc > 3 ? atof(argv[3]) : 2e6);
    if (argc >= 4 && (strcmp(argv[1], "bare") == 0 || strcmp(argv[1], "driver") == 0))
        return bench_reps(argv[2], atol(argv[3]), strcmp(argv[1], "driver") == 0);
    fprintf(stderr, "usage: bench hold [PENDING] [HOLDS] | bench model FILE.cfg [ARRIVALS] | "
            "bench bare|driver FILE.cfg REPS\n");
    return 2;
}
