/* test_economy.c — the model's accounting: the funnel adds up with a
 * warm-up, present values and the value at the horizon match a numeric
 * integral, the cap's envelopes hold, promises are paid when made, the fund
 * spends its own money, outlays before the warm-up are carried in, and
 * projects go to their city's carriers and can be lost at a handover. */
#include "test.h"
#include "model_util.h"

#include <stdlib.h>
#include <string.h>

static struct scenario *load_text(const char *text)
{
    struct scenario *sc = malloc(sizeof *sc);
    struct diag d;
    settings_defaults(&scenario_table, sc);
    if (settings_load_string("test", text, &scenario_table, sc, &d) ||
        scenario_finish(sc, "test", &d)) {
        printf("cannot load the test scenario: %s\n", d.msg);
        exit(1);
    }
    return sc;
}

/* Simpson's rule for the revenue integrals below, independent of economy.c. */
static double revenue(double t, double start, double r0, double g, double t_sat)
{
    return t < start ? 0 : r0 * exp(g * (fmin(t, t_sat) - start));
}

static double integrate(double a, double b, double start, double r0, double g, double t_sat,
                        double k)
{
    int n = 200000;
    double h = (b - a) / n, sum = 0;
    for (int i = 0; i <= n; i++) {
        double t = a + i * h, w = i == 0 || i == n ? 1 : i % 2 ? 4 : 2;
        sum += w * revenue(t, start, r0, g, t_sat) * exp(-k * t);
    }
    return sum * h / 3;
}

static const char *one_firm =
    "name = \"one_firm\"; horizon = 10.0; warmup = 0.0;\n"
    "sources = ( { name = \"one\"; every = 1000.0; first = 0.0; batch = 1; } );\n"
    "carriers = (\n"
    "  { name = \"p\"; stage = \"pre_incubation\"; capacity = 1;\n"
    "    duration = { dist = \"fixed\"; value = 1.0; }; success = { base = 1.0; }; },\n"
    "  { name = \"a\"; stage = \"acceleration\"; capacity = 1;\n"
    "    duration = { dist = \"fixed\"; value = 1.0; }; success = { base = 1.0; }; },\n"
    "  { name = \"i\"; stage = \"industrialisation\"; capacity = 1;\n"
    "    duration = { dist = \"fixed\"; value = 1.0; }; success = { base = 1.0; }; } );\n"
    "landing = { base = 1.0; };\n"
    "production = { jobs = { dist = \"fixed\"; value = 5.0; };\n"
    "  revenue = { dist = \"fixed\"; value = 1.0e6; }; growth = 0.2; revenue_ceiling = 2.0;\n"
    "  tax_rate = 0.1; hazard = %s; };\n"
    "policy = { tax_relief = { rate = 0.5; years = 2.0; }; };\n"
    "accounting = { discount_rate = 0.08; };\n";

static void test_funnel(struct run_result *res)
{
    /* ---- the funnel adds up, with a warm-up, in every shipped scenario ---- */
    static const char *shipped[] = { "baseline", "budget_cut", "capital_first", "carrier_subsidy",
        "dumbbell", "enclave", "enclave_network", "landing_award", "no_policy",
        "professional_operator", "quality_first" };
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "scenarios/%s.cfg", shipped[i]);
        struct scenario *sc = load(path);
        CHECK(sc->warmup > 0, "%s has a warm-up", shipped[i]);
        for (uint32_t r = 0; r < 3; r++) {
            model_run(sc, r, 11, NULL, res);
            const struct kpi *k = &res->kpi;
            double in = k->sourced + k->in_pipeline_start;
            double out = k->rejected + k->balked + k->failed_pre + k->failed_acc + k->lost_hub +
                         k->lost_third + k->failed_ind + k->firms_started + k->in_pipeline_end;
            CHECK(in == out && k->in_pipeline_start > 0,
                  "%s rep %u: sourced %.0f + in_pipeline_start %.0f = %.0f, outcomes %.0f",
                  shipped[i], r, k->sourced, k->in_pipeline_start, in, out);
            CHECK(k->cohort_sourced == k->sourced && k->cohort_landed >= k->landed -
                  k->in_pipeline_start, "%s: the cohort is the window's arrivals", shipped[i]);
            double sum = k->spend_carriers;
            for (int j = 0; j < INSTR_COUNT; j++)
                sum += *kpi_spend(&res->kpi, (enum instrument)j);
            CHECK(fabs(sum - k->public_spend) <= 1e-9 * k->public_spend,
                  "%s: instruments + carriers = public_spend: %.2f vs %.2f", shipped[i], sum,
                  k->public_spend);
            CHECK(fabs(k->net_fiscal - (k->tax + k->fund_proceeds + k->value_at_horizon -
                                        k->value_at_warmup - k->public_spend - k->tax_relief))
                      <= 1e-6 * k->public_spend,
                  "%s: net_fiscal is its definition", shipped[i]);
        }
        free(sc);
    }

}

