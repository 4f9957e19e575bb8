#include "kpi.h"

#include <math.h>
#include <string.h>

const char *const instrument_names[INSTR_COUNT] = {
    "events", "grant", "voucher", "fund", "award", "rent", "construction", "performance"
};

#define K(f, unit, doc) { #f, offsetof(struct kpi, f), unit, doc }
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
    K(failed_ind, "projects", "failed in the home pilot"),
    K(alive_end, "firms", "firms in production at the horizon"),
    K(in_pipeline_end, "projects", "still in the pipeline at the horizon"),
    K(landing_rate, "", "landed / sourced"),
    K(landing_per_admitted, "", "landed / admitted"),
    K(landing_per_graduated, "", "landed / accelerated"),
    K(leakage, "", "lost / accelerated"),
    K(target_share, "", "landed in target sectors / landed"),
    K(mean_time_to_landing, "years", "from arrival to landing"),
    K(survival_3y, "", "firms alive 3 years after production start"),
    K(survival_5y, "", "firms alive 5 years after production start"),
    K(firms_started, "firms", "entered production"),
    K(jobs, "persons", "jobs in firms alive at the horizon"),
    K(revenue, "yuan", "revenue of home firms"),
    K(tax, "yuan", "home tax after host sharing and relief"),
    K(private_investment, "yuan", "private rounds raised in acceleration"),
    K(public_spend, "yuan", "every public outlay"),
    K(spend_events, "yuan", "events and competitions"),
    K(spend_grant, "yuan", "project grants"),
    K(spend_voucher, "yuan", "innovation vouchers"),
    K(spend_fund, "yuan", "guidance fund investments"),
    K(spend_award, "yuan", "landing awards"),
    K(spend_rent, "yuan", "rent-free space"),
    K(spend_construction, "yuan", "carrier construction subsidies"),
    K(spend_performance, "yuan", "performance post-subsidies"),
    K(spend_carriers, "yuan", "carrier seat costs"),
    K(tax_relief, "yuan", "home tax forgone"),
    K(fund_proceeds, "yuan", "guidance fund exits"),
    K(budget_peak_year, "yuan", "largest instrument spend in one calendar year"),
    K(budget_refusals, "payments", "refused because the year's budget was spent"),
    K(cost_per_landing, "yuan", "public_spend / landed"),
    K(cost_per_survivor, "yuan", "public_spend / alive_end"),
    K(cost_per_job, "yuan", "public_spend / jobs"),
    K(fiscal_return, "", "(tax + fund_proceeds) / (public_spend + tax_relief)"),
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

void kpi_finish(struct kpi *k)
{
    k->landing_rate = ratio(k->landed, k->sourced);
    k->landing_per_admitted = ratio(k->landed, k->admitted);
    k->landing_per_graduated = ratio(k->landed, k->accelerated);
    k->lost = k->lost_hub + k->lost_third;
    k->leakage = ratio(k->lost, k->accelerated);
    k->cost_per_landing = ratio(k->public_spend, k->landed);
    k->cost_per_survivor = ratio(k->public_spend, k->alive_end);
    k->cost_per_job = ratio(k->public_spend, k->jobs);
    k->fiscal_return = ratio(k->tax + k->fund_proceeds, k->public_spend + k->tax_relief);
}
