/* experiment.c — the experiment file through the settings tables; see
 * experiment.h (which also says how to add a key). */
#include "experiment.h"
#include "../text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "grid", "lhs", "sobol", "saltelli", "morris", NULL };

#define E struct experiment
/* The fields of a spec (braces added where it is used). */
#define FLOAT_(T, key, f, lo, hi, dflt, d) \
    .name = key, .type = SET_FLOAT, .offset = offsetof(T, f), .min = lo, .max = hi, .def = dflt, \
    .unit = "", .doc = d
#define INT_(T, key, f, lo, hi, dflt, d) \
    .name = key, .type = SET_INT, .offset = offsetof(T, f), .min = lo, .max = hi, .def = dflt, \
    .unit = "", .doc = d
#define STRING_(T, key, f, dflt, d) \
    .name = key, .type = SET_STRING, .offset = offsetof(T, f), .def = dflt, .unit = "", \
    .doc = d, .len = sizeof ((T *)0)->f
#define GIVEN(k) .given_offset = offsetof(E, given[k])

/* ---- a lever: levers = ( { setting = "..."; min = ...; max = ...; step = ...; } ) ---- */

static int lever_check(void *obj, struct setting_at *at)
{
    struct lever *L = obj;
    const struct experiment *e = at->root;
    struct diag d;
    if (settings_resolve_path(&scenario_table, L->path, &L->ref, &d)) {
        at->member = "setting";
        text_fmt(at->why, sizeof at->why, "%s", d.msg);
        return -1;
    }
    if (!(L->max > L->min) && !(e->cmd == CMD_SWEEP && L->max == L->min)) {
        at->member = "max";
        text_fmt(at->why, sizeof at->why, "must be above min (%.17g), got %.17g", L->min, L->max);
        return -1;
    }
    if (L->ref.type == SET_INT) {   /* an integer setting: nothing is rounded silently */
        const char *names[3] = { "min", "max", "step" };
        const double v[3] = { L->min, L->max, L->step };
        for (int k = 0; k < 3; k++)
            if (v[k] != floor(v[k])) {
                at->member = names[k];
                text_fmt(at->why, sizeof at->why, "%s is an integer setting: a whole number, "
                         "got %.17g", L->path, v[k]);
                return -1;
            }
    }
    for (int k = 0; k < 2; k++) {
        double v = k ? L->max : L->min;
        if (v < L->ref.min || v > L->ref.max) {
            at->member = k ? "max" : "min";
            text_fmt(at->why, sizeof at->why, "outside %s's range [%.15g, %.15g], got %.17g",
                     L->path, L->ref.min, L->ref.max, v);
            return -1;
        }
    }
    return 0;
}

static const struct setting_spec lever_specs[] = {
    { STRING_(struct lever, "setting", path, REQUIRED, "a numeric setting's path, as --set takes it") },
    { FLOAT_(struct lever, "min", min, -1e300, 1e300, REQUIRED, "the lever's lowest value") },
    { FLOAT_(struct lever, "max", max, -1e300, 1e300, REQUIRED, "the lever's highest value") },
    { FLOAT_(struct lever, "step", step, 0, 1e300, 0, "size's grid spacing; 0 = none (integers "
           "for an integer setting)") },
};
static const struct setting_table lever_table = {
    .specs = lever_specs, .n = sizeof lever_specs / sizeof lever_specs[0],
    .size = sizeof(struct lever), .check = lever_check,
};

/* ---- design = { kind; points; levels; bootstrap; } ---- */

typedef __typeof__(((E *)0)->design) design_t;
typedef __typeof__(((E *)0)->target) target_t;

static int design_check(void *obj, struct setting_at *at)
{
    const design_t *d = obj;
    const struct experiment *e = at->root;
    int sweepish = d->kind >= DESIGN_GRID && d->kind <= DESIGN_SOBOL;
    if (e->cmd != CMD_SIZE && (e->cmd == CMD_SWEEP) != sweepish) {
        at->member = "kind";
        text_fmt(at->why, sizeof at->why, "\"%s\": %s takes %s", kind_names[d->kind],
                 e->cmd == CMD_SWEEP ? "sweep" : "sensitivity",
                 e->cmd == CMD_SWEEP ? "grid, lhs or sobol" : "saltelli or morris");
        return -1;
    }
    return 0;
}

