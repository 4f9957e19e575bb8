/* scenario.c — the scenario's settings tables, loading and cross-checks.
 *
 * Every number of the model is a setting here, with its bounds, default, unit
 * and meaning; `incubsim check` prints the resolved result. Defaults keep the
 * stable core (tests/validation/jackson.cfg) literal: every log-odds term is 0 and every
 * instrument off, so `success.base` and `landing.base` are the probabilities.
 */
#include "scenario.h"
#include "spec.h"
#include "../sim/text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const stage_names[] = { "pre_incubation", "acceleration", "industrialisation", NULL };
const char *const location_names[] = { "overseas", "core_city", "home", NULL };
const char *const operator_names[] = { "government_platform", "professional", NULL };

/* Default distributions, with their sources (DOMAIN.md). */
static const struct dist default_quality = { DIST_FIXED, 0.5, 0, 0, 0 };
static const struct dist default_round   = { DIST_LOGNORMAL, 5e6, 5e6, 0, 0 };  /* seed round, yuan */
static const struct dist default_jobs    = { DIST_FIXED, 5, 0, 0, 0 };          /* 4-7 a firm: NBIA; China 2021 */
static const struct dist default_revenue = { DIST_LOGNORMAL, 5e6, 5e6, 0, 0 };
/* argued: a 5e5 ticket bought 10% before stakes followed tickets, so 5e6 keeps that case */
static const struct dist default_post_money = { DIST_FIXED, 5e6, 0, 0, 0 };

static const struct setting_spec sector_specs[] = {
    STR(struct sector_cfg, name, REQUIRED, "sector name"),
    NUM(struct sector_cfg, share, 0, 1, REQUIRED, "", "share of sourced projects (shares sum to 1)"),
    NUM(struct sector_cfg, home_fit, 0, 1, 0.5, "", "industry fit with the home region"),
    BOOL(struct sector_cfg, target, 1, "a sector the home region targets"),
};
static TABLE(sector_table, struct sector_cfg, sector_specs);

static const struct setting_spec mix_specs[] = {
    STR(struct mix_cfg, name, REQUIRED, "a sector of the scenario"),
    NUM(struct mix_cfg, share, 0, 1, REQUIRED, "", "share of this source's projects in it"),
};
static TABLE(mix_table, struct mix_cfg, mix_specs);

static const struct setting_spec source_specs[] = {
    STR(struct source_cfg, name, REQUIRED, "source name"),
    NUM(struct source_cfg, rate, 0, 1e7, 0, "projects/year", "Poisson arrival rate"),
    NUM(struct source_cfg, every, 0, 1e3, 0, "years", "interval between events (competitions, roadshows); 0 = none, else at least 1e-6 (30 s)"),
    NUM(struct source_cfg, first, 0, 1e6, 0, "years", "time of the first event"),
    INT(struct source_cfg, batch, 0, 1e6, 0, "projects", "projects brought by each event"),
    NUM(struct source_cfg, cost_per_event, 0, 1e12, 0, "yuan", "cost of each event, under the budget cap"),
    STR(struct source_cfg, city, 0, "city its projects come from; routed to carriers serving it (unset: any)"),
    DIST(struct source_cfg, quality, &default_quality, "0..1", "latent quality of a project (clamped to [0,1])"),
    LIST(struct source_cfg, mix, nmix, mix_table, SC_MAX_SECTORS, "sector mix; empty = the scenario's sector shares"),
};
static TABLE(source_table, struct source_cfg, source_specs);

static const struct setting_spec operator_specs[] = {
    NUM(struct operator_cfg, screening_noise, 0, 10, 0, "quality units", "sd of the score around latent quality"),
    NUM(struct operator_cfg, service_quality, -10, 10, 0, "log-odds", "added to stage success at its carriers"),
    NUM(struct operator_cfg, cost_factor, 0, 100, 1, "", "multiplies the carriers' cost per seat"),
};
static TABLE(operator_table, struct operator_cfg, operator_specs);

struct operators_pair { struct operator_cfg government_platform, professional; };
static const struct setting_spec operators_specs[] = {
    GROUP(struct operators_pair, government_platform, operator_table, "a government platform company"),
    GROUP(struct operators_pair, professional, operator_table, "a contracted professional operator"),
};
static TABLE(operators_table, struct operators_pair, operators_specs);

static const struct setting_spec screening_specs[] = {
    NUM(struct screening_cfg, threshold, -10, 10, 0, "score", "admit when score >= threshold"),
    ENUM_AS(struct screening_cfg, "operator", operator_kind, operator_names, OP_GOVERNMENT, "whose experts score projects"),
    NAMES(struct screening_cfg, focus, nfocus, SC_MAX_NAMES, "sectors admitted; empty = all"),
};
static TABLE(screening_table, struct screening_cfg, screening_specs);

