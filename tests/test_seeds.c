/* test_seeds.c — the seeds' mechanisms (ownership.h, levels.h, contest.h,
 * rivals.h; outbound.h has tests/test_outbound.c): their identities in every shipped scenario, and their logic on
 * constructed cases with known answers. */
#include "test.h"
#include "model_util.h"

#include <dirent.h>
#include <string.h>
#include <unistd.h>

/* A pipeline in which every stage succeeds, seats are ample and landing is
 * a coin of P(home) = landing.base: the landing logic alone decides. */
static const char core[] =
    "name = \"core\"; horizon = 12.0; warmup = 2.0;\n"
    "sources = ( { name = \"flow\"; rate = 2000.0; quality = { dist = \"uniform\"; min = 0.0; max = 1.0; }; } );\n"
    "screening = { threshold = -1.0; };\n"
    "carriers = (\n"
    "  { name = \"pre\"; stage = \"pre_incubation\"; capacity = 100000; cost_per_seat = 1.0e4;\n"
    "    duration = { dist = \"fixed\"; value = 0.1; }; success = { base = 1.0; }; },\n"
    "  { name = \"acc\"; stage = \"acceleration\"; capacity = 100000;\n"
    "    duration = { dist = \"fixed\"; value = 0.1; }; success = { base = 1.0; }; },\n"
    "  { name = \"pilot\"; stage = \"industrialisation\"; capacity = 100000;\n"
    "    duration = { dist = \"fixed\"; value = 0.1; }; success = { base = 1.0; }; } );\n"
    "landing = { base = 0.5; hub_share = 0.6; award_weight = 0.5; };\n"
    "production = { hazard = 0.1; };\n"
    "policy = { landing_award = 1.0e6; vouchers = { amount = 1.0e4; };\n"
    "           builds = ( { name = \"b\"; carrier = \"pre\"; at = 3.0; seats = 10; amount = 1.0e6; } ); };\n";

static struct constructed cons = { core, "seeds", "" };

/* core, then `extra`, which overrides it; exits when it does not load. */
static struct scenario *make(const char *extra)
{
    return constructed_make(&cons, extra);
}

/* Mean of a KPI over reps replications. */
static double mean_kpi(const struct scenario *sc, const char *kpi, int reps, uint64_t seed)
{
    struct run_result *r = malloc(sizeof *r);
    double sum = 0;
    int i = kpi_index(kpi);
    for (int rep = 0; rep < reps; rep++) {
        if (model_run(sc, (uint32_t)rep, seed, NULL, r) != MODEL_OK)
            exit(1);
        sum += kpi_get(&r->kpi, (size_t)i);
    }
    free(r);
    return sum / reps;
}

static int close_rel(double a, double b, double scale)
{
    return fabs(a - b) <= 1e-9 * fmax(1.0, scale);
}

