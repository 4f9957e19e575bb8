/* experiment.c — reading an experiment file; see experiment.h. */
#include "experiment.h"
#include "../text.h"

#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "grid", "lhs", "sobol", "saltelli", "morris", NULL };

__attribute__((format(printf, 3, 4)))
static int bad(const char *file, const config_setting_t *at, const char *fmt, ...)
{
    char what[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    unsigned line = at ? config_setting_source_line(at) : 0;
    if (line)
        fprintf(stderr, "incubsim: %s:%u: %s\n", file, line, what);
    else
        fprintf(stderr, "incubsim: %s: %s\n", file, what);
    return EXIT_INPUT;
}

/* Every member of group g must be among `known` (a NULL-terminated list). */
static int only_known(const char *file, const config_setting_t *g, const char *where,
                      const char *const *known)
{
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(m);
        int ok = 0;
        for (int k = 0; known[k] && !ok; k++)
            ok = strcmp(known[k], name) == 0;
        if (!ok) {
            char list[400] = "";
            for (int k = 0; known[k]; k++)
                text_fmt(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "",
                         known[k]);
            return bad(file, m, "%s: unknown setting \"%s\" (known: %s)", where, name, list);
        }
    }
    return 0;
}

/* A number, integer or real literal; `required` or keeps *out. */
static int number(const char *file, const config_setting_t *g, const char *name, int required,
                  double lo, double hi, double *out)
{
    const config_setting_t *m = config_setting_get_member(g, name);
    if (!m)
        return required ? bad(file, g, "missing \"%s\"", name) : 0;
    int t = config_setting_type(m);
    double v;
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
        v = (double)config_setting_get_int64(m);
    else if (t == CONFIG_TYPE_FLOAT)
        v = config_setting_get_float(m);
    else
        return bad(file, m, "%s must be a number", name);
    if (!isfinite(v) || v < lo || v > hi)
        return bad(file, m, "%s must be in [%.15g, %.15g], got %.17g", name, lo, hi, v);
    *out = v;
    return 0;
}

static int string(const char *file, const config_setting_t *g, const char *name, int required,
                  char *out, size_t n)
{
    const config_setting_t *m = config_setting_get_member(g, name);
    if (!m)
        return required ? bad(file, g, "missing \"%s\"", name) : 0;
    const char *v = config_setting_get_string(m);
    if (!v || !*v || text_fmt(out, n, "%s", v))
        return bad(file, m, "%s must be a non-empty string of at most %zu bytes", name, n - 1);
    return 0;
}

static int kpi_named(const char *file, const config_setting_t *at, const char *name)
{
    int k = kpi_index(name);
    if (k < 0)
        bad(file, at, "unknown KPI \"%s\" (`incubsim --help` lists them)", name);
    return k;
}

