/* columns.c — the results file's documentation; see columns.h.
 *
 * Units: "" for names and codes; "share" for a fraction in [0, 1]; "ratio"
 * for a quotient that may pass 1; "yuan (PV)" for money valued at the
 * warm-up (discounted at accounting.discount_rate); "yuan" for money as paid.
 * Integers that can pass 2^31 (seeds, event counts, project numbers) are
 * stored as float64, exact to 2^53, so R (rhdf5, hdf5r), pandas and a
 * spreadsheet all read them as they are. */
#include "columns.h"
#include "../models/kpi.h"

#include <string.h>

struct table_doc {
    const char *name, *doc;
    const struct column_doc *cols;   /* NULL-terminated */
};

#define HEAD \
    { "scenario", "", "scenario name (as in /scenarios)" }, \
    { "point", "", "design point of a sweep (a row of /design); 0 for run" }
#define REP { "replication", "", "replication number, from 0; with the seed it keys every random stream" }

static const struct column_doc scenarios_cols[] = {
    { "index", "", "the scenario's position on the command line, from 0" },
    { "name", "", "scenario name" },
    { "config", "", "the scenario as resolved (every setting, defaults and --set included), as "
                    "libconfig text: `incubsim run` reads it back as it is" },
    { "config_sha256", "", "SHA-256 of config, in hex" },
    { "warmup", "years", "the warm-up used: statistics and money count from here" },
    { "warmup_rule", "", "how the warm-up was chosen: setting, MSER, or setting (MSER refused)" },
    { NULL, NULL, NULL }
};

static const struct column_doc runs_cols[] = {
    HEAD, REP,
    { "seed", "", "master seed (-s), shared by every run of the file" },
    { "events", "events", "events handled by the replication" },
    { "wall_seconds", "seconds", "wall-clock time of the replication" },
    { "status", "", "ok, or failed: then every KPI is NaN (enum)" },
    { "reason", "", "why the replication failed; empty when ok" },
    { NULL, NULL, NULL }   /* then the KPIs: kpi_descs */
};

static const struct column_doc carriers_cols[] = {
    HEAD, REP,
    { "carrier", "", "carrier name (as in the scenario; /projects' carrier_* hold the same names)" },
    { "stage", "", "pre_incubation, acceleration or industrialisation (enum)" },
    { "arrivals", "projects", "projects routed to the carrier after the warm-up (with outbound firms "
                              "where it serves them: one queue, outbound_* in /runs)" },
    { "served", "projects", "projects (and outbound firms) that finished their stay" },
    { "balked", "projects", "projects (and outbound firms) turned away by a full queue" },
    { "mean_wait", "years", "mean time in queue, of those who got a seat" },
    { "mean_queue", "projects", "time-average number waiting" },
    { "utilisation", "share", "busy seat-time / seat-time" },
    { "mean_sojourn", "years", "mean time from arrival at the carrier to release" },
    { "capacity_end", "seats", "seats at the horizon (construction subsidies add seats)" },
    { NULL, NULL, NULL }
};

static const struct column_doc timeseries_cols[] = {
    HEAD, REP,
    { "t", "years", "sampling time: every `timeseries_step` years from the warm-up, and the horizon" },
    { "occupancy_pre", "projects", "in service in pre-incubation" },
    { "queue_pre", "projects", "waiting for pre-incubation" },
    { "occupancy_acc", "projects", "in service in acceleration" },
    { "queue_acc", "projects", "waiting for acceleration" },
    { "occupancy_ind", "projects", "in service in industrialisation (the home pilot)" },
    { "queue_ind", "projects", "waiting for industrialisation" },
    { "landed_cum", "projects", "landed at home since the warm-up" },
    { "firms", "firms", "home firms in production" },
    { "jobs", "persons", "jobs in those firms" },
    { "public_spend_cum", "yuan (PV)", "public spending since the warm-up (seat costs booked at year ends)" },
    { NULL, NULL, NULL }
};