static const struct setting_spec design_specs[] = {
    { .name = "kind", .type = SET_ENUM, .offset = offsetof(design_t, kind), .def = DESIGN_GRID,
      .unit = "", .doc = "grid, lhs, sobol (sweep); saltelli, morris (sensitivity)",
      .names = kind_names },
    { INT_(design_t, "points", points, 1, 1e7, 11, "values per lever (grid), points (lhs, "
         "sobol), base rows (saltelli) or trajectories (morris)") },
    { INT_(design_t, "levels", levels, 2, 1000, 4, "morris: levels of its grid") },
    { INT_(design_t, "bootstrap", bootstrap, 0, 1e6, 1000, "resamples of the intervals") },
};
static const struct setting_table design_table = {
    .specs = design_specs, .n = sizeof design_specs / sizeof design_specs[0],
    .size = sizeof(design_t), .check = design_check,
};

/* ---- target = { kpi; at_least | at_most; confidence; tolerance; max_replications; } ---- */

static int target_check(void *obj, struct setting_at *at)
{
    target_t *t = obj;
    if ((t->kpi = kpi_index(t->kpi_name)) < 0) {
        at->member = "kpi";
        text_fmt(at->why, sizeof at->why, "unknown KPI \"%s\" (`incubsim kpis` lists them)",
                 t->kpi_name);
        return -1;
    }
    if (isnan(t->least) == isnan(t->most)) {
        text_fmt(at->why, sizeof at->why, "give exactly one of at_least and at_most");
        return -1;
    }
    t->at_most = !isnan(t->most);
    t->value = t->at_most ? t->most : t->least;
    return 0;
}

static const struct setting_spec target_specs[] = {
    { STRING_(target_t, "kpi", kpi_name, REQUIRED, "the KPI the target bounds") },
    { FLOAT_(target_t, "at_least", least, -1e300, 1e300, NAN, "the KPI's mean must reach this") },
    { FLOAT_(target_t, "at_most", most, -1e300, 1e300, NAN, "or stay at or below this") },
    { FLOAT_(target_t, "confidence", confidence, 0.5, 0.999999, 0.95, "of each probe's decision") },
    { FLOAT_(target_t, "tolerance", tolerance, 1e-300, 1e300, REQUIRED,
           "a mean this close to the bound may be decided either way") },
    { INT_(target_t, "max_replications", max_replications, 2, 1e8, 100000,
         "per probe, before it is left undecided") },
};
static const struct setting_table target_table = {
    .specs = target_specs, .n = sizeof target_specs / sizeof target_specs[0],
    .size = sizeof(target_t), .check = target_check,
};

/* ---- a calibration target: targets = ( { kpi; value; sd; source; } ) ---- */

static int calib_target_check(void *obj, struct setting_at *at)
{
    struct calib_target *t = obj;
    if ((t->kpi = kpi_index(t->kpi_name)) < 0) {
        at->member = "kpi";
        text_fmt(at->why, sizeof at->why, "unknown KPI \"%s\" (`incubsim kpis` lists them)",
                 t->kpi_name);
        return -1;
    }
    return 0;
}

static const struct setting_spec calib_target_specs[] = {
    { STRING_(struct calib_target, "kpi", kpi_name, REQUIRED, "the KPI observed") },
    { FLOAT_(struct calib_target, "value", value, -1e300, 1e300, REQUIRED, "the observed figure") },
    { FLOAT_(struct calib_target, "sd", sd, 1e-300, 1e300, REQUIRED, "its observation "
           "uncertainty (standard deviation), in the KPI's unit") },
    { STRING_(struct calib_target, "source", source, REQUIRED, "seed file and figure, or a "
              "citation") },
};
static const struct setting_table calib_target_table = {
    .specs = calib_target_specs, .n = sizeof calib_target_specs / sizeof calib_target_specs[0],
    .size = sizeof(struct calib_target), .check = calib_target_check,
};

static const char *const method_names[] = { "history_matching", NULL };

/* ---- the file ---- */

