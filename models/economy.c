/* economy.c — public money and the firms that land.
 *
 * Budget: every instrument pays through budget_spend(), which refuses a
 * payment that would take the calendar year's instrument spend over
 * policy.budget_per_year; the instrument then does not act (no award, no
 * grant, no event) until the next year. Carrier seat costs are running costs
 * of the carriers, booked as spend_carriers outside the cap.
 *
 * Firms: a landed project that passes its home pilot becomes a firm with
 * jobs, revenue growing each year, and a failure time drawn once from its
 * own stream (piecewise-constant hazard: lower while rent-free if so set).
 * Accounting books revenue, tax, relief and rent pro rata at each year end
 * and at the horizon; only the part after the warm-up counts.
 */
#include "pipeline.h"

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>

static void roll_year(struct model *m)
{
    long y = m->charge_year >= 0 ? m->charge_year : (long)floor(m->sim.now);
    if (y != m->budget_year) {
        m->budget_year = y;
        m->year_spent = 0;
    }
}

int budget_can(struct model *m, double amount)
{
    roll_year(m);
    double cap = m->sc->policy.budget_per_year;
    return cap < 0 || m->year_spent + amount <= cap;
}

int budget_spend(struct model *m, enum instrument in, double amount)
{
    if (!budget_can(m, amount)) {
        m->k.budget_refusals++;
        return 0;
    }
    m->year_spent += amount;
    *kpi_spend(&m->k, in) += amount;
    m->k.public_spend += amount;
    if (m->year_spent > m->k.budget_peak_year)
        m->k.budget_peak_year = m->year_spent;
    return 1;
}

static int firm_push(struct model *m, const struct firm *f)
{
    if (m->nfirms == m->firmcap) {
        size_t ncap = m->firmcap ? m->firmcap * 2 : 256;
        struct firm *nf = realloc(m->firms, ncap * sizeof *nf);
        if (!nf)
            return -1;
        m->firms = nf;
        m->firmcap = ncap;
    }
    m->firms[m->nfirms++] = *f;
    return 0;
}

void economy_new_firm(struct model *m, const struct project *p)
{
    const struct scenario *sc = m->sc;
    const struct production_cfg *pr = &sc->production;
    const struct policy_cfg *po = &sc->policy;
    double now = m->sim.now;
    gsl_rng *r = rng_key(&m->sim.rng, p->key, PUR_FIRM);

    struct firm f = { .t_start = now, .t_exit = INFINITY };
    f.jobs = fmax(0.0, dist_draw(&pr->jobs, r));
    f.revenue = fmax(0.0, dist_draw(&pr->revenue, r));
    /* failure time: unit exponential through the cumulative hazard */
    double e = rng_exponential(r, 1.0);
    double h = pr->hazard * sc->effects.incubation_hazard_ratio *
               exp(-pr->hazard_quality_weight * (p->quality - 0.5));
    double h1 = h * po->rent_free.hazard_ratio, span = po->rent_free.years;
    if (h <= 0)
        f.t_death = INFINITY;
    else if (e < h1 * span)
        f.t_death = now + e / h1;
    else
        f.t_death = now + span + (e - h1 * span) / h;
    /* the fund's exit: drawn always, so the draws do not depend on the fund */
    double u = rng_uniform(r);
    double multiple = gsl_ran_pareto(r, po->guidance_fund.exit_alpha,
                                     fmax(po->guidance_fund.exit_min_multiple, 1e-12));
    if (p->funded && u < po->guidance_fund.exit_prob) {
        f.stake = po->guidance_fund.stake;
        f.t_exit = now + po->guidance_fund.exit_after;
        f.exit_multiple = multiple;
    }
    m->k.firms_started++;
    double horizon = sc->horizon;
    if (now + 3 <= horizon) { m->surv3_n++; m->surv3_ok += f.t_death > now + 3; }
    if (now + 5 <= horizon) { m->surv5_n++; m->surv5_ok += f.t_death > now + 5; }
    SIM_ASSERT(&m->sim, firm_push(m, &f) == 0);   /* out of memory */
}

static double overlap(double a, double b, double c, double d)
{
    double lo = a > c ? a : c, hi = b < d ? b : d;
    return hi > lo ? hi - lo : 0.0;
}