static const struct column_doc summary_cols[] = {
    HEAD,
    { "kpi", "", "KPI name: a column of /runs, whose unit the statistics below share" },
    { "mean", "as the KPI", "mean over the replications that did not fail" },
    { "sd", "as the KPI", "sample standard deviation" },
    { "ci_low", "as the KPI", "95% Student-t interval of the mean, lower end" },
    { "ci_high", "as the KPI", "95% Student-t interval of the mean, upper end" },
    { "n", "replications", "replications in the mean (NaN KPIs, e.g. a ratio over 0, left out)" },
    { "baseline", "", "the scenario the difference is paired with; empty: none" },
    { "diff_mean", "as the KPI", "mean of the paired differences (this - baseline, same replication)" },
    { "diff_ci_low", "as the KPI", "95% Student-t interval of the paired difference, lower end" },
    { "diff_ci_high", "as the KPI", "95% Student-t interval of the paired difference, upper end" },
    { "diff_n", "replications", "pairs in the difference" },
    { NULL, NULL, NULL }
};

static const struct column_doc projects_cols[] = {
    HEAD, REP,
    { "project", "", "the project's number in its run, from 0" },
    { "source", "", "source name (as in the scenario)" },
    { "sector", "", "sector name (as in the scenario)" },
    { "carrier_pre", "", "carrier of its pre-incubation (a /carriers name); empty: never got there" },
    { "carrier_acc", "", "carrier of its acceleration; empty: never got there" },
    { "carrier_ind", "", "carrier of its industrialisation; empty: never got there" },
    { "outcome", "", "how it ended: rejected, balked, failed_pre, failed_acc, stayed_hub, "
                     "third_region, failed_ind, production, in_pipeline (enum)" },
    { "quality", "share", "latent quality, in [0, 1]" },
    { "score", "share", "quality as screening saw it (with noise; may leave [0, 1])" },
    { "t_arrive", "years", "arrival" },
    { "t_pre", "years", "entry to pre-incubation; NaN: never" },
    { "t_acc", "years", "entry to acceleration; NaN: never" },
    { "t_land", "years", "landing at home; NaN: never" },
    { "t_end", "years", "end of its course; NaN: still in the pipeline at the horizon" },
    { "money_grant", "yuan", "project grant received (as paid)" },
    { "money_voucher", "yuan", "innovation voucher received" },
    { "money_fund", "yuan", "guidance fund investment received" },
    { "money_award", "yuan", "landing award received" },
    { "private_round", "yuan", "private round raised in acceleration" },
    { NULL, NULL, NULL }
};

static const struct column_doc design_cols[] = {
    { "point", "", "design point number, from 0 (/runs' point)" },
    { NULL, NULL, NULL }   /* then one column per lever */
};

static const struct column_doc sizing_cols[] = {
    { "point", "", "probe number, in the order probed" },
    { "value", "the lever's unit", "the lever's value at this probe" },
    { "n", "replications (--robust: draws)", "replications its sequential test used; "
                                             "--robust: draws whose mean is defined" },
    { "mean", "the KPI's unit", "the KPI's mean (--robust: the mean of the draws' means)" },
    { "ci_low", "the KPI's unit", "95% Student-t interval of the mean, lower end; --robust: "
                                  "2.5% quantile of the draws' means (what the assumptions spread)" },
    { "ci_high", "the KPI's unit", "95% Student-t interval of the mean, upper end; --robust: "
                                   "97.5% quantile of the draws' means" },
    { "decision", "", "feasible, infeasible or undecided: the KPI against the target (enum); "
                      "--robust: the share against robust, undecided when robust lies inside the "
                      "share's one-sided Wilson bound at `confidence` (the bisection then takes "
                      "share >= robust as feasible)" },
    { "share", "share", "--robust: the share of draws whose mean meets the target (NaN without "
                        "--robust)" },
    { "share_low", "share", "--robust: Wilson 95% interval of the share, lower end" },
    { "share_high", "share", "--robust: Wilson 95% interval of the share, upper end" },
    { NULL, NULL, NULL }
};

static const struct column_doc sensitivity_cols[] = {
    { "kpi", "", "KPI name (a column of /runs)" },
    { "lever", "", "the lever's setting path" },
    { "method", "", "sobol or morris" },
    { "measure", "", "S1, ST (sobol); mu_star, mu, sigma (morris)" },
    { "value", "share, or the KPI's unit", "S1, ST: share of the KPI's variance; mu_star, mu, sigma: "
                                           "the KPI's change per unit of the lever's range scaled to [0, 1]" },
    { "ci_low", "as value", "95% percentile-bootstrap interval, lower end; NaN: none" },
    { "ci_high", "as value", "95% percentile-bootstrap interval, upper end; NaN: none" },
    { NULL, NULL, NULL }
};

