/* psa.c — `incubsim psa`: the options under parameter uncertainty (DESIGN.md
 * §10). The assumptions the scenarios declare are drawn (sim/psa.h); each
 * draw is a design point of every option, so the task grid is (option,
 * draw, replication) and -j, MPI, --resume and the progress bar work as for
 * any grid, with the same bits however run. Replication r of every option
 * at every draw uses the same streams (common random numbers), so the
 * options' differences within a draw are free of their luck.
 *
 * What a draw contributes is each option's KPI means over its replications.
 * Over the draws: increments against the reference with 95% intervals
 * (percentiles of the per-draw paired deltas: parameter uncertainty plus the
 * Monte Carlo noise a draw's mean keeps), the acceptability curve, and the
 * EVPPI of each assumption (sim/evppi.h). */
#include "cmds.h"
#include "experiment.h"
#include "uncertain.h"
#include "../evppi.h"
#include "../increments.h"
#include "../psa.h"
#include "../../output/decision.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NLAMBDA = 21 };

#define PSA_INTERVAL "every *_low, *_high: the central 95% of the per-draw paired deltas (the " \
                     "draws of the assumptions: parameter uncertainty, and the Monte Carlo noise " \
                     "each draw's mean over its replications keeps)"
#define PSA_ICER_INTERVAL "central 95% of the per-draw ICERs when every draw's delta_effect " \
                          "has one sign (bounded); else unbounded, NaN stored"

struct analysis {
    size_t S, D, k, nk;
    double *kpi;            /* [(d * S + s) * nk + q] */
    double *theta;          /* [(d * S + s) * k + a]: the value each option ran with */
    double *cost, *effect;  /* [d * S + s] */
    double *ocost, *oeffect;/* [s * D + d]: per option, for the increments */
};

static void analysis_free(struct analysis *a)
{
    free(a->kpi);
    free(a->theta);
    free(a->cost);
    free(a->effect);
    free(a->ocost);
    free(a->oeffect);
}

static int gather(const struct job *j, const struct uncertain *u, int cq, int eq,
                  struct analysis *a)
{
    a->S = (size_t)j->nscs;
    a->D = j->npoints;
    a->k = (size_t)u->n;
    a->nk = kpi_count;
    size_t rows = a->S * a->D;
    a->kpi = malloc(rows * a->nk * sizeof *a->kpi);
    a->theta = malloc(rows * a->k * sizeof *a->theta);
    a->cost = malloc(rows * sizeof *a->cost);
    a->effect = malloc(rows * sizeof *a->effect);
    a->ocost = malloc(rows * sizeof *a->ocost);
    a->oeffect = malloc(rows * sizeof *a->oeffect);
    if (!a->kpi || !a->theta || !a->cost || !a->effect || !a->ocost || !a->oeffect)
        return -1;
    for (size_t d = 0; d < a->D; d++)
        for (size_t s = 0; s < a->S; s++) {
            size_t r = d * a->S + s, unit = s * a->D + d;
            for (size_t q = 0; q < a->nk; q++) {
                struct summary_stat st;
                summary_stat(&j->sum, unit, q, &st);
                a->kpi[r * a->nk + q] = st.n > 0 ? st.mean : NAN;
            }
            for (size_t p = 0; p < a->k; p++) {
                size_t at = s * a->k + p;
                a->theta[r * a->k + p] = u->applies[at] ? j->points[d * a->k + p]
                                       : NAN;   /* the option keeps its own value */
            }
            a->cost[r] = a->ocost[unit] = a->kpi[r * a->nk + (size_t)cq];
            a->effect[r] = a->oeffect[unit] = a->kpi[r * a->nk + (size_t)eq];
        }
    /* an option that does not take an assumption: the value it ran with */
    for (size_t s = 0; s < a->S; s++)
        for (size_t p = 0; p < a->k; p++)
            if (!u->applies[s * a->k + p]) {
                struct setting_ref ref;
                struct diag dg;
                double v = settings_resolve(&scenario_table, j->scs[s], u->names[p], &ref, &dg)
                           ? NAN : settings_ref_get(&ref, j->scs[s]);
                for (size_t d = 0; d < a->D; d++)
                    a->theta[(d * a->S + s) * a->k + p] = v;
            }
    return 0;
}

/* The decision table of the draws (output/decision.h: each draw is a pair,
 * its value an option's mean over the draw's replications), with every
 * interval replaced by the central 95% of the per-draw values, so that it
 * holds what we do not know, not only the Monte Carlo error of the mean. */
