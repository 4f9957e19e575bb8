/* certification.h — certification tiers of carriers (seed 003: Beijing's
 * rule "认定每年组织一次，有效期三年 ... 建立年度报告和评估制度 ... 存优汰劣" —
 * certified once a year, valid three years, a yearly report and evaluation,
 * keep the good and drop the bad; Suzhou's one-off sums by tier; seed 004:
 * carrier tax relief, 2,688 institutions and 1.3 bn yuan in 2023).
 *
 * At each year end a pre-incubation carrier (a maker space, 众创空间) or an
 * acceleration carrier (an incubator, 孵化器) is judged on its landings of the
 * year. Certified: below `keep_landings` the yearly evaluation drops it; at
 * the end of `valid_years` it must pass `city_landings` again or lapse.
 * Uncertified (not dropped this year): reaching `city_landings` certifies it
 * for `valid_years`. Reaching `province_landings` or `national_landings`
 * raises its tier (tiers never fall while it stays certified). On
 * certification or a
 * new tier it receives the difference between its tier's one-off sum and
 * what it has had (Suzhou: 2e5 a maker space; 5e5 an incubator, 7.5e5 at
 * provincial, 9.5e5 at national level; at most `cap` in all), booked as a
 * construction subsidy under the cap. While certified, the performance
 * post-subsidy (policy.performance, <= 5e5 a year after evaluation) is open
 * to it, and it forgoes `relief_per_year` of its own tax (booked in
 * tax_relief, in each level's share). Off (`enabled = false`), nothing
 * changes: the post-subsidy is open to every carrier, as before.
 */
#ifndef INCUBSIM_CERTIFICATION_H
#define INCUBSIM_CERTIFICATION_H

#include "settings.h"

enum tier { TIER_NONE, TIER_CITY, TIER_PROVINCE, TIER_NATIONAL, TIER_COUNT };

struct certification_cfg {
    int    enabled;
    double city_landings, province_landings, national_landings;   /* a year, to pass */
    double keep_landings;        /* a year, to pass the yearly evaluation while certified */
    double valid_years;          /* a certification lapses unless passed again */
    double maker_space;          /* one-off sum, city tier, pre-incubation carrier */
    double incubator;            /* one-off sum, city tier, acceleration carrier */
    double province_extra, national_extra;   /* incubators: on the provincial / national tier */
    double cap;                  /* one-off sums in all, per carrier */
    double relief_per_year;      /* the carrier's own tax forgone while certified */
};

extern const struct setting_table certification_table;

/* The one-off entitlement of a carrier of `stage` (enum stage) at `tier`,
 * capped: what it should have had in all. */
double certification_entitlement(const struct certification_cfg *c, int stage, int tier);
/* The tier a year's landings earn (TIER_NONE: short of city_landings). */
int certification_tier_for(const struct certification_cfg *c, double landings);
/* Checks city <= province <= national and keep <= city. Returns 0, or -1
 * with the reason in why[n]. */
int certification_check(const struct certification_cfg *c, char *why, size_t n);

#endif
