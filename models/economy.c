/* economy.c — public money, and the firms that land.
 *
 * Money is valued at the warm-up (the window's start): a yuan at time t counts
 * e^(-rho (t - warmup)), rho = log(1 + accounting.discount_rate), so a longer
 * horizon adds later, smaller yuan instead of inflating a ratio.
 *
 * Budget: the instruments under policy.budget_per_year pay through
 * budget_spend(). Each has an envelope (policy.envelopes: a share of the year's
 * cap) or draws on the shared rest; a payment its envelope cannot cover is
 * refused and the instrument does not act. So the cap's rule is stated, not
 * the calendar's order. A multi-year promise is paid when made: rent-free
 * space is committed in full at landing, or not granted. The guidance fund
 * invests its own money (guidance_fund.budget), outside the cap. Carrier seat
 * costs are running costs, outside the cap.
 *
 * Firms: revenue grows until a ceiling, the failure time is drawn once, and a
 * firm is booked once — when it dies, or at the horizon — by integrating its
 * revenue, tax, relief and the fund's exit in closed form over the window.
 * A firm alive at the horizon adds its expected discounted future (tax net of
 * relief, the fund's expected exit) as value_at_horizon. A firm of the window's
 * cohort also books its whole realised life at once, for the cohort view.
 */
#include "pipeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

/* ---- present values -------------------------------------------------------- */

/* exp(x), the same bits, without glibc's slow underflow path (errno and
 * subnormal handling) for the 0 it returns below -745.14: a horizon of
 * thousands of years discounts most late yuan to nothing. */
static inline double exp_or_zero(double x)
{
    return x < -746.0 ? 0.0 : exp(x);
}

/* exp(x) for a log-scale weight times a deviation, mostly 0 in scenarios. */
static inline double exp_or_one(double x)
{
    return x == 0.0 ? 1.0 : exp(x);
}

double economy_df(const struct model *m, double t)
{
    return exp_or_zero(-m->rho * (t - m->sc->warmup));
}

/* The integral of e^(k s) over [0, len]; len may be infinite when k < 0. */
static double growth_integral(double k, double len)
{
    if (isinf(len))
        return k < 0 ? -1.0 / k : INFINITY;
    double x = k * len;
    return fabs(x) < 1e-12 ? len : expm1(x) / k;
}

double economy_pv_stream(const struct model *m, double t, double len)
{
    return economy_df(m, t) * growth_integral(-m->rho, len);
}

/* ---- the budget -------------------------------------------------------------- */

static void roll_year(struct model *m)
{
    long y = m->charge_year >= 0 ? m->charge_year : (long)floor(m->sim.now);
    if (y != m->budget_year) {
        m->budget_year = y;
        memset(m->year_spent, 0, sizeof m->year_spent);
        m->year_shared = m->year_total = 0;
    }
}

int budget_can(struct model *m, enum instrument in, double amount)
{
    if (in == INSTR_FUND)
        return m->fund_left >= amount;
    if (m->sc->policy.budget_per_year < 0)
        return 1;
    roll_year(m);
    double env = m->sc->envelope[in];
    return env >= 0 ? m->year_spent[in] + amount <= env
                    : m->year_shared + amount <= m->sc->shared_budget;
}

/* A payment's present value; rent is a promise of a stream, valued as one. */
static double payment_pv(const struct model *m, enum instrument in, double amount)
{
    const struct rent_cfg *rent = &m->sc->policy.rent_free;
    return in == INSTR_RENT ? rent->value_per_year * economy_pv_stream(m, m->sim.now, rent->years)
                            : amount * economy_df(m, m->sim.now);
}

void economy_refused(struct model *m, enum instrument in)
{
    m->k.budget_refusals++;
    m->k.binding[in] = 1;
}

