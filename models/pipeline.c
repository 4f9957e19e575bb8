/* pipeline.c — the flow of projects: sources, screening, the three stages.
 *
 * A project's luck comes from its own streams, keyed by where it came from
 * (source and arrival number, or source, event and place in the batch) rather
 * than by global arrival order, so a policy that changes carriers, queues,
 * the landing choice or the money left for events leaves every other
 * project's attributes, durations and success draws as they were.
 */
#include "pipeline.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#define SLAB 1024

struct project *pipeline_take(struct model *m)
{
    if (!m->free_projects) {
        if (m->nslabs == m->slabcap) {
            size_t ncap = m->slabcap ? m->slabcap * 2 : 16;
            struct project **ns = al_realloc(m->al, m->slabs, ncap * sizeof *ns);
            if (!ns)
                return NULL;
            m->slabs = ns;
            m->slabcap = ncap;
        }
        struct project *slab = al_malloc(m->al, SLAB * sizeof *slab);
        if (!slab)
            return NULL;
        m->slabs[m->nslabs++] = slab;
        for (size_t i = 0; i < SLAB; i++) {
            slab[i].next = m->free_projects;
            m->free_projects = &slab[i];
        }
    }
    struct project *p = m->free_projects;
    m->free_projects = p->next;
    return p;
}

void pipeline_give_back(struct model *m, struct project *p)
{
    p->next = m->free_projects;
    m->free_projects = p;
}

static struct project *project_alloc(struct model *m)
{
    struct project *p = pipeline_take(m);
    if (!p)
        return NULL;
    /* link into the live list */
    p->next = m->live.next;
    p->prev = &m->live;
    m->live.next->prev = p;
    m->live.next = p;
    return p;
}

void pipeline_emit_record(struct model *m, const struct project *p, int outcome)
{
    if (!m->sink || !m->sink->project || m->sink_rc || m->draining)
        return;
    struct project_row r = {
        .project = p->id, .source = p->source, .sector = p->sector, .outcome = outcome,
        .quality = p->quality, .score = p->score, .t_arrive = p->t_arrive,
        .t_pre = p->t_pre, .t_acc = p->t_acc, .t_land = p->t_land,
        .t_end = outcome == OUT_IN_PIPELINE ? NAN : m->sim.now,
        .private_round = p->private_round,
    };
    memcpy(r.carrier, p->carrier, sizeof r.carrier);
    memcpy(r.money, p->money, sizeof r.money);
    m->sink_rc = m->sink->project(m->sink->ctx, &r);
    if (m->sink_rc)
        sim_stop(&m->sim);
}

void project_release(struct model *m, struct project *p, int outcome)
{
    pipeline_emit_record(m, p, outcome);
    p->prev->next = p->next;
    p->next->prev = p->prev;
    p->next = m->free_projects;
    m->free_projects = p;
}

/* ---- stages ---------------------------------------------------------------- */

static void enter_stage(struct model *m, struct project *p, int stage);
static void stage_end(struct sim *s, void *subject, uint64_t arg);

/* The stage's success probability, with every term known at service start. */
static double success_prob(const struct model *m, const struct project *p, int ci)
{
    const struct scenario *sc = m->sc;
    const struct carrier_cfg *c = &sc->carriers[ci];
    const struct policy_cfg *po = &sc->policy;
    double shift = c->success.quality_weight * (p->quality - 0.5)
                 + m->service_quality[ci]
                 + m->carriers[ci].perf_gain;
    if (p->voucher_stage == p->stage)
        shift += po->vouchers.success_effect;
    if (p->grant_stage == p->stage)
        shift += po->grant.success_effect;
    if (p->talent)   /* a lead joined it (talent.h) */
        shift += sc->talent.success_effect;
    if (p->stage == STAGE_ACC) {
        shift += sc->effects.accelerator_selection * (p->quality - 0.5);
        if (p->raised)
            shift += sc->funding.success_effect;
    }
    return prob_shift(c->success.base, c->success.logit, shift);
}

static void start_service(struct model *m, struct project *p)
{
    if (p->outbound) {   /* a home firm going abroad shares the seats (outbound.h) */
        outbound_seated(m, p);
        return;
    }
    int ci = p->carrier[p->stage];
    gsl_rng *r = rng_key(&m->sim.rng, p->key, PUR_STAGE + (uint64_t)p->stage);
    double dur = model_draw(&m->sim, &m->sc->carriers[ci].duration, r);
    if (dur < 0)
        dur = 0;
    p->t_service = m->sim.now;
    p->success = rng_uniform(r) < success_prob(m, p, ci);
    sim_after(&m->sim, dur, PRIO_FLOW, stage_end, p, 0);
}

