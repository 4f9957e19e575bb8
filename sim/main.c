/* main.c — the command line; the only file that sees models/ and output/. */
#include <dirent.h>
#include <errno.h>
#include <libconfig.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../models/model.h"
#include "../models/scenario.h"
#include "../output/compare.h"
#include "../output/h5out.h"
#include "../output/summary.h"
#include "text.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_INPUT = 2 };
#define MAX_SCENARIOS 256

/* Set by SIGINT/SIGTERM so a run can remove its partial file: the one
 * piece of mutable state outside a replication, as signals require. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static const char usage[] =
"incubsim " INCUBSIM_VERSION " - discrete-event simulation of offshore incubation pipelines\n"
"\n"
"Usage:\n"
"  incubsim run [FILE.cfg ...] [-r REPS] [-s SEED] [-o OUT.h5] [--records] [--force] [-q]\n"
"               [--baseline NAME] [--kpi LIST] [--csv]\n"
"      Runs each scenario REPS times (default 20) with common random numbers, writes every\n"
"      run to OUT.h5 (default incubsim.h5) and prints the comparison table. With no FILE,\n"
"      runs every scenario shipped in scenarios/ (installed: PREFIX/share/incubsim).\n"
"  incubsim check FILE.cfg\n"
"      Validates a scenario and prints it resolved, every default filled in.\n"
"  incubsim compare OUT.h5 [--baseline NAME] [--kpi LIST] [--csv]\n"
"      The comparison table of a results file: each KPI's mean and 95% CI per scenario,\n"
"      and the paired difference against the baseline (* where its CI excludes 0).\n"
"  incubsim --help | --version\n"
"\n"
"Options:\n"
"  -r, --reps N       replications per scenario (default 20)\n"
"  -s, --seed N       master seed, 0..2^64-1 (default 1); same seed, same bits\n"
"  -o, --output F     results file; written as F.part and renamed when complete\n"
"      --force        overwrite an existing results file\n"
"      --records      add /projects, one row per project\n"
"      --baseline S   scenario the others are compared with (default: \"baseline\", else\n"
"                     the first)\n"
"      --kpi LIST     comma-separated KPIs to show (default: landing_rate,landed,...)\n"
"      --csv          the table as CSV\n"
"  -q, --quiet        no progress bar\n"
"\n"
"Examples:\n"
"  incubsim run                                   # every shipped scenario, 20 replications\n"
"  incubsim run scenarios/baseline.cfg scenarios/landing_award.cfg -r 100 -o award.h5\n"
"  incubsim check scenarios/capital_first.cfg     # what the file means, with defaults\n"
"  incubsim compare award.h5 --kpi landing_rate,cost_per_landing --csv > award.csv\n"
"  /usr/bin/python3 output/plot.py award.h5       # PNG figures next to award.h5\n"
"\n"
"Exit status: 0 ok, 1 run-time failure (disk, memory), 2 bad input (usage or scenario).\n"
"Scenario format and output schema: README.md.\n";

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "incubsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'incubsim --help'.\n");
    return EXIT_INPUT;
}

static void version(void)
{
    unsigned maj, min, rel;
    H5get_libversion(&maj, &min, &rel);
    printf("incubsim %s (git %s)\nGSL %s, libconfig %d.%d.%d, HDF5 %u.%u.%u\n", INCUBSIM_VERSION,
           INCUBSIM_GIT, GSL_VERSION, LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR,
           LIBCONFIG_VER_REVISION, maj, min, rel);
}

static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !*s || *s == '-')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- finding the shipped scenarios ---------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    int bx = strcmp(x, "baseline.cfg") == 0, by = strcmp(y, "baseline.cfg") == 0;
    if (bx != by)
        return by - bx;   /* the baseline first */
    return strcmp(x, y);
}

/* Where the shipped scenarios are: $INCUBSIM_SCENARIOS; next to the binary
 * or one folder up (a source tree and its build folders); PREFIX/share
 * relative to the binary (an install, wherever PREFIX was); the PREFIX
 * compiled in. */
