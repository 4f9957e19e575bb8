/* reference.c — `incubsim kpis` and `incubsim schema`: the references a
 * user needs beside the results, printed by the program that writes them. */
#include "cmds.h"
#include "../../models/kpi.h"
#include "../../output/columns.h"

#include <stdio.h>
#include <string.h>

int main_kpis(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_KPIS, argc, argv, &o);
    if (rc || o.help)
        return rc;
    opts_free(&o);
    printf("KPIs: the columns of /runs that --kpi, --precision and experiments name.\n"
           "Units: share = fraction in [0, 1]; ratio may pass 1; yuan (PV) = valued at the\n"
           "warm-up, discounted at accounting.discount_rate.\n\n"
           "%-24s %-14s %s\n", "KPI", "unit", "meaning");
    for (size_t k = 0; k < kpi_count; k++) {
        const struct kpi_desc *d = &kpi_descs[k];
        printf("%-24s %-14s ", d->name, *d->unit ? d->unit : "-");
        opts_wrap(d->doc, 40, 40);   /* ends the line */
    }
    return EXIT_OK;
}

int main_schema(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_SCHEMA, argc, argv, &o);
    if (rc || o.help)
        return rc;
    opts_free(&o);
    columns_print_schema(stdout);
    return EXIT_OK;
}
