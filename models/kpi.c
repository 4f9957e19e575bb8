#include "kpi.h"

#include <math.h>
#include <string.h>

const char *const instrument_names[INSTR_COUNT] = {
    "events", "grant", "voucher", "fund", "award", "rent", "construction", "performance"
};

#define K(f, unit, doc) { #f, offsetof(struct kpi, f), unit, doc }
/* binding_<instrument>: the lever's effect is capped by its envelope or budget */
#define KB(i, name) { "binding_" #name, offsetof(struct kpi, binding) + (i) * sizeof(double), "0/1", \
    "1 when the " #name " envelope (the fund: its budget) refused a payment in the window: a lever on it measures rationing there" }
const struct kpi_desc kpi_descs[] = {
    K(sourced, "projects", "projects that arrived"),
    K(admitted, "projects", "passed screening"),
    K(rejected, "projects", "failed screening"),
    K(balked, "projects", "turned away by a full carrier"),
    K(graduated_pre, "projects", "succeeded in pre-incubation"),
    K(failed_pre, "projects", "failed in pre-incubation"),
    K(accelerated, "projects", "succeeded in acceleration (reached the landing choice)"),
    K(failed_acc, "projects", "failed in acceleration"),
    K(landed, "projects", "chose to land at home"),
    K(lost, "projects", "chose the hub or a third region"),
    K(lost_hub, "projects", "stayed in the hub"),
    K(lost_third, "projects", "went to a third region"),
    K(lost_handover, "projects", "of lost_hub: stayed behind when moved nearer home between stages"),
    K(failed_ind, "projects", "failed in the home pilot"),
    K(alive_end, "firms", "firms in production at the horizon"),
    K(in_pipeline_start, "projects", "in the pipeline at the warm-up; sourced + this = every outcome + in_pipeline_end"),
    K(in_pipeline_end, "projects", "still in the pipeline at the horizon"),
    K(landing_rate, "share", "landed / (sourced + in_pipeline_start), in [0, 1]"),
    K(landing_per_admitted, "share", "landed / admitted"),
    K(landing_per_graduated, "share", "landed / (accelerated + lost_handover): of those who reached the landing choice or were lost at the handover before it"),
    K(leakage, "share", "lost / (accelerated + lost_handover); with landing_per_graduated it sums to 1"),
    K(hub_retention, "share", "lost_hub / (accelerated + lost_handover): kept by the host (Start-Up Chile: ~0.33)"),
    K(target_share, "share", "landed in target sectors / landed"),
    K(mean_time_to_landing, "years", "from arrival to landing"),
    K(survival_3y, "share", "firms alive 3 years after production start"),
    K(survival_5y, "share", "firms alive 5 years after production start"),
    K(firms_started, "firms", "entered production"),
    K(survivors_3y, "firms", "of firms_started: alive 3 years after their start (their drawn lives)"),
    K(jobs, "persons", "jobs in firms alive at the horizon (a stock)"),
    K(firm_years, "firm-years", "years home firms were in production in the window"),
    K(job_years, "job-years", "jobs x years in the window"),
    K(revenue_per_firm_year, "yuan/year", "undiscounted revenue / firm_years (seed 004: ~1.6e6)"),
    K(jobs_per_firm, "persons", "jobs / alive_end (seed 004: ~7)"),
    K(tax_share, "share", "tax / revenue: the home tax rate, after host sharing (seed 003, Wuxi HTZ: 20e8 / 400e8 = 5%)"),
    K(revenue, "yuan (PV)", "revenue of home firms in the window"),
    K(tax, "yuan (PV)", "home tax due in the window, after host sharing, before relief"),
    K(private_investment, "yuan", "private rounds raised in acceleration"),
    K(public_spend, "yuan (PV)", "the window's public outlays (a budget's view: paid in [warmup, horizon]; construction as the seats' use in it)"),
    K(spend_events, "yuan (PV)", "events and competitions"),
    K(spend_grant, "yuan (PV)", "project grants"),
    K(spend_voucher, "yuan (PV)", "innovation vouchers"),
    K(spend_fund, "yuan (PV)", "guidance fund investments"),
    K(spend_award, "yuan (PV)", "landing awards"),
    K(spend_rent, "yuan (PV)", "rent-free space, committed in full at landing"),
    K(spend_construction, "yuan (PV)", "carrier construction subsidies: the annuity over accounting.asset_life for the window's years"),
    K(spend_performance, "yuan (PV)", "performance post-subsidies"),
    K(spend_carriers, "yuan (PV)", "carrier seat costs"),
    K(tax_relief, "yuan (PV)", "home tax forgone"),
    K(fund_proceeds, "yuan (PV)", "guidance fund exits in the window"),
    K(fund_stake, "share", "mean equity share the guidance fund bought per funded project in the window (paid / post-money)"),
    K(value_at_horizon, "yuan (PV)", "expected tax (net of relief) and fund exits of firms alive at the horizon (the closing stock)"),
    K(value_at_warmup, "yuan (PV)", "the same for the firms and stakes alive at the warm-up (the opening stock, subtracted)"),
    K(budget_peak_year, "yuan", "largest instrument spend in one calendar year"),
    K(budget_refusals, "payments", "refused because the year's budget was spent"),
    K(budget_binding, "0/1", "1 when any instrument's envelope (or the fund's budget) refused a payment in the window; its mean is the share of runs where a budget bound"),
    KB(INSTR_EVENTS, events), KB(INSTR_GRANT, grant), KB(INSTR_VOUCHER, voucher),
    KB(INSTR_FUND, fund), KB(INSTR_AWARD, award), KB(INSTR_RENT, rent),
    KB(INSTR_CONSTRUCTION, construction), KB(INSTR_PERFORMANCE, performance),
    K(cost_per_landing, "yuan", "public_spend / landings, discounted like money"),
    K(cost_per_survivor, "yuan", "public_spend / survivors_3y, discounted like money"),
    K(cost_per_job, "yuan/job-year", "public_spend / job_years, discounted like money"),
    K(fiscal_return, "ratio", "the window's (budget's) return: (tax + fund_proceeds + value_at_horizon - value_at_warmup) / (public_spend + tax_relief)"),
    K(net_fiscal, "yuan (PV)", "the window's (budget's) balance: tax + fund_proceeds + value_at_horizon - value_at_warmup - public_spend - tax_relief"),
    K(cohort_sourced, "projects", "the cohort: projects sourced in the window, followed to their end"),
    K(cohort_landed, "projects", "of the cohort: landed at home"),
    K(cohort_landings_pv, "landings (PV)", "the cohort's landings discounted like money (a landing at t weighs e^(-rho (t - warmup))): the default effect for decisions"),
    K(cohort_cost, "yuan (PV)", "the complete cohort cost, the default cost for decisions: instruments paid to its projects, tax relief over its firms' lives, and its share of each carrier's window cost (every seat-year, idle ones too; construction as an annuity over accounting.asset_life; performance awards) by the seat-years it used, at the window's cost per used seat-year"),
    K(cohort_return, "yuan (PV)", "the cohort's home tax and fund exits over its firms' lives"),
    K(cohort_net, "yuan (PV)", "cohort_return - cohort_cost"),
    K(cohort_cost_per_landing, "yuan", "cohort_cost / cohort_landings_pv: yuan per landing, both discounted"),
    K(cohort_fiscal_return, "ratio", "cohort_return / cohort_cost"),
    K(landed_whole, "projects", "of landed: R&D, registration and production at home (every landing unless ownership is enabled)"),
    K(landed_split, "projects", "of landed: R&D in the hub, production and sales HQ at home (seed 001, Lishui)"),
    K(landed_registered, "projects", "of landed: registered at home, operating away; skipped the home pilot"),
    K(spend_city, "yuan (PV)", "of public_spend: paid by the city (all of it unless levels are enabled)"),
    K(spend_province, "yuan (PV)", "of public_spend: paid by the province"),
    K(spend_nation, "yuan (PV)", "of public_spend: paid by the nation"),
    K(net_fiscal_city, "yuan (PV)", "the city's part of net_fiscal: its tax share and fund proceeds less its outlays"),
    K(net_fiscal_province, "yuan (PV)", "the province's part of net_fiscal"),
    K(net_fiscal_national, "yuan (PV)", "the nation's part of net_fiscal"),
    K(local_per_provincial, "ratio", "city outlays on instruments the province co-finances / the province's (seed 003, Jiangsu: 360M / 176.1M = 2.04)"),
    K(contest_entrants, "projects", "entered the contest (of sourced)"),
    K(contest_winners, "projects", "won the contest and were admitted (of admitted)"),
    K(certifications, "carriers", "carriers certified, or raised a tier, at a year end"),
    K(decertifications, "carriers", "carriers dropped by the yearly evaluation or lapsed"),
    K(certified_carriers, "carriers", "certified at the last year end"),
    K(certified_years, "carrier-years", "years carriers were certified in the window"),
    K(carrier_relief, "yuan (PV)", "of tax_relief: certified carriers' own tax forgone (seed 004: 1.3e9 over 2,688 in 2023)"),
    K(talent_received, "persons", "talents received: negotiated projects' teams and leads without a project (seed 003: 560+ a year); 0 unless talent is enabled"),
    K(talent_leads, "persons", "of talent_received: leads without a project (work stations, events)"),
    K(talent_attached, "persons", "leads who joined a project at talent.attach_stage"),
    K(talent_settled, "persons", "leads who settled at home, unattached, when their wait ended"),
    K(talent_left, "persons", "leads who left, unattached, when their wait ended"),
    K(talent_pool_start, "persons", "leads waiting at the warm-up; talent_leads + this = attached + settled + left + talent_pool_end"),
    K(talent_pool_end, "persons", "leads waiting at the horizon"),
    K(talent_gathered, "persons", "gathered at home by the window's landings: teams, attached leads, hires (seed 003: 1,954 for 41 landings)"),
    K(talent_per_landing, "persons/landing", "talent_gathered / landed (seed 003: 1,954 / 41 = 47.7)"),
    K(outbound_arrived, "firms", "home firms that set out abroad through the offshore carriers (seed 002; not projects: never sourced nor landed)"),
    K(outbound_balked, "firms", "of outbound_arrived: turned away by a full carrier queue"),
    K(outbound_served, "firms", "outbound firms that finished their stay at an offshore carrier (its served counts them with the projects)"),
    K(outbound_succeeded, "firms", "of outbound_served: established abroad, exporting"),
    K(outbound_returned, "firms", "of outbound_served: came back without a foothold; succeeded + returned = served"),
    K(outbound_wait, "years", "mean wait for a seat of the outbound firms seated in the window (the inbound projects' queue: one FIFO); NaN when none was seated"),
    K(outbound_seat_years, "seat-years", "seat-time outbound firms held at the offshore carriers in the window (of their busy seat-time)"),
    K(exporters_end, "firms", "established abroad and still exporting at the horizon"),
    K(export_revenue, "yuan (PV)", "of revenue: the established outbound firms' export revenue in the window"),
    K(export_tax, "yuan (PV)", "of tax: home tax on that export revenue (outbound.tax_rate)"),
};
const size_t kpi_count = sizeof kpi_descs / sizeof kpi_descs[0];