static int shipped_dir(char *dir, size_t n)
{
    const char *env = getenv("INCUBSIM_SCENARIOS");
    if (env && *env) {
        snprintf(dir, n, "%s", env);
        return 0;
    }
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *rel[] = { "scenarios", "../scenarios", "../share/incubsim/scenarios" };
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                if (text_fmt(dir, n, "%s/%s", exe, rel[i]) == 0 && access(dir, R_OK) == 0)
                    return 0;
            }
        }
    }
    snprintf(dir, n, "%s/scenarios", INCUBSIM_SHARE);
    return access(dir, R_OK) == 0 ? 0 : -1;
}

/* Fills paths[] (malloc'd) with dir's *.cfg, baseline first. */
static int list_shipped(char **paths, int max)
{
    char dir[PATH_MAX];
    if (shipped_dir(dir, sizeof dir)) {
        fprintf(stderr, "incubsim: no scenario given and no shipped scenarios found (looked in "
                "$INCUBSIM_SCENARIOS, next to the binary, in ../share/incubsim/scenarios from it, "
                "and in %s/scenarios)\n", INCUBSIM_SHARE);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "incubsim: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    char *names[MAX_SCENARIOS];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".cfg") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_names);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        paths[i] = malloc(len);
        snprintf(paths[i], len, "%s/%s", dir, names[i]);
        free(names[i]);
    }
    return n;
}

/* ---- run -------------------------------------------------------------------- */

struct run_opts {
    const char *files[MAX_SCENARIOS];
    int         nfiles;
    unsigned long long reps, seed;
    const char *out, *baseline, *kpis;
    int         force, records, quiet, csv;
};

/* A progress bar on stderr when it is a terminal, redrawn at most 10 times a
 * second; *last holds the time of the last drawing. */
static void progress(const struct run_opts *o, size_t done, size_t total, double t0, double *last)
{
    if (o->quiet || !isatty(STDERR_FILENO))
        return;
    double now = seconds();
    if (done < total && now - *last < 0.1)
        return;
    *last = now;
    int width = 30, fill = (int)(width * done / (total ? total : 1));
    double eta = done ? (now - t0) * (double)(total - done) / (double)done : 0;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu runs, %.1f s, %.0f s left  ", fill,
            "##############################", width - fill, "", done, total, now - t0, eta);
    if (done == total)
        fputc('\n', stderr);
}

static char *command_line(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        strcat(s, argv[i]);
        if (i + 1 < argc)
            strcat(s, " ");
    }
    return s;
}

