/* levels.c — who pays, who keeps; see levels.h. */
#include "levels.h"
#include "spec.h"

#include <math.h>
#include <stdio.h>

#define SH(f, doc) NUM(struct level_shares, f, 0, 1, 0, "share", doc)
static const struct setting_spec shares_specs[] = {
    SH(events, "of events and competitions paid"),
    SH(grant, "of project grants paid"),
    SH(voucher, "of innovation vouchers paid"),
    SH(fund, "of the guidance fund's tickets paid (and of its proceeds kept)"),
    SH(award, "of landing awards paid"),
    SH(rent, "of rent-free space paid"),
    SH(construction, "of construction subsidies paid"),
    SH(performance, "of performance post-subsidies paid"),
    SH(carriers, "of carrier seat costs paid"),
    SH(tax, "of the home tax kept (and of tax relief forgone)"),
};
static TABLE(shares_table, struct level_shares, shares_specs);

static const struct setting_spec levels_specs[] = {
    BOOL(struct levels_cfg, enabled, 0, "book each outlay and the tax by government level; off: the city pays and keeps all"),
    GROUP(struct levels_cfg, province, shares_table, "the province's shares (seed 003: Jiangsu)"),
    GROUP(struct levels_cfg, nation, shares_table, "the nation's shares"),
};
TABLE(levels_table, struct levels_cfg, levels_specs);

/* The items in table order, for checks and messages. */
static double item(const struct level_shares *s, size_t i)
{
    return ((const double *)s)[i];
}
_Static_assert(sizeof(struct level_shares) == 10 * sizeof(double), "level_shares is 10 doubles");

int levels_check(const struct levels_cfg *L, char *why, size_t n)
{
    for (size_t i = 0; i < sizeof shares_specs / sizeof shares_specs[0]; i++)
        if (item(&L->province, i) + item(&L->nation, i) > 1 + 1e-12) {
            snprintf(why, n, "levels: province.%s + nation.%s = %.17g, more than the whole",
                     shares_specs[i].name, shares_specs[i].name,
                     item(&L->province, i) + item(&L->nation, i));
            return -1;
        }
    return 0;
}

/* Items after the instruments, in the table's order. */
enum { ITEM_CARRIERS = INSTR_COUNT, ITEM_TAX, ITEM_COUNT };

/* A level's share of item i (an instrument, ITEM_CARRIERS or ITEM_TAX). */
static double share(const struct levels_cfg *L, int level, size_t i)
{
    if (!L->enabled)
        return level == LEVEL_CITY ? 1.0 : 0.0;
    double p = item(&L->province, i), n = item(&L->nation, i);
    return level == LEVEL_PROVINCE ? p : level == LEVEL_NATION ? n : 1.0 - p - n;
}
_Static_assert(INSTR_COUNT == 8, "level_shares lists the instruments in enum order, then carriers, tax");

double levels_pay_share(const struct levels_cfg *L, int level, enum instrument in)
{
    return share(L, level, (size_t)in);
}

void levels_report(const struct levels_cfg *L, struct kpi *k, double vah_fund)
{
    double *net[LEVEL_COUNT] = { &k->net_fiscal_city, &k->net_fiscal_province, &k->net_fiscal_national };
    double *spend[LEVEL_COUNT] = { &k->spend_city, &k->spend_province, &k->spend_nation };
    double tax_net = k->tax - k->tax_relief + (k->value_at_horizon - k->value_at_warmup - vah_fund);
    double fund_in = k->fund_proceeds + vah_fund;
    double upper = 0, matched_city = 0;
    for (int l = 0; l < LEVEL_COUNT; l++) {
        double out = share(L, l, ITEM_CARRIERS) * k->spend_carriers;
        for (int i = 0; i < INSTR_COUNT; i++)
            out += share(L, l, (size_t)i) * *kpi_spend(k, (enum instrument)i);
        *spend[l] = out;
        *net[l] = share(L, l, ITEM_TAX) * tax_net + share(L, l, (size_t)INSTR_FUND) * fund_in - out;
    }
    /* local money drawn: the city's outlays on the instruments the province
     * co-finances, per yuan the province put into them */
    for (int i = 0; i < INSTR_COUNT; i++)
        if (share(L, LEVEL_PROVINCE, (size_t)i) > 0) {
            double s = *kpi_spend(k, (enum instrument)i);
            upper += share(L, LEVEL_PROVINCE, (size_t)i) * s;
            matched_city += share(L, LEVEL_CITY, (size_t)i) * s;
        }
    k->local_per_provincial = upper > 0 ? matched_city / upper : NAN;
}