/* The load of a carrier: its queue, or minus its free seats. */
static long load(const struct resource *r)
{
    return (long)r->len - (r->capacity - r->busy);
}

/* The carriers serving the project's city (all, when none does or it has
 * none); among them sector specialisation, then the shortest queue: a
 * specialist in the project's sector with a free seat takes it; otherwise the
 * candidate (specialists and generalists alike) with the lowest load, so a
 * full specialist overflows to the others instead of queueing without end.
 * Ties go to the carrier listed first. Candidates: route[][][] (set up in
 * pipeline_start_sources). */
static int route(struct model *m, const struct project *p, int stage)
{
    int n = m->nroute[stage][p->source][p->sector];
    int nspec = m->nspecial[stage][p->source][p->sector];
    const uint8_t *cand = m->route[stage][p->source][p->sector];
    if (n == 1)
        return cand[0];
    int best = -1;
    long best_load = LONG_MAX;
    for (int i = 0; i < nspec; i++) {
        long l = load(&m->carriers[cand[i]].res);
        if (l < 0 && l < best_load) {
            best_load = l;
            best = cand[i];
        }
    }
    if (best >= 0)
        return best;
    for (int i = 0; i < n; i++) {
        long l = load(&m->carriers[cand[i]].res);
        if (l < best_load) {
            best_load = l;
            best = cand[i];
        }
    }
    return best;
}

/* Instruments paid at a stage's entry, and the private round in acceleration. */
static void stage_instruments(struct model *m, struct project *p, int stage)
{
    if (!m->instruments_at[stage])
        return;
    const struct policy_cfg *po = &m->sc->policy;
    if (po->vouchers.amount > 0 && po->vouchers.stage == stage &&
        economy_pay(m, p, INSTR_VOUCHER, po->vouchers.amount))
        p->voucher_stage = stage;
    if (po->grant.amount > 0 && po->grant.stage == stage && p->score >= po->grant.min_score &&
        economy_pay(m, p, INSTR_GRANT, po->grant.amount))
        p->grant_stage = stage;
    const struct fund_cfg *f = &po->guidance_fund;
    if (f->ticket > 0 && f->stage == stage && !p->funded && p->score >= f->threshold) {
        /* the stake follows the ticket: what is paid over the post-money
         * valuation, capped at max_stake (then less is paid); its own
         * stream, so a fund leaves every other draw as it was */
        gsl_rng *r = rng_key(&m->sim.rng, p->key, PUR_FUND);
        double post = model_draw(&m->sim, &f->post_money, r);
        double paid = fmin(f->ticket, f->max_stake * fmax(post, 0.0));
        if (paid > 0 && economy_pay(m, p, INSTR_FUND, paid)) {
            p->funded = 1;
            p->stake = paid / post;
            m->stake_sum += p->stake;
            m->stake_n++;
        }
    }
    if (stage != STAGE_ACC)
        return;
    const struct funding_cfg *fu = &m->sc->funding;
    if (fu->round_prob > 0) {
        /* its own stream: adding a round never shifts the stage's draws */
        gsl_rng *r = rng_key(&m->sim.rng, p->key, PUR_ROUND);
        double shift = fu->quality_weight * (p->quality - 0.5) +
                       (p->grant_stage == STAGE_ACC ? po->grant.round_effect : 0.0);
        double u = rng_uniform(r);
        double size = model_draw(&m->sim, &fu->size, r);
        if (u < prob_shift(fu->round_prob, fu->logit, shift)) {
            p->raised = 1;
            p->private_round = size;
            m->k.private_investment += size;
        }
    }
}

/* A project moved nearer home between pre-incubation and acceleration (the
 * dumbbell's handover) may stay behind, in the hub. */
static int stays_behind(struct model *m, struct project *p, int ci)
{
    const struct scenario *sc = m->sc;
    if (!m->handover)
        return 0;
    double moved = sc->carriers[p->carrier[STAGE_PRE]].distance - sc->carriers[ci].distance;
    if (!(moved > 0))
        return 0;
    gsl_rng *r = rng_key(&m->sim.rng, p->key, PUR_HANDOVER);
    return rng_uniform(r) < sc->landing.handover_loss * moved;
}