static int load_all(const struct run_opts *o, struct scenario **scs, char **texts)
{
    struct diag d;
    for (int i = 0; i < o->nfiles; i++) {
        scs[i] = malloc(sizeof **scs);
        if (!scs[i])
            return EXIT_RUNTIME;
        if (scenario_load(o->files[i], scs[i], &d)) {
            fprintf(stderr, "incubsim: %s\n", d.msg);
            return EXIT_INPUT;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(scs[j]->name, scs[i]->name) == 0) {
                fprintf(stderr, "incubsim: %s: scenario name \"%s\" is also the name of %s; "
                        "names must be unique in a run\n", o->files[i], scs[i]->name, o->files[j]);
                return EXIT_INPUT;
            }
        texts[i] = scenario_print(scs[i]);
        if (!texts[i])
            return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

static int do_run(struct run_opts *o, int argc, char **argv)
{
    char *shipped[MAX_SCENARIOS] = { 0 };
    int nshipped = 0;
    if (o->nfiles == 0) {
        nshipped = list_shipped(shipped, MAX_SCENARIOS);
        if (nshipped <= 0)
            return EXIT_INPUT;
        for (int i = 0; i < nshipped; i++)
            o->files[i] = shipped[i];
        o->nfiles = nshipped;
    }
    struct scenario *scs[MAX_SCENARIOS] = { 0 };
    char *texts[MAX_SCENARIOS] = { 0 };
    struct summary sum;
    summary_init(&sum);
    struct h5out *h = NULL;
    char *cmd = command_line(argc, argv);
    int rc = load_all(o, scs, texts);
    if (rc)
        goto out;
    for (int i = 0; i < o->nfiles; i++)
        if (summary_unit(&sum, scs[i]->name, 0) < 0) {
            rc = EXIT_RUNTIME;
            goto out;
        }
    if (summary_set_baseline(&sum, o->baseline)) {
        rc = bad_usage("--baseline \"%s\" is not among the scenarios run", o->baseline);
        goto out;
    }
    signal(SIGINT, on_signal);   /* from here on an interrupt removes the .part */
    signal(SIGTERM, on_signal);
    char err[1024];
    struct h5_provenance prov = { cmd, o->seed, (uint32_t)o->reps };
    h = h5out_create(o->out, o->force, o->records, &prov, (const struct scenario *const *)scs,
                     (const char *const *)texts, o->nfiles, err, sizeof err);
    if (!h) {
        fprintf(stderr, "incubsim: %s\n", err);
        rc = EXIT_RUNTIME;
        goto out;
    }

    double t0 = seconds(), drawn = 0;
    size_t total = (size_t)o->reps * (size_t)o->nfiles, done = 0;
    /* replication-major: every scenario's replication r sees the same streams */
    for (uint32_t r = 0; r < o->reps && !rc; r++)
        for (int i = 0; i < o->nfiles && !rc; i++) {
            if (interrupted) {
                fprintf(stderr, "\nincubsim: interrupted; %s not written\n", o->out);
                rc = EXIT_RUNTIME;
                break;
            }
            struct run_result res;
            struct model_sink sink = h5out_sink(h, i, 0, r);
            double w0 = seconds();
            int mr = model_run(scs[i], r, o->seed, &sink, &res);
            if (mr || h5out_run(h, i, 0, r, o->seed, seconds() - w0, &res)) {
                fprintf(stderr, "incubsim: %s\n", mr == MODEL_NO_MEMORY ? "out of memory" : h5out_error(h));
                rc = EXIT_RUNTIME;
                break;
            }
            if (summary_add(&sum, scs[i]->name, 0, r, &res.kpi)) {
                fprintf(stderr, "incubsim: out of memory\n");
                rc = EXIT_RUNTIME;
                break;
            }
            progress(o, ++done, total, t0, &drawn);
        }
    if (!rc) {
        summary_finish(&sum);
        if (h5out_summary(h, &sum)) {
            fprintf(stderr, "incubsim: %s\n", h5out_error(h));
            rc = EXIT_RUNTIME;
        }
    }
    if (rc) {
        h5out_abort(h);
        goto out;
    }
    if (h5out_commit(h, err, sizeof err)) {
        fprintf(stderr, "incubsim: %s\n", err);
        rc = EXIT_RUNTIME;
        goto out;
    }
    if (compare_print(stdout, &sum, o->kpis, o->csv)) {
        rc = EXIT_INPUT;
        goto out;
    }
    if (!o->csv)
        printf("\nresults: %s (%zu runs, %.1f s)\n", o->out, total, seconds() - t0);
out:
    for (int i = 0; i < o->nfiles; i++) {
        free(scs[i]);
        free(texts[i]);
    }
    for (int i = 0; i < nshipped; i++)
        free(shipped[i]);
    summary_free(&sum);
    free(cmd);
    return rc;
}

/* ---- argument parsing -------------------------------------------------------- */

/* Matches -x VALUE / --long VALUE / --long=VALUE; advances *i. */
static const char *opt_value(int argc, char **argv, int *i, const char *s, const char *l,
                             int *bad)
{
    const char *a = argv[*i];
    size_t ll = strlen(l);
    if (strncmp(a, l, ll) == 0 && a[ll] == '=')
        return a + ll + 1;
    if ((s && strcmp(a, s) == 0) || strcmp(a, l) == 0) {
        if (*i + 1 >= argc) {
            *bad = 1;
            return NULL;
        }
        return argv[++*i];
    }
    return NULL;
}

/* Options of `run` (for_run) or `compare`, which takes one file and only
 * --baseline, --kpi and --csv. */
static int parse_run(int argc, char **argv, struct run_opts *o, int for_run)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v;
        int bad = 0;
        unsigned long long n;
        if (!for_run && a[0] == '-' && strcmp(a, "--csv") != 0 &&
            strncmp(a, "--baseline", 10) != 0 && strncmp(a, "--kpi", 5) != 0)
            return bad_usage("compare takes --baseline, --kpi and --csv, not %s", a);
        if ((v = opt_value(argc, argv, &i, "-r", "--reps", &bad))) {
            if (parse_u64(v, 100000000ULL, &n) || n == 0)
                return bad_usage("-r needs a whole number of replications >= 1, got \"%s\"", v);
            o->reps = n;
        } else if ((v = opt_value(argc, argv, &i, "-s", "--seed", &bad))) {
            if (parse_u64(v, ULLONG_MAX, &n))
                return bad_usage("-s needs a seed in 0..18446744073709551615, got \"%s\"", v);
            o->seed = n;
        } else if ((v = opt_value(argc, argv, &i, "-o", "--output", &bad))) {
            o->out = v;
        } else if ((v = opt_value(argc, argv, &i, NULL, "--baseline", &bad))) {
            o->baseline = v;
        } else if ((v = opt_value(argc, argv, &i, NULL, "--kpi", &bad))) {
            o->kpis = v;
        } else if (bad) {
            return bad_usage("%s needs a value", a);
        } else if (strcmp(a, "--force") == 0) {
            o->force = 1;
        } else if (strcmp(a, "--records") == 0) {
            o->records = 1;
        } else if (strcmp(a, "--csv") == 0) {
            o->csv = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return bad_usage("unknown option %s", a);
        } else if (o->nfiles < (for_run ? MAX_SCENARIOS : 1)) {
            o->files[o->nfiles++] = a;
        } else {
            return bad_usage("unexpected argument %s", a);
        }
    }
    if (o->kpis && compare_check_kpis(o->kpis))
        return EXIT_INPUT;   /* before hours of running, not after */
    return EXIT_OK;
}