static const struct setting_spec success_specs[] = {
    NUM(struct success_cfg, base, 0, 1, REQUIRED, "probability", "P(success) at average quality, no instrument"),
    NUM(struct success_cfg, quality_weight, -100, 100, 0, "log-odds", "per unit of (quality - 0.5)"),
};
static TABLE(success_table, struct success_cfg, success_specs);

static const struct setting_spec carrier_specs[] = {
    STR(struct carrier_cfg, name, REQUIRED, "carrier name"),
    ENUM(struct carrier_cfg, stage, stage_names, REQUIRED, "pipeline stage it serves"),
    ENUM(struct carrier_cfg, location, location_names, LOC_HOME, "where it sits"),
    INT(struct carrier_cfg, capacity, 1, 1e7, REQUIRED, "seats", "projects served at once"),
    INT(struct carrier_cfg, queue_limit, -1, 1e9, -1, "projects", "-1 unbounded, 0 turn away when full"),
    ENUM_AS(struct carrier_cfg, "operator", operator_kind, operator_names, OP_GOVERNMENT, "who runs it"),
    NUM(struct carrier_cfg, cost_per_seat, 0, 1e12, 0, "yuan/seat-year", "public operating cost"),
    NUM(struct carrier_cfg, site_cost, 0, 1e12, 0, "yuan/year", "fixed cost of the site whatever its seats (a network's price per site), public"),
    NUM(struct carrier_cfg, distance, -1, 1, -1, "0..1", "distance from home; -1: by location (overseas 1, core_city 0.4, home 0)"),
    NAMES(struct carrier_cfg, sectors, nsectors, SC_MAX_NAMES, "sectors it specialises in; empty = all"),
    STR(struct carrier_cfg, city, 0, "city whose projects it takes first (unset: serves every city)"),
    DIST(struct carrier_cfg, duration, NULL, "years", "time a project spends in it"),
    GROUP(struct carrier_cfg, success, success_table, "stage success"),
};
static TABLE(carrier_table, struct carrier_cfg, carrier_specs);

static const struct setting_spec landing_specs[] = {
    NUM(struct landing_cfg, base, 0, 1, 0.7, "probability", "P(land at home) when every weight is 0"),
    NUM(struct landing_cfg, hub_share, 0, 1, 0.6, "", "of projects not landing: share staying in the hub"),
    NUM(struct landing_cfg, fit_weight, -100, 100, 0, "log-odds", "per unit of (fit - 0.5)"),
    NUM(struct landing_cfg, award_weight, -100, 100, 0, "log-odds per 1e6 yuan", "landing award"),
    NUM(struct landing_cfg, space_weight, -100, 100, 0, "log-odds per 1e6 yuan", "rent-free space value"),
    NUM(struct landing_cfg, equity_weight, -100, 100, 0, "log-odds", "per 10 percentage points of the firm the guidance fund holds (stake = what it paid / post-money)"),
    NUM(struct landing_cfg, tax_relief_weight, -100, 100, 0, "log-odds per rate-year", "tax relief"),
    NUM(struct landing_cfg, distance_weight, -100, 100, 0, "log-odds per unit", "distance of the last carrier (subtracted)"),
    NUM(struct landing_cfg, handover_loss, 0, 1, 0, "probability per unit", "a project moved nearer home between stages stays behind (in the hub) with this x distance moved"),
};
static TABLE(landing_table, struct landing_cfg, landing_specs);

static const struct setting_spec funding_specs[] = {
    NUM(struct funding_cfg, round_prob, 0, 1, 0, "probability", "P(private round during acceleration) at average quality"),
    NUM(struct funding_cfg, quality_weight, -100, 100, 0, "log-odds", "per unit of (quality - 0.5)"),
    DIST(struct funding_cfg, size, &default_round, "yuan", "size of a round"),
    NUM(struct funding_cfg, success_effect, -10, 10, 0, "log-odds", "on acceleration success when raised"),
};
static TABLE(funding_table, struct funding_cfg, funding_specs);

