/* test_outbound.c — outbound incubation (models/outbound.h) against known
 * answers: the shared carrier as an M/M/c queue with two classes (FIFO, one
 * service law: each class waits as Erlang C at the combined rate says; with
 * no queue, each is turned away as Erlang B says), seats and firms
 * conserved, the export streams' closed forms, the inbound projects' luck
 * untouched, the voucher, and bad settings refused with the file's name. */
#include "test.h"
#include "model_util.h"
#include "../sim/stats.h"

#include <string.h>
#include <unistd.h>

/* One overseas pre-incubation carrier of 20 seats, Exp(0.5) stays, every
 * project failing there (so the rest of the pipeline is idle); inbound 20 a
 * year. Outbound firms: 12 a year, Exp(0.5) stays, 30% established. */
static const char core[] =
    "name = \"ob\"; horizon = 400.0; warmup = 20.0;\n"
    "sources = ( { name = \"in\"; rate = 20.0; } );\n"
    "screening = { threshold = -1.0; };\n"
    "carriers = (\n"
    "  { name = \"sea\"; stage = \"pre_incubation\"; location = \"overseas\"; capacity = 20;\n"
    "    cost_per_seat = 1.0e4; duration = { dist = \"exponential\"; mean = 0.5; }; success = { base = 0.0; }; },\n"
    "  { name = \"acc\"; stage = \"acceleration\"; location = \"overseas\"; capacity = 10;\n"
    "    duration = { dist = \"exponential\"; mean = 0.5; }; success = { base = 1.0; }; },\n"
    "  { name = \"pilot\"; stage = \"industrialisation\"; capacity = 10;\n"
    "    duration = { dist = \"fixed\"; value = 0.1; }; success = { base = 1.0; }; } );\n"
    "landing = { base = 0.7; };\n"
    "outbound = { rate = 12.0; success = 0.3; duration = { dist = \"exponential\"; mean = 0.5; }; };\n";

static struct constructed cons = { core, "outbound", "" };

/* core, then `extra` overriding it. NULL with d->msg when refused. */
static struct scenario *try_make(const char *extra, struct diag *d)
{
    return constructed_try(&cons, extra, d);
}

static struct scenario *make(const char *extra)
{
    return constructed_make(&cons, extra);
}

/* What holds in every run: the carrier's served are the projects' and the
 * firms' releases; the firms' seat-time is part of its busy seat-time. */
static void check_conserved(const struct run_result *r, double span, double seats)
{
    const struct kpi *k = &r->kpi;
    double served = 0, busy = 0;
    for (int i = 0; i < r->ncarriers; i++)
        if (i != 2) {
            served += r->carriers[i].served;
            busy += r->carriers[i].utilisation * r->carriers[i].capacity_end * span;
        }
    CHECK(served == k->graduated_pre + k->failed_pre + k->accelerated + k->failed_acc +
                    k->outbound_served,
          "carriers served %g = projects %g + firms %g", served,
          k->graduated_pre + k->failed_pre + k->accelerated + k->failed_acc, k->outbound_served);
    CHECK(k->outbound_succeeded + k->outbound_returned == k->outbound_served,
          "succeeded %g + returned %g = served %g", k->outbound_succeeded, k->outbound_returned,
          k->outbound_served);
    CHECK(k->outbound_seat_years <= busy * (1 + 1e-9) && busy <= seats * span * (1 + 1e-9),
          "seat-years: outbound %g <= busy %g <= seats x time %g", k->outbound_seat_years, busy,
          seats * span);
}

