/* outbound.c — home firms going abroad through the offshore carriers; see
 * outbound.h. */
#include "outbound.h"
#include "pipeline.h"
#include "spec.h"

#include <limits.h>
#include <math.h>
#include <string.h>

static const struct dist default_stay = { DIST_EXPONENTIAL, 0.5, 0, 0, 0 };
static const struct dist default_exports = { DIST_LOGNORMAL, 1.6e6, 1.6e6, 0, 0 };

static const struct setting_spec outbound_specs[] = {
    NUM(struct outbound_cfg, rate, 0, 1e7, 0, "firms/year", "home firms a year setting out abroad through the offshore carriers (Poisson); 0: none (unsourced: seed 002 gives no flow)"),
    NAMES(struct outbound_cfg, carriers, ncarriers, OUTBOUND_MAX_NAMES, "the carriers whose seats they use, in one FIFO queue with the inbound projects; none: every overseas pre-incubation carrier (seed 002: incubators' overseas branches serving firms going out)"),
    DIST(struct outbound_cfg, duration, &default_stay, "years", "time a firm holds its seat abroad (unsourced)"),
    NUM(struct outbound_cfg, success, 0, 1, 0.3, "share", "P(established abroad) after the stay; otherwise it returns (unsourced)"),
    NUM(struct outbound_cfg, voucher, 0, 1e12, 0, "yuan", "innovation voucher per firm at its carrier, under the budget cap (seed 002: 科技创新券 lighten firms' going abroad)"),
    NUM(struct outbound_cfg, voucher_effect, -100, 100, 0, "log-odds", "on success when the voucher is paid (unsourced)"),
    DIST(struct outbound_cfg, revenue, &default_exports, "yuan/year", "export revenue a year of an established firm, drawn once (unsourced; seed 004's 1.6e6 a firm-year of incubated firms as a scale)"),
    NUM(struct outbound_cfg, hazard, 1e-3, 100, 0.17, "1/year", "the export business ends at this rate (new firms: 17-19% a year, BLS/Kauffman)"),
    NUM(struct outbound_cfg, tax_rate, 0, 1, 0.05, "share", "home tax per yuan of export revenue (unsourced; seed 003's Wuxi tax / revenue of 5% as a scale)"),
};
TABLE(outbound_table, struct outbound_cfg, outbound_specs);

double outbound_future_tax(double tax_rate, double revenue, double rho, double hazard)
{
    return tax_rate * revenue / (rho + hazard);
}

/* ---- the run ------------------------------------------------------------------ */

static void outbound_arrival(struct sim *s, void *subject, uint64_t arg);
static void outbound_end(struct sim *s, void *subject, uint64_t arg);

void outbound_start(struct model *m)
{
    const struct outbound_cfg *o = &m->sc->outbound;
    if (!(o->rate > 0))
        return;
    struct rng *ar = &m->ob.arrival_rng;
    rng_init(ar, m->sim.seed, m->sim.replication);
    rng_stream(ar, 0, PUR_OUTBOUND_ARRIVAL);
    sim_at(&m->sim, rng_exponential(&ar->gsl, 1.0 / o->rate), PRIO_FLOW, outbound_arrival, NULL, 0);
}

void outbound_reset_stats(struct model *m)
{
    memset(&m->ob.wait, 0, sizeof m->ob.wait);
    twa_reset(&m->ob.seated, m->sim.now);
}

/* The least loaded of its carriers (queue, or minus free seats); ties: the
 * one listed first. As inbound projects choose among generalists. */
static int outbound_route(const struct model *m)
{
    const struct outbound_cfg *o = &m->sc->outbound;
    int best = o->cand[0];
    long best_load = LONG_MAX;
    for (int i = 0; i < o->ncand; i++) {
        const struct resource *r = &m->carriers[o->cand[i]].res;
        long l = (long)r->len - (r->capacity - r->busy);
        if (l < best_load) {
            best_load = l;
            best = o->cand[i];
        }
    }
    return best;
}

