/* test_talent.c — persons as well as projects (models/talent.h): the lead
 * pool's identity in every shipped scenario, the off path's bits, common
 * random numbers when talent is turned on, and the mechanism's counts and
 * effects on constructed cases with known answers. */
#include "test.h"
#include "model_util.h"
#include "../models/talent.h"

#include <dirent.h>
#include <string.h>
#include <unistd.h>

/* Every stage succeeds, seats are ample, landing is a coin of P(home) =
 * landing.base (no award): the talent logic alone decides. Projects arrive
 * 200 a year, so a project enters acceleration every 1/200 year on average. */
static const char core[] =
    "name = \"core\"; horizon = 12.0; warmup = 2.0;\n"
    "sources = ( { name = \"flow\"; rate = 200.0; quality = { dist = \"uniform\"; min = 0.0; max = 1.0; }; } );\n"
    "screening = { threshold = -1.0; };\n"
    "carriers = (\n"
    "  { name = \"pre\"; stage = \"pre_incubation\"; capacity = 100000; cost_per_seat = 1.0e4;\n"
    "    duration = { dist = \"fixed\"; value = 0.1; }; success = { base = 1.0; }; },\n"
    "  { name = \"acc\"; stage = \"acceleration\"; capacity = 100000;\n"
    "    duration = { dist = \"fixed\"; value = 0.1; }; success = { base = 1.0; }; },\n"
    "  { name = \"pilot\"; stage = \"industrialisation\"; capacity = 100000;\n"
    "    duration = { dist = \"fixed\"; value = 0.1; }; success = { base = 1.0; }; } );\n"
    "landing = { base = 0.5; hub_share = 0.6; };\n"
    "production = { hazard = 0.1; };\n";

static struct constructed cons = { core, "talent", "" };

static struct scenario *try_make(const char *extra, struct diag *d)
{
    return constructed_try(&cons, extra, d);
}

static struct scenario *make(const char *extra)
{
    return constructed_make(&cons, extra);
}

static int run(const struct scenario *sc, uint32_t rep, uint64_t seed, struct run_result *r)
{
    int rc = model_run(sc, rep, seed, NULL, r);
    CHECK(rc == MODEL_OK, "%s replication %u: %s", sc->name, rep, model_status_text(rc));
    return rc == MODEL_OK;
}

/* The pool's identity: every lead received (or waiting at the warm-up) is
 * attached, settled, gone or still waiting. */
static void check_pool(const char *what, const struct kpi *k)
{
    CHECK(k->talent_leads + k->talent_pool_start ==
              k->talent_attached + k->talent_settled + k->talent_left + k->talent_pool_end,
          "%s: leads %g + pool_start %g != attached %g + settled %g + left %g + pool_end %g", what,
          k->talent_leads, k->talent_pool_start, k->talent_attached, k->talent_settled,
          k->talent_left, k->talent_pool_end);
    CHECK(k->talent_leads <= k->talent_received, "%s: leads %g of received %g", what,
          k->talent_leads, k->talent_received);
}

