/* compare.c — `incubsim compare`: the comparison table of a results file. */
#include "cmds.h"
#include "../../output/compare.h"
#include "../../output/h5out.h"

#include <stdio.h>

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
        if (dr < 0) {
            fprintf(stderr, "incubsim: %s\n", err);
            rc = EXIT_RUNTIME;
        } else if (dr == 1) {   /* an experiment: each KPI against the levers */
            rc = compare_print_points(stdout, &s, (const char *const *)levers, nlevers, values,
                                      npoints, o.kpis ? o.kpis : "landing_rate,net_fiscal,cost_per_landing",
                                      o.csv) ? EXIT_INPUT : EXIT_OK;
            h5in_free_design(levers, nlevers, values);
        } else {
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
