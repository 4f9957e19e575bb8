/* check.c — `incubsim check`: a scenario validated and printed resolved. */
#include "cmds.h"
#include "../../models/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line per assumption: the setting, the value the scenario runs with,
 * the prior and its central 95%, and the source. */
static int assumptions_print(const struct scenario *sc, const char *file)
{
    printf("# %s: %d assumption%s (prior: what psa and calibrate draw from)\n", file,
           sc->nassumptions, sc->nassumptions == 1 ? "" : "s");
    if (sc->nassumptions == 0)
        return EXIT_OK;
    printf("%-46s %12s  %-10s %25s  %s\n", "setting", "value", "prior", "95% range", "source");
    int unsourced = 0;
    for (int i = 0; i < sc->nassumptions; i++) {
        const struct assumption_cfg *a = &sc->assumptions[i];
        struct setting_ref ref;
        struct diag d;
        if (settings_resolve(&scenario_table, sc, a->setting, &ref, &d)) {
            fprintf(stderr, "incubsim: %s: %s\n", file, d.msg);
            return EXIT_INPUT;
        }
        char range[64];
        snprintf(range, sizeof range, "[%.4g, %.4g]", dist_quantile(&a->dist, 0.025),
                 dist_quantile(&a->dist, 0.975));
        printf("%-46s %12.6g  %-10s %25s  %s\n", a->setting, settings_ref_get(&ref, sc),
               dist_kind_names[a->dist.kind], range, a->source);
        unsourced += strncmp(a->source, "unsourced", 9) == 0;
    }
    printf("# %d of %d unsourced\n", unsourced, sc->nassumptions);
    return EXIT_OK;
}

int main_check(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_CHECK, argc, argv, &o);
    if (rc || o.help)
        return rc;
    struct scenario *sc = malloc(sizeof *sc);
    struct diag d;
    if (!sc) {
        opts_free(&o);
        return EXIT_RUNTIME;
    }
    rc = EXIT_INPUT;
    if (scenario_load(o.files[0], sc, &d)) {
        fprintf(stderr, "incubsim: %s\n", d.msg);
        goto out;
    }
    for (int s = 0; s < o.nsets; s++)
        if (settings_override(&scenario_table, sc, o.sets[s], "--set", &d)) {
            fprintf(stderr, "incubsim: %s\n", d.msg);
            goto out;
        }
    if (o.nsets && scenario_finish(sc, o.files[0], &d)) {
        fprintf(stderr, "incubsim: %s with --set: %s\n", o.files[0], d.msg);
        goto out;
    }
    if (o.assumptions) {
        rc = assumptions_print(sc, o.files[0]);
        goto out;
    }
    char *text = scenario_print(sc);
    printf("# %s, resolved by incubsim %s: every setting, defaults filled in\n%s",
           o.files[0], INCUBSIM_VERSION, text ? text : "");
    rc = text ? EXIT_OK : EXIT_RUNTIME;
    free(text);
out:
    free(sc);
    opts_free(&o);
    return rc;
}
