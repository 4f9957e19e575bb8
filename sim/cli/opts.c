/* opts.c — one table of options: parsing, checks and every --help. */
#include "opts.h"
#include "../driver.h"
#include "../text.h"
#include "../../models/kpi.h"
#include "../../output/compare.h"
#include "../../output/decision.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define B(c) (1u << (c))
#define RUNNERS (B(CMD_RUN) | B(CMD_SWEEP) | B(CMD_SIZE) | B(CMD_SENSITIVITY) | B(CMD_PSA) | \
                 B(CMD_CALIBRATE))
#define GRIDS (B(CMD_RUN) | B(CMD_SWEEP) | B(CMD_SENSITIVITY) | B(CMD_PSA))

struct command_doc {
    const char *name, *synopsis, *what, *examples;
};

static const struct command_doc commands[CMD_COUNT] = {
    [CMD_RUN] = { "run", "incubsim run [FILE.cfg ...] [options]",
        "Runs each scenario REPS times with common random numbers (replication r of every\n"
        "scenario sees the same projects with the same luck), writes every run to OUT.h5 and\n"
        "prints the comparison table. With no FILE, runs every scenario shipped in scenarios/\n"
        "(installed: PREFIX/share/incubsim/scenarios), the baseline first.\n",
        "  incubsim run\n"
        "  incubsim run scenarios/baseline.cfg scenarios/landing_award.cfg -o a.h5\n"
        "  incubsim run scenarios/baseline.cfg --set policy.landing_award=1e6 -o a.h5\n"
        "  incubsim run scenarios/*.cfg --precision landing_rate=0.002 --max-reps 400\n" },
    [CMD_CHECK] = { "check", "incubsim check FILE.cfg [--set PATH=VALUE ...] [--assumptions]",
        "Validates a scenario and prints it resolved: every setting, defaults filled in, in\n"
        "the paths --set and experiment levers use (list elements by their name). With\n"
        "--assumptions, lists the settings the scenario declares itself unsure of instead.\n",
        "  incubsim check scenarios/capital_first.cfg\n"
        "  incubsim check scenarios/baseline.cfg --set carriers.sv_offshore.capacity=80\n"
        "  incubsim check --assumptions scenarios/baseline.cfg\n" },
    [CMD_COMPARE] = { "compare", "incubsim compare OUT.h5 [options]",
        "The comparison table of a results file: each KPI's mean and 95% CI per scenario (and\n"
        "design point), and the paired difference against the baseline (* where its CI\n"
        "excludes 0). Failed runs (status \"failed\" in /runs) are left out and counted.\n",
        "  incubsim compare award.h5 --kpi landing_rate,cost_per_landing\n"
        "  incubsim compare award.h5 --csv > award.csv\n" },
    [CMD_SWEEP] = { "sweep", "incubsim sweep EXPERIMENT.cfg [options]",
        "Runs the experiment's base scenario at every point of its design (grid, lhs or sobol)\n"
        "over the levers, REPS replications each, with common random numbers across points.\n"
        "Writes /design (one row per point) beside the usual tables and prints each KPI\n"
        "against the levers. Figures: plot.py (see the end of this help).\n",
        "  incubsim sweep scenarios/experiments/fund_size_sweep.cfg -o fund.h5\n"
        "  incubsim sweep scenarios/experiments/fund_size_sweep.cfg -r 40 -o fund.h5\n" },
    [CMD_SIZE] = { "size", "incubsim size EXPERIMENT.cfg [options]",
        "Finds the smallest value of the experiment's one lever whose KPI meets the target at\n"
        "the stated confidence: bisection over the lever's grid with a sequential test at each\n"
        "probe (replications are added until the probe is decided feasible or infeasible).\n"
        "Prints the answer, an interval on it and the status (met, met_at_min,\n"
        "not_met_in_range); writes every probe's evidence to /sizing. With --robust P, the\n"
        "target must be met in a share >= P of draws of the scenario's assumptions.\n",
        "  incubsim size scenarios/experiments/landing_award_sizing.cfg -o sizing.h5\n"
        "  incubsim size scenarios/experiments/robust_sizing.cfg --robust 0.9 -o robust.h5\n" },
    [CMD_SENSITIVITY] = { "sensitivity", "incubsim sensitivity EXPERIMENT.cfg [options]",
        "Which levers matter: Sobol first-order (S1) and total (ST) indices with bootstrap\n"
        "95% CIs (design kind = \"saltelli\"), or Morris elementary effects mu*, mu, sigma\n"
        "(kind = \"morris\"), for each KPI of the experiment. Writes /sensitivity.\n",
        "  incubsim sensitivity scenarios/experiments/sensitivity.cfg -o sens.h5\n" },
    [CMD_KPIS] = { "kpis", "incubsim kpis",
        "Lists the KPIs (the columns of /runs that --kpi, --precision and experiments name)\n"
        "with their units and meanings.\n",
        "  incubsim kpis\n" },
    [CMD_SCHEMA] = { "schema", "incubsim schema",
        "Prints the results file's reference in Markdown: every table and column, its unit\n"
        "and meaning (the same words each file carries as attributes), and the root\n"
        "attributes.\n",
        "  incubsim schema > SCHEMA.md\n" },
    [CMD_MERGE] = { "merge", "incubsim merge -o ALL.h5 PART.h5 ...",
        "Joins the files of one run's shards (--shard I/N, e.g. the tasks of a Slurm job "
        "array) into one file, the same bits as a one-process run: every table copied in "
        "task order (given in any order), /summary recomputed. Refuses parts of another run "
        "(scenarios, seed, command, version) and names every missing range of tasks.\n",
        "  incubsim merge -o sweep.h5 sweep.*.h5\n" },
    [CMD_REPORT] = { "report", "incubsim report OUT.h5 [-o REPORT.html] [options]",
        "Writes one self-contained HTML page (inline CSS and SVG figures, no script, no outside "
        "link: it reads offline and prints) that answers a planner from any results file (run, "
        "sweep, size, sensitivity, psa, calibrate, merged shards): the question and the options, "
        "the decision table (/increments when the file has it, else the paired differences of "
        "/summary), the cost-effect plane and the paired differences with their CIs, the sizing "
        "answer and its price, the sensitivity indices, what binds (budget cap, refusals), the "
        "assumptions with their sources, PSA and calibration when present, and the provenance "
        "(command line, version, seed, scenario hashes). Default output: OUT.html beside OUT.h5.\n",
        "  incubsim report results/run.h5 -o results/report.html\n"
        "  incubsim report sizing.h5 --kpi landing_per_graduated,spend_award\n" },
    [CMD_PSA] = { "psa", "incubsim psa EXPERIMENT.cfg [options]",
        "Probabilistic sensitivity analysis (DESIGN.md §10): draws the assumptions the\n"
        "experiment's scenarios declare (quasi-random from their priors, or from a\n"
        "calibration's posterior), runs every option at every draw REPS times with common\n"
        "random numbers (a draw is a design point), and answers with what survives the\n"
        "uncertainty: each option's increments against the reference with 95% intervals over\n"
        "the draws, the acceptability curve (the probability each option is best at each\n"
        "value of an extra unit of effect) and the EVPPI of each assumption (what learning it\n"
        "would be worth, in yuan). Writes /psa, /increments, /ceac and /evppi.\n",
        "  incubsim psa scenarios/experiments/psa.cfg -o psa.h5\n"
        "  incubsim psa scenarios/experiments/psa.cfg -r 4 -s 2 -o psa.h5\n"
        "  incubsim psa scenarios/experiments/psa.cfg --shard 0/2 -o p0.h5   # and 1/2\n"
        "  incubsim merge -o runs.h5 p0.h5 p1.h5\n"
        "  incubsim psa scenarios/experiments/psa.cfg --analyse runs.h5 -o psa.h5\n" },
    [CMD_CALIBRATE] = { "calibrate", "incubsim calibrate EXPERIMENT.cfg [options]",
        "Fits the base scenario's assumptions to observed figures by history matching: each\n"
        "wave draws the assumptions, runs REPS replications per draw and keeps the draws whose\n"
        "implausibility (the largest over the targets of |observed - simulated| / sqrt(obs.\n"
        "variance + Monte Carlo variance)) is at most the cut (3); the next wave draws inside\n"
        "what was kept. Writes /posterior (the kept draws of the last wave), which psa's\n"
        "`posterior = \"FILE.h5\"` draws from.\n",
        "  incubsim calibrate scenarios/experiments/calibrate.cfg -o posterior.h5\n" },
};