/* Two classes at one M/M/20: Erlang C at 20 + 12 = 32 a year, for both. */
static void test_two_classes(void)
{
    struct scenario *on = make(""), *off = make("outbound = { rate = 0.0; };\n");
    struct run_result *r = malloc(sizeof *r);
    struct tally wait = { 0 }, owait = { 0 }, util = { 0 }, wait_off = { 0 }, seated = { 0 },
                 share = { 0 };
    double span = on->horizon - on->warmup;
    enum { R = 30 };
    for (uint32_t rep = 0; rep < R; rep++) {
        CHECK(model_run(on, rep, 2026, NULL, r) == MODEL_OK, "two classes, run %u", rep);
        tally_add(&wait, r->carriers[0].mean_wait);
        tally_add(&util, r->carriers[0].utilisation);
        tally_add(&owait, r->kpi.outbound_wait);
        tally_add(&seated, r->kpi.outbound_seat_years / span);
        tally_add(&share, r->kpi.outbound_succeeded / r->kpi.outbound_served);
        check_conserved(r, span, 20);
        CHECK(model_run(off, rep, 2026, NULL, r) == MODEL_OK, "inbound alone, run %u", rep);
        tally_add(&wait_off, r->carriers[0].mean_wait);
        CHECK(r->kpi.outbound_arrived == 0 && isnan(r->kpi.outbound_wait) &&
              r->kpi.export_revenue == 0, "off: no outbound firm, wait NaN");
    }
    double w = erlang_c_wait(32.0, 0.5, 20), w1 = erlang_c_wait(20.0, 0.5, 20);
    double hw = tally_halfwidth(&wait, 0.99);
    CHECK(fabs(wait.mean - w) <= hw + 0.05 * w, "shared carrier's wait %.5f +- %.5f, Erlang C(32) %.5f",
          wait.mean, hw, w);
    hw = tally_halfwidth(&owait, 0.99);
    CHECK(fabs(owait.mean - w) <= hw + 0.05 * w, "outbound firms' wait %.5f +- %.5f, Erlang C(32) %.5f",
          owait.mean, hw, w);
    hw = tally_halfwidth(&wait_off, 0.99);
    CHECK(fabs(wait_off.mean - w1) <= hw + 0.05 * w1 + 1e-5,
          "inbound alone %.6f +- %.6f, Erlang C(20) %.6f", wait_off.mean, hw, w1);
    CHECK(w > 20 * w1 && wait.mean > 10 * wait_off.mean, "crowding: %.5f with the firms, %.6f without",
          wait.mean, wait_off.mean);
    hw = tally_halfwidth(&util, 0.99);
    CHECK(fabs(util.mean - 0.8) <= hw + 0.002, "utilisation %.5f +- %.5f, rho 0.8", util.mean, hw);
    CHECK_NEAR(seated.mean, 12 * 0.5, 0.02 * 6, "seats the firms hold on average (Little: 12 x 0.5)");
    CHECK_NEAR(share.mean, 0.3, 0.01, "P(established abroad)");
    free(on);
    free(off);
    free(r);
}

/* No queue: an M/M/20/20 loss system; both classes are turned away with the
 * Erlang B probability of the combined load (arrivals see time averages). */
static void test_loss(void)
{
    struct scenario *sc = make("carriers = ( { name = \"sea\"; queue_limit = 0; } );\n");
    struct run_result *r = malloc(sizeof *r);
    struct tally lost = { 0 };
    for (uint32_t rep = 0; rep < 20; rep++) {
        CHECK(model_run(sc, rep, 7, NULL, r) == MODEL_OK, "loss run %u", rep);
        const struct kpi *k = &r->kpi;
        tally_add(&lost, k->outbound_balked / k->outbound_arrived);
        double left = k->outbound_arrived - k->outbound_balked - k->outbound_served;
        CHECK(left >= -20 && left <= 20, "arrived %g = balked %g + served %g, up to the seats held "
              "at either end", k->outbound_arrived, k->outbound_balked, k->outbound_served);
        CHECK(k->outbound_wait == 0, "no queue, no wait: %g", k->outbound_wait);
    }
    double b = erlang_b(16.0, 20), hw = tally_halfwidth(&lost, 0.99);
    CHECK(fabs(lost.mean - b) <= hw + 0.03 * b, "firms turned away %.5f +- %.5f, Erlang B %.5f",
          lost.mean, hw, b);
    free(sc);
    free(r);
}

/* Ample seats, every firm established after a fixed 0.25 years, exports of
 * 1e6 a year for an Exp(0.2) life, taxed at 5%, from t = 0 to 10: the
 * window's exports, the stock at the horizon and the cohort's tax in closed
 * form; the inbound projects see the same luck as without the firms. */
