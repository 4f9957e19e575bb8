/* calibrate.c — `incubsim calibrate`: the base scenario's assumptions fitted
 * to observed figures by history matching (sim/calibrate.h says why this
 * method and how). Each wave's draws are design points of the one scenario,
 * run as tasks of the driver (-j; same bits however many threads); the next
 * wave depends on what this one kept, so calibrate, like size, runs in one
 * process and is not resumed (rerunning with the same seed gives the same
 * posterior). Writes /posterior: every kept draw of every wave with its
 * weight and implausibility; `psa` draws from it with posterior = "FILE". */
#include "cmds.h"
#include "experiment.h"
#include "uncertain.h"
#include "../calibrate.h"
#include "../farm.h"
#include "../text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The box of the next wave reaches this share of the kept draws' range
 * beyond them on each side: what the kept draws missed at the edges. */
#define MARGIN 0.15

int main_calibrate(int argc, char **argv)
{
    struct opts o;
    int rc = opts_parse(CMD_CALIBRATE, argc, argv, &o);
    if (rc || o.help)
        return rc;
    struct experiment *e = malloc(sizeof *e);
    struct job j = { 0 };
    struct uncertain u = { 0 };
    double t0 = driver_seconds();
    rc = e ? experiment_load(o.files[0], CMD_CALIBRATE, e) : EXIT_RUNTIME;
    if (!rc) {
        if (!o.reps_given)
            o.reps = (unsigned long long)e->replications;
        const char *file = e->scenario;
        rc = job_load(&j, &o, &file, 1);
        j.scenario_file = e->scenario;
    }
    if (!rc)
        rc = uncertain_init(&u, &j, e->file);
    if (!rc && farm_size() > 1)
        rc = opts_bad(CMD_CALIBRATE, "calibrate draws each wave from what the last kept: it "
                      "runs in one process (use -j for the cores of one machine), not under mpirun");
    if (!rc && o.resume)
        rc = opts_bad(CMD_CALIBRATE, "calibrate's waves depend on each other: it cannot be "
                      "resumed (the same seed gives the same posterior)");
    /* one part for the whole run: parts exist for --resume, which waves cannot use, and the
     * task total a part records is fixed at job_open, before any wave's points exist */
    o.checkpoint = 1e12;
    if (!rc)
        rc = job_open(&j, 0, NULL);
    int k = u.n, W = rc ? 0 : (int)e->waves, nt = rc ? 0 : e->ntargets;
    size_t D = rc ? 0 : (size_t)e->draws, N = D * (size_t)W;
    double *U = malloc((N ? N : 1) * (size_t)(k ? k : 1) * sizeof *U);
    double *X = malloc((N ? N : 1) * (size_t)(k ? k : 1) * sizeof *X);
    double *imp = malloc((N ? N : 1) * sizeof *imp), *weight = malloc((N ? N : 1) * sizeof *weight);
    double *lo = malloc(((size_t)W + 1) * (size_t)(k ? k : 1) * sizeof *lo);
    double *hi = malloc(((size_t)W + 1) * (size_t)(k ? k : 1) * sizeof *hi);
    unsigned char *keep = calloc(N ? N : 1, 1);
    size_t *count = calloc((size_t)W + 1, sizeof *count);
    uint32_t *wave = malloc((N ? N : 1) * sizeof *wave);
    if (!rc && (!U || !X || !imp || !weight || !lo || !hi || !keep || !count || !wave))
        rc = EXIT_RUNTIME;
    double z[EXP_MAX_TARGETS], sd[EXP_MAX_TARGETS];
    for (int t = 0; t < nt; t++) {
        z[t] = e->targets[t].value;
        sd[t] = e->targets[t].sd;
    }
    for (int a = 0; !rc && a < k; a++) {
        lo[a] = 0;
        hi[a] = 1;
    }
    int waves = 0;
    size_t n = 0, kept = 0;
    for (int w = 0; !rc && w < W; w++) {
        double *uw = U + n * (size_t)k, *xw = X + n * (size_t)k;
        if (calib_draws(k, (int)D, o.seed, w, lo + (size_t)w * (size_t)k,
                        hi + (size_t)w * (size_t)k, uw)) {
            rc = EXIT_RUNTIME;
            break;
        }
        uint32_t *units = malloc(D * sizeof *units);
        if (!units) {
            rc = EXIT_RUNTIME;
            break;
        }
        for (size_t i = 0; i < D && !rc; i++) {
            for (int a = 0; a < k; a++) {
                double q = fmin(fmax(uw[i * (size_t)k + (size_t)a], 1e-9), 1 - 1e-9);
                xw[i * (size_t)k + (size_t)a] = uncertain_quantile(&u, a, q);
            }
            int p = job_add_point(&j, xw + i * (size_t)k);
            if (p < 0)
                rc = EXIT_RUNTIME;
            units[i] = (uint32_t)p;
            wave[n + i] = (uint32_t)w + 1;
        }
        if (!rc) {
            progress_plan(&j.progress, D * o.reps);
            rc = job_run(&j, 0, (uint32_t)o.reps, units, (uint32_t)D);
        }
        free(units);
        size_t kept_now = 0;
        for (size_t i = 0; !rc && i < D; i++) {
            double m[EXP_MAX_TARGETS], v[EXP_MAX_TARGETS];
            for (int t = 0; t < nt; t++) {
                struct summary_stat st;
                summary_stat(&j.sum, n + i, (size_t)e->targets[t].kpi, &st);
                m[t] = st.n > 0 ? st.mean : NAN;
                v[t] = st.n > 1 ? st.sd * st.sd / st.n : NAN;
            }
            imp[n + i] = calib_implausibility(z, sd, m, v, nt, NULL);
            keep[n + i] = imp[n + i] <= e->cut;
            kept_now += keep[n + i];
        }
        count[w] = D;
        n += D;
        waves = w + 1;
        kept += kept_now;
        if (!rc && !o.quiet)
            fprintf(stderr, "\nincubsim: calibrate: wave %d: %zu of %zu draws plausible\n", w + 1,
                    kept_now, D);
        if (rc || kept == 0 || w + 1 == W)
            break;   /* nothing plausible: a narrower box has nothing to aim at */
        calib_box(U, n, k, keep, MARGIN, lo + (size_t)(w + 1) * (size_t)k,
                  hi + (size_t)(w + 1) * (size_t)k);
    }
    if (!rc)
        rc = job_finish(&j);
    if (!rc)
        calib_weights(U, n, k, keep, lo, hi, count, waves, weight);
    /* /posterior: the kept draws */
    double *pv = NULL, *pw = NULL, *pi = NULL;
    uint32_t *pwave = NULL;
    char (*tdesc)[512] = NULL;
    const char *tp[EXP_MAX_TARGETS];
    if (!rc) {
        pv = malloc((kept ? kept : 1) * (size_t)(k ? k : 1) * sizeof *pv);
        pw = malloc((kept ? kept : 1) * sizeof *pw);
        pi = malloc((kept ? kept : 1) * sizeof *pi);
        pwave = malloc((kept ? kept : 1) * sizeof *pwave);
        tdesc = malloc((size_t)(nt ? nt : 1) * sizeof *tdesc);
        if (!pv || !pw || !pi || !pwave || !tdesc)
            rc = EXIT_RUNTIME;
    }
    size_t r = 0;
    for (size_t i = 0; !rc && i < n; i++)
        if (keep[i]) {
            memcpy(pv + r * (size_t)k, j.points + i * (size_t)k, (size_t)k * sizeof *pv);
            pw[r] = weight[i];
            pi[r] = imp[i];
            pwave[r] = wave[i];
            r++;
        }
    for (int t = 0; !rc && t < nt; t++) {
        text_fmt(tdesc[t], sizeof tdesc[t], "%s = %.6g +- %.3g (%s)", e->targets[t].kpi_name,
                 z[t], sd[t], e->targets[t].source);
        tp[t] = tdesc[t];
    }
    if (!rc) {
        char method[600];
        text_fmt(method, sizeof method, "%s; %d waves of %zu draws x %llu replications",
                 CALIB_METHOD, waves, D, o.reps);
        struct h5_posterior hp = { u.names, k, kept, pv, pw, pi, pwave, method, tp, nt, e->cut };
        if (h5out_posterior(j.h, &hp)) {
            fprintf(stderr, "incubsim: %s\n", h5out_error(j.h));
            rc = EXIT_RUNTIME;
        }
    }
    rc = job_close(&j, rc);
    if (!rc) {
        printf("calibrate: %s: %d waves of %zu draws x %llu replications; %zu plausible "
               "(implausibility <= %g)\n", e->name, waves, D, o.reps, kept, e->cut);
        if (kept == 0)
            printf("  no draw is plausible: the targets cannot all be met inside the priors "
                   "(or their sds are too tight); /posterior is empty\n");
        printf("\n  %-46s %25s %25s  %s\n", "assumption", "prior 95%", "posterior 95%",
               "width ratio");
        double *col = malloc((n ? n : 1) * sizeof *col);
        for (int a = 0; col && a < k && kept; a++) {
            for (size_t i = 0; i < n; i++)
                col[i] = j.points[i * (size_t)k + (size_t)a];
            double plo = dist_quantile(&u.prior[a], 0.025), phi = dist_quantile(&u.prior[a], 0.975);
            double qlo = calib_weighted_quantile(col, weight, n, 0.025),
                   qhi = calib_weighted_quantile(col, weight, n, 0.975);
            double ratio = phi > plo ? (qhi - qlo) / (phi - plo) : NAN;
            printf("  %-46.46s [%10.4g, %10.4g] [%10.4g, %10.4g]  %.2f%s\n", u.names[a], plo,
                   phi, qlo, qhi, ratio, ratio < 0.5 ? " (learned)" : "");
        }
        free(col);
        printf("\n  %-24s %12s %10s  %s\n", "target", "observed", "sd", "source");
        for (int t = 0; t < nt; t++)
            printf("  %-24s %12.4g %10.3g  %s\n", e->targets[t].kpi_name, z[t], sd[t],
                   e->targets[t].source);
        printf("\nresults: %s (/posterior; %.1f s); psa draws from it with posterior = \"%s\"\n",
               o.out, driver_seconds() - t0, o.out);
    }
    job_free(&j);
    uncertain_free(&u);
    free(U); free(X); free(imp); free(weight); free(lo); free(hi); free(keep); free(count);
    free(wave); free(pv); free(pw); free(pi); free(pwave); free(tdesc);
    free(e);
    opts_free(&o);
    return rc;
}