int budget_spend(struct model *m, enum instrument in, double amount)
{
    if (!budget_can(m, in, amount)) {
        economy_refused(m, in);
        return 0;
    }
    if (in == INSTR_FUND) {
        m->fund_left -= amount;
    } else {
        roll_year(m);
        m->year_spent[in] += amount;
        if (m->sc->envelope[in] < 0)
            m->year_shared += amount;
        m->year_total += amount;
        if (m->year_total > m->k.budget_peak_year)
            m->k.budget_peak_year = m->year_total;
    }
    double pv = payment_pv(m, in, amount);
    *kpi_spend(&m->k, in) += pv;
    m->k.public_spend += pv;
    return 1;
}

int economy_pay(struct model *m, struct project *p, enum instrument in, double amount)
{
    if (!budget_spend(m, in, amount))
        return 0;
    p->money[in] += amount;
    if (p->cohort)
        m->cohort_cost += payment_pv(m, in, amount);
    return 1;
}

static double seat_cost(const struct model *m, int carrier)
{
    const struct carrier_cfg *c = &m->sc->carriers[carrier];
    return c->cost_per_seat * m->sc->operators[c->operator_kind].cost_factor;
}

void economy_account_carriers(struct model *m, double t)
{
    double from = fmax(m->t_carriers, m->t_stats);
    if (t > from && !m->draining)
        for (int i = 0; i < m->sc->ncarriers; i++) {
            double cost = (double)(m->carriers[i].res.capacity - m->carriers[i].private_seats) *
                          m->carriers[i].seat_cost *
                          economy_pv_stream(m, from, t - from);
            double site = m->sc->carriers[i].site_cost;
            if (site > 0)   /* a site's fixed cost, whatever its seats (enclave_network) */
                cost += site * economy_pv_stream(m, from, t - from);
            m->k.spend_carriers += cost;
            m->k.public_spend += cost;
            m->pool[i] += cost;
        }
    if (t > m->t_carriers)
        m->t_carriers = t;
}

/* ---- the cohort's share of common costs -------------------------------------
 *
 * The rule (full absorption by seat-years): a carrier's public cost in the
 * window [warmup, horizon] — every seat-year of its capacity, idle or not; the
 * construction subsidies that added its seats, as an equivalent annual cost
 * over accounting.asset_life; the performance awards it earned — is shared
 * over the seat-years used in the window, whoever used them. Each seat-year
 * the cohort uses, in the window or after it while it drains, is charged that
 * carrier's window rate (cost / seat-years used, both in present value). A
 * carrier nobody used in the window charges its whole cost to the cohort. So
 * when the cohort is every project and leaves nothing behind, its cost is
 * every yuan booked (tests/test_economy.c). */

void economy_seat_used(struct model *m, const struct project *p, int carrier)
{
    if (!m->attribute)   /* no exp() on the event path when carriers cost nothing */
        return;
    double a = p->t_service, b = m->sim.now;
    double lo = fmax(a, m->t_stats), hi = fmin(b, m->sc->horizon);
    if (hi > lo)
        m->used_pv[carrier] += economy_pv_stream(m, lo, hi - lo);
    if (p->cohort && b > a)
        m->cohort_used_pv[carrier] += economy_pv_stream(m, a, b - a);
}

void economy_build_paid(struct model *m, int b)
{
    m->build_paid[b] = 1;
}

/* The yearly payment over `life` years whose present value is `amount`. */
static double annuity(double amount, double rho, double life)
{
    return rho > 0 ? amount * rho / -expm1(-rho * life) : amount / life;
}

/* Construction as a stock: the window is charged the seats' use in it (the
 * annuity over the window's part of their life), that is the cash paid in the
 * window, plus the asset's value at the warm-up, minus its value at the
 * horizon. So a build paid before the warm-up is not the window's in full,
 * and one paid near the horizon not either. */