static void test_exports(void)
{
    const char *common = "horizon = 10.0; warmup = 0.0;\n"
        "carriers = ( { name = \"sea\"; capacity = 1000000; } );\n";
    char txt[2048];
    snprintf(txt, sizeof txt, "%soutbound = { rate = 2000.0; success = 1.0; hazard = 0.2; tax_rate = 0.05;\n"
             "  duration = { dist = \"fixed\"; value = 0.25; }; revenue = { dist = \"fixed\"; value = 1.0e6; }; };\n",
             common);
    struct scenario *on = make(txt);
    snprintf(txt, sizeof txt, "%soutbound = { rate = 0.0; };\n", common);
    struct scenario *off = make(txt);
    struct run_result *r = malloc(sizeof *r), *r0 = malloc(sizeof *r0);
    double R = 2000, H = 10, d = 0.25, h = 0.2, tau = 0.05, rev = 1e6, rho = log(1.08);
    /* E[window PV of a stream from a]: the integral over [a, H] of e^(-rho s) P(alive at s) */
    double want_rev = 0;
    int n = 20000;
    for (int i = 0; i <= n; i++) {
        double a = d + (H - d) * i / n;
        double g = (exp(-rho * a) - exp(-rho * H - h * (H - a))) / (rho + h);
        want_rev += g * (i == 0 || i == n ? 1 : i % 2 ? 4 : 2);
    }
    want_rev *= R * rev * (H - d) / n / 3;
    double alive = R * (1 - exp(-h * (H - d))) / h;
    double want_vh = alive * tau * rev / (rho + h) * exp(-rho * H);
    double want_cohort = R * tau * rev * exp(-rho * d) * (1 - exp(-rho * H)) / (rho * (rho + h));
    struct tally t_rev = { 0 }, t_end = { 0 }, t_vh = { 0 }, t_coh = { 0 };
    int same = 1, sums = 1;
    for (uint32_t rep = 0; rep < 8; rep++) {
        CHECK(model_run(on, rep, 3, NULL, r) == MODEL_OK && model_run(off, rep, 3, NULL, r0) == MODEL_OK,
              "exports run %u", rep);
        const struct kpi *k = &r->kpi, *k0 = &r0->kpi;
        tally_add(&t_rev, k->export_revenue);
        tally_add(&t_end, k->exporters_end);
        tally_add(&t_vh, k->value_at_horizon - k0->value_at_horizon);
        tally_add(&t_coh, k->cohort_return - k0->cohort_return);
        same &= k->sourced == k0->sourced && k->failed_pre == k0->failed_pre &&
                k->landed == k0->landed && k->spend_carriers == k0->spend_carriers;
        sums &= k->tax == k0->tax + k->export_tax && k->revenue == k0->revenue + k->export_revenue &&
                fabs(k->export_tax - tau * k->export_revenue) <= 1e-9 * k->export_tax &&
                k->outbound_succeeded == k->outbound_served && k->outbound_wait == 0;
        check_conserved(r, H, 1000000);
    }
    CHECK(same, "ample seats: the inbound projects' funnel and costs are as without the firms");
    CHECK(sums, "export tax and revenue join tax and revenue; export_tax = tax_rate x export_revenue");
    CHECK(fabs(t_rev.mean - want_rev) <= 4 * tally_sd(&t_rev) / sqrt(8) + 1e-3 * want_rev,
          "export_revenue %.6g +- %.3g, closed form %.6g", t_rev.mean, tally_sd(&t_rev) / sqrt(8), want_rev);
    CHECK(fabs(t_end.mean - alive) <= 4 * tally_sd(&t_end) / sqrt(8) + 1e-3 * alive,
          "exporters at the horizon %.1f, closed form %.1f", t_end.mean, alive);
    CHECK(fabs(t_vh.mean - want_vh) <= 4 * tally_sd(&t_vh) / sqrt(8) + 1e-3 * want_vh,
          "their value at the horizon %.6g, closed form %.6g", t_vh.mean, want_vh);
    CHECK(fabs(t_coh.mean - want_cohort) <= 4 * tally_sd(&t_coh) / sqrt(8) + 1e-3 * want_cohort,
          "the cohort's export tax over its lives %.6g, closed form %.6g", t_coh.mean, want_cohort);
    CHECK(outbound_future_tax(0.05, 1e6, 0.1, 0.15) == 0.05 * 1e6 / 0.25, "future tax of a stream");
    free(on);
    free(off);
    free(r);
    free(r0);
}

/* The voucher: paid to every firm that takes its place (the budget allows
 * it), and its log-odds on success. */
