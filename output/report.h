/* report.h — `incubsim report`: one self-contained HTML page that answers a
 * planner from any results file (run, sweep, size, sensitivity, psa,
 * calibrate, merged shards): the question and the options, the decision
 * table (/increments when the file has it, else the paired differences of
 * /summary), inline SVG figures, the sizing answer and its price, the
 * sensitivity indices, what binds (budget cap, carriers' seats), the
 * assumptions and their sources, PSA and calibration when present, and the
 * provenance. Inline CSS, no script, no outside URL: it reads offline and
 * prints. Every string from the file is escaped (html.h).
 */
#ifndef INCUBSIM_REPORT_H
#define INCUBSIM_REPORT_H

#include <stddef.h>
#include <stdio.h>

struct report_opts {
    const char *kpis;      /* comma-separated KPIs of the decision table; NULL: default */
    const char *title;     /* the file's name as the user gave it (shown, escaped) */
};

/* Writes the page for results file `path` to out. Returns 0; -3 with err
 * when the file is not a results file (cannot open, no /scenarios); -1 with
 * err on a read failure. Nothing of the page is valid after a failure. */
int report_write(const char *path, FILE *out, const struct report_opts *o, char *err,
                 size_t errlen);

#endif