/* In every scenario of a folder: the identity; talent off, every talent KPI 0. */
static void test_shipped(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    struct run_result *r = malloc(sizeof *r);
    int n = 0, on = 0;
    while (dp && (e = readdir(dp)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct scenario *sc = load(path);
        on += sc->talent.enabled;
        for (uint32_t rep = 0; rep < 2; rep++) {
            if (!run(sc, rep, 5, r))
                continue;
            const struct kpi *k = &r->kpi;
            check_pool(path, k);
            if (!sc->talent.enabled)
                CHECK(k->talent_received == 0 && k->talent_gathered == 0 && k->talent_attached == 0 &&
                      k->talent_pool_end == 0, "%s: talent off, yet persons counted", path);
            else
                CHECK(k->talent_gathered >= 0 && k->talent_received > 0, "%s: persons counted", path);
        }
        free(sc);
        n++;
    }
    if (dp)
        closedir(dp);
    free(r);
    CHECK(n > 0, "scenarios found in %s", dir);
    printf("# %s: %d scenarios, %d with talent on\n", dir, n, on);
}

/* The KPIs talent does not own, bit for bit. */
static int same_but_talent(const struct kpi *a, const struct kpi *b, const char **which)
{
    for (size_t i = 0; i < kpi_count; i++) {
        if (strncmp(kpi_descs[i].name, "talent_", 7) == 0)
            continue;
        double x = kpi_get(a, i), y = kpi_get(b, i);
        if (memcmp(&x, &y, sizeof x) != 0) {
            *which = kpi_descs[i].name;
            return 0;
        }
    }
    return 1;
}

/* Off is the default; settings given while off change nothing; on, with no
 * effect on the odds, it draws from streams of its own: every other KPI keeps
 * its bits (common random numbers), however many persons it counts. */
static void test_off_and_crn(void)
{
    struct run_result *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    struct scenario *base = make("");
    CHECK(!base->talent.enabled, "talent is off by default");
    struct scenario *off = make("talent = { enabled = false; lead_rate = 500.0; leads_per_event = 3;\n"
                                "  success_effect = 2.0; landing_pull = 2.0; settle = 0.5;\n"
                                "  hires = { dist = \"fixed\"; value = 9.0; }; };\n");
    struct scenario *on = make("talent = { enabled = true; lead_rate = 500.0; settle = 0.5;\n"
                               "  team = { dist = \"uniform\"; min = 0.0; max = 4.0; };\n"
                               "  hires = { dist = \"gamma\"; mean = 20.0; sd = 5.0; }; };\n");
    for (uint32_t rep = 0; rep < 3; rep++) {
        if (!run(base, rep, 3, a) || !run(off, rep, 3, b))
            continue;
        CHECK(memcmp(&a->kpi, &b->kpi, sizeof a->kpi) == 0 && a->events == b->events,
              "talent off with its settings given: same bits (replication %u)", rep);
        if (!run(on, rep, 3, b))
            continue;
        const char *which = "";
        CHECK(same_but_talent(&a->kpi, &b->kpi, &which),
              "talent on, no effect on the odds: %s moved (replication %u)", which, rep);
        CHECK(b->kpi.talent_received > 0 && b->kpi.talent_gathered > 0 && b->kpi.talent_attached > 0,
              "talent on: persons counted");
        CHECK(b->events > a->events, "the leads' events scheduled");
    }
    free(base); free(off); free(on);
    free(a); free(b);
}

/* Counts with deterministic settings: teams of 2, no leads — received is
 * exactly twice the projects sourced; a batch source with 3 leads an event
 * receives exactly 3 a held event; hires of 5 and a talent for every
 * project make gathered exactly 8 a landing. */
static void test_counts(void)
{
    struct run_result *r = malloc(sizeof *r);
    struct scenario *sc = make("talent = { enabled = true; team = { dist = \"fixed\"; value = 2.0; }; };\n");
    for (uint32_t rep = 0; rep < 2; rep++)
        if (run(sc, rep, 7, r)) {
            CHECK(r->kpi.talent_received == 2 * r->kpi.sourced, "received %g = 2 x sourced %g",
                  r->kpi.talent_received, r->kpi.sourced);
            CHECK(r->kpi.talent_leads == 0 && r->kpi.talent_attached == 0, "no leads, none attached");
            CHECK(r->kpi.talent_gathered == 2 * r->kpi.landed, "gathered %g = 2 x landed %g",
                  r->kpi.talent_gathered, r->kpi.landed);
        }
    free(sc);

    /* events at t = 0.5, 1.5, ..., 11.5: ten in the window [2, 12] */
    sc = make("sources = ( { name = \"fair\"; every = 1.0; first = 0.5; batch = 10; } );\n"
              "talent = { enabled = true; team = { dist = \"fixed\"; value = 0.0; }; leads_per_event = 3;\n"
              "           wait = 0.25; settle = 1.0; attach_stage = \"industrialisation\"; };\n"
              "landing = { base = 0.0; };\n");
    if (run(sc, 0, 7, r)) {
        CHECK(r->kpi.talent_leads == 30 && r->kpi.talent_received == 30,
              "3 leads at each of 10 events: leads %g, received %g", r->kpi.talent_leads,
              r->kpi.talent_received);
        /* nobody lands, so nobody reaches the attach stage: every lead settles after its wait */
        CHECK(r->kpi.talent_settled == 30 && r->kpi.talent_left == 0 && r->kpi.talent_pool_end == 0,
              "settle = 1: settled %g, left %g", r->kpi.talent_settled, r->kpi.talent_left);
        check_pool("events", &r->kpi);
    }
    free(sc);

    /* leads 20 times the projects: the pool is never empty after the first
     * weeks, so every project entering acceleration in the window takes a
     * lead (graduated_pre of them), and every landing gathers 2 + 1 + 5 */
    sc = make("talent = { enabled = true; lead_rate = 4000.0; wait = 0.5;\n"
              "  team = { dist = \"fixed\"; value = 2.0; }; hires = { dist = \"fixed\"; value = 5.0; }; };\n");
    for (uint32_t rep = 0; rep < 2; rep++)
        if (run(sc, rep, 7, r)) {
            CHECK(r->kpi.talent_attached == r->kpi.graduated_pre,
                  "ample leads: attached %g = entries into acceleration %g", r->kpi.talent_attached,
                  r->kpi.graduated_pre);
            CHECK(r->kpi.talent_gathered == 8 * r->kpi.landed, "gathered %g = 8 x landed %g",
                  r->kpi.talent_gathered, r->kpi.landed);
            CHECK_NEAR(r->kpi.talent_per_landing, 8.0, 0.0, "talent_per_landing");
            check_pool("ample", &r->kpi);
        }
    free(sc);

    /* leads scarce (2 a year against 200 projects): each is taken within
     * days, so none waits out its year */
    sc = make("talent = { enabled = true; lead_rate = 2.0; settle = 0.5; };\n");
    for (uint32_t rep = 0; rep < 3; rep++)
        if (run(sc, rep, 7, r)) {
            CHECK(r->kpi.talent_settled + r->kpi.talent_left == 0 && r->kpi.talent_leads > 0,
                  "scarce leads: settled %g + left %g of %g", r->kpi.talent_settled,
                  r->kpi.talent_left, r->kpi.talent_leads);
            check_pool("scarce", &r->kpi);
        }
    free(sc);
    free(r);
}

/* The pool with no project to join: a Poisson stream of rate lambda waiting
 * w years holds lambda w on average (M/D/inf), and a share `settle` of
 * those whose wait ends settles. */
static void test_pool(void)
{
    struct run_result *r = malloc(sizeof *r);
    struct scenario *sc = make("talent = { enabled = true; lead_rate = 300.0; wait = 0.5; settle = 0.3;\n"
                               "           attach_stage = \"industrialisation\"; };\n"
                               "landing = { base = 0.0; };\n");
    double pool = 0, settled = 0, ended = 0, leads = 0;
    int n = 20;
    for (uint32_t rep = 0; rep < (uint32_t)n; rep++)
        if (run(sc, rep, 11, r)) {
            pool += r->kpi.talent_pool_end + r->kpi.talent_pool_start;
            settled += r->kpi.talent_settled;
            ended += r->kpi.talent_settled + r->kpi.talent_left;
            leads += r->kpi.talent_leads;
            CHECK(r->kpi.talent_attached == 0, "no project reaches the attach stage");
            check_pool("pool", &r->kpi);
        }
    /* 2n pool counts, each Poisson(150): the mean's sd is sqrt(150 / 40) = 1.9 */
    CHECK_NEAR(pool / (2 * n), 300 * 0.5, 4 * 1.94, "mean pool = rate x wait");
    /* 10 years at 300 a year, sd of the mean sqrt(3000 / 20) = 12.2 */
    CHECK_NEAR(leads / n, 3000.0, 4 * 12.3, "leads a window = rate x years");
    double sd = sqrt(0.3 * 0.7 / ended);
    CHECK_NEAR(settled / ended, 0.3, 4 * sd, "share settled");
    free(sc);
    free(r);
}

/* The effects: with a talent for every project, acceleration's success is
 * logistic(logit 0.5 + effect) and landing home logistic(logit 0.5 + pull). */
static void test_effects(void)
{
    struct run_result *r = malloc(sizeof *r);
    struct scenario *sc = make("carriers = ( { name = \"acc\"; success = { base = 0.5; }; } );\n"
                               "talent = { enabled = true; lead_rate = 4000.0; wait = 0.5;\n"
                               "           success_effect = 1.0; landing_pull = -0.5; };\n");
    double ok = 0, tried = 0, landed = 0, reached = 0;
    for (uint32_t rep = 0; rep < 4; rep++)
        if (run(sc, rep, 13, r)) {
            ok += r->kpi.accelerated;
            tried += r->kpi.accelerated + r->kpi.failed_acc;
            landed += r->kpi.landed;
            reached += r->kpi.accelerated;
        }
    double ps = 1 / (1 + exp(-1.0)), pl = 1 / (1 + exp(0.5));
    CHECK_NEAR(ok / tried, ps, 4 * sqrt(ps * (1 - ps) / tried), "success with a talent");
    CHECK_NEAR(landed / reached, pl, 4 * sqrt(pl * (1 - pl) / reached), "landing with a talent");
    free(sc);

    /* attached at pre-incubation, the effect reaches acceleration too */
    sc = make("carriers = ( { name = \"acc\"; success = { base = 0.5; }; } );\n"
              "talent = { enabled = true; lead_rate = 4000.0; wait = 0.5; attach_stage = \"pre_incubation\";\n"
              "           success_effect = 1.0; };\n");
    ok = tried = 0;
    for (uint32_t rep = 0; rep < 4; rep++)
        if (run(sc, rep, 13, r)) {
            ok += r->kpi.accelerated;
            tried += r->kpi.accelerated + r->kpi.failed_acc;
        }
    CHECK_NEAR(ok / tried, ps, 4 * sqrt(ps * (1 - ps) / tried), "a talent from pre-incubation on");
    free(sc);
    free(r);
}

static void test_units_and_input(void)
{
    CHECK(talent_persons(-3.0) == 0 && talent_persons(2.4) == 2 && talent_persons(2.6) == 3 &&
          talent_persons(0.0) == 0, "persons: rounded, never negative");
    struct diag d;
    struct scenario *sc = try_make("talent = { enabled = true;\n  settle = 1.5; };\n", &d);
    CHECK(!sc && strstr(d.msg, "talent.settle") && strstr(d.msg, ":3"),
          "settle > 1 refused, naming the setting and line: %s", sc ? "(loaded)" : d.msg);
    free(sc);
    sc = try_make("talent = { attach_stage = \"landing\"; };\n", &d);
    CHECK(!sc && strstr(d.msg, "attach_stage"), "an unknown stage refused: %s", sc ? "(loaded)" : d.msg);
    free(sc);
    sc = try_make("talent = { leads_per_event = -1; };\n", &d);
    CHECK(!sc && strstr(d.msg, "leads_per_event"), "negative leads refused: %s", sc ? "(loaded)" : d.msg);
    free(sc);
}

int main(void)
{
    test_units_and_input();
    test_off_and_crn();
    test_counts();
    test_pool();
    test_effects();
    test_shipped("scenarios");
    test_shipped("scenarios/seeds");
    constructed_done(&cons);
    TEST_END("talent");
}