static void outbound_arrival(struct sim *s, void *subject, uint64_t arg)
{
    (void)subject;
    (void)arg;
    struct model *m = s->model;
    const struct outbound_cfg *o = &m->sc->outbound;
    if (m->draining)
        return;
    sim_after(s, rng_exponential(&m->ob.arrival_rng.gsl, 1.0 / o->rate), PRIO_FLOW,
              outbound_arrival, NULL, 0);
    struct project *p = pipeline_take(m);
    if (!p)
        sim_no_memory(s);
    memset(p->money, 0, sizeof p->money);
    p->outbound = 1;
    p->id = p->key = m->ob.arrivals++;
    p->t_arrive = p->t_queue = s->now;
    p->cohort = s->now >= m->sc->warmup;
    p->voucher_stage = -1;
    p->stage = STAGE_PRE;
    int ci = outbound_route(m);
    p->carrier[0] = ci;
    m->k.outbound_arrived++;
    switch (res_arrive(&m->carriers[ci].res, s->now, p)) {
    case RES_SEIZED:
        if (o->voucher > 0 && economy_pay(m, p, INSTR_VOUCHER, o->voucher))
            p->voucher_stage = STAGE_PRE;
        outbound_seated(m, p);
        break;
    case RES_QUEUED:
        if (o->voucher > 0 && economy_pay(m, p, INSTR_VOUCHER, o->voucher))
            p->voucher_stage = STAGE_PRE;
        break;
    case RES_BALKED:
        m->k.outbound_balked++;
        pipeline_give_back(m, p);
        break;
    case RES_NO_MEMORY:
        sim_no_memory(s);
    }
}

void outbound_seated(struct model *m, struct project *p)
{
    const struct outbound_cfg *o = &m->sc->outbound;
    double now = m->sim.now;
    gsl_rng *r = rng_key(&m->sim.rng, p->key, PUR_OUTBOUND_STAY);
    double dur = model_draw(&m->sim, &o->duration, r);
    if (dur < 0)
        dur = 0;
    double shift = p->voucher_stage == STAGE_PRE ? o->voucher_effect : 0.0;
    p->success = rng_uniform(r) < prob_shift(o->success, o->logit, shift);
    p->t_service = now;
    mean_add(&m->ob.wait, now - p->t_queue);   /* reset at the warm-up */
    twa_set(&m->ob.seated, now, (double)++m->ob.nseated);
    sim_after(&m->sim, dur, PRIO_FLOW, outbound_end, p, 0);
}

/* An established firm's exports: the window's part of the stream, the
 * stock's expected future at either end of the window, the cohort's whole
 * stream. Constant revenue over an exponential life. */
static void exports_book(struct model *m, const struct project *p)
{
    const struct scenario *sc = m->sc;
    const struct outbound_cfg *o = &sc->outbound;
    double t = m->sim.now, W = sc->warmup, H = sc->horizon;
    gsl_rng *r = rng_key(&m->sim.rng, p->key, PUR_OUTBOUND_EXPORT);
    double rev = fmax(model_draw(&m->sim, &o->revenue, r), 0.0);
    double end = t + rng_exponential(r, 1.0 / o->hazard);
    double lo = fmax(t, W), hi = fmin(end, H);
    if (hi > lo) {
        double pv = rev * economy_pv_stream(m, lo, hi - lo);
        m->ob.export_revenue += pv;
        m->ob.export_tax += o->tax_rate * pv;
    }
    double future = outbound_future_tax(o->tax_rate, rev, m->rho, o->hazard);
    if (t <= H && end > H) {
        m->ob.exporters_end++;
        if (sc->accounting.horizon_value)
            m->ob.value_h += future * economy_df(m, H);
    }
    if (W > 0 && t < W && end > W && sc->accounting.horizon_value)
        m->ob.value_w += future;   /* economy_df(m, W) = 1 */
    if (p->cohort)
        m->cohort_return += o->tax_rate * rev * economy_pv_stream(m, t, end - t);
}

static void outbound_end(struct sim *s, void *subject, uint64_t arg)
{
    (void)arg;
    struct model *m = s->model;
    struct project *p = subject;
    int ci = p->carrier[0];
    economy_seat_used(m, p, ci);
    res_release(&m->carriers[ci].res, s->now, p->t_queue);
    twa_set(&m->ob.seated, s->now, (double)--m->ob.nseated);
    m->k.outbound_served++;
    if (p->success) {
        m->k.outbound_succeeded++;
        exports_book(m, p);
    } else {
        m->k.outbound_returned++;
    }
    pipeline_give_back(m, p);
    pipeline_fill_seats(m, ci);
}

void outbound_report(const struct model *m, struct kpi *k)
{
    const struct outbound_run *ob = &m->ob;
    k->outbound_wait = mean_of(&ob->wait);   /* NaN: none seated (off) */
    if (!(m->sc->outbound.rate > 0))
        return;
    double now = m->sim.now;
    k->outbound_seat_years = ob->seated.area + ob->seated.value * (now - ob->seated.last_t);
    k->exporters_end = ob->exporters_end;
    k->export_revenue = ob->export_revenue;
    k->export_tax = ob->export_tax;
    k->revenue += ob->export_revenue;
    k->tax += ob->export_tax;
    k->value_at_horizon += ob->value_h;
    k->value_at_warmup += ob->value_w;
}