/* Books everything that accrued in (t_accounted, t]; drops dead firms. */
void economy_account(struct model *m, double t)
{
    const struct scenario *sc = m->sc;
    const struct production_cfg *pr = &sc->production;
    const struct policy_cfg *po = &sc->policy;
    double a = m->t_accounted, from = fmax(a, m->t_stats);
    if (t <= a)
        return;
    long charge = m->charge_year;
    m->charge_year = (long)ceil(t) - 1;   /* rent accrued up to t belongs to the year ending at t */
    for (int i = 0; i < sc->ncarriers; i++) {
        const struct carrier_cfg *c = &sc->carriers[i];
        double cost = (double)m->carriers[i].res.capacity * c->cost_per_seat *
                      sc->operators[c->operator_kind].cost_factor * fmax(0.0, t - from);
        m->k.spend_carriers += cost;
        m->k.public_spend += cost;
    }
    size_t keep = 0;
    /* continuous growth rate, and its factors for a whole year (the usual
     * stretch between two year ends), computed once rather than per firm */
    double g = log1p(pr->growth);
    double year_growth = exp(g), year_mean = fabs(g) > 1e-12 ? expm1(g) / g : 1.0;
    for (size_t i = 0; i < m->nfirms; i++) {
        struct firm *f = &m->firms[i];
        double lo = fmax(a, f->t_start), hi = fmin(t, f->t_death);
        if (hi > lo) {
            double yrs = hi - lo, counted = overlap(lo, hi, from, t);
            /* mean revenue rate over the stretch, with continuous growth */
            int whole = yrs == 1.0;
            double mean_rate = f->revenue * (whole ? year_mean
                             : fabs(g * yrs) > 1e-12 ? expm1(g * yrs) / (g * yrs) : 1.0);
            double revenue = mean_rate * counted;
            double home_tax = revenue * pr->tax_rate * (1.0 - pr->host_share);
            double relief_frac = overlap(lo, hi, f->t_start, f->t_start + po->tax_relief.years) / yrs;
            double relief = home_tax * po->tax_relief.rate * relief_frac;
            m->k.revenue += revenue;
            m->k.tax += home_tax - relief;
            m->k.tax_relief += relief;
            double rent = po->rent_free.value_per_year *
                          overlap(fmax(lo, from), hi, f->t_start, f->t_start + po->rent_free.years);
            if (rent > 0)
                budget_spend(m, INSTR_RENT, rent);
            f->revenue *= whole ? year_growth : exp(g * yrs);
        }
        if (f->t_exit > a && f->t_exit <= t && f->t_exit < f->t_death) {
            /* value = revenue rate at the exit x multiple; the fund sells its stake */
            double rate_at_exit = f->revenue * exp(g * (f->t_exit - fmin(t, f->t_death)));
            if (f->t_exit >= m->t_stats)
                m->k.fund_proceeds += f->stake * rate_at_exit * f->exit_multiple;
            f->t_exit = INFINITY;
        }
        if (f->t_death > t)
            m->firms[keep++] = *f;
    }
    m->nfirms = keep;
    m->t_accounted = t;
    m->charge_year = charge;
}

/* Year end: accounting, then performance post-subsidies for last year's
 * landings (Suzhou rules: a yearly award after evaluation). */
void economy_year_end(struct model *m)
{
    const struct scenario *sc = m->sc;
    const struct performance_cfg *pf = &sc->policy.performance;
    economy_account(m, m->sim.now);
    m->charge_year = (long)ceil(m->sim.now) - 1;   /* awards for the year that ends */
    for (int i = 0; i < sc->ncarriers; i++) {
        struct carrier_state *cs = &m->carriers[i];
        if (pf->amount > 0 && sc->carriers[i].stage != STAGE_IND &&
            cs->landings_year >= pf->target_landings &&
            budget_spend(m, INSTR_PERFORMANCE, pf->amount))
            cs->perf_gain = fmin(cs->perf_gain + pf->service_gain, pf->max_gain);
        cs->landings_year = 0;
    }
    m->charge_year = -1;
}

void economy_start(struct model *m)
{
    m->budget_year = 0;
    m->charge_year = -1;
    m->year_spent = 0;
    m->fund_left = m->sc->policy.guidance_fund.budget;
    m->t_accounted = 0;
}
