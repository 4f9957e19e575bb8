/* test_assumptions.c — the scenario's assumptions (DESIGN.md §10): read
 * through the settings tables, inherited through @include, validated; and
 * every shipped scenario (the policy variants in scenarios/, the seeds' in scenarios/seeds/)
 * declares each behavioural weight and economic figure it sets away from
 * neutral.
 *
 * "Moves a KPI", operationally: a numeric setting of the landing choice, the
 * operators, private funding, production, the contested effects, the
 * instruments' effect sizes (policy.*: *_effect, *_gain, *hazard_ratio,
 * exit_*) or the discount rate, at a value other than neutral (0; 1 for a
 * ratio or factor); every numeric setting of a seed mechanism that is on
 * (ownership, levels, contest, certification, talent; a rival's package, fit 0.5
 * neutral); the world's intake (a source's Poisson `rate`: a talent flow, a
 * city's catchment) and a network's fixed cost per site (`site_cost`).
 * Structure (which carriers and channels, seats, seat rents, events, the
 * policy levers themselves) is what a scenario chooses, not what it is unsure
 * of. */
#include "test.h"
#include "model_util.h"
#include "../models/scenario.h"

#include <glob.h>
#include <string.h>


/* A seed mechanism (models/ownership.h, levels.h, contest.h, certification.h, talent.h)
 * moves nothing while it is off. */
static int mechanism_on(const struct scenario *sc, const char *top)
{
    if (strcmp(top, "ownership") == 0)
        return sc->ownership.enabled;
    if (strcmp(top, "levels") == 0)
        return sc->levels.enabled;
    if (strcmp(top, "certification") == 0)
        return sc->certification.enabled;
    if (strcmp(top, "contest") == 0)
        return sc->contest.source[0] != '\0';
    if (strcmp(top, "talent") == 0)
        return sc->talent.enabled;
    return -1;   /* not a mechanism */
}

static int in_family(const char *top, const char *leaf)
{
    static const char *const all[] = { "landing", "operators", "funding", "production", "effects",
                                       "ownership", "levels", "contest", "certification", "talent", NULL };
    for (int i = 0; all[i]; i++)
        if (strcmp(top, all[i]) == 0)
            return 1;
    if (strcmp(top, "accounting") == 0)
        return strcmp(leaf, "discount_rate") == 0;
    if (strcmp(top, "policy") == 0) {
        size_t n = strlen(leaf);
        return (n > 7 && strcmp(leaf + n - 7, "_effect") == 0)
            || (n > 5 && strcmp(leaf + n - 5, "_gain") == 0)
            || strstr(leaf, "hazard_ratio") != NULL || strncmp(leaf, "exit_", 5) == 0;
    }
    return 0;
}

static int declared(const struct scenario *sc, const char *path)
{
    for (int i = 0; i < sc->nassumptions; i++)
        if (strcmp(sc->assumptions[i].setting, path) == 0)
            return 1;
    return 0;
}

/* A policy instrument (the group at `path`) is on when its amount, budget,
 * years or rate is above 0. */
static int instrument_on(const struct scenario *sc, const char *path)
{
    static const char *const size[] = { "amount", "budget", "years", "rate", NULL };
    for (int i = 0; size[i]; i++) {
        char p[300];
        struct setting_ref r;
        struct diag d;
        snprintf(p, sizeof p, "%s.%s", path, size[i]);
        if (settings_resolve(&scenario_table, sc, p, &r, &d) == 0 && settings_ref_get(&r, sc) > 0)
            return 1;
    }
    return 0;
}

struct walk {
    const struct scenario *sc;
    const char *file;
    int checked, missing;
    char first_missing[300];
    struct test_counts *tc;   /* NULL: count only, print nothing (the test of the test) */
};

/* One numeric setting at `path` whose neutral value is `neutral`. */
static void screen(struct walk *w, const char *path, double neutral)
{
    struct setting_ref r;
    struct diag d;
    if (settings_resolve(&scenario_table, w->sc, path, &r, &d))
        return;
    double v = settings_ref_get(&r, w->sc);
    w->checked++;
    if (v != neutral && !declared(w->sc, path)) {
        if (!w->missing++)
            snprintf(w->first_missing, sizeof w->first_missing, "%s", path);
        if (w->tc) {
            w->tc->failed++;
            printf("FAIL %s: %s = %g moves a KPI and has no assumption entry (add { setting "
                   "= \"%s\"; source = ...; dist = ...; })\n", w->file, path, v, path);
        }
    } else if (w->tc) {
        w->tc->passed++;
    }
}

