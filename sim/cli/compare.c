/* compare.c — `incubsim compare`: the comparison table of a results file. */
#include "cmds.h"
#include "../../output/answer.h"
#include "../../output/compare.h"
#include "../../output/decision.h"
#include "../../output/h5out.h"

#include <stdio.h>
#include <stdlib.h>

/* An experiment's own answer, as the command printed it: 1 printed, 0 the
 * file is no sizing or sensitivity, -1 after a message. */
static int reprint_answer(const char *path)
{
    char err[1024];
    struct answer_sizing *a = calloc(1, sizeof *a);
    int rc = a ? answer_read_sizing(path, a, err, sizeof err) : -1;
    if (rc == 1)
        answer_print_sizing(stdout, a);
    free(a);
    if (rc)
        return rc < 0 ? (fprintf(stderr, "incubsim: %s\n", a ? err : "out of memory"), -1) : 1;
    struct h5_sensitivity_row *rows;
    size_t n;
    rc = answer_read_sensitivity(path, &rows, &n, err, sizeof err);
    if (rc == 1)
        answer_print_sensitivity(stdout, rows, n);
    free(rows);
    if (rc < 0)
        fprintf(stderr, "incubsim: %s\n", err);
    return rc;
}

/* The decision table, recomputed from /runs with the command's --reference,
 * --cost, --effect and --value-per-effect (not printed with --csv: one CSV
 * table per output; /increments holds the run's). */
static int print_decision(const struct opts *o)
{
    struct decision d;
    char err[1024];
    if (decision_init(&d, o->cost_kpi, o->effect_kpi, o->lambda))
        return EXIT_INPUT;
    int rc = EXIT_OK;
    if (decision_read(&d, o->files[0], err, sizeof err)) {
        fprintf(stderr, "incubsim: %s\n", err);
        rc = EXIT_RUNTIME;
    } else {
        int ref = decision_reference(&d, o->reference, o->baseline);
        if (ref < 0)
            rc = opts_bad(CMD_COMPARE, "--reference \"%s\" is not a scenario of that file",
                          o->reference);
        else if (!o->csv && d.nopts > 1) {
            int dr = decision_compute(&d, (size_t)ref, err, sizeof err);
            if (dr == -2)
                fprintf(stderr, "incubsim: warning: no decision table: %s\n", err);
            else if (dr)
                rc = EXIT_RUNTIME;
            else {
                compare_print_decision(stdout, &d);
                putchar('\n');
            }
        }
    }
    decision_free(&d);
    return rc;
}

int main_compare(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_COMPARE, argc, argv, &o);
    if (rc || o.help)
        return rc;
    struct summary s;
    summary_init(&s);
    char err[1024];
    int rr = h5in_read_runs(o.files[0], o.baseline, &s, err, sizeof err);
    if (rr == -2)
        rc = opts_bad(CMD_COMPARE, "--baseline \"%s\" is not a scenario of that file", o.baseline);
    else if (rr) {
        fprintf(stderr, "incubsim: %s\n", err);
        rc = rr == -3 ? EXIT_INPUT : EXIT_RUNTIME;
    } else {
        char **levers;
        double *values;
        int nlevers;
        uint32_t npoints;
        int dr = h5in_read_design(o.files[0], &levers, &nlevers, &values, &npoints, err,
                                  sizeof err);
        if (dr < 0) {   /* a /design we did not write: bad input */
            fprintf(stderr, "incubsim: %s\n", err);
            rc = EXIT_INPUT;
        } else if (dr == 1 && !o.csv && !o.kpis && (rc = reprint_answer(o.files[0])) != 0) {
            /* a sizing or a sensitivity: its answer (--kpi or --csv: the points) */
            rc = rc < 0 ? EXIT_RUNTIME : EXIT_OK;
            h5in_free_design(levers, nlevers, values);
        } else if (dr == 1) {   /* an experiment: each KPI against the levers */
            rc = compare_print_points(stdout, &s, (const char *const *)levers, nlevers, values,
                                      npoints, o.kpis ? o.kpis : "landing_rate,net_fiscal,cost_per_landing",
                                      o.csv) ? EXIT_INPUT : EXIT_OK;
            h5in_free_design(levers, nlevers, values);
        } else {
            rc = print_decision(&o);
            if (!rc)
                rc = compare_print(stdout, &s, o.kpis, o.csv) ? EXIT_INPUT : EXIT_OK;
        }
        if (!rc && s.failed)
            fprintf(stderr, "incubsim: %llu failed runs left out (status \"failed\" in /runs)\n",
                    (unsigned long long)s.failed);
    }
    summary_free(&s);
    opts_free(&o);
    return rc;
}
