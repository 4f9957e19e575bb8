/* size.c — `incubsim size`: the smallest lever value meeting a target
 * with a stated confidence (the procedure: sim/sizing.h). */
#include "cmds.h"
#include "experiment.h"
#include "uncertain.h"
#include "../farm.h"
#include "../sizing.h"
#include "../../output/answer.h"
#include "../../output/decision.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct size_ctx {
    struct job *j;
    int      kpi;
    double  *y;          /* where the current batch's outputs go */
    uint32_t from;
    struct decision *price;   /* cost and effect of every probe's runs (option = probe) */
    int      oom;
    /* --robust: a probe is `draws` design points (the lever's value, then one
     * draw of the assumptions each), point = probe * draws + draw */
    int      robust;
    uint32_t draws, reps;
    int      k;              /* assumptions */
    const double *theta;     /* [draw * k + a] */
    double  *vals, *sum;     /* [1 + k]; [draws]: the probe's KPI sums */
    uint32_t *cnt, *units;   /* [draws] */
    uint64_t replications;
};

static void observe(void *ctx, uint32_t unit, uint32_t rep, const struct kpi *k)
{
    struct size_ctx *c = ctx;
    double v = k ? kpi_get(k, (size_t)c->kpi) : NAN;
    uint32_t probe = unit, key = rep;   /* key pairs the probes' runs: the same streams */
    if (c->robust) {
        uint32_t d = unit % c->draws;
        probe = unit / c->draws;
        key = d * c->reps + rep;
        if (!isnan(v)) {   /* summed in commit order: the same bits with any -j */
            c->sum[d] += v;
            c->cnt[d]++;
        }
    } else
        c->y[rep - c->from] = v;
    char name[16];
    snprintf(name, sizeof name, "%u", probe);
    int o = decision_option(c->price, name);
    if (o < 0 || decision_add(c->price, (size_t)o, key, k))
        c->oom = 1;
}

/* The answer's price: the cost KPI's mean at the answer's probe, and the ICER
 * of the answer against the lever's minimum over their paired replications
 * (NaN when there is no answer, or it is the minimum). */
static int price_answer(struct decision *d, const struct size_result *res, double lo,
                        struct h5_sizing *z)
{
    z->cost_kpi = kpi_descs[d->cost_kpi].name;
    z->effect_kpi = kpi_descs[d->effect_kpi].name;
    z->cost_at_answer = z->cost_per_extra_effect = z->cpe_low = z->cpe_high = NAN;
    int a = -1, m = -1;
    for (int i = 0; i < res->nprobes; i++) {
        char name[16];
        snprintf(name, sizeof name, "%u", res->probes[i].point);
        int o = decision_option(d, name);
        if (o < 0)
            return -1;
        if (res->status != SIZE_NOT_MET && res->probes[i].value == res->answer)
            a = o;
        if (res->probes[i].value == lo)
            m = o;
    }
    if (a < 0)
        return 0;
    const struct decision_option *oa = &d->opt[a];
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < oa->nobs; i++)
        if (!isnan(oa->obs[i].cost)) {
            sum += oa->obs[i].cost;
            n++;
        }
    z->cost_at_answer = n ? sum / (double)n : NAN;
    if (m < 0 || m == a)
        return 0;
    char why[256];
    int rc = decision_compute(d, (size_t)m, why, sizeof why);
    if (rc == -1)
        return -1;
    if (rc == 0) {
        const struct inc_row *r = &d->rows[a];
        z->cost_per_extra_effect = r->icer;
        z->cpe_low = r->icer_low;
        z->cpe_high = r->icer_high;
    }
    return 0;
}

static int eval(void *ctx, uint32_t point, double value, uint32_t from, uint32_t to, double *y)
{
    struct size_ctx *c = ctx;
    if (point == c->j->npoints && job_add_point(c->j, &value) < 0)
        return EXIT_RUNTIME;
    c->y = y;
    c->from = from;
    progress_plan(&c->j->progress, to - from);
    return job_run(c->j, from, to, &point, 1);
}

/* size --robust: every draw at the lever's value, c->reps replications each. */
static int eval_draws(void *ctx, uint32_t point, double value, double *means)
{
    struct size_ctx *c = ctx;
    struct job *j = c->j;
    if (j->npoints != point * c->draws)
        return EXIT_RUNTIME;   /* the probes' points are added in probe order */
    for (uint32_t d = 0; d < c->draws; d++) {
        c->vals[0] = value;
        memcpy(c->vals + 1, c->theta + (size_t)d * (size_t)c->k, (size_t)c->k * sizeof *c->vals);
        int p = job_add_point(j, c->vals);
        if (p < 0)
            return EXIT_RUNTIME;
        c->units[d] = (uint32_t)p;
        c->sum[d] = 0;
        c->cnt[d] = 0;
    }
    progress_plan(&j->progress, (uint64_t)c->draws * c->reps);
    int rc = job_run(j, 0, c->reps, c->units, c->draws);
    c->replications += (uint64_t)c->draws * c->reps;
    for (uint32_t d = 0; d < c->draws; d++)
        means[d] = c->cnt[d] ? c->sum[d] / c->cnt[d] : NAN;
    return rc;
}