static void test_one_firm(struct run_result *res)
{
    /* ---- one firm: present values and the horizon value in closed form ---- */
    char text[2048];
    snprintf(text, sizeof text, one_firm, "0.0");
    struct scenario *one = load_text(text);
    CHECK(model_run(one, 0, 1, NULL, res) == MODEL_OK && res->kpi.firms_started == 1,
          "one firm starts (%g)", res->kpi.firms_started);
    double rho = log(1.08), start = 3.0, t_sat = start + log(2.0) / 0.2;
    double window = integrate(start, 10, start, 1e6, 0.2, t_sat, rho);
    double relief = integrate(start, start + 2, start, 1e6, 0.2, t_sat, rho);
    double after = integrate(10, 400, start, 1e6, 0.2, t_sat, rho);
    const struct kpi *k = &res->kpi;
    CHECK_NEAR(k->revenue, window, 1e-6 * window, "revenue in present value");
    CHECK_NEAR(k->tax, 0.1 * window, 1e-6 * window, "tax, before relief");
    CHECK_NEAR(k->tax_relief, 0.5 * 0.1 * relief, 1e-6 * relief, "relief for two years");
    CHECK_NEAR(k->value_at_horizon, 0.1 * after, 1e-5 * after, "value at the horizon");
    CHECK_NEAR(k->revenue_per_firm_year,
               integrate(start, 10, start, 1e6, 0.2, t_sat, 0) / 7.0, 1.0, "undiscounted revenue a year");
    CHECK(k->cohort_return > 0 && isinf(k->cohort_return) == 0, "a firm that never fails has a finite life value");
    free(one);

    /* with a hazard, the horizon value is weighted by survival: find a run
     * where the firm is alive at the horizon */
    snprintf(text, sizeof text, one_firm, "0.1");
    one = load_text(text);
    int found = 0;
    for (uint64_t seed = 1; seed < 50 && !found; seed++) {
        model_run(one, 0, seed, NULL, res);
        if (res->kpi.alive_end == 1) {
            found = 1;
            double fut = integrate(10, 400, start, 1e6, 0.2, t_sat, rho + 0.1) * exp(0.1 * 10);
            CHECK_NEAR(res->kpi.value_at_horizon, 0.1 * fut, 1e-5 * fut,
                       "expected value at the horizon, given alive");
        }
    }
    CHECK(found, "a run with the firm alive at the horizon");
    one->accounting.horizon_value = 0;
    model_run(one, 0, 1, NULL, res);
    CHECK(res->kpi.value_at_horizon == 0, "horizon_value = false: no value");
    free(one);

}

static void test_envelopes(struct run_result *res)
{
    /* ---- the cap's envelopes: awards stop at theirs, the others are untouched ---- */
    struct diag dg;
    struct seen rows = { 0 };
    struct model_sink sink = { &rows, NULL, collect, NULL, NULL };
    struct scenario *env = load("scenarios/baseline.cfg");
    env->policy.envelopes.award = 0.1;   /* 5e6 a year: ten awards of 5e5 */
    CHECK(scenario_finish(env, "env", &dg) == 0, "envelopes: %s", dg.msg);
    model_run(env, 0, 3, &sink, res);
    int per_year[64] = { 0 }, voucherless = 0, entered_pre = 0;
    for (size_t i = 0; i < rows.n; i++) {
        const struct project_row *r = &rows.rows[i];
        if (r->money[INSTR_AWARD] > 0 && r->t_land < 64)
            per_year[(int)r->t_land]++;
        if (!isnan(r->t_pre)) {
            entered_pre++;
            voucherless += r->money[INSTR_VOUCHER] == 0;
        }
    }
    int worst = 0;
    for (int y = 0; y < 64; y++)
        worst = per_year[y] > worst ? per_year[y] : worst;
    CHECK(worst == 10, "at most ten awards a year, and the envelope is used: %d", worst);
    CHECK(voucherless == 0 && entered_pre > 1000, "vouchers are not crowded out: %d of %d without",
          voucherless, entered_pre);
    CHECK(res->kpi.budget_refusals > 0, "refused awards are counted");
    free(rows.rows);
    env->policy.envelopes.award = 0.9;
    CHECK(scenario_finish(env, "env", &dg) != 0 && strstr(dg.msg, "more than the whole budget"),
          "envelopes over 1 refused: %s", dg.msg);
    free(env);

}