static int increments(const struct analysis *a, const struct job *j, const struct opts *o,
                      struct decision *dc)   /* dc: decision_init'ed */
{
    char why[200];
    for (size_t s = 0; s < a->S; s++) {
        if (decision_option(dc, j->scs[s]->name) < 0)
            return EXIT_RUNTIME;
        for (size_t d = 0; d < a->D; d++) {
            struct kpi k;
            for (size_t q = 0; q < a->nk; q++)
                *(double *)((char *)&k + kpi_descs[q].offset) = a->kpi[(d * a->S + s) * a->nk + q];
            if (decision_add(dc, s, (uint32_t)d, &k))
                return EXIT_RUNTIME;
        }
    }
    int ref = decision_reference(dc, o->reference, NULL);
    if (ref < 0) {
        fprintf(stderr, "incubsim: --reference \"%s\" is not among the experiment's scenarios\n",
                o->reference);
        return EXIT_INPUT;
    }
    int c = decision_compute(dc, (size_t)ref, why, sizeof why);
    if (c == -2) {
        fprintf(stderr, "incubsim: psa: %s has no draw paired with the reference\n", why);
        return EXIT_RUNTIME;
    }
    if (c)
        return EXIT_RUNTIME;
    double lambda = dc->lambda;
    double *dcost = malloc(a->D * sizeof *dcost), *de = malloc(a->D * sizeof *de),
           *x = malloc(a->D * sizeof *x), *scratch = malloc(a->D * sizeof *scratch);
    int rc = dcost && de && x && scratch ? 0 : EXIT_RUNTIME;
    for (size_t r = 0; !rc && r < dc->nrows; r++) {
        struct inc_row *w = &dc->rows[r];
        const double *ca = dc->opt[w->option].cost, *ea = dc->opt[w->option].effect,
                     *cb = dc->opt[w->versus].cost, *eb = dc->opt[w->versus].effect;
        int same_sign = 1;
        double *dc_ = dcost;
        for (size_t d = 0; d < a->D; d++) {
            dc_[d] = ca[d] - cb[d];
            de[d] = ea[d] - eb[d];
            same_sign &= (de[d] > 0) == (de[0] > 0) && de[d] != 0;
        }
        double m;
        psa_interval(dc_, a->D, 0.95, scratch, &m, &w->delta_cost_low, &w->delta_cost_high);
        psa_interval(de, a->D, 0.95, scratch, &m, &w->delta_effect_low, &w->delta_effect_high);
        for (size_t d = 0; d < a->D; d++)
            x[d] = lambda * de[d] - dc_[d];
        if (!isnan(lambda))
            psa_interval(x, a->D, 0.95, scratch, &m, &w->net_benefit_low, &w->net_benefit_high);
        if (w->option != w->versus && same_sign) {   /* the ratio is bounded in every draw */
            for (size_t d = 0; d < a->D; d++)
                x[d] = dc_[d] / de[d];
            psa_interval(x, a->D, 0.95, scratch, &m, &w->icer_low, &w->icer_high);
            w->icer_ci = INC_CI_BOUNDED;
        } else if (w->option != w->versus) {
            w->icer_low = w->icer_high = NAN;
            w->icer_ci = INC_CI_UNBOUNDED;
        }
    }
    free(dcost);
    free(de);
    free(x);
    free(scratch);
    return rc;
}

struct ranked_evppi {
    const char *setting;
    double value;
};

static int by_value_desc(const void *p, const void *q)
{
    double a = ((const struct ranked_evppi *)p)->value, b = ((const struct ranked_evppi *)q)->value;
    return (a < b) - (a > b);
}