/* Makes the job's levers the experiment's one lever and then the base
 * scenario's assumptions, and draws them. Returns an exit code. */
static int robust_setup(struct experiment *e, const struct opts *o, struct job *j,
                        struct uncertain *u, struct lever **all, struct size_ctx *c)
{
    int rc = uncertain_init(u, j, e->file);
    if (rc)
        return rc;
    const char *lever = e->levers[0].path;
    for (int a = 0; a < u->n; a++)
        if (strcmp(u->names[a], lever) == 0)
            return opts_bad(CMD_SIZE, "--robust: the lever %s is also one of the scenario's "
                            "assumptions (a draw would overwrite it); remove it from the "
                            "scenario's `assumptions` for this sizing", lever);
    if (1 + u->n > MAX_LEVERS)
        return opts_bad(CMD_SIZE, "--robust: %d assumptions and the lever pass %d", u->n,
                        MAX_LEVERS);
    uint32_t D = (uint32_t)e->draws;
    *all = calloc((size_t)u->n + 1, sizeof **all);
    double *theta = malloc((size_t)D * (size_t)u->n * sizeof *theta);
    c->vals = malloc(((size_t)u->n + 1) * sizeof *c->vals);
    c->sum = malloc(D * sizeof *c->sum);
    c->cnt = malloc(D * sizeof *c->cnt);
    c->units = malloc(D * sizeof *c->units);
    c->theta = theta;
    if (!*all || !theta || !c->vals || !c->sum || !c->cnt || !c->units)
        return EXIT_RUNTIME;
    (*all)[0] = e->levers[0];
    memcpy(*all + 1, u->levers, (size_t)u->n * sizeof **all);
    j->levers = *all;   /* one scenario: every lever applies, at its own ref */
    j->nlevers = u->n + 1;
    j->unit_refs = NULL;
    j->applies = NULL;
    c->robust = 1;
    c->draws = D;
    c->reps = (uint32_t)o->reps;
    c->k = u->n;
    return uncertain_draws(u, D, o->seed, e->posterior[0] ? e->posterior : NULL, theta);
}

