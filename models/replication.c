/* replication.c — model_run(): set up, run to the horizon, report; then
 * follow the window's cohort to its end, with no new arrivals. */
#include "pipeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const outcome_names[OUT_COUNT] = {
    "rejected", "balked", "failed_pre", "failed_acc", "stayed_hub",
    "third_region", "failed_ind", "production", "in_pipeline"
};

/* testing.fail_at: a run that fails partway, after its rows so far */
static void on_fail(struct sim *s, void *subject, uint64_t arg)
{
    (void)subject;
    (void)arg;
    sim_fail(s, "failed on purpose (testing.fail_replication, testing.fail_at)");
}

static void on_warmup(struct sim *s, void *subject, uint64_t arg)
{
    (void)subject; (void)arg;
    struct model *m = s->model;
    economy_account_carriers(m, s->now);
    pipeline_reset_stats(m);
    outbound_reset_stats(m);
    economy_carry_in(m);
}

static void on_year(struct sim *s, void *subject, uint64_t arg)
{
    (void)subject; (void)arg;
    struct model *m = s->model;
    economy_year_end(m);
    if (s->now + 1.0 <= m->sc->horizon)
        sim_after(s, 1.0, PRIO_YEAR, on_year, NULL, 0);
}

static void on_build(struct sim *s, void *subject, uint64_t b)
{
    (void)subject;
    struct model *m = s->model;
    const struct build_cfg *bc = &m->sc->policy.builds[b];
    int ci = m->sc->build_carrier[b];
    if (budget_spend(m, INSTR_CONSTRUCTION, bc->amount)) {
        economy_build_paid(m, (int)b);
        economy_account_carriers(m, s->now);   /* seat costs so far at the old capacity */
        res_add_capacity(&m->carriers[ci].res, s->now, bc->seats);
        if (!bc->public_running_cost)
            m->carriers[ci].private_seats += bc->seats;
        pipeline_fill_seats(m, ci);
    }
}

static void on_sample(struct sim *s, void *subject, uint64_t n)
{
    (void)subject;
    struct model *m = s->model;
    const struct scenario *sc = m->sc;
    struct ts_row row = { .t = s->now, .landed_cum = m->k.landed };
    for (int i = 0; i < sc->ncarriers; i++) {
        row.occupancy[sc->carriers[i].stage] += (double)m->carriers[i].res.busy;
        row.queue[sc->carriers[i].stage] += (double)m->carriers[i].res.len;
    }
    for (size_t i = 0; i < m->nfirms; i++)
        if (m->firms[i].home && m->firms[i].t_death > s->now) {
            row.firms++;
            row.jobs += m->firms[i].jobs * m->firms[i].share_jobs;
        }
    row.public_spend_cum = m->k.public_spend;
    m->sink_rc = m->sink->timeseries(m->sink->ctx, &row);
    if (m->sink_rc) {
        sim_stop(s);
        return;
    }
    double next = m->t_stats + (double)(n + 1) * sc->timeseries_step;
    if (next <= sc->horizon + 1e-9 * sc->timeseries_step)
        sim_at(s, fmin(next, sc->horizon), PRIO_SAMPLE, on_sample, NULL, n + 1);
}

static void report(struct model *m, const struct kpi_discounted *dc, struct run_result *out)
{
    const struct scenario *sc = m->sc;
    double now = m->sim.now;
    struct kpi *k = &m->k;
    for (struct project *p = m->live.next; p != &m->live; p = p->next)
        k->in_pipeline_end++;
    for (size_t i = 0; i < m->nfirms; i++)
        if (m->firms[i].home && m->firms[i].t_death > now) {
            k->alive_end++;
            k->jobs += m->firms[i].jobs * m->firms[i].share_jobs;
        }
    k->talent_pool_end = talent_pool(m);
    k->mean_time_to_landing = mean_of(&m->time_to_landing);
    k->survival_3y = m->surv3_n > 0 ? m->surv3_ok / m->surv3_n : NAN;
    k->survival_5y = m->surv5_n > 0 ? m->surv5_ok / m->surv5_n : NAN;
    k->target_share = k->landed > 0 ? m->landed_target / k->landed : NAN;
    k->fund_stake = m->stake_n > 0 ? m->stake_sum / m->stake_n : NAN;
    k->revenue_per_firm_year = k->firm_years > 0 ? m->nominal_revenue / k->firm_years : NAN;
    outbound_report(m, k);
    kpi_finish(k, dc);
    levels_report(&sc->levels, k, m->vah_fund - m->vaw_fund);
    out->kpi = *k;
    out->ncarriers = sc->ncarriers;
    for (int i = 0; i < sc->ncarriers; i++) {
        const struct resource *r = &m->carriers[i].res;
        out->carriers[i] = (struct carrier_result){
            .arrivals = r->arrivals, .served = r->served, .balked = r->balked,
            .mean_wait = mean_of(&r->wait),
            .mean_queue = res_mean_queue(r, now),
            .utilisation = res_utilisation(r, now),
            .mean_sojourn = mean_of(&r->sojourn),
            .capacity_end = (double)r->capacity,
        };
    }
    out->events = m->sim.events;
}