enum opt_id {
    O_REPS, O_SEED, O_OUT, O_FORCE, O_RECORDS, O_BASELINE, O_KPI, O_CSV, O_QUIET, O_SET,
    O_PRECISION, O_MAX_REPS, O_WARMUP, O_HELP, O_JOBS, O_SHARD, O_RESUME, O_CHECKPOINT,
    O_VERBOSE, O_REFERENCE, O_COST, O_EFFECT, O_VALUE_PER_EFFECT, O_ASSUMPTIONS, O_IS_COMPLETE,
    O_ROBUST, O_ANALYSE
};

struct opt {
    const char *shrt, *lng, *arg;   /* arg NULL: a flag */
    enum opt_id id;
    unsigned cmds;
    const char *help;
};

static const struct opt options[] = {
    { "-r", "--reps", "N", O_REPS, RUNNERS,
      "replications per scenario or design point (default\n"
      "20; size: the first stage at each probe, default 10)" },
    { "-s", "--seed", "N", O_SEED, RUNNERS,
      "master seed, 0..2^53-1 (default 1); same seed, same bits. The bound keeps it exact "
      "in R, pandas and spreadsheets, which hold numbers as float64" },
    { "-o", "--output", "F", O_OUT, RUNNERS | B(CMD_MERGE) | B(CMD_REPORT),
      "results file (default incubsim.h5); written as\n"
      "F.part and renamed when complete" },
    { NULL, "--force", NULL, O_FORCE, RUNNERS | B(CMD_MERGE) | B(CMD_REPORT),
      "overwrite an existing results file (and drop the parts of an interrupted run); "
      "run even when the estimate is absurd (see -v)" },
    { NULL, "--shard", "I/N", O_SHARD, B(CMD_RUN) | B(CMD_SWEEP) | B(CMD_PSA),
      "run only the I-th of N contiguous slices of the task grid (I from 0; "
      "$SLURM_ARRAY_TASK_ID); join the N files with `incubsim merge` (psa: then "
      "`incubsim psa EXPERIMENT.cfg --analyse ALL.h5`)" },
    { NULL, "--analyse", "FILE", O_ANALYSE, B(CMD_PSA),
      "run nothing: analyse FILE, this psa's runs complete (its shards joined by `incubsim "
      "merge`, or a whole psa file): the same experiment, -s, -r and --set as the runs; "
      "writes OUT with /psa, /increments, /ceac and /evppi, the bits of a one-process psa" },
    { NULL, "--resume", NULL, O_RESUME, GRIDS,
      "complete an interrupted run of the same command: keep the tasks it committed "
      "(OUT.parts/) and run the rest" },
    { NULL, "--is-complete", NULL, O_IS_COMPLETE, GRIDS,
      "run nothing: exit 0 when -o already holds the complete result of this very command "
      "(its run identity and, with --shard, its slice), else 1 saying why (missing, "
      "interrupted, another run or slice); for scripts such as array.sbatch" },
    { NULL, "--checkpoint", "S", O_CHECKPOINT, RUNNERS,
      "commit finished tasks to disk crash-safe every S seconds (default 30): a kill "
      "loses at most that much work" },
    { NULL, "--records", NULL, O_RECORDS, B(CMD_RUN) | B(CMD_SWEEP),
      "add /projects, one row per project" },
    { NULL, "--set", "PATH=VALUE", O_SET, RUNNERS | B(CMD_CHECK),
      "override a setting of every scenario (of an\n"
      "experiment's base scenario) by its path, as\n"
      "`incubsim check` prints it; repeatable. E.g.\n"
      "--set policy.landing_award=1e6\n"
      "--set carriers.home_pilot.capacity=40" },
    { NULL, "--baseline", "S", O_BASELINE, B(CMD_RUN) | B(CMD_COMPARE),
      "scenario the others are compared with (default\n"
      "\"baseline\", else the first)" },
    { NULL, "--reference", "S", O_REFERENCE, B(CMD_RUN) | B(CMD_COMPARE) | B(CMD_PSA) | B(CMD_MERGE),
      "the decision table's counterfactual: each scenario's increments in cost and effect are "
      "paired against it (default \"" DECISION_DEFAULT_REFERENCE "\" when it is there, else "
      "--baseline)" },
    { NULL, "--cost", "KPI", O_COST, B(CMD_RUN) | B(CMD_COMPARE) | B(CMD_SIZE) | B(CMD_PSA) | B(CMD_MERGE),
      "the decision table's cost (default " DECISION_DEFAULT_COST "); size: the cost its "
      "answer is priced in" },
    { NULL, "--effect", "KPI", O_EFFECT, B(CMD_RUN) | B(CMD_COMPARE) | B(CMD_SIZE) | B(CMD_PSA) | B(CMD_MERGE),
      "the decision table's effect (default " DECISION_DEFAULT_EFFECT "); size: the effect "
      "the answer's extra cost buys" },
    { NULL, "--value-per-effect", "V", O_VALUE_PER_EFFECT, B(CMD_RUN) | B(CMD_COMPARE) | B(CMD_PSA) | B(CMD_MERGE),
      "what one unit of effect is worth, in the cost's unit (e.g. yuan per landing): adds the "
      "net benefit V * dEffect - dCost with its 95% CI to the decision table and /increments "
      "(merge: give it the decision options the run had, for the same /increments)" },
    { NULL, "--kpi", "LIST", O_KPI, B(CMD_RUN) | B(CMD_COMPARE) | B(CMD_SWEEP) | B(CMD_REPORT),
      "comma-separated KPIs to show (incubsim --help lists them)" },
    { NULL, "--csv", NULL, O_CSV, B(CMD_RUN) | B(CMD_COMPARE) | B(CMD_SWEEP),
      "the table as CSV" },
    { NULL, "--precision", "KPI=HW", O_PRECISION, B(CMD_RUN),
      "KPI=HW[,KPI=HW...]: add replications in batches\nuntil each KPI's 95%\n"
      "CI half-width is at most HW for every scenario\n"
      "(a pilot of 40 runs on streams of its own sets\n"
      "the first batch, at least -r)" },
    { NULL, "--max-reps", "N", O_MAX_REPS, B(CMD_RUN),
      "the most replications --precision may use per\n"
      "scenario (default 1000)" },
    { NULL, "--warmup", "auto", O_WARMUP, B(CMD_RUN),
      "one warm-up for every scenario compared: MSER on\n"
      "batch means of 5 pilot runs' pipeline occupancy of\n"
      "each (batches of its correlation time), then the\n"
      "largest for all (one window); recorded in /scenarios\n"
      "(columns warmup, warmup_rule)" },
    { "-j", "--jobs", "N", O_JOBS, RUNNERS,
      "worker threads (default: the cores available); any N gives the same bits" },
    { "-q", "--quiet", NULL, O_QUIET, RUNNERS, "no progress bar" },
    { "-v", "--verbose", NULL, O_VERBOSE, RUNNERS,
      "print the estimate of the run's events, rows and bytes before it starts (a run "
      "whose file would pass 50 GB, or /timeseries 10^9 rows, needs --force)" },
    { NULL, "--assumptions", NULL, O_ASSUMPTIONS, B(CMD_CHECK),
      "list the scenario's assumptions (setting, its value, source, prior and the prior's "
      "95% range) instead of the resolved scenario" },
    { NULL, "--robust", "P", O_ROBUST, B(CMD_SIZE),
      "0 < P < 1: the smallest lever value whose target is met with probability >= P over the "
      "base scenario's assumptions: at each probe, the experiment's `draws` (default 64) drawn "
      "from their priors (or its `posterior` file), -r replications each, the same draws and "
      "streams at every probe; a draw meets the target when its mean does, a probe is feasible "
      "when the share of draws meeting it is >= P. Prints the share at the answer and a "
      "bootstrap interval over the draws" },
    { "-h", "--help", NULL, O_HELP, ~0u, "this help" },
};
enum { NOPTS = sizeof options / sizeof options[0] };