static int do_check(int argc, char **argv)
{
    if (argc != 3)
        return bad_usage("%s", "check takes one scenario file: incubsim check FILE.cfg");
    struct scenario *sc = malloc(sizeof *sc);
    struct diag d;
    if (!sc)
        return EXIT_RUNTIME;
    if (scenario_load(argv[2], sc, &d)) {
        fprintf(stderr, "incubsim: %s\n", d.msg);
        free(sc);
        return EXIT_INPUT;
    }
    char *text = scenario_print(sc);
    printf("# %s, resolved by incubsim %s: every setting, defaults filled in\n%s",
           argv[2], INCUBSIM_VERSION, text ? text : "");
    free(text);
    free(sc);
    return text ? EXIT_OK : EXIT_RUNTIME;
}

static int do_compare(int argc, char **argv)
{
    struct run_opts o = { 0 };
    int rc = parse_run(argc, argv, &o, 0);
    if (rc)
        return rc;
    if (o.nfiles != 1)
        return bad_usage("%s", "compare takes one results file: incubsim compare OUT.h5");
    struct summary s;
    summary_init(&s);
    char err[1024];
    int rr = h5in_read_runs(o.files[0], o.baseline, &s, err, sizeof err);
    if (rr) {
        summary_free(&s);
        if (rr == -2)
            return bad_usage("--baseline \"%s\" is not a scenario of that file", o.baseline);
        fprintf(stderr, "incubsim: %s\n", err);
        return EXIT_RUNTIME;
    }
    rc = compare_print(stdout, &s, o.kpis, o.csv) ? EXIT_INPUT : EXIT_OK;
    summary_free(&s);
    return rc;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2)
        return bad_usage("%s", "a command is needed: run, check or compare");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        version();
        return EXIT_OK;
    }
    if (strcmp(cmd, "check") == 0)
        return do_check(argc, argv);
    if (strcmp(cmd, "compare") == 0)
        return do_compare(argc, argv);
    if (strcmp(cmd, "run") == 0) {
        struct run_opts o = { .reps = 20, .seed = 1, .out = "incubsim.h5" };
        int rc = parse_run(argc, argv, &o, 1);
        if (rc)
            return rc;
        rc = do_run(&o, argc, argv);
        if (rc == EXIT_RUNTIME) {
            /* After a failed write (a full disk) HDF5 1.10 keeps the file it
             * could not close and crashes closing it again in its exit
             * handler. The partial file is already removed and nothing is
             * left to flush, so leave without the exit handlers. */
            fflush(NULL);
            _exit(rc);
        }
        return rc;
    }
    return bad_usage("unknown command \"%s\" (run, check, compare; see --help)", cmd);
}