/* Which commands take each key (bit 1 << cmd), and why the others do not. */
#define ALL ((1u << CMD_SWEEP) | (1u << CMD_SIZE) | (1u << CMD_SENSITIVITY))
#define UNSURE ((1u << CMD_PSA) | (1u << CMD_CALIBRATE))
static const struct { unsigned commands; const char *otherwise; } key_commands[K_COUNT] = {
    [K_NAME] = { ALL | UNSURE, "" }, [K_REPLICATIONS] = { ALL | UNSURE, "" },
    [K_SCENARIO] = { ALL | (1u << CMD_CALIBRATE), "psa compares options: name them in "
                     "scenarios = [ \"a.cfg\", \"b.cfg\" ]" },
    [K_LEVERS] = { ALL, "it varies the scenarios' assumptions (their `assumptions` lists)" },
    [K_KPIS] = { ALL | UNSURE, "" }, [K_TARGET] = { ALL, "" },
    [K_SCENARIOS] = { 1u << CMD_PSA, "it takes one base scenario (scenario = \"...\")" },
    [K_DRAWS] = { UNSURE | (1u << CMD_SIZE), "only psa, calibrate and size --robust draw the "
                  "assumptions" },
    [K_VALUE_PER_EFFECT] = { 1u << CMD_PSA, "only psa values effects" },
    [K_POSTERIOR] = { (1u << CMD_PSA) | (1u << CMD_SIZE), "only psa and size --robust draw "
                      "from a posterior" },
    [K_TARGETS] = { 1u << CMD_CALIBRATE, "only calibrate fits targets (size: target)" },
    [K_METHOD] = { 1u << CMD_CALIBRATE, "only calibrate has a method" },
    [K_WAVES] = { 1u << CMD_CALIBRATE, "only calibrate runs waves" },
    [K_CUT] = { 1u << CMD_CALIBRATE, "only calibrate has an implausibility cut" },
    [K_DESIGN] = { (1u << CMD_SWEEP) | (1u << CMD_SENSITIVITY),
                   "it probes the lever's range by bisection (set the lever's `step` for the "
                   "grid)" },
};

static const struct setting_table experiment_table;

static int experiment_check(void *obj, struct setting_at *at)
{
    struct experiment *e = obj;
    const char *cmd = opts_command_name(e->cmd);
    for (int k = 0; k < K_COUNT; k++)
        if (e->given[k] && !(key_commands[k].commands & (1u << e->cmd))) {
            at->member = experiment_table.specs[k].name;
            text_fmt(at->why, sizeof at->why, "%s takes no %s: %s", cmd, at->member,
                     key_commands[k].otherwise);
            return -1;
        }
    int unsure = e->cmd == CMD_PSA || e->cmd == CMD_CALIBRATE;
    if (e->cmd != CMD_PSA && !e->given[K_SCENARIO]) {
        text_fmt(at->why, sizeof at->why, "missing required setting \"scenario\" (the base "
                 "scenario file, relative to this file)");
        return -1;
    }
    if (e->cmd == CMD_PSA && e->nscenarios < 1) {
        at->member = e->given[K_SCENARIOS] ? "scenarios" : NULL;
        text_fmt(at->why, sizeof at->why, "psa needs scenarios = [ \"a.cfg\", ... ]: the "
                 "options compared, relative to this file");
        return -1;
    }
    if (e->nvalue_per_effect && (e->nvalue_per_effect != 2
                                 || !(e->value_per_effect[1] > e->value_per_effect[0]))) {
        at->member = "value_per_effect";
        text_fmt(at->why, sizeof at->why, "value_per_effect = [ lambda_min, lambda_max ] with "
                 "lambda_max > lambda_min (yuan per unit of effect)");
        return -1;
    }
    if (e->cmd == CMD_CALIBRATE && e->ntargets < 1) {
        at->member = e->given[K_TARGETS] ? "targets" : NULL;
        text_fmt(at->why, sizeof at->why, "calibrate needs targets = ( { kpi = \"...\"; value "
                 "= ...; sd = ...; source = \"...\"; } )");
        return -1;
    }
    if (e->nlevers == 0 && !unsure) {
        at->member = e->given[K_LEVERS] ? "levers" : NULL;
        text_fmt(at->why, sizeof at->why, "levers: a list of at least one { setting = \"...\"; "
                 "min = ...; max = ...; }");
        return -1;
    }
    if (e->cmd == CMD_SIZE && e->nlevers != 1) {
        at->member = "levers";
        text_fmt(at->why, sizeof at->why, "size takes exactly one lever, got %d", e->nlevers);
        return -1;
    }
    if (e->cmd == CMD_SIZE && e->replications < 2) {
        at->member = "replications";
        text_fmt(at->why, sizeof at->why, "size needs a first stage of at least 2, got %ld",
                 e->replications);
        return -1;
    }
    if (e->cmd == CMD_SIZE && !e->given[K_TARGET]) {
        text_fmt(at->why, sizeof at->why, "size needs a target = { kpi = \"...\"; at_least = ...; "
                 "tolerance = ...; }");
        return -1;
    }
    if (e->design.kind == DESIGN_SALTELLI && e->nlevers > SALTELLI_MAX_LEVERS) {
        at->member = "design";
        text_fmt(at->why, sizeof at->why, "saltelli takes at most %d levers: its design is a "
                 "%d-dimensional Sobol sequence and GSL's generator stops at 40 dimensions; use "
                 "kind = \"morris\" to screen more levers first", SALTELLI_MAX_LEVERS,
                 2 * e->nlevers);
        return -1;
    }
    if (e->design.kind == DESIGN_SOBOL && e->nlevers > DESIGN_SOBOL_MAX_DIM) {
        at->member = "design";
        text_fmt(at->why, sizeof at->why, "sobol takes at most %d levers (GSL's generator stops "
                 "at 40 dimensions); use kind = \"lhs\"", DESIGN_SOBOL_MAX_DIM);
        return -1;
    }
    e->nkpis = 0;
    for (int i = 0; i < e->nkpi_names; i++) {
        int k = kpi_index(e->kpi_names[i]);
        if (k < 0) {
            at->member = "kpis";
            text_fmt(at->why, sizeof at->why, "unknown KPI \"%s\" (`incubsim kpis` lists them)",
                     e->kpi_names[i]);
            return -1;
        }
        e->kpi[e->nkpis++] = k;
    }
    if (e->nkpis == 0 && e->cmd == CMD_CALIBRATE)   /* default: the targets' KPIs */
        for (int i = 0; i < e->ntargets && e->nkpis < EXP_MAX_KPIS; i++)
            e->kpi[e->nkpis++] = e->targets[i].kpi;
    if (e->nkpis == 0) {   /* default: the target's KPI, or the headline ones */
        if (e->given[K_TARGET])
            e->kpi[e->nkpis++] = e->target.kpi;
        else {
            e->kpi[e->nkpis++] = kpi_index("landing_rate");
            e->kpi[e->nkpis++] = kpi_index("net_fiscal");
        }
    }
    return 0;
}