static const struct column_doc increments_cols[] = {
    { "scenario", "", "the option (a scenario of /scenarios)" },
    { "reference", "", "the option it is compared with: the reference (attribute `reference`), "
                       "or in a frontier row the next cheaper option on the frontier" },
    { "against", "", "reference (a row against the reference) or frontier (a sequential ICER "
                     "along the frontier) (enum)" },
    { "cost_kpi", "", "the cost KPI (a column of /runs; --cost)" },
    { "effect_kpi", "", "the effect KPI (a column of /runs; --effect)" },
    { "delta_cost", "the cost KPI's unit", "mean of the paired differences in cost (scenario - "
                                           "reference, same replication)" },
    { "delta_cost_low", "the cost KPI's unit", "95% Student-t interval of delta_cost, lower end" },
    { "delta_cost_high", "the cost KPI's unit", "95% Student-t interval of delta_cost, upper end" },
    { "delta_effect", "the effect KPI's unit", "mean of the paired differences in effect" },
    { "delta_effect_low", "the effect KPI's unit", "95% Student-t interval of delta_effect, lower end" },
    { "delta_effect_high", "the effect KPI's unit", "95% Student-t interval of delta_effect, upper end" },
    { "icer", "cost unit per effect unit", "delta_cost / delta_effect (incremental cost-effectiveness "
              "ratio); NaN when delta_effect is 0 and in the reference's own row" },
    { "icer_low", "cost unit per effect unit", "Fieller's 95% interval of the ratio, lower end; NaN "
                  "when the interval is unbounded (delta_effect's interval holds 0) or none" },
    { "icer_high", "cost unit per effect unit", "Fieller's 95% interval of the ratio, upper end; NaN "
                   "as icer_low" },
    { "status", "", "the scenario's place on the cost-effect frontier (of the mean deltas, dampack's "
                    "rules): reference, frontier, dominated (another option costs no more and gives "
                    "no less), extended_dominated (a mix of two frontier options gives more for "
                    "less) (enum)" },
    { "net_benefit", "the cost KPI's unit", "value_per_effect * delta_effect - delta_cost, mean "
                     "over the pairs; only with --value-per-effect" },
    { "net_benefit_low", "the cost KPI's unit", "95% Student-t interval of net_benefit, lower end" },
    { "net_benefit_high", "the cost KPI's unit", "95% Student-t interval of net_benefit, upper end" },
    { "n", "replications", "pairs used (replications where both options reported both KPIs)" },
    { "icer_interval", "", "bounded (icer_low, icer_high hold Fieller's interval), unbounded "
                           "(delta_effect's interval holds 0: Fieller's set is not an interval, "
                           "NaN stored), none (the reference's own row, or fewer than 2 pairs) (enum)" },
    { NULL, NULL, NULL }
};

static const struct column_doc psa_cols[] = {
    { "draw", "", "the draw of the assumptions (a parameter set), from 0; also /runs' point" },
    { "scenario", "", "scenario (option) name" },
    { NULL, NULL, NULL }
};

static const struct column_doc ceac_cols[] = {
    { "value_per_effect", "yuan per unit of the effect KPI", "lambda: what one unit of effect "
      "(e.g. one landing) is worth to the planner" },
    { "scenario", "", "scenario (option) name" },
    { "probability_best", "share", "of the draws in which this option has the highest net benefit "
      "lambda x effect - cost (ties shared); per lambda the options sum to 1" },
    { NULL, NULL, NULL }
};

static const struct column_doc evppi_cols[] = {
    { "setting", "", "the assumption's setting path; \"(all: EVPI)\" for perfect information on "
      "every assumption at once" },
    { "value_per_effect", "yuan per unit of the effect KPI", "lambda, as in /ceac" },
    { "evppi", "yuan (PV)", "expected value of learning this assumption exactly before choosing: "
      "the planner's expected net benefit gained (estimator in the attribute `estimator`)" },
    { NULL, NULL, NULL }
};

static const struct column_doc posterior_cols[] = {
    { "weight", "", "the draw's weight (rows are a sample of the posterior when weights are equal)" },
    { "implausibility", "", "largest over the targets of |observed - simulated mean| / sqrt(observation "
      "variance + the mean's Monte Carlo variance); retained when <= the attribute `cut`" },
    { "wave", "", "history-matching wave the draw was run in, from 1" },
    { NULL, NULL, NULL }
};