const char *opts_command_name(enum command cmd)
{
    return commands[cmd].name;
}

int opts_command(const char *name)
{
    for (int c = 0; c < CMD_COUNT; c++)
        if (strcmp(commands[c].name, name) == 0)
            return c;
    return -1;
}

int opts_bad(enum command cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("incubsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'incubsim %s --help'.\n", commands[cmd].name);
    return EXIT_INPUT;
}

/* Prints text reflowed to 79 columns (text_wrap), a blank line in the text
 * kept as a paragraph break. */
void opts_wrap(const char *text, int indent, int col)
{
    text_wrap(stdout, text, indent, col, 79);
}

static void print_option(const struct opt *o)
{
    char head[64];
    snprintf(head, sizeof head, "%s%s%s%s%s", o->shrt ? o->shrt : "  ", o->shrt ? ", " : "  ",
             o->lng, o->arg ? " " : "", o->arg ? o->arg : "");
    printf("  %-24s ", head);
    opts_wrap(o->help, 27, 27);
}

void opts_help(enum command cmd)
{
    const struct command_doc *c = &commands[cmd];
    printf("Usage: %s\n\n", c->synopsis);
    opts_wrap(c->what, 0, 0);
    printf("\nOptions:\n");
    for (int i = 0; i < NOPTS; i++)
        if (options[i].cmds & B(cmd))
            print_option(&options[i]);
    printf("\nExamples:\n%s", c->examples);
    char readme[PATH_MAX], plot[PATH_MAX], examples[PATH_MAX];
    opts_shipped("README.md", "../share/doc/incubsim/README.md", readme, sizeof readme);
    opts_shipped("output/plot.py", "../share/incubsim/plot.py", plot, sizeof plot);
    opts_shipped("scenarios/experiments", "../share/incubsim/scenarios/experiments", examples,
                 sizeof examples);
    if (cmd == CMD_SWEEP || cmd == CMD_SIZE || cmd == CMD_SENSITIVITY || cmd == CMD_PSA ||
            cmd == CMD_CALIBRATE)
        printf("\nThe experiment file's format: man incubsim (EXPERIMENT FILES), or\n%s,\n"
               "\"Experiments\"; commented examples in %s/.\n", readme, examples);
    if (cmd != CMD_CHECK && cmd != CMD_KPIS && cmd != CMD_SCHEMA && cmd != CMD_REPORT)
        printf("\nFigures: /usr/bin/python3 %s OUT.h5 [--format png,pdf,svg]\n", plot);
    printf("\nExit status: 0 ok, 1 run-time failure (disk, memory), 2 bad input.\n");
}