static const struct setting_spec experiment_specs[K_COUNT] = {
    [K_NAME] = { STRING_(E, "name", name, REQUIRED, "the experiment's name"), GIVEN(K_NAME) },
    [K_SCENARIO] = { STRING_(E, "scenario", scenario, 0, "the base scenario file, "
                             "relative to this file"), GIVEN(K_SCENARIO) },
    [K_REPLICATIONS] = { INT_(E, "replications", replications, 1, 1e8, 20, "per point (size: "
                              "the first stage at each probe); -r overrides"),
                         GIVEN(K_REPLICATIONS) },
    [K_LEVERS] = { .name = "levers", .type = SET_LIST, .offset = offsetof(E, levers), .unit = "",
                   .doc = "the settings varied", .sub = &lever_table,
                   .count_offset = offsetof(E, nlevers), .max_count = MAX_LEVERS,
                   .key = "setting", GIVEN(K_LEVERS) },
    [K_DESIGN] = { .name = "design", .type = SET_GROUP, .offset = offsetof(E, design), .unit = "",
                   .doc = "the points", .sub = &design_table, GIVEN(K_DESIGN) },
    [K_KPIS] = { .name = "kpis", .type = SET_STRLIST, .offset = offsetof(E, kpi_names),
                 .unit = "", .doc = "KPIs reported", .count_offset = offsetof(E, nkpi_names),
                 .max_count = EXP_MAX_KPIS, GIVEN(K_KPIS) },
    [K_TARGET] = { .name = "target", .type = SET_GROUP, .offset = offsetof(E, target), .unit = "",
                   .doc = "size's target", .sub = &target_table, GIVEN(K_TARGET) },
    [K_SCENARIOS] = { .name = "scenarios", .type = SET_STRLIST, .offset = offsetof(E, scenarios),
                      .unit = "", .doc = "psa: the options compared (scenario files, relative "
                      "to this file)", .count_offset = offsetof(E, nscenarios),
                      .max_count = EXP_MAX_SCENARIOS, .len = EXP_SCENARIO_LEN,
                      GIVEN(K_SCENARIOS) },
    [K_DRAWS] = { INT_(E, "draws", draws, 2, 1e7, 64, "parameter sets drawn from the "
                       "assumptions (psa; calibrate: per wave; size --robust: at every probe)"),
                  GIVEN(K_DRAWS) },
    [K_VALUE_PER_EFFECT] = { .name = "value_per_effect", .type = SET_NUMLIST,
                             .offset = offsetof(E, value_per_effect), .min = 0, .max = 1e15,
                             .unit = "yuan per unit of effect",
                             .doc = "psa: [ lambda_min, lambda_max ] for /ceac and /evppi",
                             .count_offset = offsetof(E, nvalue_per_effect), .max_count = 2,
                             GIVEN(K_VALUE_PER_EFFECT) },
    [K_POSTERIOR] = { STRING_(E, "posterior", posterior, 0, "psa, size --robust: draw from this "
                              "file's /posterior (written by calibrate) instead of the priors"),
                      GIVEN(K_POSTERIOR) },
    [K_TARGETS] = { .name = "targets", .type = SET_LIST, .offset = offsetof(E, targets),
                    .unit = "", .doc = "calibrate: observed figures", .sub = &calib_target_table,
                    .count_offset = offsetof(E, ntargets), .max_count = EXP_MAX_TARGETS,
                    .key = "kpi", GIVEN(K_TARGETS) },
    [K_METHOD] = { .name = "method", .type = SET_ENUM, .offset = offsetof(E, method),
                   .def = CALIB_HISTORY_MATCHING, .unit = "",
                   .doc = "calibrate: history_matching (implausibility over waves)",
                   .names = method_names, GIVEN(K_METHOD) },
    [K_WAVES] = { INT_(E, "waves", waves, 1, 20, 3, "calibrate: history-matching waves"),
                  GIVEN(K_WAVES) },
    [K_CUT] = { FLOAT_(E, "cut", cut, 0.5, 100, 3, "calibrate: implausibility cut (Pukelsheim's "
                       "three-sigma rule: 3)"), GIVEN(K_CUT) },
};
static const struct setting_table experiment_table = {
    .specs = experiment_specs, .n = K_COUNT, .size = sizeof(E), .check = experiment_check,
};