static const struct table_doc tables[] = {
    { "scenarios", "one row per scenario: its resolved config and fingerprint, and the warm-up used",
      scenarios_cols },
    { "runs", "one row per (scenario, point, replication): every KPI; a failed replication has "
              "status failed, a reason, and NaN KPIs", runs_cols },
    { "carriers", "one row per (run, carrier): queue statistics after the warm-up", carriers_cols },
    { "timeseries", "one row per (run, sampling time): occupancy, queues, landings, firms, spending",
      timeseries_cols },
    { "summary", "one row per (scenario, point, KPI): mean, sd and 95% CI over replications, and "
                 "the paired difference from the baseline scenario", summary_cols },
    { "projects", "one row per project (--records): attributes, stage times, carriers, outcome, "
                  "money; names are strings, as in /carriers", projects_cols },
    { "design", "one row per design point of a sweep: each lever's value (a column named by its "
                "setting path)", design_cols },
    { "sizing", "one row per probe of `size`; the answer and the test's terms are attributes, "
                "and its price: `cost_kpi`, `cost_at_answer` (the cost KPI's mean at the answer), "
                "`effect_kpi`, `cost_per_extra_effect` (the ICER of the answer against the "
                "lever's minimum, paired replications) with Fieller's 95% interval "
                "`cost_per_extra_effect_low`, `_high` (NaN: none). With --robust P (the target "
                "met with probability >= P over the assumptions): `robust` (P), `draws`, "
                "`replications_per_draw`, `assumptions` (\"prior\" or the posterior file), "
                "`share_at_answer`, `answer_boot_low`, `answer_boot_high` (bootstrap over the "
                "draws; inf: not met in range), `bootstrap` (resamples) and `robust_rule` (the "
                "rule in words); the draws are /design's rows probe x draws + draw (the lever, "
                "then one column per assumption), their per-draw means /summary's points",
      sizing_cols },
    { "sensitivity", "one row per (KPI, lever, measure): Sobol S1 and ST with bootstrap intervals, "
                     "or Morris mu_star, mu, sigma", sensitivity_cols },
    { "increments", "the decision table (`run`): one row per scenario against the reference, "
                    "then one per frontier option against the next cheaper one; attributes "
                    "`reference`, `reference_status`, `cost_kpi`, `cost_unit`, `effect_kpi`, "
                    "`effect_unit`, `icer_interval_method` (Fieller, paired, Student-t), `level`, "
                    "`replications`, and `value_per_effect` when given (then the net_benefit "
                    "columns are there)", increments_cols },
    { "psa", "one row per (draw, scenario) of `psa`: the assumptions' values (a column named by "
             "each setting path) and every KPI's mean over the draw's replications", psa_cols },
    { "ceac", "one row per (value per effect, scenario) of `psa`: the cost-effectiveness "
              "acceptability curve", ceac_cols },
    { "evppi", "one row per (assumption, value per effect) of `psa`: the expected value of partial "
               "perfect information", evppi_cols },
    { "posterior", "one row per draw `calibrate` retained: the assumptions' values (a column named "
                   "by each setting path), weight, implausibility", posterior_cols },
};

static const struct table_doc *table_named(const char *name)
{
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (strcmp(tables[i].name, name) == 0)
            return &tables[i];
    return NULL;
}

const char *columns_table_doc(const char *table)
{
    const struct table_doc *t = table_named(table);
    return t ? t->doc : NULL;
}

const struct column_doc *columns_find(const char *table, const char *column,
                                      struct column_doc *scratch)
{
    const struct table_doc *t = table_named(table);
    if (!t)
        return NULL;
    for (const struct column_doc *c = t->cols; c->name; c++)
        if (strcmp(c->name, column) == 0)
            return c;
    if (strcmp(table, "runs") == 0) {
        int k = kpi_index(column);
        if (k < 0)
            return NULL;
        *scratch = (struct column_doc){ kpi_descs[k].name, kpi_descs[k].unit, kpi_descs[k].doc };
        return scratch;
    }
    if (strcmp(table, "design") == 0) {
        *scratch = (struct column_doc){ column, "the setting's unit",
                                        "a lever: the value of this setting at the point" };
        return scratch;
    }
    if (strcmp(table, "psa") == 0) {
        int k = kpi_index(column);
        if (k >= 0)
            *scratch = (struct column_doc){ kpi_descs[k].name, kpi_descs[k].unit,
                                            "mean over the draw's replications" };
        else
            *scratch = (struct column_doc){ column, "the setting's unit",
                                            "an assumption: its value in this draw" };
        return scratch;
    }
    if (strcmp(table, "posterior") == 0) {
        *scratch = (struct column_doc){ column, "the setting's unit",
                                        "an assumption: its value in this retained draw" };
        return scratch;
    }
    return NULL;
}