int main_psa(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_PSA, argc, argv, &o);
    if (rc || o.help)
        return rc;
    struct experiment *e = malloc(sizeof *e);
    struct job j = { 0 };
    struct uncertain u = { 0 };
    struct analysis an = { 0 };
    double *theta = NULL, *ev = NULL;
    struct decision dc = { 0 };
    struct h5_ceac_row *ceac = NULL;
    struct h5_evppi_row *evr = NULL;
    double t0 = driver_seconds();
    rc = e ? experiment_load(o.files[0], CMD_PSA, e) : EXIT_RUNTIME;
    if (!rc && decision_init(&dc, o.cost_kpi, o.effect_kpi, o.lambda))
        rc = EXIT_INPUT;   /* an unknown --cost or --effect, before anything runs */
    if (!rc) {
        if (!o.reps_given)
            o.reps = (unsigned long long)e->replications;
        const char *files[EXP_MAX_SCENARIOS];
        for (int i = 0; i < e->nscenarios; i++)
            files[i] = e->scenarios[i];
        rc = job_load(&j, &o, files, e->nscenarios);
    }
    if (!rc)
        rc = uncertain_init(&u, &j, e->file);
    size_t D = rc ? 0 : (size_t)e->draws, k = (size_t)u.n;
    if (!rc && !(theta = malloc(D * k * sizeof *theta)))
        rc = EXIT_RUNTIME;
    if (!rc)
        rc = uncertain_draws(&u, (uint32_t)D, o.seed, e->posterior[0] ? e->posterior : NULL, theta);
    for (size_t d = 0; !rc && d < D; d++)
        if (job_add_point(&j, theta + d * k) < 0)
            rc = EXIT_RUNTIME;
    if (!rc && o.analyse)   /* the runs are done (shards merged): adopt them */
        rc = job_adopt(&j, o.analyse);
    else if (!rc)
        rc = job_open(&j, 0, NULL);
    if (!rc && !o.analyse) {
        progress_plan(&j.progress, j.end - j.next);
        rc = job_run(&j, 0, (uint32_t)o.reps, NULL, 0);
    }
    if (!rc)
        rc = job_finish(&j);
    if (!rc && o.shards) {   /* a shard: the analysis needs every draw's runs */
        uint64_t first = j.total * o.shard / o.shards;
        rc = job_close(&j, rc);
        if (!rc)
            printf("psa: %s: shard %llu/%llu (tasks %llu..%llu of %llu) written to %s; when "
                   "every shard is done: incubsim merge -o ALL.h5 SHARD.h5 ..., then incubsim "
                   "psa %s --analyse ALL.h5 -o PSA.h5 (with the same -s, -r and --set)\n",
                   e->name, o.shard, o.shards, (unsigned long long)first,
                   (unsigned long long)j.end - 1, (unsigned long long)j.total, o.out, e->file);
        job_free(&j);
        uncertain_free(&u);
        free(theta);
        decision_free(&dc);
        free(e);
        opts_free(&o);
        return rc;
    }
    if (!rc && gather(&j, &u, dc.cost_kpi, dc.effect_kpi, &an))
        rc = EXIT_RUNTIME;
    const char *cost_name = kpi_descs[dc.cost_kpi].name, *effect_name = kpi_descs[dc.effect_kpi].name;
    size_t S = an.S;
    double lam[NLAMBDA];
    double lmin = e && e->nvalue_per_effect == 2 ? e->value_per_effect[0] : 0;
    double lmax = e && e->nvalue_per_effect == 2 ? e->value_per_effect[1] : 3e7;
    for (int q = 0; q < NLAMBDA; q++)
        lam[q] = lmin + (lmax - lmin) * q / (NLAMBDA - 1);
    double lmid = lam[NLAMBDA / 2];
    if (!rc) {
        ceac = calloc((size_t)NLAMBDA * S, sizeof *ceac);
        evr = calloc(((size_t)k + 1) * NLAMBDA, sizeof *evr);
        ev = malloc(NLAMBDA * sizeof *ev);
        rc = !ceac || !evr || !ev ? EXIT_RUNTIME : increments(&an, &j, &o, &dc);
    }
    size_t ref = dc.ref;
    if (!rc && (h5out_increments(j.h, &dc)
                || h5out_table_note(j.h, "increments", "interval_method", PSA_INTERVAL)
                || h5out_table_note(j.h, "increments", "icer_interval_method", PSA_ICER_INTERVAL)))
        rc = EXIT_RUNTIME;
    /* /psa, /ceac, /evppi */
    if (!rc) {
        const char **scen = malloc(S * sizeof *scen);
        if (!scen)
            rc = EXIT_RUNTIME;
        for (size_t s = 0; !rc && s < S; s++)
            scen[s] = j.scs[s]->name;
        struct h5_psa p = { u.names, u.n, scen, (int)S, (uint32_t)D, an.theta, an.kpi,
                            e->posterior[0] ? e->posterior : "prior" };
        if (!rc && h5out_psa(j.h, &p))
            rc = EXIT_RUNTIME;
        free(scen);
    }
    for (int q = 0; !rc && q < NLAMBDA; q++) {
        double prob[EXP_MAX_SCENARIOS];
        psa_ceac(an.cost, an.effect, D, S, lam[q], prob);
        for (size_t s = 0; s < S; s++) {
            struct h5_ceac_row *c = &ceac[(size_t)q * S + s];
            c->value_per_effect = lam[q];
            snprintf(c->scenario, sizeof c->scenario, "%s", j.scs[s]->name);
            c->probability_best = prob[s];
        }
    }
    if (!rc && h5out_ceac(j.h, ceac, (size_t)NLAMBDA * S, cost_name, effect_name))
        rc = EXIT_RUNTIME;
    double *col = rc ? NULL : malloc((D ? D : 1) * sizeof *col);
    if (!rc && !col)
        rc = EXIT_RUNTIME;
    for (size_t p = 0; !rc && p <= k; p++) {
        if (p < k) {
            for (size_t d = 0; d < D; d++)
                col[d] = j.points[d * k + p];
            if (evppi_estimate(col, an.cost, an.effect, D, S, lam, NLAMBDA, ev))
                rc = EXIT_RUNTIME;
        } else {
            for (int q = 0; q < NLAMBDA; q++)
                ev[q] = evppi_evpi(an.cost, an.effect, D, S, lam[q]);
        }
        for (int q = 0; q < NLAMBDA; q++) {
            struct h5_evppi_row *r = &evr[p * NLAMBDA + (size_t)q];
            snprintf(r->setting, sizeof r->setting, "%s", p < k ? u.names[p] : "(all: EVPI)");
            r->value_per_effect = lam[q];
            r->evppi = ev[q];
        }
    }
    free(col);
    if (!rc && h5out_evppi(j.h, evr, (k + 1) * NLAMBDA, EVPPI_METHOD, (uint32_t)D))
        rc = EXIT_RUNTIME;
    if (rc == EXIT_RUNTIME && j.h && *h5out_error(j.h))
        fprintf(stderr, "incubsim: %s\n", h5out_error(j.h));
    uint64_t failed = j.failed;
    rc = job_close(&j, rc);
    if (!rc) {
        printf("psa: %s: %zu draws of %zu assumptions (%s) x %zu options x %llu replications%s\n",
               e->name, D, k, e->posterior[0] ? e->posterior : "from their priors", S, o.reps,
               failed ? " (some failed: see /runs status)" : "");
        printf("\nincrements against %s (cost %s, effect %s; 95%% intervals over the draws: "
               "what we do not know, and Monte Carlo noise)\n", j.scs[ref]->name, cost_name,
               effect_name);
        printf("  %-24s %12s %27s %9s %21s %10s %s\n", "option", "delta_cost", "95% interval",
               "d_effect", "95% interval", "ICER", "status");
        for (size_t r = 0; r < dc.nrows; r++) {
            const struct inc_row *w = &dc.rows[r];
            if (w->against != INC_AGAINST_REFERENCE || w->option == ref)
                continue;
            printf("  %-24.24s %12.4g [%12.4g, %12.4g] %9.3g [%9.3g, %9.3g] %10.3g %s\n",
                   j.scs[w->option]->name, w->delta_cost, w->delta_cost_low, w->delta_cost_high,
                   w->delta_effect, w->delta_effect_low, w->delta_effect_high, w->icer,
                   inc_status_names[w->status]);
        }
        printf("\nprobability of the highest net benefit (lambda x %s - %s), by lambda in yuan\n"
               "  %-24s %10.3g %10.3g %10.3g\n", effect_name, cost_name, "option", lam[0], lmid,
               lam[NLAMBDA - 1]);
        for (size_t s = 0; s < S; s++)
            printf("  %-24.24s %10.3f %10.3f %10.3f\n", j.scs[s]->name,
                   ceac[s].probability_best, ceac[(size_t)(NLAMBDA / 2) * S + s].probability_best,
                   ceac[(size_t)(NLAMBDA - 1) * S + s].probability_best);
        struct ranked_evppi *rk = malloc((k ? k : 1) * sizeof *rk);
        if (rk) {
            for (size_t p = 0; p < k; p++)
                rk[p] = (struct ranked_evppi){ u.names[p], evr[p * NLAMBDA + NLAMBDA / 2].evppi };
            qsort(rk, k, sizeof *rk, by_value_desc);
            printf("\nwhich unknown is worth researching first: EVPPI at lambda = %.3g yuan "
                   "(EVPI, everything at once: %.4g)\n", lmid,
                   evr[k * NLAMBDA + NLAMBDA / 2].evppi);
            for (size_t p = 0; p < k && p < 10; p++)
                printf("  %-46s %12.4g yuan\n", rk[p].setting, rk[p].value);
            free(rk);
        }
        if (D < 64)
            printf("  (with %zu draws the EVPPI is rough: its regression wants 64 or more)\n", D);
        printf("\nresults: %s (/psa, /ceac, /evppi; %.1f s)\n", o.out, driver_seconds() - t0);
    }
    analysis_free(&an);
    job_free(&j);
    uncertain_free(&u);
    free(theta);
    free(ev);
    decision_free(&dc);
    free(ceac);
    free(evr);
    free(e);
    opts_free(&o);
    return rc;
}
