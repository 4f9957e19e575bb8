/* certification.c — tiers, entitlements and the yearly evaluation; see
 * certification.h. */
#include "certification.h"
#include "pipeline.h"
#include "spec.h"

#include <math.h>
#include <stdio.h>

static const struct setting_spec certification_specs[] = {
    BOOL(struct certification_cfg, enabled, 0, "carriers certified yearly in tiers (seed 003); off: no tiers"),
    NUM(struct certification_cfg, city_landings, 0, 1e6, 5, "projects/year", "landings a year to be certified at city level, or to stay certified (unsourced)"),
    NUM(struct certification_cfg, province_landings, 0, 1e6, 10, "projects/year", "landings a year for the provincial tier (unsourced)"),
    NUM(struct certification_cfg, national_landings, 0, 1e6, 20, "projects/year", "landings a year for the national tier (unsourced)"),
    NUM(struct certification_cfg, keep_landings, 0, 1e6, 2, "projects/year", "landings a year to pass the yearly evaluation while certified (unsourced)"),
    NUM(struct certification_cfg, valid_years, 1, 100, 3, "years", "a certification lapses unless passed again (seed 003: 3)"),
    NUM(struct certification_cfg, maker_space, 0, 1e12, 2.0e5, "yuan", "one-off sum to a pre-incubation carrier certified (Suzhou: 2e5)"),
    NUM(struct certification_cfg, incubator, 0, 1e12, 5.0e5, "yuan", "one-off sum to an acceleration carrier certified (Suzhou: 5e5)"),
    NUM(struct certification_cfg, province_extra, 0, 1e12, 2.5e5, "yuan", "an incubator's extra on the provincial tier (Suzhou: 2.5e5)"),
    NUM(struct certification_cfg, national_extra, 0, 1e12, 4.5e5, "yuan", "an incubator's extra on the national tier, difference-based (Suzhou: 4.5e5)"),
    NUM(struct certification_cfg, cap, 0, 1e12, 1.0e6, "yuan", "one-off sums in all per carrier (Suzhou: 1e6)"),
    NUM(struct certification_cfg, relief_per_year, 0, 1e12, 4.836e5, "yuan/year", "the carrier's tax forgone while certified (seed 004: 1.3e9 / 2,688 = 4.836e5)"),
};
TABLE(certification_table, struct certification_cfg, certification_specs);

double certification_entitlement(const struct certification_cfg *c, int stage, int tier)
{
    if (tier == TIER_NONE || stage == STAGE_IND)
        return 0.0;
    double e = stage == STAGE_PRE ? c->maker_space : c->incubator;
    if (stage == STAGE_ACC)
        e += tier == TIER_NATIONAL ? c->national_extra : tier == TIER_PROVINCE ? c->province_extra : 0.0;
    return fmin(e, c->cap);
}

int certification_tier_for(const struct certification_cfg *c, double landings)
{
    return landings >= c->national_landings ? TIER_NATIONAL
         : landings >= c->province_landings ? TIER_PROVINCE
         : landings >= c->city_landings ? TIER_CITY : TIER_NONE;
}

int certification_check(const struct certification_cfg *c, char *why, size_t n)
{
    if (!(c->keep_landings <= c->city_landings && c->city_landings <= c->province_landings &&
          c->province_landings <= c->national_landings)) {
        snprintf(why, n, "certification: needs keep_landings <= city_landings <= province_landings "
                 "<= national_landings, got %g, %g, %g, %g", c->keep_landings, c->city_landings,
                 c->province_landings, c->national_landings);
        return -1;
    }
    return 0;
}

/* Pays what the carrier's tier entitles it to beyond what it has had. */
static void pay_difference(struct model *m, int i)
{
    struct carrier_state *cs = &m->carriers[i];
    double owed = certification_entitlement(&m->sc->certification, m->sc->carriers[i].stage, cs->tier)
                - cs->cert_paid;
    /* a grant to the operator, not an asset: the window is charged what it
     * pays (a sum paid before the warm-up is not the window's), and the
     * carrier's users share it as they share its other costs (economy.c) */
    if (owed > 0 && budget_spend(m, INSTR_CONSTRUCTION, owed)) {
        cs->cert_paid += owed;
        m->pool[i] += owed * economy_df(m, m->sim.now);
    }
}

void certification_year(struct model *m)
{
    const struct certification_cfg *c = &m->sc->certification;
    double now = m->sim.now, from = fmax(now - 1.0, m->t_stats);
    double certified = 0;
    for (int i = 0; i < m->sc->ncarriers; i++) {
        if (m->sc->carriers[i].stage == STAGE_IND)
            continue;
        struct carrier_state *cs = &m->carriers[i];
        if (cs->tier > TIER_NONE && now > from && !m->draining) {   /* the year's relief */
            double r = c->relief_per_year * economy_pv_stream(m, from, now - from);
            m->k.tax_relief += r;
            m->k.carrier_relief += r;
            m->k.certified_years += now - from;
        }
        double l = cs->landings_year;
        int earned = certification_tier_for(c, l);
        if (cs->tier > TIER_NONE) {
            int lapsed = now >= cs->cert_until - 1e-9 && earned == TIER_NONE;
            if (l < c->keep_landings || lapsed) {   /* keep the good, drop the bad */
                cs->tier = TIER_NONE;
                m->k.decertifications++;
                continue;
            }
            if (now >= cs->cert_until - 1e-9)       /* passed again: a new period */
                cs->cert_until = now + c->valid_years;
            if (earned > cs->tier) {
                cs->tier = earned;
                m->k.certifications++;
                pay_difference(m, i);
            }
        } else if (earned > TIER_NONE) {
            cs->tier = earned;
            cs->cert_until = now + c->valid_years;
            m->k.certifications++;
            pay_difference(m, i);
        }
        certified += cs->tier > TIER_NONE;
    }
    m->k.certified_carriers = certified;
}
