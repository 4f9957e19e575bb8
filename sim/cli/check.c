/* check.c — `incubsim check`: a scenario validated and printed resolved. */
#include "cmds.h"
#include "../../models/scenario.h"

#include <stdio.h>
#include <stdlib.h>

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