double *kpi_spend(struct kpi *k, enum instrument in)
{
    static const size_t at[INSTR_COUNT] = {
        offsetof(struct kpi, spend_events), offsetof(struct kpi, spend_grant),
        offsetof(struct kpi, spend_voucher), offsetof(struct kpi, spend_fund),
        offsetof(struct kpi, spend_award), offsetof(struct kpi, spend_rent),
        offsetof(struct kpi, spend_construction), offsetof(struct kpi, spend_performance),
    };
    return (double *)((char *)k + at[in]);
}

int kpi_index(const char *name)
{
    for (size_t i = 0; i < kpi_count; i++)
        if (strcmp(kpi_descs[i].name, name) == 0)
            return (int)i;
    return -1;
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

void kpi_finish(struct kpi *k, const struct kpi_discounted *dc)
{
    k->budget_binding = 0;
    for (int i = 0; i < INSTR_COUNT; i++)
        k->budget_binding = fmax(k->budget_binding, k->binding[i]);
    /* every landing in the window is of a project sourced in it or in the pipeline at its
     * start: this denominator keeps the share in [0, 1] in a window shorter than the
     * pipeline (landed / sourced passed 1 there: the landings of projects from before) */
    k->landing_rate = ratio(k->landed, k->sourced + k->in_pipeline_start);
    k->landing_per_admitted = ratio(k->landed, k->admitted);
    /* handover losses (of lost_hub) never reached the landing choice: they go
     * in the denominator as in the numerator, so landing_per_graduated +
     * leakage = 1 (landed + lost = accelerated + lost_handover, event by event) */
    double reached = k->accelerated + k->lost_handover;
    k->landing_per_graduated = ratio(k->landed, reached);
    k->lost = k->lost_hub + k->lost_third;
    k->leakage = ratio(k->lost, reached);
    k->hub_retention = ratio(k->lost_hub, reached);
    k->jobs_per_firm = ratio(k->jobs, k->alive_end);
    k->tax_share = ratio(k->tax, k->revenue);
    k->cost_per_landing = ratio(k->public_spend, dc->landed);
    k->cost_per_survivor = ratio(k->public_spend, dc->survivors_3y);
    k->cost_per_job = ratio(k->public_spend, dc->job_years);
    double gain = k->tax + k->fund_proceeds + k->value_at_horizon - k->value_at_warmup;
    k->fiscal_return = ratio(gain, k->public_spend + k->tax_relief);
    k->net_fiscal = gain - k->public_spend - k->tax_relief;
    k->cohort_net = k->cohort_return - k->cohort_cost;
    k->cohort_cost_per_landing = ratio(k->cohort_cost, k->cohort_landings_pv);
    k->cohort_fiscal_return = ratio(k->cohort_return, k->cohort_cost);
    k->talent_per_landing = ratio(k->talent_gathered, k->landed);
}