void economy_capital(struct model *m)
{
    const struct scenario *sc = m->sc;
    double W = m->t_stats, H = sc->horizon, life = sc->accounting.asset_life;
    for (int b = 0; b < sc->policy.nbuilds; b++) {
        const struct build_cfg *bc = &sc->policy.builds[b];
        if (!m->build_paid[b])
            continue;
        if (bc->at >= W) {   /* the cash budget_spend booked, replaced by the use */
            double paid = bc->amount * economy_df(m, bc->at);
            m->k.spend_construction -= paid;
            m->k.public_spend -= paid;
        }
        double lo = fmax(bc->at, W), hi = fmin(bc->at + life, H);
        if (hi > lo) {
            double use = annuity(bc->amount, m->rho, life) * economy_pv_stream(m, lo, hi - lo);
            m->k.spend_construction += use;
            m->k.public_spend += use;
            m->pool[sc->build_carrier[b]] += use;
        }
    }
}

void economy_cohort_overheads(struct model *m)
{
    const struct scenario *sc = m->sc;
    for (int i = 0; i < sc->ncarriers; i++)
        m->cohort_cost += m->used_pv[i] > 0 ? m->pool[i] * m->cohort_used_pv[i] / m->used_pv[i]
                                            : m->pool[i];
}

/* ---- firms ------------------------------------------------------------------- */

static int firm_push(struct model *m, const struct firm *f)
{
    if (m->nfirms == m->firmcap) {
        size_t ncap = m->firmcap ? m->firmcap * 2 : 256;
        struct firm *nf = al_realloc(m->al, m->firms, ncap * sizeof *nf);
        if (!nf)
            return -1;
        m->firms = nf;
        m->firmcap = ncap;
    }
    m->firms[m->nfirms++] = *f;
    return 0;
}

static double revenue_at(const struct model *m, const struct firm *f, double t)
{
    return f->revenue0 * exp_or_one(m->sc->production.growth * (fmin(t, f->t_sat) - f->t_start));
}

/* A firm's flows over [t1, t2]: revenue in present value (all of it, and the
 * part under tax relief) and undiscounted. With `expected`, the flows are
 * weighted by the chance of being alive, given alive at t1 (t2 may then be
 * infinite); without, the firm is taken to be alive throughout. */
struct flows { double pv, pv_relief, nominal; };

static struct flows firm_flows(const struct model *m, const struct firm *f, double t1, double t2,
                               int expected)
{
    struct flows out = { 0, 0, 0 };
    if (!(t2 > t1))
        return out;
    double g = m->sc->production.growth;
    double t_relief = f->t_start + m->sc->policy.tax_relief.years;
    double cut[4] = { f->t_sat, t_relief, f->t_rent_end, t2 };
    double a = t1, surv = 1.0;
    while (a < t2) {
        double b = t2;
        for (int i = 0; i < 4; i++)
            if (cut[i] > a && cut[i] < b)
                b = cut[i];
        double gr = a < f->t_sat ? g : 0.0;
        double h = expected ? (a < f->t_rent_end ? f->h_rent : f->h) : 0.0;
        double r = revenue_at(m, f, a);
        double pv = r * surv * economy_df(m, a) * growth_integral(gr - h - m->rho, b - a);
        out.pv += pv;
        if (a < t_relief)
            out.pv_relief += pv;
        if (isfinite(b))
            out.nominal += r * surv * growth_integral(gr - h, b - a);
        surv *= exp_or_zero(-h * (b - a));
        a = b;
    }
    return out;
}

/* The fund's stake sold at t_exit, in present value (realised). */
static double exit_value(const struct model *m, const struct firm *f)
{
    return f->stake * revenue_at(m, f, f->t_exit) * f->exit_multiple * economy_df(m, f->t_exit);
}

static double home_tax_rate(const struct model *m)
{
    const struct production_cfg *pr = &m->sc->production;
    return pr->tax_rate * (1.0 - pr->host_share);
}

static void fund_recycle(struct sim *s, void *subject, uint64_t bits)
{
    (void)subject;
    struct model *m = s->model;
    double back;
    memcpy(&back, &bits, sizeof back);
    m->fund_left += back;
}