const char *opts_shipped(const char *in_tree, const char *installed, char *buf, size_t n)
{
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char up[PATH_MAX];   /* a build folder's binary: the tree is one up */
            text_fmt(up, sizeof up, "../%s", in_tree);
            const char *rel[3] = { in_tree, up, installed };
            for (int i = 0; i < 3; i++)
                if (text_fmt(buf, n, "%s/%s", exe, rel[i]) == 0 && access(buf, R_OK) == 0) {
                    char real[PATH_MAX];
                    if (realpath(buf, real) && strlen(real) < n)
                        strcpy(buf, real);
                    return buf;
                }
        }
    }
    /* not found: where `make install` puts it */
    const char *tail = strstr(installed, "share/");
    text_fmt(buf, n, "%s/%s", INCUBSIM_PREFIX, tail ? tail : installed);
    return buf;
}

/* roff with its special characters escaped: backslash, and a leading dot or
 * quote that would read as a request; "-" as \- so options copy as ASCII. */
static void roff(const char *t)
{
    for (const char *p = t; *p; p++) {
        if ((p == t || p[-1] == '\n') && (*p == '.' || *p == '\''))
            fputs("\\&", stdout);
        if (*p == '\\')
            fputs("\\e", stdout);
        else if (*p == '-')
            fputs("\\-", stdout);
        else
            putchar(*p);
    }
}