static void test_rent_commitment(struct run_result *res)
{
    /* ---- rent-free space is committed in full at landing, or not granted ---- */
    struct diag dg;
    struct seen rows = { 0 };
    struct model_sink sink = { &rows, NULL, collect, NULL, NULL };
    struct scenario *award = load("scenarios/landing_award.cfg");
    award->policy.envelopes.rent = 0.004;   /* 5.8e5 a year: one commitment of 4e5 */
    CHECK(scenario_finish(award, "rent", &dg) == 0, "rent envelope: %s", dg.msg);
    model_run(award, 0, 3, &sink, res);
    int with_rent[64] = { 0 }, partial = 0;
    for (size_t i = 0; i < rows.n; i++) {
        double rent = rows.rows[i].money[INSTR_RENT];
        partial += rent != 0 && rent != 4e5;
        if (rent > 0 && rows.rows[i].t_land < 64)
            with_rent[(int)rows.rows[i].t_land]++;
    }
    int worst = 0;
    for (int y = 0; y < 64; y++)
        worst = with_rent[y] > worst ? with_rent[y] : worst;
    CHECK(partial == 0 && worst == 1, "one whole commitment a year: %d partial, %d at most", partial,
          worst);
    free(rows.rows);
    free(award);

}

static void test_fund_outside_cap(struct run_result *res)
{
    /* ---- the guidance fund spends its own money, outside the cap ---- */
    struct diag dg;
    struct scenario *cap = load("scenarios/capital_first.cfg");
    cap->policy.budget_per_year = 0;
    CHECK(scenario_finish(cap, "fund", &dg) == 0, "%s", dg.msg);
    model_run(cap, 0, 3, NULL, res);
    CHECK(res->kpi.spend_fund > 0 && res->kpi.spend_grant == 0 && res->kpi.spend_award == 0,
          "no yearly budget: the fund still invests (%.3g), grants and awards do not",
          res->kpi.spend_fund);
    free(cap);

}

static void test_fund_stake(struct run_result *res)
{
    /* ---- the fund's stake follows its ticket (paired: the same replications) ---- */
    struct scenario *small = load("scenarios/capital_first.cfg"), *big = load("scenarios/capital_first.cfg");
    small->policy.guidance_fund.ticket = 1e5;   /* 2% of a 5e6 post-money */
    big->policy.guidance_fund.ticket = 1e6;     /* 20% */
    double dl = 0, dl2 = 0, stake_s = 0, stake_b = 0, proc_s = 0, proc_b = 0;
    enum { FR = 10 };
    for (uint32_t r = 0; r < FR; r++) {
        model_run(small, r, 7, NULL, res);
        double ls = res->kpi.landed;
        stake_s += res->kpi.fund_stake / FR;
        proc_s += res->kpi.fund_proceeds / FR;
        model_run(big, r, 7, NULL, res);
        stake_b += res->kpi.fund_stake / FR;
        proc_b += res->kpi.fund_proceeds / FR;
        double d = res->kpi.landed - ls;
        dl += d;
        dl2 += d * d;
    }
    double mean_d = dl / FR, sd_d = sqrt((dl2 - FR * mean_d * mean_d) / (FR - 1));
    CHECK(fabs(stake_s - 0.02) < 1e-9 && fabs(stake_b - 0.2) < 1e-9,
          "stake = ticket / post-money: %.4f and %.4f", stake_s, stake_b);
    CHECK(mean_d - 2.262 * sd_d / sqrt(FR) > 0,
          "a bigger ticket lands more (paired): %+.1f landings, sd %.1f", mean_d, sd_d);
    CHECK(proc_b > 5 * proc_s, "and its exits bring more: %.4g against %.4g", proc_b, proc_s);
    /* the cap: a ticket above max_stake x post-money buys max_stake, for less */
    big->policy.guidance_fund.ticket = 5e6;
    model_run(big, 0, 7, NULL, res);
    CHECK(fabs(res->kpi.fund_stake - 0.3) < 1e-9, "max_stake caps the stake: %.4f", res->kpi.fund_stake);
    free(small);
    free(big);

    /* recycling: with a budget that runs out, proceeds returned keep it investing */
    struct scenario *rec = load("scenarios/capital_first.cfg");
    rec->policy.guidance_fund.budget = 2e8;
    double spent[2];
    for (int i = 0; i < 2; i++) {
        rec->policy.guidance_fund.recycle = i;
        model_run(rec, 0, 7, NULL, res);
        spent[i] = res->kpi.spend_fund;
    }
    CHECK(spent[1] > spent[0], "recycled proceeds are invested again: %.4g against %.4g", spent[1],
          spent[0]);
    free(rec);

    /* capital_first's fund is not spent before a window that starts at year 20 */
    struct scenario *late = load("scenarios/capital_first.cfg");
    late->warmup = 20;
    late->horizon = 30;
    model_run(late, 0, 7, NULL, res);
    double early = res->kpi.spend_fund;
    late->warmup = 5;
    late->horizon = 15;
    model_run(late, 0, 7, NULL, res);
    CHECK(early > 0.7 * res->kpi.spend_fund, "the fund invests in the window [20, 30] as in [5, 15]: "
          "%.4g against %.4g", early, res->kpi.spend_fund);
    free(late);
}