static const struct setting_spec production_specs[] = {
    DIST(struct production_cfg, jobs, &default_jobs, "persons", "jobs per firm in production"),
    DIST(struct production_cfg, revenue, &default_revenue, "yuan/year", "revenue in the first year"),
    NUM(struct production_cfg, growth, -1, 10, 0.1, "1/year", "revenue growth per year, until the ceiling"),
    NUM(struct production_cfg, revenue_ceiling, 1, 1e6, 3, "x first-year revenue", "revenue stops growing at this multiple (unsourced: 3)"),
    NUM(struct production_cfg, revenue_quality_weight, -10, 10, 0, "log revenue", "per unit of (quality - 0.5): better projects sell more"),
    NUM(struct production_cfg, jobs_quality_weight, -10, 10, 0, "log jobs", "per unit of (quality - 0.5): better projects hire more"),
    NUM(struct production_cfg, tax_rate, 0, 1, 0.06, "", "tax as a share of revenue"),
    NUM(struct production_cfg, host_share, 0, 1, 0, "", "share of the tax kept by the hub by contract"),
    NUM(struct production_cfg, hazard, 0, 100, 0.18, "1/year", "failure hazard of a firm in production, at quality 0.5"),
    NUM(struct production_cfg, hazard_quality_weight, -100, 100, 0, "log hazard ratio", "better projects fail less: hazard x exp(-w (quality - 0.5))"),
};
static TABLE(production_table, struct production_cfg, production_specs);

static const struct setting_spec effects_specs[] = {
    NUM(struct effects_cfg, incubation_hazard_ratio, 0, 100, 1, "", "incubation's effect on firm failure hazard (contested: 1 = none)"),
    NUM(struct effects_cfg, accelerator_selection, -100, 100, 0, "log-odds", "accelerators close weak projects earlier (contested: 0 = none)"),
};
static TABLE(effects_table, struct effects_cfg, effects_specs);

static const struct setting_spec grant_specs[] = {
    ENUM(struct grant_cfg, stage, stage_names, STAGE_ACC, "stage at whose entry it is paid"),
    NUM(struct grant_cfg, amount, 0, 1e12, 0, "yuan", "per project; 0 = off"),
    NUM(struct grant_cfg, min_score, -10, 10, 0, "score", "paid when the score reaches it"),
    NUM(struct grant_cfg, round_effect, -10, 10, 0.35, "log-odds", "on the next private round (between SBIR x2 and Innofund x1)"),
    NUM(struct grant_cfg, success_effect, -10, 10, 0, "log-odds", "on the stage's success"),
};
static TABLE(grant_table, struct grant_cfg, grant_specs);

static const struct setting_spec voucher_specs[] = {
    ENUM(struct voucher_cfg, stage, stage_names, STAGE_PRE, "stage at whose entry it is paid"),
    NUM(struct voucher_cfg, amount, 0, 1e12, 0, "yuan", "innovation voucher per project; 0 = off"),
    NUM(struct voucher_cfg, success_effect, -10, 10, 0, "log-odds", "on the stage's success"),
};
static TABLE(voucher_table, struct voucher_cfg, voucher_specs);

static const struct setting_spec fund_specs[] = {
    ENUM(struct fund_cfg, stage, stage_names, STAGE_ACC, "stage at whose entry it invests"),
    NUM(struct fund_cfg, budget, 0, 1e15, 0, "yuan", "total the fund may invest (its own money, outside the yearly cap); 0 = no fund"),
    NUM(struct fund_cfg, ticket, 0, 1e12, 0, "yuan", "investment per project"),
    NUM(struct fund_cfg, threshold, -10, 10, 0.5, "score", "invests when the score reaches it"),
    DIST(struct fund_cfg, post_money, &default_post_money, "yuan", "the project's post-money valuation at the fund's entry, drawn per project; stake = paid / post_money"),
    NUM(struct fund_cfg, max_stake, 0, 1, 0.3, "", "the most the fund may hold: it pays min(ticket, max_stake x post_money) (argued: guidance funds may not control or lead the firms they back; 30% is a common cap in their rules)"),
    NUM(struct fund_cfg, exit_after, 0, 100, 5, "years", "exit this long after production starts"),
    NUM(struct fund_cfg, exit_prob, 0, 1, 0.3, "probability", "a surviving firm exits (else the stake is held at 0)"),
    NUM(struct fund_cfg, exit_alpha, 1.0001, 100, 1.5, "", "Pareto tail of the exit multiple (VC studies: 1.2-1.8)"),
    NUM(struct fund_cfg, exit_min_multiple, 0, 1e3, 2, "years of revenue", "smallest firm value at exit (Pareto scale); proceeds = stake x value"),
    NUM(struct fund_cfg, recycle, 0, 1, 0, "", "share of exit proceeds returned to the fund's budget at the exit (0: none)"),
};
static TABLE(fund_table, struct fund_cfg, fund_specs);

static const struct setting_spec rent_specs[] = {
    NUM(struct rent_cfg, years, 0, 100, 0, "years", "rent-free period after landing; 0 = off"),
    NUM(struct rent_cfg, value_per_year, 0, 1e12, 0, "yuan/year", "rent forgone, paid by the region"),
    NUM(struct rent_cfg, hazard_ratio, 0, 100, 1, "", "on failure hazard during the period (1 = none)"),
};
static TABLE(rent_table, struct rent_cfg, rent_specs);