void opts_man(const char *prefix)
{
    if (!prefix || !*prefix)
        prefix = INCUBSIM_PREFIX;
    /* .nh: no hyphenation, so a path or an option is never broken across lines
     * with a hyphen that is not in it; .ad l: ragged right, no stretched gaps */
    printf(".TH INCUBSIM 1 \"\" \"incubsim %s\" \"User Commands\"\n.nh\n.ad l\n",
           INCUBSIM_VERSION);
    printf(".SH NAME\nincubsim \\- discrete\\-event simulation of offshore incubation pipelines\n"
           ".SH SYNOPSIS\n");
    for (int c = 0; c < CMD_COUNT; c++) {
        printf(".br\n");
        roff(commands[c].synopsis);
        putchar('\n');
    }
    printf(".SH DESCRIPTION\n");
    roff("Technology projects are pre-incubated offshore (abroad, or in a science-and-technology "
         "enclave in a core city), accelerated, and industrialised at home, or lost on the way, "
         "under funding and policy scenarios. Each scenario is a libconfig file; each run "
         "writes an HDF5 file of tidy tables (see incubsim schema) and prints a comparison "
         "of the scenarios' KPIs with paired differences under common random numbers.\n");
    printf(".SH COMMANDS\n");
    for (int c = 0; c < CMD_COUNT; c++) {
        printf(".SS %s\n", commands[c].name);
        roff(commands[c].what);
        printf(".PP\nOptions:\n");
        for (int i = 0; i < NOPTS; i++)
            if (options[i].cmds & B(c)) {
                printf(".TP\n.B ");
                if (options[i].shrt) {
                    roff(options[i].shrt);
                    printf(", ");
                }
                roff(options[i].lng);
                if (options[i].arg)
                    printf(" \\fI%s\\fR", options[i].arg);
                putchar('\n');
                roff(options[i].help);
                putchar('\n');
            }
        printf(".PP\nExamples:\n.nf\n");
        roff(commands[c].examples);
        printf(".fi\n");
    }
    printf(".SH KPIS\nThe columns of /runs that \\-\\-kpi, \\-\\-precision and experiments name "
           "(incubsim kpis lists them):\n");
    for (size_t k = 0; k < kpi_count; k++) {
        printf(".TP\n.B %s\n", kpi_descs[k].name);
        roff(kpi_descs[k].doc);
        if (*kpi_descs[k].unit) {
            printf(" [");
            roff(kpi_descs[k].unit);
            printf("]");
        }
        putchar('\n');
    }
    printf(".SH EXPERIMENT FILES\n");
    roff("A libconfig file naming a base scenario (scenario, relative to the file), the "
         "replications, the levers (setting paths as incubsim check prints them, each with min "
         "and max, and step for size), the kpis, and a design: kind = grid, lhs, sobol (sweep), "
         "saltelli or morris (sensitivity), with points (and bootstrap for saltelli). For size, a "
         "target block instead of a design: kpi, at_least or at_most (the bound), confidence, "
         "tolerance, max_replications. Commented examples are installed in ");
    printf("\\%%");
    roff(prefix);
    roff("/share/incubsim/scenarios/experiments/.\n");
    printf(".SH EXIT STATUS\n0 ok; 1 a run\\-time failure (disk, memory); 2 bad input.\n"
           ".SH FILES\n.TP\n\\%%");
    roff(prefix);
    printf("/share/incubsim/scenarios/\nthe shipped scenarios (run with no file runs them all)\n"
           ".TP\n\\%%");
    roff(prefix);
    printf("/share/incubsim/plot.py\nfigures from a results file\n.TP\n\\%%");
    roff(prefix);
    printf("/share/doc/incubsim/README.md, SCHEMA.md\nthe guide, and the results file's schema\n"
           ".SH SEE ALSO\n.BR h5dump (1),\n.BR mpirun (1)\n");
}