/* A path of the file, relative to its folder, made usable from here ("" stays). */
static int relative(const char *file, char *p, size_t n)
{
    if (!*p)
        return 0;
    char copy[EXP_PATH_LEN];
    text_fmt(copy, sizeof copy, "%s", p);
    const char *slash = strrchr(file, '/');
    return (copy[0] == '/' || !slash) ? text_fmt(p, n, "%s", copy)
                                      : text_fmt(p, n, "%.*s/%s", (int)(slash - file), file, copy);
}

int experiment_load(const char *path, enum command cmd, struct experiment *e)
{
    settings_defaults(&experiment_table, e);
    e->cmd = cmd;
    if (cmd == CMD_SIZE)
        e->replications = 10;
    if (cmd == CMD_SENSITIVITY) {
        e->design.kind = DESIGN_SALTELLI;
        e->design.points = 256;
    }
    if (text_fmt(e->file, sizeof e->file, "%s", path)) {
        fprintf(stderr, "incubsim: %.100s...: path too long\n", path);
        return EXIT_INPUT;
    }
    struct diag d;
    if (settings_load(path, &experiment_table, e, &d)
            || settings_check_required(&experiment_table, e, path, &d)) {
        fprintf(stderr, "incubsim: %s\n", d.msg);
        return EXIT_INPUT;
    }
    if (relative(path, e->scenario, sizeof e->scenario)
            || relative(path, e->posterior, sizeof e->posterior)) {
        fprintf(stderr, "incubsim: %s: scenario or posterior: path too long\n", path);
        return EXIT_INPUT;
    }
    for (int i = 0; i < e->nscenarios; i++)
        if (relative(path, e->scenarios[i], sizeof e->scenarios[i])) {
            fprintf(stderr, "incubsim: %s: scenarios: path too long\n", path);
            return EXIT_INPUT;
        }
    return EXIT_OK;
}

