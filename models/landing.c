/* landing.c — where an accelerated project goes: home, the hub, or a third
 * region (multinomial logit).
 *
 * Utilities: home = logit(base) + fit, award, space, equity, tax relief and
 * distance terms; hub = log(hub_share); third = log(1 - hub_share). So
 * P(home) = logistic(logit(base) + terms) exactly, `base` when every weight
 * is 0, and those who do not land split hub:third as hub_share:1-hub_share.
 * An instrument pulls only if its envelope can still pay it: the award, and
 * the rent-free space, which is committed in full when granted.
 *
 * The seeds' mechanisms, each off by default: a contest winner's pull
 * (contest.h); split and registered landings widening home's nest, the
 * configuration drawn from the same uniform (ownership.h); rival regions
 * replacing the third region (rivals.h), again from the same uniform; a
 * talent's pull (talent.h).
 */
#include "pipeline.h"

#include <math.h>
#include <gsl/gsl_rng.h>

static double rivals_weight(const struct model *m, double home_award);

void landing_choose(struct model *m, struct project *p)
{
    const struct scenario *sc = m->sc;
    const struct landing_cfg *L = &sc->landing;
    const struct policy_cfg *po = &sc->policy;
    int ci = p->carrier[STAGE_ACC];

    double award = po->landing_award, space = po->rent_free.years * po->rent_free.value_per_year;
    if (award > 0 && !budget_can(m, INSTR_AWARD, award)) {
        economy_refused(m, INSTR_AWARD);   /* an award that could not be offered */
        award = 0;
    }
    /* when both draw on the shared rest, the rent must fit beside the award */
    int one_pool = sc->envelope[INSTR_AWARD] < 0 && sc->envelope[INSTR_RENT] < 0;
    if (space > 0 && !budget_can(m, INSTR_RENT, space + (one_pool ? award : 0))) {
        economy_refused(m, INSTR_RENT);
        space = 0;
    }
    double shift = L->fit_weight * (sc->sectors[p->sector].home_fit - 0.5)
                 + L->award_weight * award / 1e6
                 + L->space_weight * space / 1e6
                 + L->equity_weight * p->stake / 0.1   /* per 10 points held */
                 + L->tax_relief_weight * po->tax_relief.rate * po->tax_relief.years
                 - L->distance_weight * sc->carriers[ci].distance;
    if (p->winner)
        shift += sc->contest.pull;
    if (p->talent)
        shift += sc->talent.landing_pull;
    if (sc->ownership.enabled)   /* split and registered landings widen home's nest */
        shift += sc->ownership.widen;
    double others = 1.0;   /* the weight of hub + third region, or of hub + rivals */
    if (sc->nrivals > 0) {
        others = rivals_weight(m, award);
        shift -= log(others);
    }
    double p_home = prob_shift(L->base, L->logit, shift);

    gsl_rng *r = rng_key(&m->sim.rng, p->key, PUR_LANDING);
    double u = rng_uniform(r);
    if (u < p_home) {
        if (sc->ownership.enabled)
            p->config = ownership_pick(&sc->ownership, u / p_home);
        p->t_land = m->sim.now;
        if (award > 0)
            economy_pay(m, p, INSTR_AWARD, award);
        if (space > 0)
            p->rent = economy_pay(m, p, INSTR_RENT, space);
        m->k.landed++;
        if (sc->talent.enabled)
            talent_landed(m, p);
        *(p->config == OWN_SPLIT ? &m->k.landed_split
          : p->config == OWN_REGISTERED ? &m->k.landed_registered : &m->k.landed_whole) += 1;
        m->landed_pv += economy_df(m, m->sim.now);
        m->k.cohort_landed += p->cohort;
        if (p->cohort)
            m->cohort_landed_pv += economy_df(m, m->sim.now);
        mean_add(&m->time_to_landing, p->t_land - p->t_arrive);
        m->landed_target += sc->sectors[p->sector].target;
        for (int st = STAGE_PRE; st <= STAGE_ACC; st++)
            if (p->carrier[st] >= 0)
                m->carriers[p->carrier[st]].landings_year++;
        if (p->config == OWN_REGISTERED) {   /* operates away: no home pilot */
            economy_new_firm(m, p, 1);
            project_release(m, p, OUT_PRODUCTION);
        } else {
            pipeline_enter_industrialisation(m, p);
        }
        return;
    }
    /* the rest of u, rescaled, splits the leavers */
    double v = (u - p_home) / (1.0 - p_home);
    if (sc->nrivals == 0) {
        landing_leave(m, p, v < L->hub_share ? OUT_STAYED_HUB : OUT_THIRD_REGION);
        return;
    }
    double x = v * others;   /* hub first, then the rivals in order */
    landing_leave(m, p, x < L->hub_share ? OUT_STAYED_HUB : OUT_THIRD_REGION);
}

/* hub_share + the rivals' weights exp(U_r) (rivals.h): the pull of not landing. */
static double rivals_weight(const struct model *m, double home_award)
{
    const struct scenario *sc = m->sc;
    const struct landing_cfg *L = &sc->landing;
    double total_w = 0, sum = L->hub_share;
    for (int i = 0; i < sc->nrivals; i++)
        total_w += sc->rivals[i].weight;
    for (int i = 0; i < sc->nrivals; i++) {
        const struct rival_cfg *rv = &sc->rivals[i];
        double award = rv->award + rv->answer * fmax(0.0, home_award - rv->award);
        double u = L->award_weight * award / 1e6 + L->space_weight * rv->space / 1e6
                 + L->fit_weight * (rv->fit - 0.5) - L->distance_weight * rv->distance;
        sum += (1.0 - L->hub_share) * rv->weight / total_w * exp(u);
    }
    return sum;
}

void landing_leave(struct model *m, struct project *p, int outcome)
{
    if (outcome == OUT_STAYED_HUB)
        m->k.lost_hub++;
    else
        m->k.lost_third++;
    if (p->funded)   /* the fund keeps its stake in a firm that goes elsewhere */
        economy_new_firm(m, p, 0);
    project_release(m, p, outcome);
}