static void enter_stage(struct model *m, struct project *p, int stage)
{
    int ci = route(m, p, stage);
    if (stage == STAGE_ACC && stays_behind(m, p, ci)) {
        m->k.lost_handover++;
        landing_leave(m, p, OUT_STAYED_HUB);
        return;
    }
    p->stage = stage;
    if (m->sc->talent.enabled && stage == m->sc->talent.attach_stage)
        talent_attach(m, p);
    if (stage == STAGE_PRE) p->t_pre = m->sim.now;
    if (stage == STAGE_ACC) p->t_acc = m->sim.now;
    stage_instruments(m, p, stage);
    p->carrier[stage] = ci;
    p->t_queue = m->sim.now;
    switch (res_arrive(&m->carriers[ci].res, m->sim.now, p)) {
    case RES_SEIZED:
        start_service(m, p);
        break;
    case RES_QUEUED:
        break;
    case RES_BALKED:
        m->k.balked++;
        project_release(m, p, OUT_BALKED);
        break;
    case RES_NO_MEMORY:
        sim_no_memory(&m->sim);
    }
}

/* Starts waiting projects on a carrier's free seats (after a release, or
 * seats a construction subsidy added). */
void pipeline_fill_seats(struct model *m, int ci)
{
    struct project *w;
    while ((w = res_next(&m->carriers[ci].res, m->sim.now)) != NULL)
        start_service(m, w);
}

static void stage_end(struct sim *s, void *subject, uint64_t arg)
{
    (void)arg;
    struct model *m = s->model;
    struct project *p = subject;
    int stage = p->stage;
    economy_seat_used(m, p, p->carrier[stage]);
    res_release(&m->carriers[p->carrier[stage]].res, s->now, p->t_queue);
    pipeline_fill_seats(m, p->carrier[stage]);

    if (stage == STAGE_PRE) {
        if (p->success) {
            m->k.graduated_pre++;
            enter_stage(m, p, STAGE_ACC);
        } else {
            m->k.failed_pre++;
            project_release(m, p, OUT_FAILED_PRE);
        }
    } else if (stage == STAGE_ACC) {
        if (p->success) {
            m->k.accelerated++;
            landing_choose(m, p);   /* enters industrialisation or leaves */
        } else {
            m->k.failed_acc++;
            project_release(m, p, OUT_FAILED_ACC);
        }
    } else {
        if (p->success) {
            economy_new_firm(m, p, 1);
            project_release(m, p, OUT_PRODUCTION);
        } else {
            m->k.failed_ind++;
            project_release(m, p, OUT_FAILED_IND);
        }
    }
}

void pipeline_enter_industrialisation(struct model *m, struct project *p)
{
    enter_stage(m, p, STAGE_IND);
}

/* ---- arrivals and screening ------------------------------------------------ */

/* A project's stream key names it by where it came from: (source, n-th
 * Poisson arrival) or (source, event, place in the batch). So a skipped event
 * (budget spent) or a changed rate elsewhere leaves every other project's
 * luck as it was. Layout: source (4 bits) | Poisson flag (1) | arrival (59),
 * or source | 0 | event (39) | place (20; batch <= 1e6 by its bounds). */
_Static_assert(SC_MAX_SOURCES <= 16, "4 bits of a project key name the source");
#define KEY_POISSON (1ULL << 59)
static uint64_t poisson_key(int source, uint64_t n)
{
    return ((uint64_t)source << 60) | KEY_POISSON | (n & (KEY_POISSON - 1));
}

static uint64_t batch_key(int source, uint64_t event, uint64_t place)
{
    return ((uint64_t)source << 60) | ((event & ((1ULL << 39) - 1)) << 20) | (place & 0xfffff);
}

/* The screening score's noise: the jury's for a contest's entrants. */
static double score_noise(const struct scenario *sc, int source)
{
    return source == sc->contest.source_index ? sc->contest.jury_noise
         : sc->operators[sc->screening.operator_kind].screening_noise;
}

/* A project's sector, latent quality and observed score, from its own
 * stream. Fixed draw order; a draw is skipped only when it could not matter
 * (one sector, no noise), which changes no other draw. */
struct attributes { int sector; double quality, score; };

