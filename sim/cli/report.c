/* report.c — `incubsim report`: the planner's page of a results file
 * (output/report.c), written as OUT.part and renamed when whole, so a failure
 * leaves no half page. */
#include "cmds.h"
#include "../text.h"
#include "../../output/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main_report(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_REPORT, argc, argv, &o);
    if (rc || o.help)
        return rc;
    char out[4096], part[4200];
    const char *in = o.files[0];
    if (o.out) {
        if (text_fmt(out, sizeof out, "%s", o.out))
            rc = opts_bad(CMD_REPORT, "-o: the name is too long");
    } else {   /* OUT.h5 -> OUT.html */
        size_t n = strlen(in);
        int h5 = n > 3 && strcmp(in + n - 3, ".h5") == 0;
        if (text_fmt(out, sizeof out, "%.*s.html", (int)(h5 ? n - 3 : n), in))
            rc = opts_bad(CMD_REPORT, "the results file's name is too long");
    }
    if (!rc && access(in, R_OK) != 0) {
        fprintf(stderr, "incubsim: %s: %s\n", in, strerror(errno));
        rc = EXIT_INPUT;
    }
    if (!rc && !o.force && access(out, F_OK) == 0) {
        fprintf(stderr, "incubsim: %s exists (--force overwrites it)\n", out);
        rc = EXIT_INPUT;
    }
    FILE *f = NULL;
    if (!rc) {
        text_fmt(part, sizeof part, "%s.part", out);
        f = fopen(part, "w");
        if (!f) {
            fprintf(stderr, "incubsim: cannot write %s: %s\n", part, strerror(errno));
            rc = EXIT_RUNTIME;
        }
    }
    if (!rc) {
        char err[1024];
        struct report_opts ro = { o.kpis, in };
        int wr = report_write(in, f, &ro, err, sizeof err);
        int bad = fflush(f) != 0 || ferror(f);
        bad |= fclose(f) != 0;
        if (wr) {
            fprintf(stderr, "incubsim: %s\n", err);
            rc = wr == -3 ? EXIT_INPUT : EXIT_RUNTIME;
        } else if (bad) {
            fprintf(stderr, "incubsim: cannot write %s: %s\n", part, strerror(errno));
            rc = EXIT_RUNTIME;
        } else if (rename(part, out) != 0) {
            fprintf(stderr, "incubsim: cannot rename %s to %s: %s\n", part, out, strerror(errno));
            rc = EXIT_RUNTIME;
        } else {
            printf("report: %s\n", out);
        }
        if (rc)
            remove(part);
    }
    opts_free(&o);
    return rc;
}