static void print_row(FILE *out, const char *name, const char *unit, const char *doc)
{
    fprintf(out, "| `%s` | %s | %s |\n", name, *unit ? unit : "", doc);
}

const char *columns_name(const char *table, size_t i)
{
    const struct table_doc *t = table_named(table);
    if (!t)
        return NULL;
    size_t n = 0;
    while (t->cols[n].name)
        n++;
    if (i < n)
        return t->cols[i].name;
    if (strcmp(table, "runs") == 0 && i - n < kpi_count)
        return kpi_descs[i - n].name;
    return NULL;
}

void columns_print_schema(FILE *out)
{
    fprintf(out,
        "# The results file\n\n"
        "Printed by `incubsim schema`; the same words are in every file, as attributes of each\n"
        "table: `description`, and per column, in the table's field order, `columns`, `units`\n"
        "and `descriptions`.\n\n"
        "Every table is a one-dimensional HDF5 dataset of compound rows. Names (scenario,\n"
        "carrier, source, sector, KPI) are fixed-width UTF-8 strings, NUL-padded, the same in\n"
        "every table, so tables join on them. `status`, `stage`, `outcome`, `decision`, `against`\n"
        "and `icer_interval` are HDF5 enums numbered from 1 (in the order this reference lists\n"
        "their names), so R's hdf5r reads them as plain factors (`table()`, `summary()`,\n"
        "`tapply()` work); in h5py, `h5py.check_enum_dtype` gives the names.\n"
        "Integers that can pass 2^31 (seeds, event counts, project numbers) are float64, exact\n"
        "to 2^53. Time is in years from the start of the run; `yuan (PV)` is money valued at\n"
        "the warm-up, discounted at `accounting.discount_rate`; `share` is a fraction in\n"
        "[0, 1]; `ratio` may pass 1. A KPI that cannot be computed (a ratio over 0) is NaN.\n\n"
        "Root attributes: `incubsim_version`, `git_commit`, `created` (UTC), `command_line`,\n"
        "`command`, `host`, the versions of HDF5, GSL and libconfig, `master_seed`,\n"
        "`replications`, `records` (1: /projects present), `scenario_sha256`, `design_sha256`,\n"
        "`summary_baseline`, and `task_first`, `task_end`, `task_total`, `shard` (which tasks\n"
        "of the run the file holds: a shard or part has a range; `incubsim merge` joins them).\n"
        "`run_sha256` is the run's identity: one SHA-256 over the version, command, seed,\n"
        "replications, `records`, task count, design, baseline and every scenario's name and\n"
        "resolved config (`--set` included); parts join only when it is the same. /scenarios,\n"
        "/runs, /carriers, /timeseries, /projects and /summary also have `rows`, their row\n"
        "count when the file was committed: a part whose table holds fewer (cut short) is\n"
        "refused.\n");
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        const struct table_doc *t = &tables[i];
        fprintf(out, "\n## /%s\n\n%s.\n\n| column | unit | meaning |\n|---|---|---|\n", t->name,
                t->doc);
        for (const struct column_doc *c = t->cols; c->name; c++)
            print_row(out, c->name, c->unit, c->doc);
        if (strcmp(t->name, "runs") == 0)
            for (size_t k = 0; k < kpi_count; k++)
                print_row(out, kpi_descs[k].name, kpi_descs[k].unit, kpi_descs[k].doc);
        if (strcmp(t->name, "design") == 0)
            print_row(out, "<setting path>", "the setting's unit", "one column per lever");
        if (strcmp(t->name, "psa") == 0) {
            print_row(out, "<setting path>", "the setting's unit", "one column per assumption");
            print_row(out, "<KPI>", "the KPI's unit", "one column per KPI: its mean over the "
                      "draw's replications");
        }
        if (strcmp(t->name, "posterior") == 0)
            print_row(out, "<setting path>", "the setting's unit", "one column per assumption");
    }
}
