/* opts.h — the command line's options: one table that both parses and
 * prints each command's --help. */
#ifndef INCUBSIM_MAIN_OPTS_H
#define INCUBSIM_MAIN_OPTS_H

#include <stddef.h>
#include <stdint.h>

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_INPUT = 2 };

#define MAX_FILES 4096
#define MAX_SETS  64
#define MAX_PRECISION 16

enum command { CMD_RUN, CMD_CHECK, CMD_COMPARE, CMD_SWEEP, CMD_SIZE, CMD_SENSITIVITY, CMD_MERGE,
               CMD_KPIS, CMD_SCHEMA, CMD_REPORT, CMD_PSA, CMD_CALIBRATE, CMD_COUNT };

struct precision_goal {
    char   kpi[48];
    double halfwidth;
};

struct opts {
    enum command cmd;
    const char *files[MAX_FILES];
    int         nfiles;
    unsigned long long reps, seed, max_reps, threads;
    int         reps_given;
    const char *out, *baseline, *kpis;
    const char *reference, *cost_kpi, *effect_kpi;   /* the decision table; NULL: defaults */
    double      lambda;                 /* --value-per-effect; NaN: none */
    int         force, records, quiet, csv, help, verbose;
    const char *sets[MAX_SETS];
    int         nsets;
    struct precision_goal precision[MAX_PRECISION];
    int         nprecision;
    int         warmup_auto;
    unsigned long long shard, shards;   /* --shard I/N; shards 0: none */
    int         resume;
    int         is_complete;            /* --is-complete: a query, nothing run */
    int         assumptions;            /* check --assumptions */
    double      robust;                 /* size --robust P; 0: none */
    const char *analyse;                /* psa --analyse FILE; NULL: run the tasks */
    double      checkpoint;             /* seconds between crash-safe commits */
    const char *argv0;
    char       *command_line;   /* malloc'd: every argument, for provenance */
};

/* Parses argv[2..] for command cmd into o (defaults first), and checks the
 * file count (every command but run takes exactly one). Returns EXIT_OK, or
 * EXIT_INPUT after a message on stderr (nothing to free then). With --help,
 * o->help is set, the command's help has been printed and nothing is to be
 * freed. */
int opts_parse(enum command cmd, int argc, char **argv, struct opts *o);
void opts_free(struct opts *o);

/* Prints the overview (every command) or one command's help. */
void opts_usage(void);
void opts_help(enum command cmd);
/* Prints text filled to 79 columns, continuation lines indented by `indent`;
 * `col` is where the cursor already is. */
void opts_wrap(const char *text, int indent, int col);
int  opts_command(const char *name);   /* enum command, or -1 */
/* The manual page, in roff, from the same tables as --help; its FILES name
 * `prefix` (NULL: the compiled-in one): `make install` passes the prefix it
 * installs to, so the page is right whatever prefix the binary was built with. */
void opts_man(const char *prefix);
/* A shipped file or folder: in the source tree next to the binary (or one
 * folder up, for a build folder's binary), else installed beside it
 * (bin/../share/...), else where `make install` puts it.
 * Fills buf and returns it. */
const char *opts_shipped(const char *in_tree, const char *installed, char *buf, size_t n);
const char *opts_command_name(enum command cmd);

/* "incubsim: <message>\nTry 'incubsim CMD --help'." on stderr; EXIT_INPUT. */
int  opts_bad(enum command cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