static struct attributes draw_attributes(struct model *m, int source, uint64_t key)
{
    const struct scenario *sc = m->sc;
    struct attributes a = { 0, 0, 0 };
    gsl_rng *r = rng_key(&m->sim.rng, key, PUR_ATTRIBUTES);
    if (sc->nsectors > 1) {
        const double *cum = sc->sources[source].cum_share;
        double u = rng_uniform(r);
        while (a.sector < sc->nsectors - 1 && u >= cum[a.sector])
            a.sector++;
    }
    double q = model_draw(&m->sim, &sc->sources[source].quality, r);
    a.quality = q < 0 ? 0 : q > 1 ? 1 : q;
    double noise = m->score_noise[source];
    a.score = a.quality + (noise > 0 ? noise * gsl_ran_gaussian_ziggurat(r, 1.0) : 0.0);
    return a;
}

/* A contest's event: every entrant's score, as project_arrive will draw it
 * (keyed streams: drawing twice gives the same numbers), ranked; the
 * verdicts go to contest_admit. */
static void contest_judge(struct model *m, int source, uint64_t event)
{
    long n = m->sc->sources[source].batch;
    for (long i = 0; i < n; i++)
        m->contest_work[i] = (struct contest_entry){
            draw_attributes(m, source, batch_key(source, event, (uint64_t)i)).score, (uint32_t)i };
    contest_rank(m->contest_work, n, m->sc->contest.winners, m->contest_admit);
}

/* event_share: this project's part of its event's cost (0 for Poisson
 * arrivals); admit: -1 screened by the threshold, else a contest's verdict. */
static void project_arrive(struct model *m, int source, uint64_t key, double event_share,
                           int admit)
{
    const struct scenario *sc = m->sc;
    struct project *p = project_alloc(m);
    if (!p)
        sim_no_memory(&m->sim);
    memset(p->money, 0, sizeof p->money);
    p->id = m->next_id++;
    p->key = key;
    p->source = source;
    p->t_arrive = m->sim.now;
    p->t_pre = p->t_acc = p->t_land = NAN;
    p->carrier[0] = p->carrier[1] = p->carrier[2] = -1;
    p->stage = -1;
    p->funded = p->raised = p->rent = p->winner = p->talent = p->outbound = 0;
    p->team = p->hires = 0;
    p->config = OWN_WHOLE;
    p->stake = 0;
    p->cohort = m->sim.now >= m->sc->warmup;
    p->money[INSTR_EVENTS] = event_share;
    if (p->cohort && event_share > 0)
        m->cohort_cost += event_share * economy_df(m, m->sim.now);
    p->grant_stage = p->voucher_stage = -1;
    p->private_round = 0;

    struct attributes a = draw_attributes(m, source, key);
    p->sector = a.sector;
    p->quality = a.quality;
    p->score = a.score;
    if (admit >= 0)   /* a contest: the score is all the caller needed */
        m->k.contest_entrants++;
    if (sc->talent.enabled)   /* a contest's losers were not negotiated */
        talent_arrive(m, p, admit != 0);

    m->k.sourced++;
    m->k.cohort_sourced += p->cohort;
    if (admit < 0 ? p->score < sc->screening.threshold || !sc->focus_sector[p->sector] : !admit) {
        m->k.rejected++;
        project_release(m, p, OUT_REJECTED);
        return;
    }
    m->k.admitted++;
    if (admit > 0) {
        m->k.contest_winners++;
        p->winner = 1;
        if (sc->contest.prize > 0)
            economy_pay(m, p, INSTR_EVENTS, sc->contest.prize);
    }
    enter_stage(m, p, STAGE_PRE);
}

static void poisson_arrival(struct sim *s, void *subject, uint64_t source)
{
    (void)subject;
    struct model *m = s->model;
    if (m->draining)
        return;
    /* the next arrival first: due soon, it fills the queue's hole near the top,
     * and the project's own events, due later, go in from the bottom */
    sim_after(s, rng_exponential(&m->arrival_rng[source].gsl, 1.0 / m->sc->sources[source].rate),
              PRIO_FLOW, poisson_arrival, NULL, source);
    project_arrive(m, (int)source, poisson_key((int)source, m->arrivals[source]++), 0.0, -1);
}

static void batch_event(struct sim *s, void *subject, uint64_t source)
{
    (void)subject;
    struct model *m = s->model;
    const struct source_cfg *so = &m->sc->sources[source];
    if (m->draining)
        return;
    uint64_t event = m->events_held[source]++;
    int contest = (int)source == m->sc->contest.source_index;
    if (so->cost_per_event <= 0 || budget_spend(m, INSTR_EVENTS, so->cost_per_event)) {
        if (contest)
            contest_judge(m, (int)source, event);
        for (long i = 0; i < so->batch && !s->stopped; i++)
            project_arrive(m, (int)source, batch_key((int)source, event, (uint64_t)i),
                           so->cost_per_event / (double)so->batch,
                           contest ? m->contest_admit[i] : -1);
        if (m->sc->talent.enabled && m->sc->talent.leads_per_event > 0)
            talent_leads(m, m->sc->talent.leads_per_event);
    }
    sim_after(s, so->every, PRIO_FLOW, batch_event, NULL, source);
}

