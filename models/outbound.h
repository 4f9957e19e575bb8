/* outbound.h — outbound incubation (seed 002, Shanghai's reply on overseas
 * incubators: "服务孵化企业出海发展 ... 实现'引进来''走出去'服务的同步" — the same
 * overseas incubators that bring projects in serve home firms going out;
 * "科技创新券 ... 为上海科技企业出海减负" — innovation vouchers lighten their
 * going abroad).
 *
 * Home firms set out abroad as a Poisson stream (`rate` a year). Each takes a
 * seat at one of the offshore carriers it may use (`carriers`; none named:
 * every overseas pre-incubation carrier), the least loaded first, in the
 * carrier's one FIFO queue with the inbound projects: the two classes crowd
 * each other (a full queue turns an outbound firm away as it would a
 * project). It stays `duration`, paid `voucher` at its seat if the budget
 * allows (INSTR_VOUCHER, under the cap); then it establishes itself abroad
 * with probability `success` (shifted by `voucher_effect` log-odds when paid)
 * or returns. An established firm exports `revenue` a year (drawn once) for
 * an exponential life (`hazard`), and the home region taxes `tax_rate` of it.
 *
 * Booking: the window's part of each export stream is in export_revenue (of
 * revenue) and export_tax (of tax); the expected discounted future of the
 * exporters alive at the horizon (at the warm-up) joins value_at_horizon
 * (value_at_warmup), as the home firms' does: tax_rate x revenue / (rho +
 * hazard), exact for a constant stream and an exponential life. The window's
 * outbound firms belong to the cohort: their voucher and seat-years are
 * charged to cohort_cost, their whole export tax is in cohort_return. A firm
 * is never a project: it is not sourced, landed, counted in the pipeline, nor
 * a row of /projects. Its draws come from its own streams (keyed by its
 * arrival number), so turning outbound on leaves every project's luck as it
 * was; only the queues move. Off (`rate = 0`), nothing changes.
 */
#ifndef INCUBSIM_OUTBOUND_H
#define INCUBSIM_OUTBOUND_H

#include "dist.h"
#include "settings.h"

#define OUTBOUND_MAX_NAMES 16
#define OUTBOUND_MAX_CAND  64   /* >= SC_MAX_CARRIERS (checked in scenario.c) */

struct outbound_cfg {
    double rate;                  /* firms a year setting out; 0 = off */
    char   carriers[OUTBOUND_MAX_NAMES][SET_NAME_LEN];   /* the carriers they may use */
    int    ncarriers;
    struct dist duration;         /* years at the carrier */
    double success;               /* P(established abroad) */
    double voucher;               /* yuan per firm, at its seat */
    double voucher_effect;        /* log-odds on success when the voucher is paid */
    struct dist revenue;          /* yuan a year of exports, of an established firm */
    double hazard;                /* per year: the export business ends */
    double tax_rate;              /* home tax per yuan of export revenue */
    /* derived by scenario_finish */
    int    cand[OUTBOUND_MAX_CAND];   /* carrier indices, in the scenario's order */
    int    ncand;
    double logit;                 /* of success */
};

extern const struct setting_table outbound_table;

/* The expected present value, at the moment it is alive, of an export stream
 * of `revenue` a year taxed at `tax_rate`, ending at rate `hazard`,
 * discounted at continuous rate `rho`: tax_rate x revenue / (rho + hazard). */
double outbound_future_tax(double tax_rate, double revenue, double rho, double hazard);

#endif