void economy_new_firm(struct model *m, const struct project *p, int home)
{
    const struct scenario *sc = m->sc;
    const struct production_cfg *pr = &sc->production;
    const struct policy_cfg *po = &sc->policy;
    const struct fund_cfg *fund = &po->guidance_fund;
    double now = m->sim.now;
    gsl_rng *r = rng_key(&m->sim.rng, p->key, PUR_FIRM);

    double dq = p->quality - 0.5;
    struct own_share_cfg own = ownership_shares(&sc->ownership, p->config);
    struct firm f = { .t_start = now, .home = home, .cohort = p->cohort, .t_exit = INFINITY,
                      .share_revenue = own.revenue, .share_tax = own.tax, .share_jobs = own.jobs };
    memcpy(f.money, p->money, sizeof f.money);
    f.jobs = fmax(0.0, model_draw(&m->sim, &pr->jobs, r)) * exp_or_one(pr->jobs_quality_weight * dq);
    f.revenue0 = fmax(0.0, model_draw(&m->sim, &pr->revenue, r)) *
                 exp_or_one(pr->revenue_quality_weight * dq);
    f.t_sat = pr->growth > 0 ? now + m->t_sat_after : INFINITY;
    /* failure time: unit exponential through the cumulative hazard */
    double e = rng_exponential(r, 1.0);
    f.h = pr->hazard * sc->effects.incubation_hazard_ratio * exp_or_one(-pr->hazard_quality_weight * dq);
    f.t_rent_end = p->rent ? fmax(now, p->t_land + po->rent_free.years) : now;
    f.h_rent = f.h * po->rent_free.hazard_ratio;
    double span = f.t_rent_end - now;
    if (f.h <= 0 && (f.h_rent <= 0 || span <= 0))
        f.t_death = INFINITY;
    else if (e < f.h_rent * span)
        f.t_death = now + e / f.h_rent;
    else
        f.t_death = f.h > 0 ? f.t_rent_end + (e - f.h_rent * span) / f.h : INFINITY;
    /* the fund's exit: the stream's last draws, so drawing them only for a
     * funded firm leaves every other draw as it is */
    if (p->funded) {
        double u = rng_uniform(r);
        f.exit_multiple = gsl_ran_pareto(r, fund->exit_alpha, fmax(fund->exit_min_multiple, 1e-12));
        f.stake = p->stake;
        f.t_exit = now + fund->exit_after;
        f.exits = u < fund->exit_prob;
        /* recycling: the exit's proceeds, at the exit, back into the fund */
        if (fund->recycle > 0 && f.exits && f.t_exit < f.t_death && !m->draining) {
            double back = fund->recycle * f.stake * revenue_at(m, &f, f.t_exit) * f.exit_multiple;
            uint64_t bits;
            memcpy(&bits, &back, sizeof bits);
            sim_at(&m->sim, f.t_exit, PRIO_FLOW, fund_recycle, NULL, bits);
        }
    }
    if (!home && !p->funded)
        return;
    if (f.cohort) {   /* its whole realised life, for the cohort's ledger */
        struct flows life = firm_flows(m, &f, now, f.t_death, 0);
        /* kept: when its life lies inside the window, the window's booking is the same sum */
        f.life_known = 1;
        f.life_pv = life.pv;
        f.life_pv_relief = life.pv_relief;
        f.life_nominal = life.nominal;
        if (home) {
            double rate = home_tax_rate(m) * f.share_tax;
            m->cohort_return += life.pv * rate;
            m->cohort_cost += life.pv_relief * rate * po->tax_relief.rate;
        }
        if (f.exits && f.t_exit < f.t_death)
            m->cohort_return += exit_value(m, &f);
    }
    if (m->draining)
        return;
    if (home) {
        m->k.firms_started++;
        double horizon = sc->horizon;
        if (now + 3 <= horizon) { m->surv3_n++; m->surv3_ok += f.t_death > now + 3; }
        if (now + 5 <= horizon) { m->surv5_n++; m->surv5_ok += f.t_death > now + 5; }
        if (f.t_death > now + 3) {
            m->k.survivors_3y++;
            m->survivors_pv += economy_df(m, now);
        }
    }
    if (firm_push(m, &f))
        sim_no_memory(&m->sim);
}