static void teardown(struct model *m)
{
    const struct alloc *al = m->al;
    for (int i = 0; i < m->sc->ncarriers; i++)
        res_free(&m->carriers[i].res);
    for (size_t i = 0; i < m->nslabs; i++)
        al_free(al, m->slabs[i]);
    al_free(al, m->slabs);
    al_free(al, m->firms);
    al_free(al, m->contest_work);
    al_free(al, m->contest_admit);
    sim_free(&m->sim);
    al_free(al, m);
}

const char *model_status_text(int rc)
{
    switch (rc) {
    case MODEL_OK: return "ok";
    case MODEL_NO_MEMORY: return "out of memory";
    case MODEL_SINK_FAILED: return "its rows could not be written";
    case MODEL_FAILED: return "failed on purpose (testing.fail_replication)";
    }
    return "failed";
}

int model_run(const struct scenario *sc, uint32_t replication, uint64_t seed,
              const struct model_sink *sink, struct run_result *out)
{
    if (sc->testing.fail_replication == (long)replication && sc->testing.fail_at < 0) {
        snprintf(out->why, sizeof out->why, "%s", model_status_text(MODEL_FAILED));
        return MODEL_FAILED;
    }
    const struct alloc *al = sink ? sink->alloc : NULL;
    struct model *m = al_calloc(al, 1, sizeof *m);
    if (!m) {
        snprintf(out->why, sizeof out->why, "%s", model_status_text(MODEL_NO_MEMORY));
        return MODEL_NO_MEMORY;
    }
    m->sc = sc;
    m->sink = sink;
    m->al = al;
    sim_init(&m->sim, seed, replication, m);
    sim_use_alloc(&m->sim, al);
    /* a broken invariant (a NaN draw, a clock that does not move) or an
     * interrupt ends this run here, not the process */
    jmp_buf bail;
    if (setjmp(bail)) {
        snprintf(out->why, sizeof out->why, "%s", m->sim.failure);
        int no_memory = strcmp(m->sim.failure, SIM_NO_MEMORY) == 0;
        teardown(m);
        return no_memory ? MODEL_NO_MEMORY : MODEL_FAILED;
    }
    m->sim.bail = &bail;
    m->sim.interrupt = sink ? sink->interrupt : NULL;
    for (int i = 0; i < sc->ncarriers; i++)
        if (res_init(&m->carriers[i].res, sc->carriers[i].capacity,
                     sc->carriers[i].queue_limit, 0.0, al)) {
            teardown(m);
            snprintf(out->why, sizeof out->why, "%s", model_status_text(MODEL_NO_MEMORY));
            return MODEL_NO_MEMORY;
        }
    if (sc->contest.source_index >= 0) {   /* the contest's ranking buffers, once */
        size_t n = (size_t)sc->sources[sc->contest.source_index].batch;
        m->contest_work = al_malloc(al, n * sizeof *m->contest_work);
        m->contest_admit = al_malloc(al, n);
        if (!m->contest_work || !m->contest_admit) {
            teardown(m);
            snprintf(out->why, sizeof out->why, "%s", model_status_text(MODEL_NO_MEMORY));
            return MODEL_NO_MEMORY;
        }
    }
    economy_start(m);
    pipeline_start_sources(m);
    talent_start(m);
    outbound_start(m);
    if (sc->warmup > 0)
        sim_at(&m->sim, sc->warmup, PRIO_WARMUP, on_warmup, NULL, 0);
    if (sc->horizon >= 1.0)
        sim_at(&m->sim, 1.0, PRIO_YEAR, on_year, NULL, 0);
    for (int b = 0; b < sc->policy.nbuilds; b++)
        if (sc->policy.builds[b].at <= sc->horizon)
            sim_at(&m->sim, sc->policy.builds[b].at, PRIO_BUILD, on_build, NULL, (uint64_t)b);
    if (sink && sink->timeseries)
        sim_at(&m->sim, sc->warmup, PRIO_SAMPLE, on_sample, NULL, 0);
    if (sc->testing.fail_replication == (long)replication && sc->testing.fail_at >= 0)
        sim_at(&m->sim, sc->testing.fail_at, PRIO_SAMPLE, on_fail, NULL, 0);

    sim_run(&m->sim, sc->horizon);
    int rc = m->sink_rc;
    struct kpi_discounted dc = { 0, 0, 0 };
    if (!rc) {
        economy_close(m);
        for (struct project *p = m->live.next; p != &m->live && !m->sink_rc; p = p->next)
            pipeline_emit_record(m, p, OUT_IN_PIPELINE);
        rc = m->sink_rc;
        dc = (struct kpi_discounted){ m->landed_pv, m->survivors_pv, m->job_years_pv };
        report(m, &dc, out);
    }
    if (!rc) {
        /* The cohort's projects still in the pipeline finish their course
         * (arrivals stop; the window's figures above are final), so its
         * ledger holds whole lives. */
        m->draining = 1;
        sim_run(&m->sim, INFINITY);
        economy_cohort_overheads(m);
        struct kpi *k = &out->kpi;
        k->cohort_landed = m->k.cohort_landed;
        k->cohort_landings_pv = m->cohort_landed_pv;
        k->cohort_cost = m->cohort_cost;
        k->cohort_return = m->cohort_return;
        kpi_finish(k, &dc);
        out->events = m->sim.events;
    }
    teardown(m);
    return rc ? MODEL_SINK_FAILED : MODEL_OK;
}