static const struct setting_spec tax_relief_specs[] = {
    NUM(struct tax_relief_cfg, rate, 0, 1, 0, "", "share of the home tax forgone"),
    NUM(struct tax_relief_cfg, years, 0, 100, 0, "years", "after production starts"),
};
static TABLE(tax_relief_table, struct tax_relief_cfg, tax_relief_specs);

static const struct setting_spec performance_specs[] = {
    NUM(struct performance_cfg, amount, 0, 1e12, 0, "yuan/year", "post-subsidy per carrier and year (Suzhou: <= 5e5); 0 = off"),
    NUM(struct performance_cfg, target_landings, 0, 1e6, 1, "projects/year", "landings a carrier must reach in the year"),
    NUM(struct performance_cfg, service_gain, -10, 10, 0, "log-odds", "added to the carrier's service per award"),
    NUM(struct performance_cfg, max_gain, 0, 10, 1, "log-odds", "cap on the accumulated gain"),
    NUM(struct performance_cfg, persistence, 0, 1, 0, "", "share of the gain kept a year without a new award (0: lasts while paid)"),
};
static TABLE(performance_table, struct performance_cfg, performance_specs);

#define ENVELOPE(f, what) NUM(struct envelope_cfg, f, -1, 1, -1, "share of budget_per_year", what)
static const struct setting_spec envelope_specs[] = {
    ENVELOPE(events, "events and competitions; -1: no envelope, draws on the shared rest"),
    ENVELOPE(grant, "project grants; -1: shared rest"),
    ENVELOPE(voucher, "innovation vouchers; -1: shared rest"),
    ENVELOPE(award, "landing awards; -1: shared rest"),
    ENVELOPE(rent, "rent-free space, committed in full at landing; -1: shared rest"),
    ENVELOPE(construction, "construction subsidies; -1: shared rest"),
    ENVELOPE(performance, "performance post-subsidies; -1: shared rest"),
};
static TABLE(envelope_table, struct envelope_cfg, envelope_specs);

#define PAYMENTS(f, what) NUM(struct payments_cfg, f, 0, 1e9, 0, "payments/year", what)
static const struct setting_spec payments_specs[] = {
    PAYMENTS(award, "landing awards a year its envelope pays at the current landing_award (0: the share in envelopes)"),
    PAYMENTS(voucher, "vouchers a year at the current vouchers.amount (0: the share)"),
    PAYMENTS(grant, "grants a year at the current grant.amount (0: the share)"),
    PAYMENTS(rent, "rent-free commitments a year at the current rent_free value (0: the share)"),
};
static TABLE(payments_table, struct payments_cfg, payments_specs);

static const struct setting_spec build_specs[] = {
    STR(struct build_cfg, name, REQUIRED, "name of the subsidised construction"),
    STR(struct build_cfg, carrier, REQUIRED, "carrier that gains the seats"),
    NUM(struct build_cfg, at, 0, 1e6, 0, "years", "when it is built and paid"),
    INT(struct build_cfg, seats, 0, 1e6, REQUIRED, "seats", "capacity added"),
    NUM(struct build_cfg, amount, 0, 1e12, REQUIRED, "yuan", "subsidy (Suzhou: 2e5 maker space, 5e5 incubator, cap 1e6)"),
    BOOL(struct build_cfg, public_running_cost, 1, "the public also pays the new seats' cost_per_seat every year (false: a one-off sum at registration, the operator runs the seats, as in Suzhou, seed 003)"),
};
static TABLE(build_table, struct build_cfg, build_specs);

static const struct setting_spec policy_specs[] = {
    NUM(struct policy_cfg, budget_per_year, -1, 1e15, -1, "yuan/year", "cap shared by every instrument; -1 = none"),
    NUM(struct policy_cfg, landing_award, 0, 1e12, 0, "yuan", "paid to each project landing at home"),
    GROUP(struct policy_cfg, grant, grant_table, "project grant at a stage"),
    GROUP(struct policy_cfg, vouchers, voucher_table, "innovation vouchers"),
    GROUP(struct policy_cfg, guidance_fund, fund_table, "home guidance fund equity (capital first)"),
    GROUP(struct policy_cfg, rent_free, rent_table, "rent-free space after landing"),
    GROUP(struct policy_cfg, tax_relief, tax_relief_table, "tax relief for landed firms"),
    GROUP(struct policy_cfg, performance, performance_table, "yearly performance post-subsidy to carriers"),
    LIST(struct policy_cfg, builds, nbuilds, build_table, SC_MAX_BUILDS, "carrier construction subsidies"),
    GROUP(struct policy_cfg, envelopes, envelope_table, "how the yearly cap is split between instruments"),
    GROUP(struct policy_cfg, yearly_payments, payments_table, "envelopes that move with the amount: a number of payments a year (for studies that vary an amount, so the envelope does not ration it)"),
};
static TABLE(policy_table, struct policy_cfg, policy_specs);