/* What a firm alive at T is still worth to the region, in present value at
 * the warm-up: its expected discounted future tax (net of relief) and the
 * fund's expected exit. The expectation, not the drawn future: alive at T,
 * hazard as set. Used at both ends of the window: the value at the horizon is
 * added, the value at the warm-up subtracted (the stock the window inherits). */
static double firm_value(const struct model *m, const struct firm *f, double T, double *fund_part)
{
    const struct scenario *sc = m->sc;
    double v = 0;
    *fund_part = 0;
    if (f->home) {
        struct flows fut = firm_flows(m, f, T, INFINITY, 1);
        double rate = home_tax_rate(m) * f->share_tax;
        v += fut.pv * rate - fut.pv_relief * rate * sc->policy.tax_relief.rate;
    }
    if (f->stake > 0 && f->t_exit > T) {
        const struct fund_cfg *fund = &sc->policy.guidance_fund;
        double a = fund->exit_alpha, xm = fmax(fund->exit_min_multiple, 1e-12);
        double survive = exp(-f->h * (f->t_exit - T) -
                             (f->h_rent - f->h) * fmax(0.0, fmin(f->t_rent_end, f->t_exit) - T));
        *fund_part = f->stake * fund->exit_prob * (a * xm / (a - 1)) *
                     revenue_at(m, f, f->t_exit) * survive * economy_df(m, f->t_exit);
        v += *fund_part;
    }
    return v;
}

/* Books a firm's part of the window [warmup, horizon]: revenue, tax, relief,
 * the fund's exit; then, at the horizon, what it is still worth. */
static void firm_book(struct model *m, const struct firm *f, int at_horizon)
{
    const struct scenario *sc = m->sc;
    double t0 = m->t_stats, H = sc->horizon;
    double lo = fmax(f->t_start, t0), hi = fmin(f->t_death, H);
    struct kpi *k = &m->k;
    if (f->home && hi > lo) {
        struct flows w = f->life_known && lo == f->t_start && hi == f->t_death
                       ? (struct flows){ f->life_pv, f->life_pv_relief, f->life_nominal }
                       : firm_flows(m, f, lo, hi, 0);
        double rate = home_tax_rate(m) * f->share_tax,
               relief = w.pv_relief * rate * sc->policy.tax_relief.rate;
        double jobs = f->jobs * f->share_jobs;   /* the home's part (ownership.h) */
        k->revenue += w.pv * f->share_revenue;
        k->tax += w.pv * rate;
        k->tax_relief += relief;
        k->firm_years += hi - lo;
        k->job_years += jobs * (hi - lo);
        m->job_years_pv += jobs * economy_pv_stream(m, lo, hi - lo);
        m->nominal_revenue += w.nominal;
    }
    if (f->exits && f->t_exit >= t0 && f->t_exit <= H && f->t_exit < f->t_death)
        k->fund_proceeds += exit_value(m, f);
    if (at_horizon && sc->accounting.horizon_value && f->t_death > H) {
        double fund;
        k->value_at_horizon += firm_value(m, f, H, &fund);
        m->vah_fund += fund;
    }
}

/* Books the firms dead by now; drops the booked ones once they are half the
 * array, not every year (a firm is copied about once, not at every year after
 * a death before it). The order is kept, so the sums over firms still run in
 * birth order; a booked firm's t_death is past, so every loop that asks for
 * firms alive (t_death > now) passes it by. */
static void sweep_dead(struct model *m)
{
    for (size_t i = 0; i < m->nfirms; i++) {
        struct firm *f = &m->firms[i];
        if (f->t_death <= m->sim.now && !f->booked) {
            firm_book(m, f, 0);
            f->booked = 1;
            m->nbooked++;
        }
    }
    if (2 * m->nbooked <= m->nfirms)
        return;
    size_t keep = 0;
    for (size_t i = 0; i < m->nfirms; i++)
        if (!m->firms[i].booked && keep++ != i)
            m->firms[keep - 1] = m->firms[i];
    m->nfirms = keep;
    m->nbooked = 0;
}