void opts_usage(void)
{
    printf("incubsim " INCUBSIM_VERSION " - discrete-event simulation of offshore incubation "
           "pipelines\n\nCommands:\n");
    for (int c = 0; c < CMD_COUNT; c++)
        printf("  %s\n", commands[c].synopsis);
    printf("  incubsim --help | --version\n\n"
           "`incubsim COMMAND --help` explains a command and its options.\n\n"
           "KPIs (columns of /runs; --kpi, --precision and experiments name them):\n");
    int col = 2;
    printf("  ");
    for (size_t k = 0; k < kpi_count; k++) {
        size_t len = strlen(kpi_descs[k].name) + 2;
        if (col + (int)len > 78) {
            printf("\n  ");
            col = 2;
        }
        printf("%s%s", kpi_descs[k].name, k + 1 < kpi_count ? ", " : "\n");
        col += (int)len;
    }
    printf("\nExamples:\n"
           "  incubsim run                                 # every shipped scenario\n"
           "  incubsim run scenarios/baseline.cfg scenarios/landing_award.cfg -o a.h5\n"
           "  incubsim compare a.h5 --kpi landing_rate,net_fiscal\n"
           "  incubsim size scenarios/experiments/landing_award_sizing.cfg -o size.h5\n"
           "  incubsim kpis                                # every KPI, its unit and meaning\n"
           "\nExit status: 0 ok, 1 run-time failure (disk, memory), 2 bad input.\n");
    char readme[PATH_MAX], plot[PATH_MAX];
    opts_shipped("README.md", "../share/doc/incubsim/README.md", readme, sizeof readme);
    opts_shipped("output/plot.py", "../share/incubsim/plot.py", plot, sizeof plot);
    printf("Figures: /usr/bin/python3 %s OUT.h5\n"
           "The manual: man incubsim (incubsim --man prints it); the results file's schema:\n"
           "incubsim schema; scenario and experiment formats, validation: %s\n", plot, readme);
}

static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

/* --precision landing_rate=0.002,jobs=50 */
static int parse_precision(enum command cmd, const char *v, struct opts *o)
{
    char copy[1024];
    if (strlen(v) >= sizeof copy)
        return opts_bad(cmd, "--precision list too long");
    strcpy(copy, v);
    for (char *save, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            return opts_bad(cmd, "--precision needs KPI=HALFWIDTH, got \"%s\"", tok);
        *eq = '\0';
        if (kpi_index(tok) < 0)
            return opts_bad(cmd, "--precision: unknown KPI \"%s\" (incubsim --help lists them)", tok);
        char *end;
        double hw = strtod(eq + 1, &end);
        if (*end || !(hw > 0) || hw > 1e300)
            return opts_bad(cmd, "--precision %s: the half-width must be a number > 0, got \"%s\"",
                            tok, eq + 1);
        if (o->nprecision == MAX_PRECISION)
            return opts_bad(cmd, "--precision: at most %d KPIs", MAX_PRECISION);
        snprintf(o->precision[o->nprecision].kpi, sizeof o->precision[0].kpi, "%s", tok);
        o->precision[o->nprecision++].halfwidth = hw;
    }
    return EXIT_OK;
}

static char *join_args(int argc, char **argv)
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