/* The keyed lists: each source's intake, each carrier's fixed cost per site,
 * each rival region's package. */
static void visit_lists(struct walk *w)
{
    const struct scenario *sc = w->sc;
    char p[300];
    for (int i = 0; i < sc->nsources; i++) {
        snprintf(p, sizeof p, "sources.%s.rate", sc->sources[i].name);
        screen(w, p, 0.0);
    }
    for (int i = 0; i < sc->ncarriers; i++) {
        snprintf(p, sizeof p, "carriers.%s.site_cost", sc->carriers[i].name);
        screen(w, p, 0.0);
    }
    static const char *const rival[] = { "weight", "award", "space", "fit", "distance", "answer",
                                         NULL };
    for (int i = 0; i < sc->nrivals; i++)
        for (int k = 0; rival[k]; k++) {
            snprintf(p, sizeof p, "rivals.%s.%s", sc->rivals[i].name, rival[k]);
            screen(w, p, strcmp(rival[k], "fit") == 0 ? 0.5 : 0.0);
        }
}

/* Every numeric leaf under table t at `path` (groups only: lists are
 * structure). */
static void visit(struct walk *w, const struct setting_table *t, const char *path, const char *top)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct setting_spec *s = &t->specs[i];
        char p[256];
        snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", s->name);
        const char *family = *top ? top : s->name;
        if (s->type == SET_GROUP) {
            visit(w, s->sub, p, family);
            continue;
        }
        if (!*top || !in_family(family, s->name))
            continue;
        char leaves[2][300];
        int nleaf = 0;
        if (s->type == SET_INT || s->type == SET_FLOAT)
            snprintf(leaves[nleaf++], sizeof leaves[0], "%s", p);
        else if (s->type == SET_DIST) {
            struct setting_ref r;
            struct diag d;
            char probe[300];
            snprintf(probe, sizeof probe, "%s.mean", p);
            for (int k = 0; k < DIST_COUNT && nleaf == 0; k++) {
                /* the kind the scenario holds: try its parameter names */
                for (int q = 0; q < 2 && dist_param_names[k][q]; q++) {
                    snprintf(probe, sizeof probe, "%s.%s", p, dist_param_names[k][q]);
                    if (settings_resolve(&scenario_table, w->sc, probe, &r, &d) == 0 &&
                            (nleaf == 0 || strcmp(leaves[0], probe) != 0))
                        snprintf(leaves[nleaf++], sizeof leaves[0], "%s", probe);
                }
                if (nleaf && nleaf < 2 && dist_param_names[k][1] == NULL)
                    break;
            }
        }
        if (strcmp(family, "policy") == 0 && !instrument_on(w->sc, path))
            continue;   /* an instrument switched off: its effects move nothing */
        if (mechanism_on(w->sc, family) == 0)
            continue;   /* a seed mechanism switched off */
        int unit = strstr(s->name, "ratio") || strstr(s->name, "factor");
        for (int l = 0; l < nleaf; l++)
            screen(w, leaves[l], unit ? 1.0 : 0.0);
    }
}

/* Every setting of one scenario that moves a KPI, screened. */
static void visit_all(struct walk *w)
{
    visit(w, &scenario_table, "", "");
    visit_lists(w);
}