int experiment_job(struct experiment *e, struct opts *o, struct job *j)
{
    if (!o->reps_given)
        o->reps = (unsigned long long)e->replications;
    const char *file = e->scenario;
    int rc = job_load(j, o, &file, 1);
    if (rc)
        return rc;
    j->scenario_file = e->scenario;
    struct scenario *probe = malloc(sizeof *probe);
    if (!probe)
        return EXIT_RUNTIME;
    for (int l = 0; l < e->nlevers && !rc; l++) {
        struct lever *L = &e->levers[l];
        struct diag d;
        if (settings_resolve(&scenario_table, j->scs[0], L->path, &L->ref, &d)) {
            fprintf(stderr, "incubsim: %s: levers.%s\n", e->file, d.msg);
            rc = EXIT_INPUT;
            break;
        }
        const double ends[2] = { L->min, L->max };
        for (int k = 0; k < 2 && !rc; k++) {
            char why[400];
            *probe = *j->scs[0];
            if (settings_ref_set(&L->ref, probe, ends[k], why, sizeof why)) {
                fprintf(stderr, "incubsim: %s: levers.%s.%s: %s\n", e->file, L->path,
                        k ? "max" : "min", why);
                rc = EXIT_INPUT;
            } else if (scenario_finish(probe, e->scenario, &d)) {
                fprintf(stderr, "incubsim: %s: levers.%s.%s (%.17g): %s\n", e->file,
                        L->path, k ? "max" : "min", ends[k], d.msg);
                rc = EXIT_INPUT;
            }
        }
    }
    free(probe);
    j->levers = e->levers;
    j->nlevers = e->nlevers;
    j->npoints = 0;
    return rc;
}

void experiment_values(const struct experiment *e, const double *u, double *values)
{
    for (int l = 0; l < e->nlevers; l++)
        values[l] = e->levers[l].min + u[l] * (e->levers[l].max - e->levers[l].min);
}

char *experiment_kpi_list(const struct experiment *e, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int q = 0; q < e->nkpis; q++)
        text_fmt(buf + strlen(buf), n - strlen(buf), "%s%s", q ? "," : "", kpi_descs[e->kpi[q]].name);
    return buf;
}

/* The budget a lever's effect can run into: its instrument's binding_* KPI,
 * or NULL (not an instrument's amount, or the budget itself). */
static const char *lever_budget_kpi(const char *path)
{
    static const struct { const char *prefix, *kpi; } map[] = {
        { "policy.landing_award", "binding_award" },
        { "policy.vouchers.", "binding_voucher" },
        { "policy.grant.", "binding_grant" },
        { "policy.guidance_fund.", "binding_fund" },
        { "policy.rent_free.", "binding_rent" },
        { "policy.performance.", "binding_performance" },
        { "policy.builds", "binding_construction" },
    };
    /* a lever that is the budget itself: its binding is its effect, not a cap on it */
    if (strcmp(path, "policy.guidance_fund.budget") == 0 ||
        strncmp(path, "policy.budget_per_year", 22) == 0 || strncmp(path, "policy.envelopes.", 17) == 0 ||
        strncmp(path, "policy.yearly_payments.", 23) == 0)
        return NULL;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(path, map[i].prefix, strlen(map[i].prefix)) == 0)
            return map[i].kpi;
    if (strncmp(path, "sources.", 8) == 0 && strstr(path, ".cost_per_event"))
        return "binding_events";
    return NULL;
}

int experiment_warn_binding(FILE *out, const struct experiment *e, const struct summary *sum)
{
    int warned = 0;
    for (int l = 0; l < e->nlevers; l++) {
        const char *name = lever_budget_kpi(e->levers[l].path);
        int q = name ? kpi_index(name) : -1;
        if (q < 0)
            continue;
        double worst = 0;
        size_t bound = 0;
        for (size_t u = 0; u < sum->nunits; u++) {
            struct summary_stat st;
            summary_stat(sum, u, (size_t)q, &st);
            if (st.n > 0 && st.mean > 0) {
                bound++;
                worst = fmax(worst, st.mean);
            }
        }
        if (bound > 0) {
            char t[1024];   /* filled to 80 columns, like the table above it */
            text_fmt(t, sizeof t, "warning: lever %s: its budget ran out (%s) in up to %.0f%% of "
                     "the runs, at %zu of %zu points: there its effect is capped by the envelope, "
                     "and what is measured is rationing; vary the envelope with the amount",
                     e->levers[l].path, name, 100 * worst, bound, sum->nunits);
            text_wrap(out, t, 2, 0, 80);
            warned++;
        }
    }
    return warned;
}
