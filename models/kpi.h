/* kpi.h — what one replication reports. Every field is a double so that one
 * descriptor table drives the HDF5 columns, the summary and `compare`;
 * counts are whole numbers, rates are NaN when their denominator is 0.
 * Counts and money cover the window [warmup, horizon], money in present
 * value at the warm-up (economy.c): the window view is a budget's — what the
 * region pays and receives in those years, with the firm stock valued at both
 * ends (value_at_warmup subtracted, value_at_horizon added) so it does not
 * depend on how long the run warmed up. The cohort_* fields follow the
 * window's projects past the horizon to the end of their lives, carrying
 * every yuan (common costs by a stated rule): the view for decisions. */
#ifndef INCUBSIM_KPI_H
#define INCUBSIM_KPI_H

#include <stddef.h>

enum instrument {
    INSTR_EVENTS, INSTR_GRANT, INSTR_VOUCHER, INSTR_FUND, INSTR_AWARD,
    INSTR_RENT, INSTR_CONSTRUCTION, INSTR_PERFORMANCE, INSTR_COUNT
};
extern const char *const instrument_names[INSTR_COUNT];

struct kpi {
    /* the funnel */
    double sourced, admitted, rejected, balked;
    double graduated_pre, failed_pre, accelerated, failed_acc;
    double landed, lost, lost_hub, lost_third, lost_handover, failed_ind, alive_end;
    double in_pipeline_start, in_pipeline_end;
    /* rates and times */
    double landing_rate;            /* landed / sourced */
    double landing_per_admitted, landing_per_graduated;   /* per admitted; per accelerated */
    double leakage;                 /* lost / accelerated */
    double hub_retention;           /* lost_hub / accelerated */
    double target_share;            /* landed in target sectors / landed */
    double mean_time_to_landing;    /* years from arrival */
    double survival_3y, survival_5y;
    /* the home economy */
    double firms_started, survivors_3y, jobs, firm_years, job_years;
    double revenue_per_firm_year, jobs_per_firm;
    double tax_share;               /* tax / revenue */
    double revenue, tax, private_investment;
    /* public money */
    double public_spend;            /* every outlay, = instruments + carriers */
    double spend_events, spend_grant, spend_voucher, spend_fund, spend_award,
           spend_rent, spend_construction, spend_performance;   /* kpi_spend() */
    double spend_carriers;          /* seat costs, outside the budget cap */
    double tax_relief;              /* home tax forgone */
    double fund_proceeds;
    double fund_stake;              /* mean share bought per funded project */
    double value_at_horizon;        /* expected discounted future of firms and stakes alive */
    double value_at_warmup;         /* the same for the stock alive at the warm-up (subtracted) */
    double budget_peak_year;        /* largest instrument spend in a calendar year */
    double budget_refusals;         /* payments refused by the cap */
    double budget_binding;          /* 1: some envelope or the fund's budget refused */
    double binding[INSTR_COUNT];    /* 1: this instrument's envelope refused (binding_*) */
    double cost_per_landing, cost_per_survivor, cost_per_job;
    double fiscal_return;           /* (tax + proceeds + value_h - value_w) / (outlays + relief) */
    double net_fiscal;              /* tax + proceeds + value_h - value_w - outlays - relief */
    /* the cohort sourced in the window, followed to the end of its life */
    double cohort_sourced, cohort_landed, cohort_landings_pv, cohort_cost, cohort_return,
           cohort_net;
    double cohort_cost_per_landing, cohort_fiscal_return;
    /* the seeds' mechanisms (ownership.h, levels.h, contest.h) */
    double landed_whole, landed_split, landed_registered;   /* sum: landed */
    double spend_city, spend_province, spend_nation;        /* sum: public_spend */
    double net_fiscal_city, net_fiscal_province, net_fiscal_national;   /* sum: net_fiscal */
    double local_per_provincial;
    double contest_entrants, contest_winners;
    double certifications, decertifications, certified_carriers, certified_years, carrier_relief;
    /* talent.h: persons; talent_leads + talent_pool_start = talent_attached + talent_settled
     * + talent_left + talent_pool_end */
    double talent_received, talent_leads, talent_attached, talent_settled, talent_left,
           talent_pool_start, talent_pool_end, talent_gathered, talent_per_landing;
    /* outbound incubation (outbound.h): home firms going abroad */
    double outbound_arrived, outbound_balked, outbound_served, outbound_succeeded,
           outbound_returned;                               /* succeeded + returned = served */
    double outbound_wait, outbound_seat_years, exporters_end;
    double export_revenue, export_tax;                      /* of revenue, of tax */
};

struct kpi_desc {
    const char *name;
    size_t      offset;
    const char *unit;
    const char *doc;
};

extern const struct kpi_desc kpi_descs[];
extern const size_t kpi_count;

static inline double kpi_get(const struct kpi *k, size_t i)
{
    return *(const double *)((const char *)k + kpi_descs[i].offset);
}
/* The spend_* field of an instrument. */
double *kpi_spend(struct kpi *k, enum instrument in);
/* Index of a KPI by name, or -1. */
int kpi_index(const char *name);
/* The denominators of the cost-effectiveness ratios, discounted like money
 * (a landing later in the window weighs less, as its yuan do), so the ratios
 * do not drift with the horizon. */
struct kpi_discounted { double landed, survivors_3y, job_years; };

/* Fills the ratios from the counts and sums. */
void kpi_finish(struct kpi *k, const struct kpi_discounted *dc);

#endif