static void test_voucher(void)
{
    const char *common = "horizon = 10.0; warmup = 0.0;\n"
        "carriers = ( { name = \"sea\"; capacity = 1000000; } );\n";
    char txt[2048];
    snprintf(txt, sizeof txt, "%soutbound = { rate = 500.0; success = 0.5; voucher = 2.0e4; voucher_effect = 50.0; };\n",
             common);
    struct scenario *on = make(txt);
    snprintf(txt, sizeof txt, "%soutbound = { rate = 500.0; success = 0.5; };\n", common);
    struct scenario *plain = make(txt);
    struct run_result *r = malloc(sizeof *r), *r0 = malloc(sizeof *r0);
    CHECK(model_run(on, 0, 5, NULL, r) == MODEL_OK && model_run(plain, 0, 5, NULL, r0) == MODEL_OK,
          "voucher runs");
    /* per firm: the amount at a uniform time's discount factor over [0, 10] */
    double rho = log(1.08), want = 2e4 * (1 - exp(-rho * 10)) / (rho * 10);
    double paid = (r->kpi.spend_voucher - r0->kpi.spend_voucher) / r->kpi.outbound_arrived;
    CHECK(fabs(paid - want) < 0.01 * want, "vouchers paid %.6g a firm, amount discounted %.6g", paid, want);
    CHECK(r->kpi.outbound_succeeded == r->kpi.outbound_served, "a voucher's +50 log-odds: every firm established");
    CHECK(fabs(r0->kpi.outbound_succeeded / r0->kpi.outbound_served - 0.5) < 0.03, "without: half");
    CHECK(r->kpi.public_spend > r0->kpi.public_spend, "the vouchers are public spending");
    free(on);
    free(plain);
    free(r);
    free(r0);
}

/* Off: a file that gives the block with rate 0 runs as one without it. */
static void test_off(void)
{
    struct scenario *a = make("outbound = { rate = 0.0; success = 0.9; voucher = 1.0e5; };\n");
    struct scenario *b = load("tests/validation/jackson.cfg");
    struct scenario *c = load("tests/validation/jackson.cfg");
    c->outbound.success = 0.9;
    c->outbound.voucher = 1e5;
    struct run_result *r = malloc(sizeof *r), *r2 = malloc(sizeof *r2);
    memset(r, 0, sizeof *r);
    memset(r2, 0, sizeof *r2);
    CHECK(model_run(b, 1, 9, NULL, r) == MODEL_OK && model_run(c, 1, 9, NULL, r2) == MODEL_OK,
          "jackson with and without outbound settings");
    CHECK(memcmp(&r->kpi, &r2->kpi, sizeof r->kpi) == 0 &&
          memcmp(r->carriers, r2->carriers, sizeof r->carriers) == 0 && r->events == r2->events,
          "rate 0: the same bits whatever the other outbound settings");
    CHECK(model_run(a, 0, 9, NULL, r) == MODEL_OK && r->kpi.outbound_arrived == 0 &&
          r->kpi.spend_voucher == 0, "rate 0: no firm, no voucher");
    free(a);
    free(b);
    free(c);
    free(r);
    free(r2);
}

static void test_refused(void)
{
    struct diag d;
    struct scenario *sc = try_make("outbound = { carriers = [ \"nowhere\" ]; };\n", &d);
    CHECK(!sc && strstr(d.msg, "constructed.cfg") && strstr(d.msg, "unknown carrier \"nowhere\""),
          "an unknown carrier: %s", d.msg);
    sc = try_make("outbound = { carriers = [ \"pilot\" ]; };\n", &d);
    CHECK(!sc && strstr(d.msg, "industrialisation"), "a home pilot is no offshore seat: %s", d.msg);
    sc = try_make("carriers = ( { name = \"sea\"; location = \"home\"; } );\n", &d);
    CHECK(!sc && strstr(d.msg, "outbound.rate") && strstr(d.msg, "no carrier"),
          "no overseas pre-incubation carrier to use: %s", d.msg);
    sc = try_make("outbound = { success = 1.5; };\n", &d);
    CHECK(!sc && strstr(d.msg, "success"), "a probability above 1: %s", d.msg);
    sc = try_make("carriers = ( { name = \"sea\"; location = \"home\"; } );\n"
                  "outbound = { carriers = [ \"acc\" ]; };\n", &d);
    CHECK(sc && sc->outbound.ncand == 1 && sc->outbound.cand[0] == 1, "a named carrier is used");
    free(sc);
}

int main(void)
{
    test_two_classes();
    test_loss();
    test_exports();
    test_voucher();
    test_off();
    test_refused();
    constructed_done(&cons);
    TEST_END("outbound");
}