int experiment_load(const char *path, enum command cmd, struct experiment *e)
{
    memset(e, 0, sizeof *e);
    if (text_fmt(e->file, sizeof e->file, "%s", path))
        return bad(path, NULL, "path too long");
    config_t cfg;
    config_init(&cfg);
    int rc = EXIT_INPUT;
    const char *f = e->file;
    char why[300];
    if (settings_regular_file(path, why, sizeof why)) {
        fprintf(stderr, "incubsim: %s: %s\n", path, why);
        goto out;
    }
    if (!config_read_file(&cfg, path)) {
        if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
            fprintf(stderr, "incubsim: %s: cannot read the experiment file\n", path);
        else
            fprintf(stderr, "incubsim: %s:%d: %s\n", path, config_error_line(&cfg),
                    config_error_text(&cfg));
        goto out;
    }
    const config_setting_t *root = config_root_setting(&cfg);
    static const char *const top[] = { "name", "scenario", "replications", "levers", "design",
                                       "kpis", "target", NULL };
    if (only_known(f, root, "experiment", top))
        goto out;
    char scen[4096];
    if (string(f, root, "name", 1, e->name, sizeof e->name)
            || string(f, root, "scenario", 1, scen, sizeof scen))
        goto out;
    const char *slash = strrchr(path, '/');
    if ((scen[0] == '/' || !slash) ? text_fmt(e->scenario, sizeof e->scenario, "%s", scen)
            : text_fmt(e->scenario, sizeof e->scenario, "%.*s/%s", (int)(slash - path), path, scen))
        goto out;
    double v = cmd == CMD_SIZE ? 10 : 20;
    if (number(f, root, "replications", 0, cmd == CMD_SIZE ? 2 : 1, 1e8, &v))
        goto out;
    e->replications = (uint32_t)v;

    const config_setting_t *lv = config_setting_get_member(root, "levers");
    if (!lv || !config_setting_is_list(lv) || config_setting_length(lv) == 0) {
        bad(f, lv ? lv : root, "levers: a list of at least one { setting = \"...\"; min = ...; "
            "max = ...; }");
        goto out;
    }
    if (config_setting_length(lv) > MAX_LEVERS) {
        bad(f, lv, "levers: at most %d", MAX_LEVERS);
        goto out;
    }
    static const char *const lever_keys[] = { "setting", "min", "max", "step", NULL };
    for (int i = 0; i < config_setting_length(lv); i++) {
        const config_setting_t *l = config_setting_get_elem(lv, (unsigned)i);
        struct lever *L = &e->levers[e->nlevers++];
        if (!config_setting_is_group(l)) {
            bad(f, l, "levers: each lever is a group { setting = \"...\"; min = ...; max = ...; }");
            goto out;
        }
        if (only_known(f, l, "lever", lever_keys)
                || string(f, l, "setting", 1, L->path, sizeof L->path)
                || number(f, l, "min", 1, -1e300, 1e300, &L->min)
                || number(f, l, "max", 1, -1e300, 1e300, &L->max)
                || number(f, l, "step", 0, 0, 1e300, &L->step))
            goto out;
        if (!(L->max > L->min) && !(cmd == CMD_SWEEP && L->max == L->min)) {
            bad(f, l, "lever %s: max (%.17g) must be above min (%.17g)", L->path, L->max, L->min);
            goto out;
        }
        for (int k = 0; k < i; k++)
            if (strcmp(e->levers[k].path, L->path) == 0) {
                bad(f, l, "lever %s is given twice", L->path);
                goto out;
            }
    }

    const config_setting_t *d = config_setting_get_member(root, "design");
    static const char *const design_keys[] = { "kind", "points", "levels", "bootstrap", NULL };
    e->kind = cmd == CMD_SENSITIVITY ? DESIGN_SALTELLI : DESIGN_GRID;
    e->points = cmd == CMD_SENSITIVITY ? 256 : 11;
    e->levels = 4;
    e->bootstrap = 1000;
    if (d && cmd != CMD_SIZE) {
        if (!config_setting_is_group(d) || only_known(f, d, "design", design_keys))
            goto out;
        char kind[16] = "";
        if (string(f, d, "kind", 0, kind, sizeof kind))
            goto out;
        if (*kind) {
            e->kind = -1;
            for (int k = 0; kind_names[k]; k++)
                if (strcmp(kind_names[k], kind) == 0)
                    e->kind = k;
            int sweepish = e->kind >= DESIGN_GRID && e->kind <= DESIGN_SOBOL;
            if (e->kind < 0 || (cmd == CMD_SWEEP) != sweepish) {
                bad(f, config_setting_get_member(d, "kind"), "design.kind \"%s\": %s takes %s",
                    kind, cmd == CMD_SWEEP ? "sweep" : "sensitivity",
                    cmd == CMD_SWEEP ? "grid, lhs or sobol" : "saltelli or morris");
                goto out;
            }
        }
        double p = e->points, lv2 = e->levels, b = e->bootstrap;
        if (number(f, d, "points", 0, 1, 1e7, &p) || number(f, d, "levels", 0, 2, 1000, &lv2)
                || number(f, d, "bootstrap", 0, 0, 1e6, &b))
            goto out;
        e->points = (int)p;
        e->levels = (int)lv2;
        e->bootstrap = (int)b;
        if (e->kind == DESIGN_SALTELLI && e->nlevers > SALTELLI_MAX_LEVERS) {
            bad(f, d, "saltelli takes at most %d levers: its design is a %d-dimensional Sobol "
                "sequence and GSL's generator stops at 40 dimensions; use kind = \"morris\" to "
                "screen more levers first", SALTELLI_MAX_LEVERS, 2 * e->nlevers);
            goto out;
        }
        if (e->kind == DESIGN_SOBOL && e->nlevers > DESIGN_SOBOL_MAX_DIM) {
            bad(f, d, "sobol takes at most %d levers (GSL's generator stops at 40 dimensions); "
                "use kind = \"lhs\"", DESIGN_SOBOL_MAX_DIM);
            goto out;
        }
    } else if (d && cmd == CMD_SIZE) {
        bad(f, d, "size takes no design: it probes the lever's range by bisection (set the "
            "lever's `step` for the grid)");
        goto out;
    }

    const config_setting_t *ks = config_setting_get_member(root, "kpis");
    if (ks) {
        if (!config_setting_is_array(ks) && !config_setting_is_list(ks)) {
            bad(f, ks, "kpis: a list of KPI names, e.g. [ \"landing_rate\", \"net_fiscal\" ]");
            goto out;
        }
        for (int i = 0; i < config_setting_length(ks); i++) {
            const config_setting_t *k = config_setting_get_elem(ks, (unsigned)i);
            const char *name = config_setting_get_string(k);
            int idx = name ? kpi_named(f, k, name) : -1;
            if (!name)
                bad(f, k, "kpis: names in double quotes");
            if (idx < 0)
                goto out;
            if (e->nkpis == EXP_MAX_KPIS) {
                bad(f, k, "kpis: at most %d", EXP_MAX_KPIS);
                goto out;
            }
            e->kpi[e->nkpis++] = idx;
        }
    }

    const config_setting_t *t = config_setting_get_member(root, "target");
    static const char *const target_keys[] = { "kpi", "at_least", "at_most", "confidence",
                                               "tolerance", "max_replications", NULL };
    if (t) {
        char kpi[48];
        if (!config_setting_is_group(t) || only_known(f, t, "target", target_keys)
                || string(f, t, "kpi", 1, kpi, sizeof kpi))
            goto out;
        if ((e->target.kpi = kpi_named(f, config_setting_get_member(t, "kpi"), kpi)) < 0)
            goto out;
        int least = config_setting_get_member(t, "at_least") != NULL;
        int most = config_setting_get_member(t, "at_most") != NULL;
        if (least == most) {
            bad(f, t, "target: give exactly one of at_least and at_most");
            goto out;
        }
        e->target.at_most = most;
        e->target.confidence = 0.95;
        double mr = 100000;
        if (number(f, t, most ? "at_most" : "at_least", 1, -1e300, 1e300, &e->target.value)
                || number(f, t, "confidence", 0, 0.5, 0.999999, &e->target.confidence)
                || number(f, t, "tolerance", 1, 1e-300, 1e300, &e->target.tolerance)
                || number(f, t, "max_replications", 0, 2, 1e8, &mr))
            goto out;
        e->target.max_replications = (uint32_t)mr;
        e->target.given = 1;
    }
    if (cmd == CMD_SIZE && !e->target.given) {
        bad(f, root, "size needs a target = { kpi = \"...\"; at_least = ...; tolerance = ...; }");
        goto out;
    }
    if (cmd == CMD_SIZE && e->nlevers != 1) {
        bad(f, lv, "size takes exactly one lever, got %d", e->nlevers);
        goto out;
    }
    if (e->nkpis == 0) {   /* default: the target's KPI, or the headline ones */
        if (e->target.given)
            e->kpi[e->nkpis++] = e->target.kpi;
        else {
            e->kpi[e->nkpis++] = kpi_index("landing_rate");
            e->kpi[e->nkpis++] = kpi_index("net_fiscal");
        }
    }
    rc = EXIT_OK;
out:
    config_destroy(&cfg);
    return rc;
}

int experiment_job(struct experiment *e, struct opts *o, struct job *j)
{
    if (!o->reps_given)
        o->reps = e->replications;
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
            fprintf(stderr, "incubsim: %s: lever %s\n", e->file, d.msg);
            rc = EXIT_INPUT;
            break;
        }
        if (L->ref.type == SET_INT && L->step > 0 && L->step < 1)
            L->step = 1;
        const double ends[2] = { L->min, L->max };
        for (int k = 0; k < 2 && !rc; k++) {
            char why[400];
            *probe = *j->scs[0];
            if (settings_ref_set(&L->ref, probe, ends[k], why, sizeof why)) {
                fprintf(stderr, "incubsim: %s: lever %s: its %s, %s\n", e->file, L->path,
                        k ? "max" : "min", why);
                rc = EXIT_INPUT;
            } else if (scenario_finish(probe, e->scenario, &d)) {
                fprintf(stderr, "incubsim: %s: lever %s at its %s (%.17g): %s\n", e->file,
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