void economy_close(struct model *m)
{
    economy_account_carriers(m, m->sc->horizon);
    economy_capital(m);
    for (size_t i = 0; i < m->nfirms; i++)
        if (!m->firms[i].booked)
            firm_book(m, &m->firms[i], 1);
}

void economy_carry_in(struct model *m)
{
    for (struct project *p = m->live.next; p != &m->live; p = p->next)
        m->k.in_pipeline_start++;
    /* the stock the window inherits: firms alive now and the fund's stakes
     * in them, at their expected value (subtracted in net_fiscal, as the
     * value at the horizon is added), instead of what was paid for them */
    if (m->sc->accounting.horizon_value)
        for (size_t f = 0; f < m->nfirms; f++)
            if (m->firms[f].t_death > m->sim.now)
            {
                double fund;
                m->k.value_at_warmup += firm_value(m, &m->firms[f], m->sim.now, &fund);
                m->vaw_fund += fund;
            }
    /* a performance gain reaches into the window unless this warm-up is a
     * year end that replaces it (persistence 0) */
    int replaced = m->sim.now == floor(m->sim.now) && m->sc->policy.performance.persistence == 0;
    double carry = 0;
    for (int c = 0; c < m->sc->ncarriers; c++)
        if (m->carriers[c].perf_gain > 0 && !replaced) {
            carry += m->carriers[c].perf_last_award;
            m->pool[c] += m->carriers[c].perf_last_award;
        }
    m->k.spend_performance += carry;
    m->k.public_spend += carry;
}

/* Year end: firms that died are booked, then performance post-subsidies for
 * the year's landings (Suzhou rules: a yearly award after evaluation). */
void economy_year_end(struct model *m)
{
    const struct scenario *sc = m->sc;
    const struct performance_cfg *pf = &sc->policy.performance;
    sweep_dead(m);
    m->charge_year = (long)ceil(m->sim.now) - 1;   /* awards for the year that ends */
    if (sc->certification.enabled)   /* evaluated first: the post-subsidy needs it */
        certification_year(m);
    for (int i = 0; i < sc->ncarriers; i++) {
        struct carrier_state *cs = &m->carriers[i];
        int paid = pf->amount > 0 && sc->carriers[i].stage != STAGE_IND &&
                   cs->landings_year >= pf->target_landings &&
                   (!sc->certification.enabled || cs->tier > TIER_NONE) &&
                   budget_spend(m, INSTR_PERFORMANCE, pf->amount);
        if (paid) {
            cs->perf_last_award = pf->amount;
            m->pool[i] += pf->amount * economy_df(m, m->sim.now);
        }
        /* the gain lasts while it is paid, or fades at the stated persistence */
        cs->perf_gain = fmin(pf->persistence * cs->perf_gain + (paid ? pf->service_gain : 0.0),
                             pf->max_gain);
        cs->landings_year = 0;
    }
    m->charge_year = -1;
}

void economy_start(struct model *m)
{
    m->budget_year = 0;
    m->charge_year = -1;
    m->fund_left = m->sc->policy.guidance_fund.budget;
    m->t_carriers = 0;
    m->rho = log1p(m->sc->accounting.discount_rate);
    const struct production_cfg *pr = &m->sc->production;
    m->t_sat_after = pr->growth > 0 ? log(pr->revenue_ceiling) / pr->growth : INFINITY;
    for (int i = 0; i < m->sc->ncarriers; i++) {
        m->carriers[i].seat_cost = seat_cost(m, i);
        m->attribute |= m->carriers[i].seat_cost > 0 || m->sc->carriers[i].site_cost > 0;
    }
    m->attribute |= m->sc->policy.nbuilds > 0 || m->sc->policy.performance.amount > 0 ||
                    m->sc->certification.enabled;
}