static void test_carry_in(struct run_result *res)
{
    /* ---- construction is a stock: the window pays the seats' use in it ----
     * builds of 1e6 and 5e5 at years 1-2, a 20-year life, window [5, 15]: the
     * annuity whose present value is the amount, over the window's ten years */
    struct scenario *sub = load("scenarios/carrier_subsidy.cfg");
    model_run(sub, 0, 3, NULL, res);
    double use = 1.5e6 * (1 - pow(1.08, -10)) / (1 - pow(1.08, -20));
    CHECK(fabs(res->kpi.spend_construction - use) < 1e-6 * use,
          "builds at years 1-2: the window's part of their annuity %.2f, want %.2f",
          res->kpi.spend_construction, use);
    free(sub);

}

static void test_cohort_closes(struct run_result *res)
{
    /* ---- the cohort's accounts close: a constructed case whose total is known ----
     * Warm-up 0 and one batch of projects at t = 0, so the cohort is every
     * project; fixed capacity, exponential stages, one instrument (a voucher
     * at pre-incubation entry), no relief, no fund; a horizon long enough that
     * every project has left the pipeline. The public pays the carriers'
     * seats for the whole window (mostly idle after the batch has passed) and
     * the vouchers, and the cohort must carry every one of those yuan. */
    static const char *closed =
        "name = \"closed\"; horizon = 80.0; warmup = 0.0;\n"
        "sources = ( { name = \"batch\"; every = 1000.0; first = 0.0; batch = 60; } );\n"
        "carriers = (\n"
        "  { name = \"p\"; stage = \"pre_incubation\"; capacity = 7; cost_per_seat = 5.0e4;\n"
        "    duration = { dist = \"exponential\"; mean = 0.7; }; success = { base = 0.6; }; },\n"
        "  { name = \"a\"; stage = \"acceleration\"; capacity = 3; cost_per_seat = 8.0e4;\n"
        "    duration = { dist = \"exponential\"; mean = 0.4; }; success = { base = 0.5; }; },\n"
        "  { name = \"i\"; stage = \"industrialisation\"; capacity = 2; cost_per_seat = 1.0e5;\n"
        "    duration = { dist = \"exponential\"; mean = 1.0; }; success = { base = 0.8; }; } );\n"
        "landing = { base = 0.7; };\n"
        "production = { hazard = 0.2; };\n"
        "policy = { vouchers = { stage = \"pre_incubation\"; amount = 3.0e4; }; };\n"
        "accounting = { discount_rate = 0.08; };\n";
    struct scenario *cl = load_text(closed);
    double rho8 = log(1.08), seats = (7 * 5e4 + 3 * 8e4 + 2 * 1e5) * -expm1(-rho8 * 80) / rho8;
    for (uint32_t r = 0; r < 3; r++) {
        CHECK(model_run(cl, r, 5, NULL, res) == MODEL_OK, "closed case runs");
        const struct kpi *kc = &res->kpi;
        CHECK(kc->in_pipeline_end == 0 && kc->cohort_sourced == 60 && kc->landed > 0,
              "rep %u: the batch has left by the horizon (%g left, %g landed)", r,
              kc->in_pipeline_end, kc->landed);
        double known = seats + kc->admitted * 3e4;   /* vouchers are paid at t = 0 */
        CHECK(fabs(kc->public_spend - known) <= 1e-9 * known,
              "rep %u: the money booked in closed form: %.6f vs %.6f", r, kc->public_spend, known);
        CHECK(fabs(kc->cohort_cost - known) <= 1e-9 * known,
              "rep %u: the cohort carries every yuan booked (idle seats too): %.6f vs %.6f", r,
              kc->cohort_cost, known);
        CHECK(kc->cohort_landings_pv < kc->cohort_landed && kc->cohort_landings_pv > 0,
              "rep %u: landings discounted like money: %g of %g", r, kc->cohort_landings_pv,
              kc->cohort_landed);
        CHECK(kc->cohort_cost_per_landing == kc->cohort_cost / kc->cohort_landings_pv,
              "rep %u: cost per discounted landing", r);
    }
    free(cl);

    /* a second cohort before it (warm-up 5): the window's carrier cost is
     * shared by seat-years, the cohort's part is below the whole */
    struct scenario *base = load("scenarios/baseline.cfg");
    model_run(base, 0, 3, NULL, res);
    CHECK(res->kpi.cohort_cost > 0.5 * res->kpi.public_spend &&
          res->kpi.cohort_cost < 1.5 * res->kpi.public_spend + res->kpi.tax_relief,
          "baseline: the cohort's cost %.4g is of the order of the window's spend %.4g",
          res->kpi.cohort_cost, res->kpi.public_spend);
    free(base);
}