static const struct setting_spec accounting_specs[] = {
    NUM(struct accounting_cfg, discount_rate, 0, 1, 0.08, "1/year", "money is valued at the warm-up (NDRC social discount rate: 8%)"),
    BOOL(struct accounting_cfg, horizon_value, 1, "value firms and fund stakes alive at the horizon (expected discounted future)"),
    NUM(struct accounting_cfg, asset_life, 1e-3, 1e3, 20, "years", "a construction subsidy is spread over this life as an equivalent annual cost (20: the shortest depreciation life of buildings, Enterprise Income Tax Law Implementation Regulations art. 60)"),
};
static TABLE(accounting_table, struct accounting_cfg, accounting_specs);

static const struct setting_spec testing_specs[] = {
    INT(struct testing_cfg, fail_replication, -1, 4294967295.0, -1, "",
        "this replication fails on purpose (tests of failure handling); -1 none"),
    NUM(struct testing_cfg, fail_at, -1, 1e6, -1, "years",
        "the failing replication fails at this time, after emitting its rows so far; -1 at its start"),
};
static TABLE(testing_table, struct testing_cfg, testing_specs);

static const struct setting_spec assumption_specs[] = {
    { .name = "setting", .type = SET_STRING, .offset = offsetof(struct assumption_cfg, setting),
      .def = REQUIRED, .unit = "", .doc = "the setting's path, as --set takes it",
      .len = SC_PATH_LEN },
    { .name = "source", .type = SET_STRING, .offset = offsetof(struct assumption_cfg, source),
      .def = REQUIRED, .unit = "",
      .doc = "seed file and figure, a citation, \"argued: ...\" or \"unsourced\"",
      .len = SC_SOURCE_LEN },
    { .name = "dist", .type = SET_DIST_INLINE, .offset = offsetof(struct assumption_cfg, dist),
      .unit = "", .doc = "what the setting might be (its parameters follow)" },
};
static TABLE(assumption_table, struct assumption_cfg, assumption_specs);

static const struct setting_spec scenario_specs[] = {
    STR(struct scenario, name, REQUIRED, "scenario name, unique in a run"),
    NUM(struct scenario, horizon, 1e-9, 1e6, REQUIRED, "years", "simulated time"),
    NUM(struct scenario, warmup, 0, 1e6, 0, "years", "statistics reset at this time"),
    NUM(struct scenario, timeseries_step, 1e-3, 1e6, 1, "years", "sampling interval of /timeseries"),
    LIST(struct scenario, sectors, nsectors, sector_table, SC_MAX_SECTORS, "industry sectors"),
    LIST(struct scenario, sources, nsources, source_table, SC_MAX_SOURCES, "where projects come from"),
    { .name = "operators", .type = SET_GROUP, .offset = offsetof(struct scenario, operators),
      .unit = "", .doc = "operator models", .sub = &operators_table },
    GROUP(struct scenario, screening, screening_table, "admission"),
    LIST(struct scenario, carriers, ncarriers, carrier_table, SC_MAX_CARRIERS, "incubation carriers"),
    GROUP(struct scenario, landing, landing_table, "landing choice (multinomial logit)"),
    GROUP(struct scenario, funding, funding_table, "private rounds in acceleration"),
    GROUP(struct scenario, production, production_table, "firms after industrialisation"),
    GROUP(struct scenario, effects, effects_table, "contested treatment effects"),
    GROUP(struct scenario, policy, policy_table, "policy instruments"),
    GROUP(struct scenario, accounting, accounting_table, "present values"),
    GROUP(struct scenario, testing, testing_table, "test hooks"),
    GROUP(struct scenario, ownership, ownership_table, "landing configurations: whole, split, registered (seed 001)"),
    GROUP(struct scenario, levels, levels_table, "who pays and keeps what: city, province, nation (seed 003)"),
    GROUP(struct scenario, contest, contest_table, "a contest as the screen of one source (seed 003)"),
    LIST(struct scenario, rivals, nrivals, rival_table, SC_MAX_RIVALS, "rival regions sharing the third region's pull (seed 001)"),
    { .name = "assumptions", .type = SET_LIST, .offset = offsetof(struct scenario, assumptions),
      .unit = "", .doc = "settings the scenario is unsure of, with their sources and "
      "distributions (psa, calibrate; DESIGN.md §10)", .sub = &assumption_table,
      .count_offset = offsetof(struct scenario, nassumptions), .max_count = SC_MAX_ASSUMPTIONS,
      .key = "setting" },
    GROUP(struct scenario, certification, certification_table, "carriers certified yearly in tiers (seeds 003, 004)"),
    GROUP(struct scenario, talent, talent_table, "persons as well as projects: received, attached, settled, gathered (seed 003)"),
    GROUP(struct scenario, outbound, outbound_table, "home firms going abroad through the offshore carriers (seed 002)"),
};
TABLE(scenario_table, struct scenario, scenario_specs);