int main(void)
{

    /* every shipped scenario declares what it is unsure of: the policy variants
     * and the seeds' scenarios */
    glob_t g;
    CHECK(glob("scenarios/*.cfg", 0, NULL, &g) == 0 && g.gl_pathc >= 10, "shipped scenarios: %zu",
          (size_t)g.gl_pathc);
    size_t nvariants = g.gl_pathc;
    CHECK(glob("scenarios/seeds/*.cfg", GLOB_APPEND, NULL, &g) == 0 && g.gl_pathc >= nvariants + 7,
          "the seeds' scenarios: %zu", g.gl_pathc - nvariants);
    int checked = 0;
    for (size_t f = 0; f < g.gl_pathc; f++) {
        struct scenario *sc = load(g.gl_pathv[f]);
        struct walk w = { sc, g.gl_pathv[f], 0, 0, "", &tc_ };
        visit_all(&w);
        checked += w.checked;
        CHECK(sc->nassumptions >= 25, "%s inherits the baseline's assumptions: %d",
              g.gl_pathv[f], sc->nassumptions);
        free(sc);
    }
    CHECK(checked > 300, "settings screened: %d", checked);
    globfree(&g);

    /* the screen catches a seed scenario's setting left undeclared: each seed
     * mechanism's scenario, one of its declared entries removed, is flagged
     * with that setting's path (and only that one) */
    static const struct { const char *file, *setting; } undeclared[] = {
        { "scenarios/seeds/contest.cfg", "contest.jury_noise" },
        { "scenarios/seeds/ownership_split.cfg", "ownership.split.tax" },
        { "scenarios/seeds/co_financing.cfg", "levels.province.tax" },
        { "scenarios/seeds/certification.cfg", "certification.keep_landings" },
        { "scenarios/seeds/rival_regions.cfg", "rivals.wuxi.answer" },
        { "scenarios/seeds/tianjin.cfg", "sources.work_stations.rate" },
        { "scenarios/seeds/talent.cfg", "talent.leads_per_event" },
        { "scenarios/enclave_network.cfg", "sources.beijing_projects.rate" },
        { "scenarios/enclave_network.cfg", "carriers.gba_enclaves.site_cost" },
    };
    for (size_t i = 0; i < sizeof undeclared / sizeof undeclared[0]; i++) {
        char doc[512];
        struct diag dd;
        snprintf(doc, sizeof doc, "@include \"%s\"\nassumptions = ( { setting = \"%s\"; "
                 "remove = true; } );\n", undeclared[i].file, undeclared[i].setting);
        struct scenario *sc = malloc(sizeof *sc);
        settings_defaults(&scenario_table, sc);
        int rc = settings_load_string("undeclared.cfg", doc, &scenario_table, sc, &dd);
        CHECK(rc == 0 && scenario_finish(sc, "undeclared.cfg", &dd) == 0, "%s: %s",
              undeclared[i].file, dd.msg);
        struct walk w = { sc, undeclared[i].file, 0, 0, "", NULL };
        if (rc == 0)
            visit_all(&w);
        CHECK(w.missing == 1 && strcmp(w.first_missing, undeclared[i].setting) == 0,
              "%s without %s: %d flagged, first \"%s\"", undeclared[i].file,
              undeclared[i].setting, w.missing, w.first_missing);
        free(sc);
    }

    /* the baseline declares the landing weights the issue names, and revenue */
    struct scenario *b = load("scenarios/baseline.cfg");
    static const char *const named[] = { "landing.award_weight", "landing.equity_weight",
        "landing.distance_weight", "operators.professional.service_quality",
        "production.revenue.mean" };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        int at = -1;
        for (int k = 0; k < b->nassumptions; k++)
            if (strcmp(b->assumptions[k].setting, named[i]) == 0)
                at = k;
        CHECK(at >= 0 && b->assumptions[at].source[0] && b->assumptions[at].dist.kind != DIST_FIXED,
              "%s: declared with a source and a distribution", named[i]);
    }

    /* the resolved text reads back to the same bytes, assumptions included */
    char *text = scenario_print(b);
    struct scenario *again = malloc(sizeof *again);
    struct diag d;
    settings_defaults(&scenario_table, again);
    CHECK(text && settings_load_string("printed", text, &scenario_table, again, &d) == 0,
          "reload: %s", d.msg);
    char *text2 = scenario_print(again);
    CHECK(text && text2 && strcmp(text, text2) == 0, "printed text reloads to the same bytes");
    CHECK(again->nassumptions == b->nassumptions, "%d vs %d", again->nassumptions, b->nassumptions);
    free(text);
    free(text2);

    /* a variant overrides an inherited entry by its setting, keeps what it
     * does not name, adds and removes entries */
    const char *variant =
        "@include \"scenarios/baseline.cfg\"\n"
        "name = \"v\";\n"
        "assumptions = (\n"
        "  { setting = \"landing.award_weight\"; source = \"argued: a test\"; },\n"
        "  { setting = \"landing.equity_weight\"; dist = \"beta\"; a = 2.0; b = 3.0; },\n"
        "  { setting = \"production.growth\"; remove = true; },\n"
        "  { setting = \"landing.handover_loss\"; source = \"unsourced\"; dist = \"uniform\";\n"
        "    min = 0.0; max = 0.3; } );\n";
    settings_defaults(&scenario_table, again);
    int rc = settings_load_string("variant", variant, &scenario_table, again, &d);
    CHECK(rc == 0 && scenario_finish(again, "variant", &d) == 0, "variant: %s", d.msg);
    int aw = -1, eq = -1, gr = -1, ho = -1;
    for (int k = 0; k < again->nassumptions; k++) {
        const char *s = again->assumptions[k].setting;
        aw = strcmp(s, "landing.award_weight") == 0 ? k : aw;
        eq = strcmp(s, "landing.equity_weight") == 0 ? k : eq;
        gr = strcmp(s, "production.growth") == 0 ? k : gr;
        ho = strcmp(s, "landing.handover_loss") == 0 ? k : ho;
    }
    CHECK(again->nassumptions == b->nassumptions, "one removed, one added: %d vs %d",
          again->nassumptions, b->nassumptions);
    CHECK(aw >= 0 && strcmp(again->assumptions[aw].source, "argued: a test") == 0 &&
          again->assumptions[aw].dist.kind == DIST_UNIFORM && again->assumptions[aw].dist.a == 0.15,
          "source overridden, prior kept");
    CHECK(eq >= 0 && again->assumptions[eq].dist.kind == DIST_BETA &&
          strcmp(again->assumptions[eq].source, "unsourced") == 0, "prior replaced, source kept");
    CHECK(gr < 0 && ho >= 0, "removed %d, added %d", gr, ho);

    /* bad entries: each a clear error */
    static const struct { const char *entry, *want; } bad[] = {
        { "{ setting = \"landing.award_weigt\"; source = \"x\"; dist = \"uniform\"; min = 0.0; max = 1.0; }",
          "did you mean \"award_weight\"" },
        { "{ setting = \"landing.base\"; source = \"x\"; dist = \"uniform\"; min = 0.0; max = 2.0; }",
          "outside the setting's range" },
        { "{ setting = \"landing.base\"; source = \"x\"; dist = \"uniform\"; min = 0.0; mx = 1.0; }",
          "unknown setting for a uniform distribution" },
        { "{ setting = \"landing.base\"; source = \"x\"; dist = \"normal\"; mean = 0.5; }",
          "unknown distribution" },
        { "{ setting = \"landing.handover_loss\"; dist = \"uniform\"; min = 0.1; max = 0.2; }",
          "missing required setting" },
        { "{ setting = \"name\"; source = \"x\"; dist = \"uniform\"; min = 0.1; max = 0.2; }",
          "not a number" },
        { "{ setting = \"landing.handover_loss\"; source = \"x\"; }", "missing required setting" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc, "@include \"scenarios/baseline.cfg\"\nassumptions = ( %s );\n",
                 bad[i].entry);
        settings_defaults(&scenario_table, again);
        int r = settings_load_string("bad.cfg", doc, &scenario_table, again, &d);
        if (r == 0)
            r = scenario_finish(again, "bad.cfg", &d);
        CHECK(r != 0 && strstr(d.msg, bad[i].want) != NULL, "%s: got \"%s\", want \"%s\"",
              bad[i].entry, r ? d.msg : "(accepted)", bad[i].want);
    }
    free(again);
    free(b);

    /* the inverse CDF: quantile(F(x)) = x, and its ends */
    struct dist ds[] = { { DIST_UNIFORM, 2, 5, 0, 0 }, { DIST_LOGNORMAL, 2e6, 2e6, 0, 0 },
                         { DIST_GAMMA, 3, 1, 0, 0 }, { DIST_BETA, 2, 5, 0, 0 },
                         { DIST_EXPONENTIAL, 0.5, 0, 0, 0 }, { DIST_WEIBULL, 2, 1.5, 0, 0 } };
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++) {
        CHECK(dist_prepare(&ds[i]) == NULL, "prepare %zu", i);
        double lo = dist_quantile(&ds[i], 0.1), mid = dist_quantile(&ds[i], 0.5),
               hi = dist_quantile(&ds[i], 0.9);
        CHECK(lo < mid && mid < hi && isfinite(lo) && isfinite(hi), "%s: %g %g %g",
              dist_kind_names[ds[i].kind], lo, mid, hi);
    }
    CHECK_NEAR(dist_quantile(&ds[0], 0.5), 3.5, 1e-12, "uniform median");
    CHECK_NEAR(dist_quantile(&ds[1], 0.5), 2e6 / sqrt(2.0), 1e-3, "lognormal median");
    CHECK_NEAR(dist_quantile(&ds[4], 0.5), 0.5 * log(2.0), 1e-12, "exponential median");
    TEST_END("assumptions");
}