static void test_city_routing(struct run_result *res)
{
    /* ---- projects go to their city's carriers ---- */
    struct seen rows = { 0 };
    struct model_sink sink = { &rows, NULL, collect, NULL, NULL };
    struct scenario *net = load("scenarios/enclave_network.cfg");
    model_run(net, 0, 3, &sink, res);
    int wrong = 0, routed = 0;
    for (size_t i = 0; i < rows.n; i++) {
        const struct project_row *r = &rows.rows[i];
        int c = r->carrier[STAGE_PRE];
        if (c < 0 || !net->sources[r->source].city[0])
            continue;
        routed++;
        wrong += strcmp(net->carriers[c].city, net->sources[r->source].city) != 0;
    }
    CHECK(routed > 1000 && wrong == 0, "%d of %d projects in another city's enclave", wrong, routed);
    free(rows.rows);
    free(net);

}

static void test_handover_loss(struct run_result *res)
{
    /* ---- the dumbbell's handover loses projects at the stated rate ---- */
    struct scenario *db = load("scenarios/dumbbell.cfg");
    double lost = 0, handed = 0;
    for (uint32_t r = 0; r < 10; r++) {
        model_run(db, r, 3, NULL, res);
        lost += res->kpi.lost_handover;
        handed += res->kpi.graduated_pre;
    }
    double p = db->landing.handover_loss * 1.0;   /* overseas (1) to home (0) */
    CHECK(fabs(lost / handed - p) < 4 * sqrt(p * (1 - p) / handed),
          "handover loss %.4f, want %.4f", lost / handed, p);
    /* handover losses in both the numerator and the denominator: the shares add to 1 */
    CHECK(fabs(res->kpi.leakage + res->kpi.landing_per_graduated - 1) < 1e-12,
          "dumbbell: leakage %.4f + landing_per_graduated %.4f = 1 (was 1.37)", res->kpi.leakage,
          res->kpi.landing_per_graduated);
    free(db);

}

int main(void)
{
    struct run_result *res = malloc(sizeof *res);
    test_funnel(res);
    test_one_firm(res);
    test_envelopes(res);
    test_rent_commitment(res);
    test_fund_outside_cap(res);
    test_fund_stake(res);
    test_carry_in(res);
    test_cohort_closes(res);
    test_city_routing(res);
    test_handover_loss(res);
    free(res);
    TEST_END("economy");
}