int main_size(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_SIZE, argc, argv, &o);
    if (rc || o.help)
        return rc;
    struct experiment *e = malloc(sizeof *e);
    struct size_result *res = calloc(1, sizeof *res);
    struct job j = { 0 };
    struct decision price;
    double t0 = driver_seconds();
    rc = decision_init(&price, o.cost_kpi, o.effect_kpi, NAN) ? EXIT_INPUT : EXIT_OK;
    if (!rc)
        rc = e && res ? experiment_load(o.files[0], CMD_SIZE, e) : EXIT_RUNTIME;
    if (!rc)
        rc = experiment_job(e, &o, &j);
    struct uncertain u = { 0 };
    struct lever *all = NULL;
    struct size_ctx c = { &j, e ? e->target.kpi : 0, NULL, 0, &price, 0, 0, 1, 0, 0, NULL,
                          NULL, NULL, NULL, NULL, 0 };
    if (!rc && o.robust > 0)
        rc = robust_setup(e, &o, &j, &u, &all, &c);
    if (!rc && farm_size() > 1)
        rc = opts_bad(CMD_SIZE, "size decides each probe from the last: it runs in one process "
                      "(use -j for the cores of one machine), not under mpirun");
    if (!rc && o.resume)
        rc = opts_bad(CMD_SIZE, "size decides where to probe from what it sees: it cannot be "
                      "resumed (it is quick to rerun: the same seed gives the same answer)");
    /* one part for the whole run: parts exist for --resume, which size refuses, and the task
     * total a part records is fixed at job_open, before any probe exists (a run longer than
     * --checkpoint failed at its end: "task range not within the run's tasks") */
    o.checkpoint = 1e12;
    if (!rc)
        rc = job_open(&j, 0, NULL);
    struct size_spec spec = { 0 };
    if (!rc) {
        const struct lever *L = &e->levers[0];
        spec = (struct size_spec){
            .lo = L->min, .hi = L->max,
            /* no step: 64 steps; an integer setting is bisected on its integers, so the
             * answer is a value it can take, and was probed */
            .step = L->step > 0 ? L->step : L->ref.type == SET_INT ? 1 : (L->max - L->min) / 64,
            .target = e->target.value, .at_most = e->target.at_most,
            .confidence = e->target.confidence, .tolerance = e->target.tolerance,
            .n0 = (uint32_t)o.reps, .max_n = e->target.max_replications,
        };
        if (L->ref.type == SET_INT && spec.step < 1)
            spec.step = 1;
        if (spec.max_n < spec.n0)
            spec.max_n = spec.n0;
        if (o.reps < 2 && !c.robust)
            rc = opts_bad(CMD_SIZE, "size needs a first stage of at least 2 replications (-r)");
    }
    j.observe = observe;
    j.octx = &c;
    if (!rc) {
        struct size_robust_spec rs = { o.robust, c.draws, 1000, o.seed };
        int sr = c.robust ? size_robust_run(&spec, &rs, eval_draws, &c, res)
                          : size_run(&spec, eval, &c, res);
        if (c.robust)
            res->replications = c.replications;
        if (sr == SIZE_UNDEFINED) {
            const struct size_probe *p = &res->probes[res->nprobes - 1];
            fprintf(stderr, "%sincubsim: %s: size stopped: %s is NaN (undefined, or a failed "
                    "run) in %u of the %u %s at %s = %.6g; a target on it cannot be "
                    "decided there (choose a KPI defined in every replication)\n",
                    j.progress.quiet ? "" : "\n", e->file, kpi_descs[e->target.kpi].name,
                    p->undefined, p->undefined + p->n,
                    c.robust ? "draws (every replication of each)" : "replications",
                    e->levers[0].path, p->value);
            rc = EXIT_INPUT;
        } else
            rc = sr < 0 ? EXIT_RUNTIME : sr;
    }
    if (!rc && c.oom)
        rc = EXIT_RUNTIME;
    if (!rc)
        rc = job_finish(&j);
    struct h5_sizing z = { 0 };
    if (!rc) {
        z = (struct h5_sizing){ e->levers[0].path, kpi_descs[e->target.kpi].name, spec.target,
                                spec.confidence, spec.tolerance, spec.at_most, res,
                                NULL, NULL, NAN, NAN, NAN, NAN, c.reps,
                                e->posterior[0] ? e->posterior : "prior" };
        if (price_answer(&price, res, spec.lo, &z))
            rc = EXIT_RUNTIME;
    }
    if (!rc) {
        if (h5out_sizing(j.h, &z)) {
            fprintf(stderr, "incubsim: %s\n", h5out_error(j.h));
            rc = EXIT_RUNTIME;
        }
    }
    rc = job_close(&j, rc);
    if (!rc) {
        struct answer_sizing *ans = calloc(1, sizeof *ans);
        if (ans) {
            snprintf(ans->lever, sizeof ans->lever, "%s", e->levers[0].path);
            snprintf(ans->kpi, sizeof ans->kpi, "%s", kpi_descs[e->target.kpi].name);
            ans->at_most = spec.at_most;
            ans->target = spec.target;
            ans->confidence = spec.confidence;
            ans->tolerance = spec.tolerance;
            ans->hi = spec.hi;
            ans->max_n = spec.max_n;
            ans->res = *res;
            ans->lo = spec.lo;
            ans->reps_per_draw = c.reps;
            snprintf(ans->assumptions, sizeof ans->assumptions, "%s",
                     e->posterior[0] ? e->posterior : "prior");
            if (z.cost_kpi) {   /* the answer's price (DESIGN.md §9) */
                ans->has_price = 1;
                snprintf(ans->cost_kpi, sizeof ans->cost_kpi, "%s", z.cost_kpi);
                snprintf(ans->effect_kpi, sizeof ans->effect_kpi, "%s", z.effect_kpi);
                ans->cost_at_answer = z.cost_at_answer;
                ans->cpe = z.cost_per_extra_effect;
                ans->cpe_low = z.cpe_low;
                ans->cpe_high = z.cpe_high;
            }
            answer_print_sizing(stdout, ans);   /* as `compare` reprints it from the file */
            free(ans);
        }
        experiment_warn_binding(stdout, e, &j.sum);
        printf("\nresults: %s (%d probes, %llu replications, %.1f s)\n", o.out, res->nprobes,
               (unsigned long long)res->replications, driver_seconds() - t0);
    }
    job_free(&j);
    uncertain_free(&u);
    free(all);
    free((double *)c.theta);
    free(c.vals);
    free(c.sum);
    free(c.cnt);
    free(c.units);
    decision_free(&price);
    free(res);
    free(e);
    opts_free(&o);
    return rc;
}