/* A rule across settings broken: "file: what" (no single line to name). */
__attribute__((format(printf, 3, 4)))
static int cross_fail(struct diag *d, const char *file, const char *fmt, ...)
{
    char what[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    text_fmt(d->msg, sizeof d->msg, "%s: %s", file, what);
    return -1;
}

static int sector_index(const struct scenario *sc, const char *name)
{
    for (int i = 0; i < sc->nsectors; i++)
        if (strcmp(sc->sectors[i].name, name) == 0)
            return i;
    return -1;
}

_Static_assert(OUTBOUND_MAX_CAND >= SC_MAX_CARRIERS, "outbound.cand holds every carrier");

/* The seeds' mechanisms: derived fields and their cross-setting rules. */
static int seeds_finish(struct scenario *sc, const char *file, struct diag *d)
{
    char why[300];
    ownership_finish(&sc->ownership);
    if (levels_check(&sc->levels, why, sizeof why) ||
            certification_check(&sc->certification, why, sizeof why))
        return cross_fail(d, file, "%s", why);
    struct contest_cfg *ct = &sc->contest;
    ct->source_index = -1;
    if (ct->source[0]) {
        for (int i = 0; i < sc->nsources; i++)
            if (strcmp(sc->sources[i].name, ct->source) == 0)
                ct->source_index = i;
        if (ct->source_index < 0)
            return cross_fail(d, file, "contest.source: unknown source \"%s\"", ct->source);
        const struct source_cfg *so = &sc->sources[ct->source_index];
        if (!(so->every > 0 && so->batch > 0) || so->rate > 0)
            return cross_fail(d, file, "contest.source \"%s\": a contest is a batch source "
                              "(every > 0, batch > 0, rate = 0)", ct->source);
        if (ct->winners > so->batch)
            return cross_fail(d, file, "contest.winners = %ld: more than the %ld entrants of "
                              "source \"%s\"", ct->winners, so->batch, ct->source);
    }
    struct outbound_cfg *ob = &sc->outbound;
    ob->logit = prob_logit(ob->success);
    ob->ncand = 0;
    for (int i = 0; i < sc->ncarriers; i++) {
        const struct carrier_cfg *c = &sc->carriers[i];
        int use = ob->ncarriers == 0 && c->location == LOC_OVERSEAS && c->stage == STAGE_PRE;
        for (int j = 0; j < ob->ncarriers; j++)
            use |= strcmp(ob->carriers[j], c->name) == 0;
        if (use)
            ob->cand[ob->ncand++] = i;
    }
    for (int j = 0; j < ob->ncarriers; j++) {
        int known = 0;
        for (int i = 0; i < sc->ncarriers; i++)
            known |= strcmp(ob->carriers[j], sc->carriers[i].name) == 0;
        if (!known)
            return cross_fail(d, file, "outbound.carriers: unknown carrier \"%s\"", ob->carriers[j]);
        for (int i = 0; i < sc->ncarriers; i++)
            if (strcmp(ob->carriers[j], sc->carriers[i].name) == 0 &&
                    sc->carriers[i].stage == STAGE_IND)
                return cross_fail(d, file, "outbound.carriers: \"%s\" is an industrialisation "
                                  "carrier (a home pilot, not an offshore seat)", ob->carriers[j]);
    }
    if (ob->rate > 0 && ob->ncand == 0)
        return cross_fail(d, file, "outbound.rate = %.17g: no carrier to use (name outbound.carriers, "
                          "or give an overseas pre-incubation carrier)", ob->rate);
    double w = 0;
    for (int r = 0; r < sc->nrivals; r++)
        w += sc->rivals[r].weight;
    if (sc->nrivals > 0 && !(w > 0))
        return cross_fail(d, file, "rivals: their weights sum to 0");
    return 0;
}

/* Each assumption names a numeric setting of this scenario, and a prior
 * whose support stays inside the setting's bounds (its 1e-9 and 1 - 1e-9
 * quantiles: draws beyond them are rarer than one in 10^9). */
static int assumptions_check(const struct scenario *sc, const char *file, struct diag *d)
{
    for (int i = 0; i < sc->nassumptions; i++) {
        const struct assumption_cfg *a = &sc->assumptions[i];
        struct setting_ref ref;
        struct diag why;
        if (settings_resolve(&scenario_table, sc, a->setting, &ref, &why))
            return cross_fail(d, file, "assumptions.%s: %s", a->setting, why.msg);
        if (a->dist.kind < 0)
            return cross_fail(d, file, "assumptions.%s: needs a dist (one of fixed, exponential, "
                              "lognormal, gamma, weibull, uniform, beta)", a->setting);
        double lo = dist_quantile(&a->dist, 1e-9), hi = dist_quantile(&a->dist, 1 - 1e-9);
        if (!(lo >= ref.min) || !(hi <= ref.max))
            return cross_fail(d, file, "assumptions.%s: its %s distribution reaches [%.6g, %.6g], "
                              "outside the setting's range [%.15g, %.15g]", a->setting,
                              dist_kind_names[a->dist.kind], lo, hi, ref.min, ref.max);
    }
    return 0;
}

int scenario_finish(struct scenario *sc, const char *file, struct diag *d)
{
    if (settings_check_required(&scenario_table, sc, file, d))
        return -1;
    if (!(sc->warmup < sc->horizon))
        return cross_fail(d, file, "warmup must be shorter than horizon");
    if (sc->nsectors == 0) {   /* one sector standing for all */
        sc->nsectors = 1;
        settings_defaults(&sector_table, &sc->sectors[0]);
        strcpy(sc->sectors[0].name, "all");
        sc->sectors[0].share = 1.0;
    }
    double total = 0;
    for (int i = 0; i < sc->nsectors; i++)
        total += sc->sectors[i].share;
    if (fabs(total - 1.0) > 1e-9)
        return cross_fail(d, file, "sectors: shares must sum to 1, got %.17g", total);
    if (sc->nsources == 0)
        return cross_fail(d, file, "sources: at least one source is needed");
    for (int i = 0; i < sc->nsources; i++) {
        struct source_cfg *so = &sc->sources[i];
        if (so->every > 0 && so->every < 1e-6)
            return cross_fail(d, file, "sources \"%s\": every = %.17g years: events closer than "
                              "1e-6 years (30 s) apart would not move the clock", so->name, so->every);
        if (!(so->rate > 0) && !(so->every > 0 && so->batch > 0))
            return cross_fail(d, file, "sources \"%s\": needs rate > 0, or every > 0 with batch > 0",
                              so->name);
        double share[SC_MAX_SECTORS] = { 0 }, sum = 0;
        for (int k = 0; k < sc->nsectors; k++)
            share[k] = so->nmix ? 0.0 : sc->sectors[k].share;
        for (int j = 0; j < so->nmix; j++) {
            int k = sector_index(sc, so->mix[j].name);
            if (k < 0)
                return cross_fail(d, file, "sources \"%s\": mix names an unknown sector \"%s\"",
                                  so->name, so->mix[j].name);
            share[k] = so->mix[j].share;
        }
        for (int k = 0; k < sc->nsectors; k++)
            so->cum_share[k] = sum += share[k];
        if (fabs(sum - 1.0) > 1e-9)
            return cross_fail(d, file, "sources \"%s\": mix shares must sum to 1, got %.17g",
                              so->name, sum);
        so->cum_share[sc->nsectors - 1] = 1.0;   /* no gap from rounding */
    }
    for (int st = 0; st < STAGE_COUNT; st++) {
        int n = 0;
        for (int i = 0; i < sc->ncarriers; i++)
            n += sc->carriers[i].stage == st;
        if (n == 0)
            return cross_fail(d, file, "carriers: no carrier for stage \"%s\"", stage_names[st]);
    }
    /* logits of the base probabilities, once: the model shifts them per project */
    for (int i = 0; i < sc->ncarriers; i++)
        sc->carriers[i].success.logit = prob_logit(sc->carriers[i].success.base);
    sc->landing.logit = prob_logit(sc->landing.base);
    sc->funding.logit = prob_logit(sc->funding.round_prob);
    static const double by_location[LOC_COUNT] = { 1.0, 0.4, 0.0 };
    for (int i = 0; i < sc->ncarriers; i++) {
        struct carrier_cfg *c = &sc->carriers[i];
        if (c->distance < 0)
            c->distance = by_location[c->location];
        for (int k = 0; k < sc->nsectors; k++)
            sc->carrier_sector[i][k] = c->nsectors == 0;
        for (int j = 0; j < c->nsectors; j++) {
            int k = sector_index(sc, c->sectors[j]);
            if (k < 0)
                return cross_fail(d, file, "carriers \"%s\": unknown sector \"%s\"", c->name, c->sectors[j]);
            sc->carrier_sector[i][k] = 1;
        }
    }
    for (int k = 0; k < sc->nsectors; k++)
        sc->focus_sector[k] = sc->screening.nfocus == 0;
    for (int j = 0; j < sc->screening.nfocus; j++) {
        int k = sector_index(sc, sc->screening.focus[j]);
        if (k < 0)
            return cross_fail(d, file, "screening.focus: unknown sector \"%s\"", sc->screening.focus[j]);
        sc->focus_sector[k] = 1;
    }
    /* the yearly cap's envelopes, in yuan, indexed by instrument */
    const struct envelope_cfg *ev = &sc->policy.envelopes;
    const double share[INSTR_COUNT] = {
        [INSTR_EVENTS] = ev->events, [INSTR_GRANT] = ev->grant, [INSTR_VOUCHER] = ev->voucher,
        [INSTR_FUND] = -1, [INSTR_AWARD] = ev->award, [INSTR_RENT] = ev->rent,
        [INSTR_CONSTRUCTION] = ev->construction, [INSTR_PERFORMANCE] = ev->performance };
    double reserved = 0, cap = sc->policy.budget_per_year;
    for (int i = 0; i < INSTR_COUNT; i++) {
        reserved += share[i] >= 0 ? share[i] : 0;
        sc->envelope[i] = share[i] >= 0 && cap >= 0 ? share[i] * cap : -1;
    }
    if (reserved > 1 + 1e-12)
        return cross_fail(d, file, "policy.envelopes: shares sum to %.17g, more than the whole budget",
                          reserved);
    sc->shared_budget = cap >= 0 ? fmax(0.0, 1 - reserved) * cap : -1;
    /* envelopes that move with the amount, on top of the shares */
    const struct payments_cfg *yp = &sc->policy.yearly_payments;
    const struct policy_cfg *po = &sc->policy;
    const struct { int in; double count, amount; const char *name; } per[] = {
        { INSTR_AWARD, yp->award, po->landing_award, "award" },
        { INSTR_VOUCHER, yp->voucher, po->vouchers.amount, "voucher" },
        { INSTR_GRANT, yp->grant, po->grant.amount, "grant" },
        { INSTR_RENT, yp->rent, po->rent_free.years * po->rent_free.value_per_year, "rent" } };
    for (size_t i = 0; i < sizeof per / sizeof per[0]; i++) {
        if (!(per[i].count > 0))
            continue;
        if (cap < 0)
            return cross_fail(d, file, "policy.yearly_payments.%s needs a budget_per_year (there "
                              "is no cap to ration it)", per[i].name);
        if (share[per[i].in] >= 0)
            return cross_fail(d, file, "policy.yearly_payments.%s and policy.envelopes.%s: give "
                              "one envelope, not both", per[i].name, per[i].name);
        sc->envelope[per[i].in] = per[i].count * per[i].amount;
    }
    /* lifetime values (the horizon value, the cohort's returns) must be finite */
    if (sc->accounting.discount_rate == 0 &&
            (sc->production.hazard == 0 || sc->effects.incubation_hazard_ratio == 0))
        return cross_fail(d, file, "accounting.discount_rate = 0 with firms that never fail "
                          "(production.hazard or effects.incubation_hazard_ratio = 0) values a "
                          "firm at infinity: set a discount rate");
    if (seeds_finish(sc, file, d))
        return -1;
    if (assumptions_check(sc, file, d))
        return -1;
    for (int b = 0; b < sc->policy.nbuilds; b++) {
        sc->build_carrier[b] = -1;
        for (int i = 0; i < sc->ncarriers; i++)
            if (strcmp(sc->carriers[i].name, sc->policy.builds[b].carrier) == 0)
                sc->build_carrier[b] = i;
        if (sc->build_carrier[b] < 0)
            return cross_fail(d, file, "policy.builds \"%s\": unknown carrier \"%s\"",
                              sc->policy.builds[b].name, sc->policy.builds[b].carrier);
    }
    return 0;
}

int scenario_load(const char *path, struct scenario *sc, struct diag *d)
{
    return scenario_load_alloc(path, sc, d, NULL);
}

int scenario_load_alloc(const char *path, struct scenario *sc, struct diag *d,
                        const struct alloc *al)
{
    settings_defaults(&scenario_table, sc);
    if (settings_load_alloc(path, &scenario_table, sc, d, al))
        return -1;
    return scenario_finish(sc, path, d);
}

char *scenario_print(const struct scenario *sc)
{
    return settings_print(&scenario_table, sc);
}