/* The option argv[*i] names, with its value (advancing *i), or NULL. */
static const struct opt *match(int argc, char **argv, int *i, const char **val, int *missing)
{
    const char *a = argv[*i];
    *val = NULL;
    for (int k = 0; k < NOPTS; k++) {
        const struct opt *o = &options[k];
        size_t ll = strlen(o->lng);
        if (o->arg && strncmp(a, o->lng, ll) == 0 && a[ll] == '=') {
            *val = a + ll + 1;
            return o;
        }
        if ((o->shrt && strcmp(a, o->shrt) == 0) || strcmp(a, o->lng) == 0) {
            if (o->arg) {
                if (*i + 1 >= argc) {
                    *missing = 1;
                    return o;
                }
                *val = argv[++*i];
            }
            return o;
        }
    }
    return NULL;
}

int opts_parse(enum command cmd, int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->reps = cmd == CMD_SIZE ? 10 : 20;
    o->seed = 1;
    o->max_reps = 1000;
    o->checkpoint = 30;
    o->threads = (unsigned long long)driver_cores();
    o->out = cmd == CMD_REPORT ? NULL : "incubsim.h5";   /* report: OUT.html by default */
    o->lambda = NAN;
    o->argv0 = argv[0];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v;
        int missing = 0;
        unsigned long long n;
        const struct opt *op = a[0] == '-' && a[1] ? match(argc, argv, &i, &v, &missing) : NULL;
        if (a[0] == '-' && a[1] && !op)
            return opts_bad(cmd, "unknown option %s", a);
        if (!op) {
            int max = cmd == CMD_RUN || cmd == CMD_MERGE ? MAX_FILES
                    : cmd == CMD_KPIS || cmd == CMD_SCHEMA ? 0 : 1;
            if (o->nfiles >= max && max > 1)
                return opts_bad(cmd, "more than %d scenario files", MAX_FILES);
            if (o->nfiles >= max)
                return opts_bad(cmd, "%s takes %s file; unexpected %s", commands[cmd].name,
                                max ? "one" : "no", a);
            o->files[o->nfiles++] = a;
            continue;
        }
        if (!(op->cmds & B(cmd)))
            return opts_bad(cmd, "%s does not apply to `%s`", op->lng, commands[cmd].name);
        if (missing)
            return opts_bad(cmd, "%s needs a value (%s)", op->lng, op->arg);
        switch (op->id) {
        case O_HELP:
            opts_help(cmd);
            o->help = 1;
            return EXIT_OK;
        case O_REPS:
            if (parse_u64(v, 100000000ULL, &n) || n == 0)
                return opts_bad(cmd, "-r needs a whole number of replications >= 1, got \"%s\"", v);
            o->reps = n;
            o->reps_given = 1;
            break;
        case O_MAX_REPS:
            if (parse_u64(v, 100000000ULL, &n) || n < 2)
                return opts_bad(cmd, "--max-reps needs a whole number >= 2, got \"%s\"", v);
            o->max_reps = n;
            break;
        case O_SEED:
            if (parse_u64(v, (1ULL << 53) - 1, &n))
                return opts_bad(cmd, "-s needs a seed in 0..9007199254740991 (2^53-1: the "
                                "largest every reader of the results holds exactly), got \"%s\"", v);
            o->seed = n;
            break;
        case O_JOBS:
            if (parse_u64(v, 4096, &n) || n == 0)
                return opts_bad(cmd, "-j needs a number of threads in 1..4096, got \"%s\"", v);
            o->threads = n;
            break;
        case O_SHARD: {
            unsigned long long i, n;
            char tail;
            if (sscanf(v, "%llu/%llu%c", &i, &n, &tail) != 2 || n == 0 || i >= n || n > 1000000)
                return opts_bad(cmd, "--shard needs I/N with 0 <= I < N, got \"%s\"", v);
            o->shard = i;
            o->shards = n;
            break;
        }
        case O_RESUME: o->resume = 1; break;
        case O_IS_COMPLETE: o->is_complete = 1; break;
        case O_CHECKPOINT: {
            char *end;
            double sec = strtod(v, &end);
            if (*end || !(sec >= 0) || sec > 1e9)
                return opts_bad(cmd, "--checkpoint needs seconds >= 0, got \"%s\"", v);
            o->checkpoint = sec;
            break;
        }
        case O_OUT:
            if (!*v)
                return opts_bad(cmd, "-o needs a file name");
            o->out = v;
            break;
        case O_BASELINE: o->baseline = v; break;
        case O_REFERENCE: o->reference = v; break;
        case O_COST:
        case O_EFFECT:
            if (kpi_index(v) < 0)
                return opts_bad(cmd, "%s: unknown KPI \"%s\" (incubsim kpis lists them)", op->lng,
                                v);
            *(op->id == O_COST ? &o->cost_kpi : &o->effect_kpi) = v;
            break;
        case O_VALUE_PER_EFFECT: {
            char *end;
            double x = strtod(v, &end);
            if (!*v || *end || !isfinite(x))
                return opts_bad(cmd, "--value-per-effect needs a number (e.g. 2e6), got \"%s\"", v);
            o->lambda = x;
            break;
        }
        case O_KPI: o->kpis = v; break;
        case O_FORCE: o->force = 1; break;
        case O_RECORDS: o->records = 1; break;
        case O_CSV: o->csv = 1; break;
        case O_QUIET: o->quiet = 1; break;
        case O_VERBOSE: o->verbose = 1; break;
        case O_ASSUMPTIONS: o->assumptions = 1; break;
        case O_ANALYSE:
            if (!*v)
                return opts_bad(cmd, "--analyse needs the results file to analyse");
            o->analyse = v;
            break;
        case O_ROBUST: {
            char *end;
            double x = strtod(v, &end);
            if (!*v || *end || !(x > 0 && x < 1))
                return opts_bad(cmd, "--robust needs a probability P with 0 < P < 1 (e.g. 0.9), "
                                "got \"%s\"", v);
            o->robust = x;
            break;
        }
        case O_SET:
            if (!strchr(v, '=') || v[0] == '=')
                return opts_bad(cmd, "--set needs PATH=VALUE, got \"%s\"", v);
            if (o->nsets == MAX_SETS)
                return opts_bad(cmd, "at most %d --set", MAX_SETS);
            o->sets[o->nsets++] = v;
            break;
        case O_PRECISION:
            if (parse_precision(cmd, v, o))
                return EXIT_INPUT;
            break;
        case O_WARMUP:
            if (strcmp(v, "auto") != 0)
                return opts_bad(cmd, "--warmup takes \"auto\" (a fixed warm-up is the scenario's "
                                "`warmup`, or --set warmup=YEARS), got \"%s\"", v);
            o->warmup_auto = 1;
            break;
        }
    }
    static const char *const one_file[CMD_COUNT] = {
        [CMD_CHECK] = "scenario", [CMD_COMPARE] = "results", [CMD_SWEEP] = "experiment",
        [CMD_SIZE] = "experiment", [CMD_SENSITIVITY] = "experiment", [CMD_REPORT] = "results",
        [CMD_PSA] = "experiment", [CMD_CALIBRATE] = "experiment" };
    if (one_file[cmd] && o->nfiles != 1)
        return opts_bad(cmd, "%s takes one %s file", commands[cmd].name, one_file[cmd]);
    if (o->kpis && compare_check_kpis(o->kpis))
        return EXIT_INPUT;   /* before hours of running, not after */
    if (o->nprecision && !o->reps_given)
        o->reps = 20;   /* the first stage: sim/sequential.h */
    if (o->nprecision && o->is_complete)
        return opts_bad(cmd, "--precision decides its replications as it goes: --is-complete "
                        "cannot tell its result in advance");
    if (o->nprecision && (o->shards || o->resume))
        return opts_bad(cmd, "--precision adds replications as it goes: it cannot be sharded "
                        "or resumed (run it whole; use -r for a fixed count that can)");
    if (o->analyse && (o->shards || o->resume || o->is_complete))
        return opts_bad(cmd, "--analyse runs nothing: it takes no --shard, --resume or "
                        "--is-complete");
    if (o->shards && cmd == CMD_SENSITIVITY)
        return opts_bad(cmd, "sensitivity analyses every point together: it cannot be sharded "
                        "(run it whole, with -j or under mpirun)");
    /* -o a symbolic link, dangling or not: the results are written beside it and
     * renamed into place, which would replace the link, not its target; refused
     * now, not after the run */
    struct stat sl;
    if ((B(cmd) & (RUNNERS | B(CMD_MERGE))) && o->out && lstat(o->out, &sl) == 0 &&
            S_ISLNK(sl.st_mode))
        return opts_bad(cmd, "-o %s is a symbolic link; name the file itself (a link is never "
                        "written through or replaced, even with --force)", o->out);
    if (cmd == CMD_MERGE && o->nfiles == 0)
        return opts_bad(cmd, "merge needs the files to join: incubsim merge -o ALL.h5 PART.h5 ...");
    if (o->nprecision && o->max_reps < o->reps)
        return opts_bad(cmd, "--max-reps %llu is below the first batch (-r %llu)", o->max_reps,
                        o->reps);
    o->command_line = join_args(argc, argv);
    return o->command_line ? EXIT_OK : EXIT_RUNTIME;
}

void opts_free(struct opts *o)
{
    free(o->command_line);
    o->command_line = NULL;
}