/* The identities of the seeds' KPIs, in every scenario of a folder. */
static void test_identities(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    struct run_result *r = malloc(sizeof *r);
    int n = 0;
    while (dp && (e = readdir(dp)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct scenario *sc = load(path);
        for (uint32_t rep = 0; rep < 2; rep++) {
            CHECK(model_run(sc, rep, 5, NULL, r) == MODEL_OK, "%s runs", path);
            const struct kpi *k = &r->kpi;
            CHECK(k->landed_whole + k->landed_split + k->landed_registered == k->landed,
                  "%s: configurations %g + %g + %g != landed %g", path, k->landed_whole,
                  k->landed_split, k->landed_registered, k->landed);
            double scale = fabs(k->public_spend) + fabs(k->tax) + fabs(k->value_at_horizon);
            CHECK(close_rel(k->spend_city + k->spend_province + k->spend_nation, k->public_spend, scale),
                  "%s: levels' outlays %.17g != public_spend %.17g", path,
                  k->spend_city + k->spend_province + k->spend_nation, k->public_spend);
            double sum = k->net_fiscal_city + k->net_fiscal_province + k->net_fiscal_national;
            CHECK(close_rel(sum, k->net_fiscal, scale), "%s: levels' net %.17g != net_fiscal %.17g",
                  path, sum, k->net_fiscal);
            CHECK(k->contest_winners <= k->admitted && k->contest_entrants <= k->sourced,
                  "%s: contest counts within the funnel", path);
            /* outbound (outbound.h): the offshore seats served projects and firms alike */
            double served = 0;
            for (int c = 0; c < r->ncarriers; c++)
                if (sc->carriers[c].stage != STAGE_IND)
                    served += r->carriers[c].served;
            CHECK(served == k->graduated_pre + k->failed_pre + k->accelerated + k->failed_acc +
                            k->outbound_served && k->outbound_succeeded + k->outbound_returned ==
                            k->outbound_served && k->export_tax <= k->tax && k->export_revenue <= k->revenue,
                  "%s: carriers served %g = projects + outbound firms %g; outbound outcomes add up",
                  path, served, k->outbound_served);
        }
        free(sc);
        n++;
    }
    if (dp)
        closedir(dp);
    free(r);
    CHECK(n > 0, "scenarios found in %s", dir);
}

/* Ownership: the nest, the configurations, the home shares, off. */
static void test_ownership(void)
{
    struct run_result *r = malloc(sizeof *r), *r2 = malloc(sizeof *r2);
    struct scenario *sc;
    /* ---- ownership: the nest and the configurations (closed form) ----
     * No award (the logit is then base + the nest's widening): P(land) =
     * logistic(logit 0.5 + log(1 + e^0 + e^-1)); landings split
     * 1 : 1 : e^-1 between whole, split and registered. */
    sc = make("policy = { landing_award = 0.0; };\n"
                               "ownership = { enabled = true; split = { utility = 0.0; };\n"
                               "              registered = { utility = -1.0; }; };\n");
    double w = 1 + 1 + exp(-1.0), p_land = w / (1 + w);
    double landed = 0, sourced = 0, split = 0, reg = 0, pilot_in = 0, failed_ind = 0;
    for (uint32_t rep = 0; rep < 4; rep++) {
        CHECK(model_run(sc, rep, 9, NULL, r) == MODEL_OK, "ownership run");
        landed += r->kpi.landed;
        sourced += r->kpi.accelerated;
        split += r->kpi.landed_split;
        reg += r->kpi.landed_registered;
        pilot_in += r->carriers[2].arrivals;
        failed_ind += r->kpi.failed_ind;
    }
    CHECK_NEAR(landed / sourced, p_land, 0.01, "P(land) with the nest widened");
    CHECK_NEAR(split / landed, 1 / w, 0.01, "share of split landings");
    CHECK_NEAR(reg / landed, exp(-1.0) / w, 0.01, "share of registered landings");
    CHECK(pilot_in > 0 && failed_ind == 0, "the others go through the pilot");
    free(sc);
    /* every landing registered: none enters the home pilot */
    sc = make("ownership = { enabled = true; split = { utility = -100.0; };\n"
              "              registered = { utility = 100.0; }; };\n");
    CHECK(model_run(sc, 0, 9, NULL, r) == MODEL_OK, "registered run");
    CHECK(r->kpi.landed_registered == r->kpi.landed && r->kpi.landed > 0 &&
          r->carriers[2].arrivals == 0 && r->kpi.firms_started == r->kpi.landed,
          "registered landings skip the pilot: %g landed, %g registered, %g at the pilot, %g firms",
          r->kpi.landed, r->kpi.landed_registered, r->carriers[2].arrivals, r->kpi.firms_started);
    free(sc);

    /* Home shares: with landing.base = 1 every accelerated project lands, so
     * whole and split runs see the same firms; split books its shares of them. */
    struct scenario *whole = make("landing = { base = 1.0; };\n");
    sc = make("landing = { base = 1.0; };\n"
              "ownership = { enabled = true;\n"
              "  split = { revenue = 0.7; tax = 0.4; jobs = 0.25; utility = 100.0; };\n"
              "  registered = { utility = -100.0; }; };\n");
    CHECK(model_run(whole, 0, 3, NULL, r) == MODEL_OK && model_run(sc, 0, 3, NULL, r2) == MODEL_OK,
          "share runs");
    CHECK(r2->kpi.landed_split == r2->kpi.landed && r->kpi.landed == r2->kpi.landed,
          "every landing split: %g of %g (whole run %g)", r2->kpi.landed_split, r2->kpi.landed,
          r->kpi.landed);
    CHECK_NEAR(r2->kpi.revenue / r->kpi.revenue, 0.7, 1e-12, "home share of revenue");
    CHECK_NEAR(r2->kpi.tax / r->kpi.tax, 0.4, 1e-12, "home share of tax");
    CHECK_NEAR(r2->kpi.jobs / r->kpi.jobs, 0.25, 1e-12, "home share of jobs");
    CHECK_NEAR(r2->kpi.job_years / r->kpi.job_years, 0.25, 1e-12, "home share of job-years");
    free(sc);

    /* Off: every landing whole, and the run the same bits as without the group. */
    sc = make("landing = { base = 1.0; };\n"
              "ownership = { enabled = false; split = { tax = 0.1; utility = 5.0; }; };\n");
    CHECK(model_run(sc, 1, 3, NULL, r2) == MODEL_OK && model_run(whole, 1, 3, NULL, r) == MODEL_OK,
          "off runs");
    CHECK(memcmp(&r->kpi, &r2->kpi, sizeof r->kpi) == 0 && r->kpi.landed_whole == r->kpi.landed,
          "ownership off: every landing whole, the same bits");
    free(sc);
    free(whole);

    free(r);
    free(r2);
}

/* Levels: who pays, who keeps. */
static void test_levels(void)
{
    struct run_result *r = malloc(sizeof *r);
    struct scenario *sc;
    /* ---- levels: who pays, who keeps ---- */
    sc = make("levels = { enabled = true;\n"
              "  province = { construction = 0.25; voucher = 0.5; tax = 0.3; carriers = 0.1; };\n"
              "  nation = { award = 1.0; tax = 0.5; }; };\n");
    CHECK(model_run(sc, 0, 4, NULL, r) == MODEL_OK, "levels run");
    const struct kpi *k = &r->kpi;
    double tax_net = k->tax - k->tax_relief + k->value_at_horizon - k->value_at_warmup;   /* no fund here */
    CHECK_NEAR(k->spend_province, 0.25 * k->spend_construction + 0.5 * k->spend_voucher +
               0.1 * k->spend_carriers, 1e-6 * k->public_spend, "the province's outlays");
    CHECK_NEAR(k->spend_nation, k->spend_award, 1e-6 * k->public_spend, "the nation pays the awards");
    CHECK_NEAR(k->net_fiscal_national, 0.5 * tax_net - k->spend_award, 1e-6 * k->public_spend,
               "the nation's net");
    CHECK_NEAR(k->net_fiscal_province, 0.3 * tax_net - k->spend_province, 1e-6 * k->public_spend,
               "the province's net");
    CHECK_NEAR(k->local_per_provincial, (0.75 * k->spend_construction + 0.5 * k->spend_voucher) /
               (0.25 * k->spend_construction + 0.5 * k->spend_voucher), 1e-9, "local money per provincial yuan");
    CHECK(k->spend_construction > 0 && k->spend_voucher > 0 && k->spend_award > 0, "instruments paid");
    free(sc);
    sc = make("");
    CHECK(model_run(sc, 0, 4, NULL, r) == MODEL_OK, "one purse");
    CHECK(r->kpi.net_fiscal_province == 0 && r->kpi.net_fiscal_national == 0 &&
          close_rel(r->kpi.net_fiscal_city, r->kpi.net_fiscal, fabs(r->kpi.public_spend)),
          "levels off: the city pays and keeps all");
    free(sc);
    {
        struct diag d;
        struct scenario *bad = constructed_try(&cons, "levels = { province = { tax = 0.6; }; "
                                               "nation = { tax = 0.5; }; };\n", &d);
        CHECK(!bad && strstr(d.msg, "constructed.cfg") && strstr(d.msg, "tax"),
              "shares over 1 refused: %s", bad ? "accepted" : d.msg);
        free(bad);
    }

    free(r);
}

/* Contests: the top k by the jury's score, the prize, the pull. */
static void test_contest(void)
{
    struct run_result *r = malloc(sizeof *r);
    struct scenario *sc;
    /* ---- contest: the top k by the jury's score ---- */
    struct contest_entry e[6] = { { 0.3, 0 }, { 0.9, 1 }, { 0.5, 2 }, { 0.9, 3 }, { 0.1, 4 }, { 0.5, 5 } };
    uint8_t admit[6];
    contest_rank(e, 6, 3, admit);
    CHECK(admit[1] && admit[3] && admit[2] && !admit[5] && !admit[0] && !admit[4],
          "the best three, a tie to the earlier entry: %d%d%d%d%d%d", admit[0], admit[1], admit[2],
          admit[3], admit[4], admit[5]);
    /* A perfect jury (noise 0): winners are exactly the best entrants, 58 of
     * 1,000 every year (seed 003's selectivity), the prize booked with events. */
    sc = make("sources = ( { name = \"flow\"; remove = true; }, { name = \"contest\"; every = 1.0; first = 0.5; batch = 1000;\n"
              "              quality = { dist = \"beta\"; a = 2.0; b = 5.0; }; } );\n"
              "contest = { source = \"contest\"; winners = 58; jury_noise = 0.0; prize = 1.0e5; pull = 0.0; };\n");
    struct seen s = { 0 };
    struct model_sink sink = { .ctx = &s, .project = collect };
    CHECK(model_run(sc, 0, 8, &sink, r) == MODEL_OK, "contest run");
    double years = sc->horizon - sc->warmup;
    CHECK(r->kpi.contest_entrants == 1000 * years && r->kpi.contest_winners == 58 * years,
          "1,000 entrants and 58 winners a year: %g, %g", r->kpi.contest_entrants, r->kpi.contest_winners);
    /* per event: the worst winner beats the best loser */
    int ok = 1;
    for (int ev = 0; ev < (int)sc->horizon; ev++) {
        double worst_win = 2, best_lose = -1;
        for (size_t i = 0; i < s.n; i++) {
            const struct project_row *p = &s.rows[i];
            if ((int)floor(p->t_arrive) != ev)
                continue;
            if (p->outcome == OUT_REJECTED)
                best_lose = fmax(best_lose, p->quality);
            else
                worst_win = fmin(worst_win, p->quality);
        }
        ok &= worst_win >= best_lose;
    }
    CHECK(ok, "a perfect jury admits exactly the best");
    CHECK(r->kpi.spend_events > 0, "prizes booked with events");
    free(s.rows);
    free(sc);
    /* A winner's pull raises landing among winners. */
    sc = make("sources = ( { name = \"flow\"; remove = true; }, { name = \"contest\"; every = 1.0; first = 0.5; batch = 1000; } );\n"
              "contest = { source = \"contest\"; winners = 200; pull = 2.0; };\n");
    double pulled = mean_kpi(sc, "landing_per_graduated", 2, 8);
    CHECK_NEAR(pulled, 1 / (1 + exp(-2.0 - 0.5 * 1.0)), 0.03, "winners land at logistic(pull + award)");
    free(sc);

    free(r);
}

/* Rivals: the closed form, zero-sum, answering. */
static void test_rivals(void)
{
    struct run_result *r = malloc(sizeof *r);
    struct scenario *sc;
    /* ---- rivals: the elsewhere that answers ---- */
    /* empty packages are the old third region */
    struct scenario *plain = make("");
    sc = make("rivals = ( { name = \"a\"; }, { name = \"b\"; weight = 3.0; } );\n");
    CHECK(fabs(mean_kpi(sc, "landed", 2, 6) - mean_kpi(plain, "landed", 2, 6)) <= 2,
          "rivals with empty packages: the third region as before");
    free(sc);
    /* zero-sum: home alone raising its award by 1M moves landings; every
     * region raising together barely does (only the hub's share moves) */
    const char *rv = "landing = { hub_share = 0.2; };\n"
                     "rivals = ( { name = \"hangzhou\"; award = %g; answer = %g; },\n"
                     "           { name = \"suzhou\"; award = %g; answer = %g; } );\n"
                     "policy = { landing_award = %g; };\n";
    char txt[2048];
    double l[4];
    const double set[4][3] = {   /* rivals' award, their answer, home's award */
        { 1e6, 0, 1e6 }, { 1e6, 0, 2e6 }, { 2e6, 0, 2e6 }, { 0, 1, 2e6 } };
    for (int i = 0; i < 4; i++) {
        snprintf(txt, sizeof txt, rv, set[i][0], set[i][1], set[i][0], set[i][1], set[i][2]);
        sc = make(txt);
        l[i] = mean_kpi(sc, "landing_per_graduated", 2, 6);
        free(sc);
    }
    for (int i = 0; i < 4; i++) {   /* the closed form of rivals.h */
        double home = exp(0.5 * set[i][2] / 1e6);
        double ra = set[i][0] + set[i][1] * fmax(0, set[i][2] - set[i][0]);
        double want = home / (home + 0.2 + 0.8 * exp(0.5 * ra / 1e6));
        CHECK_NEAR(l[i], want, 0.01, "P(home) against rivals");
    }
    printf("rivals: landing %.4f; home +1M alone %.4f; all +1M %.4f; rivals answering %.4f\n",
           l[0], l[1], l[2], l[3]);
    CHECK(l[1] - l[0] > 0.05, "home alone raising its award gains: %.4f -> %.4f", l[0], l[1]);
    CHECK(fabs(l[2] - l[0]) < 0.25 * (l[1] - l[0]), "all raising together barely moves: %.4f -> %.4f",
          l[0], l[2]);
    /* rivals that answer in full take away home's advantage */
    CHECK(l[3] < l[1] - 0.05, "answering rivals take the award's gain back: %.4f vs %.4f", l[3], l[1]);
    free(plain);

    free(r);
}

/* Certification: Suzhou's sums by tier, difference-based and capped; a year's
 * evaluation, the three-year validity, relief while certified; the
 * post-subsidy open only to certified carriers. */
static void test_certification(void)
{
    struct run_result *r = malloc(sizeof *r);
    struct certification_cfg c;
    settings_defaults(&certification_table, &c);
    CHECK(certification_entitlement(&c, STAGE_PRE, TIER_NATIONAL) == 2e5 &&
          certification_entitlement(&c, STAGE_ACC, TIER_CITY) == 5e5 &&
          certification_entitlement(&c, STAGE_ACC, TIER_PROVINCE) == 7.5e5 &&
          certification_entitlement(&c, STAGE_ACC, TIER_NATIONAL) == 9.5e5 &&
          certification_entitlement(&c, STAGE_IND, TIER_NATIONAL) == 0 &&
          certification_entitlement(&c, STAGE_ACC, TIER_NONE) == 0, "Suzhou's sums by tier");
    c.cap = 8e5;
    CHECK(certification_entitlement(&c, STAGE_ACC, TIER_NATIONAL) == 8e5, "capped");

    /* every carrier passes every year: certified at year 1 on the national
     * tier, paid 2e5 + 9.5e5 once, relief for years 2..12 */
    struct scenario *sc = make("warmup = 0.0;\n"
        "policy = { performance = { amount = 1.0e5; target_landings = 0.0; }; };\n"
        "certification = { enabled = true; keep_landings = 0.0; city_landings = 0.0;\n"
        "  province_landings = 0.0; national_landings = 0.0; relief_per_year = 1.0e5; };\n");
    CHECK(model_run(sc, 0, 2, NULL, r) == MODEL_OK, "certification run");
    double rho = log(1.08), df1 = exp(-rho);
    double stream = df1 * (1 - exp(-rho * 11)) / rho;
    double with_sums = r->kpi.spend_construction;
    struct scenario *off = make("warmup = 0.0;\n"
        "policy = { performance = { amount = 1.0e5; target_landings = 0.0; }; };\n");
    CHECK(model_run(off, 0, 2, NULL, r) == MODEL_OK, "the same without certification");
    CHECK_NEAR(with_sums - r->kpi.spend_construction, 1.15e6 * df1, 1e-3, "one-off sums once, at year 1");
    free(off);
    CHECK(model_run(sc, 0, 2, NULL, r) == MODEL_OK, "certification run again");
    CHECK_NEAR(r->kpi.carrier_relief, 2 * 1.0e5 * stream, 1e-3, "relief while certified");
    CHECK(r->kpi.certified_years == 22 && r->kpi.certifications == 2 && r->kpi.certified_carriers == 2 &&
          r->kpi.decertifications == 0, "two carriers certified 11 years: %g years, %g, %g, %g",
          r->kpi.certified_years, r->kpi.certifications, r->kpi.certified_carriers, r->kpi.decertifications);
    CHECK(r->kpi.spend_performance > 0, "certified carriers get the post-subsidy");
    free(sc);

    /* one intake at t = 0.5: ~1,000 landings in year 1, none after. Dropped
     * by the evaluation at year 2 (keep 1), or lapsing at year 4 (keep 0) */
    const char *once = "warmup = 0.0;\n"
        "sources = ( { name = \"flow\"; remove = true; },\n"
        "            { name = \"once\"; every = 100.0; first = 0.5; batch = 2000; } );\n"
        "policy = { performance = { amount = 1.0e5; target_landings = 0.0; }; };\n"
        "certification = { enabled = true; keep_landings = %g; city_landings = 1.0;\n"
        "  province_landings = 2.0; national_landings = 3.0; relief_per_year = 1.0e5; };\n";
    char txt[2048];
    for (int keep = 1; keep >= 0; keep--) {
        snprintf(txt, sizeof txt, once, (double)keep);
        sc = make(txt);
        CHECK(model_run(sc, 0, 2, NULL, r) == MODEL_OK, "one intake");
        double years = keep ? 1 : 3;   /* certified at 1; dropped at 2, or lapsed at 4 */
        CHECK(r->kpi.certifications == 2 && r->kpi.decertifications == 2 &&
              r->kpi.certified_years == 2 * years && r->kpi.certified_carriers == 0,
              "keep %d: %g certified, %g dropped, %g carrier-years, %g at the end", keep,
              r->kpi.certifications, r->kpi.decertifications, r->kpi.certified_years,
              r->kpi.certified_carriers);
        CHECK_NEAR(r->kpi.carrier_relief, 2 * 1.0e5 * df1 * (1 - exp(-rho * years)) / rho, 1e-3,
                   "relief only while certified");
        free(sc);
    }

    /* no carrier certified: the post-subsidy is closed */
    sc = make("policy = { performance = { amount = 1.0e5; target_landings = 0.0; }; };\n"
              "certification = { enabled = true; keep_landings = 1.0e6; city_landings = 1.0e6;\n"
              "  province_landings = 1.0e6; national_landings = 1.0e6; };\n");
    CHECK(model_run(sc, 0, 2, NULL, r) == MODEL_OK && r->kpi.spend_performance == 0 &&
          r->kpi.certified_years == 0 && r->kpi.carrier_relief == 0, "uncertified: no post-subsidy, no relief");
    free(sc);
    free(r);
}

int main(void)
{
    test_identities("scenarios");
    test_identities("scenarios/seeds");
    test_ownership();
    test_levels();
    test_contest();
    test_rivals();
    test_certification();
    constructed_done(&cons);
    TEST_END("seeds");
}