/* What the scenario fixes for the whole run, resolved once for the event path. */
static void resolve_hot(struct model *m)
{
    const struct scenario *sc = m->sc;
    const struct policy_cfg *po = &sc->policy;
    for (int st = 0; st < STAGE_COUNT; st++)
        m->instruments_at[st] = (po->vouchers.amount > 0 && po->vouchers.stage == st) ||
                                (po->grant.amount > 0 && po->grant.stage == st) ||
                                (po->guidance_fund.ticket > 0 && po->guidance_fund.stage == st) ||
                                (st == STAGE_ACC && sc->funding.round_prob > 0);
    m->handover = sc->landing.handover_loss > 0;
    for (int i = 0; i < sc->ncarriers; i++)
        m->service_quality[i] = sc->operators[sc->carriers[i].operator_kind].service_quality;
    for (int i = 0; i < sc->nsources; i++)
        m->score_noise[i] = score_noise(sc, i);
}

void pipeline_start_sources(struct model *m)
{
    const struct scenario *sc = m->sc;
    m->live.next = m->live.prev = &m->live;
    resolve_hot(m);
    /* candidates per (stage, source, sector): the carriers of the source's
     * city (every carrier of the stage if none serves it); among them its
     * specialists, then the generalists; when there are none, all of them */
    for (int st = 0; st < STAGE_COUNT; st++)
        for (int so = 0; so < sc->nsources; so++) {
            const char *city = sc->sources[so].city;
            int local[SC_MAX_CARRIERS], any_local = 0;
            for (int i = 0; i < sc->ncarriers; i++) {
                local[i] = city[0] && strcmp(sc->carriers[i].city, city) == 0;
                any_local |= sc->carriers[i].stage == st && local[i];
            }
            for (int k = 0; k < sc->nsectors; k++) {
                int n = 0;
                for (int pass = 0; pass < 3; pass++) {
                    if (pass == 1)
                        m->nspecial[st][so][k] = (uint8_t)n;
                    if (pass == 2 && n > 0)
                        break;
                    for (int i = 0; i < sc->ncarriers; i++) {
                        const struct carrier_cfg *c = &sc->carriers[i];
                        int ok = pass == 0 ? c->nsectors > 0 && sc->carrier_sector[i][k]
                               : pass == 1 ? c->nsectors == 0 : 1;
                        if (c->stage == st && ok && (local[i] || !any_local))
                            m->route[st][so][k][n++] = (uint8_t)i;
                    }
                }
                m->nroute[st][so][k] = (uint8_t)n;
            }
        }
    for (int i = 0; i < sc->nsources; i++) {
        const struct source_cfg *so = &sc->sources[i];
        if (so->rate > 0) {
            /* a sequential stream per source: one word per arrival, no re-keying */
            struct rng *ar = &m->arrival_rng[i];
            rng_init(ar, m->sim.seed, m->sim.replication);
            rng_stream(ar, (uint64_t)i, PUR_ARRIVAL);
            sim_at(&m->sim, rng_exponential(&ar->gsl, 1.0 / so->rate), PRIO_FLOW,
                   poisson_arrival, NULL, (uint64_t)i);
        }
        if (so->every > 0 && so->batch > 0)
            sim_at(&m->sim, so->first, PRIO_FLOW, batch_event, NULL, (uint64_t)i);
    }
}

void pipeline_reset_stats(struct model *m)
{
    memset(&m->k, 0, sizeof m->k);
    for (int i = 0; i < m->sc->ncarriers; i++)
        res_reset_stats(&m->carriers[i].res, m->sim.now);
    memset(&m->time_to_landing, 0, sizeof m->time_to_landing);
    m->surv3_n = m->surv3_ok = m->surv5_n = m->surv5_ok = m->landed_target = 0;
    m->landed_pv = m->survivors_pv = m->job_years_pv = m->nominal_revenue = 0;
    m->stake_sum = m->stake_n = 0;
    m->k.talent_pool_start = talent_pool(m);
    memset(m->pool, 0, sizeof m->pool);
    memset(m->used_pv, 0, sizeof m->used_pv);
    m->t_stats = m->sim.now;
}
