/* levels.h — government levels (seed 003: Jiangsu's 176.1M yuan of provincial
 * awards "drew" 360M of local money; city, provincial and national tiers):
 * who pays each instrument and which share of the home tax each level keeps.
 *
 * A level's share of an item is a setting for the province and the nation;
 * the city (the home region) pays or keeps the rest. The fund's proceeds go
 * to whoever paid its tickets; tax relief is forgone by each level in its
 * share of the tax. So net_fiscal_city + net_fiscal_province +
 * net_fiscal_national = net_fiscal and spend_city + spend_province +
 * spend_nation = public_spend, in every run (up to rounding). Off
 * (`enabled = false`) the city pays and keeps everything: one purse, as
 * before, and no other number of a run changes.
 */
#ifndef INCUBSIM_LEVELS_H
#define INCUBSIM_LEVELS_H

#include "kpi.h"
#include "settings.h"

enum level { LEVEL_CITY, LEVEL_PROVINCE, LEVEL_NATION, LEVEL_COUNT };

/* One upper level's shares, 0..1, of each outlay (by instrument, then seat
 * costs) and of the home tax. */
struct level_shares {
    double events, grant, voucher, fund, award, rent, construction, performance;
    double carriers, tax;
};

struct levels_cfg {
    int enabled;
    struct level_shares province, nation;
};

extern const struct setting_table levels_table;

/* Checks that province + nation <= 1 for every item. Returns 0, or -1 with
 * the offending item's name in why[n]. */
int levels_check(const struct levels_cfg *L, char *why, size_t n);
/* A level's share of an instrument's outlay. */
double levels_pay_share(const struct levels_cfg *L, int level, enum instrument in);
/* Fills the per-level KPIs from the window's totals; vah_fund is the fund's
 * part of value_at_horizon - value_at_warmup (the rest is tax). */
void levels_report(const struct levels_cfg *L, struct kpi *k, double vah_fund);

#endif
