/* increments.c — paired increments, Fieller's ICER interval, dominance; see
 * increments.h. */
#include "increments.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>

const char *const inc_status_names[] = { NULL, "reference", "frontier", "dominated",
                                         "extended_dominated", NULL };
const char *const inc_against_names[] = { NULL, "reference", "frontier", NULL };
const char *const inc_ci_names[] = { NULL, "bounded", "unbounded", "none", NULL };

/* Two-pass sums over the usable pairs: means first, then centred
 * (co)variances, so nothing cancels when the deltas are large and close. */
void inc_pair(const struct inc_option *a, const struct inc_option *b, size_t n, double level,
              double lambda, struct inc_row *r)
{
    double sc = 0, se = 0;
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double dc = a->cost[i] - b->cost[i], de = a->effect[i] - b->effect[i];
        if (isnan(dc) || isnan(de))
            continue;
        sc += dc;
        se += de;
        m++;
    }
    r->n = m;
    double mc = m ? sc / m : NAN, me = m ? se / m : NAN;
    double cc = 0, ee = 0, ce = 0;
    for (size_t i = 0; m && i < n; i++) {
        double dc = a->cost[i] - b->cost[i], de = a->effect[i] - b->effect[i];
        if (isnan(dc) || isnan(de))
            continue;
        cc += (dc - mc) * (dc - mc);
        ee += (de - me) * (de - me);
        ce += (dc - mc) * (de - me);
    }
    r->delta_cost = mc;
    r->delta_effect = me;
    r->icer = me != 0 ? mc / me : NAN;
    int have_lambda = !isnan(lambda);
    r->net_benefit = have_lambda ? lambda * me - mc : NAN;
    r->delta_cost_low = r->delta_cost_high = NAN;
    r->delta_effect_low = r->delta_effect_high = NAN;
    r->icer_low = r->icer_high = NAN;
    r->net_benefit_low = r->net_benefit_high = NAN;
    r->icer_ci = INC_CI_NONE;
    if (m < 2)
        return;
    /* (co)variances of the means */
    double vcc = cc / (m - 1) / m, vee = ee / (m - 1) / m, vce = ce / (m - 1) / m;
    double t = stats_t_quantile(level, (double)(m - 1)), t2 = t * t;
    double hc = t * sqrt(vcc), he = t * sqrt(vee);
    r->delta_cost_low = mc - hc;
    r->delta_cost_high = mc + hc;
    r->delta_effect_low = me - he;
    r->delta_effect_high = me + he;
    if (have_lambda) {
        /* var(lambda dE - dC) = lambda^2 vEE - 2 lambda vCE + vCC */
        double v = lambda * lambda * vee - 2 * lambda * vce + vcc;
        double h = t * sqrt(v > 0 ? v : 0);
        r->net_benefit_low = r->net_benefit - h;
        r->net_benefit_high = r->net_benefit + h;
    }
    /* Fieller: a R^2 - 2 b R + c <= 0 */
    double qa = me * me - t2 * vee, qb = mc * me - t2 * vce, qc = mc * mc - t2 * vcc;
    if (!(qa > 0)) {
        r->icer_ci = INC_CI_UNBOUNDED;
        return;
    }
    /* With qa > 0 the parabola opens upwards and at R = mc/me it equals
     * -t^2 (vcc - 2 R vce + R^2 vee) <= 0, so it has real roots: the
     * discriminant is >= 0 up to rounding. */
    double disc = qb * qb - qa * qc;
    double sq = sqrt(disc > 0 ? disc : 0);
    r->icer_low = (qb - sq) / qa;
    r->icer_high = (qb + sq) / qa;
    r->icer_ci = INC_CI_BOUNDED;
}

int inc_frontier(const double *cost, const double *effect, size_t k, int *status,
                 size_t *frontier, size_t *nfrontier)
{
    *nfrontier = 0;
    if (!k)
        return 0;
    size_t *ord = malloc(k * sizeof *ord);
    if (!ord)
        return -1;
    /* insertion sort: cost up, effect down, index up (k is small; stable) */
    for (size_t i = 0; i < k; i++) {
        size_t j = i;
        while (j > 0) {
            size_t p = ord[j - 1];
            int after = cost[p] > cost[i] || (cost[p] == cost[i] && effect[p] < effect[i]);
            if (!after)
                break;
            ord[j] = p;
            j--;
        }
        ord[j] = i;
    }
    /* strong dominance: some option earlier in the order is at least as effective */
    size_t nf = 0;
    double best = -INFINITY;
    for (size_t j = 0; j < k; j++) {
        size_t o = ord[j];
        if (j > 0 && effect[o] <= best) {
            status[o] = INC_DOMINATED;
        } else {
            status[o] = INC_FRONTIER;
            frontier[nf++] = o;
        }
        if (effect[o] > best)
            best = effect[o];
    }
    /* extended dominance: drop every interior option whose ICER exceeds the
     * next one's, recompute, until none is dropped */
    for (int changed = 1; changed && nf > 2;) {
        changed = 0;
        size_t keep = 1;
        for (size_t j = 1; j + 1 < nf; j++) {
            size_t p = frontier[j - 1], o = frontier[j], q = frontier[j + 1];
            double in = (cost[o] - cost[p]) / (effect[o] - effect[p]);
            double out = (cost[q] - cost[o]) / (effect[q] - effect[o]);
            if (in > out) {
                status[o] = INC_EXTENDED_DOMINATED;
                changed = 1;
            }
        }
        for (size_t j = 1; j < nf; j++)
            if (status[frontier[j]] == INC_FRONTIER)
                frontier[keep++] = frontier[j];
        nf = keep;
    }
    *nfrontier = nf;
    free(ord);
    return 0;
}

int inc_compute(const struct inc_option *opt, size_t k, size_t n, size_t ref, double level,
                double lambda, struct inc_row *rows, size_t *nrows, int *ref_status)
{
    *nrows = 0;
    if (k == 0 || ref >= k || !(level > 0 && level < 1))
        return -1;
    double *mc = malloc(2 * k * sizeof *mc);
    int *status = malloc(k * sizeof *status);
    size_t *front = malloc(k * sizeof *front);
    if (!mc || !status || !front) {
        free(mc);
        free(status);
        free(front);
        return -1;
    }
    double *me = mc + k;
    int rc = 0;
    for (size_t i = 0; i < k; i++) {
        struct inc_row *r = &rows[i];
        inc_pair(&opt[i], &opt[ref], n, level, lambda, r);
        r->option = i;
        r->versus = ref;
        r->against = INC_AGAINST_REFERENCE;
        if (i == ref) {
            /* its own row: no ratio, no interval (the differences are all 0) */
            r->icer = r->icer_low = r->icer_high = NAN;
            r->icer_ci = INC_CI_NONE;
        }
        mc[i] = r->delta_cost;
        me[i] = r->delta_effect;
        if (r->n == 0 && rc == 0)
            rc = -2 - (int)i;
    }
    size_t nf = 0;
    if (rc == 0 && inc_frontier(mc, me, k, status, front, &nf) != 0)
        rc = -1;
    if (rc == 0) {
        for (size_t i = 0; i < k; i++)
            rows[i].status = i == ref ? INC_REFERENCE : status[i];
        if (ref_status)
            *ref_status = status[ref];
        size_t nr = k;
        for (size_t j = 1; j < nf; j++) {
            struct inc_row *r = &rows[nr++];
            size_t o = front[j], p = front[j - 1];
            inc_pair(&opt[o], &opt[p], n, level, lambda, r);
            r->option = o;
            r->versus = p;
            r->against = INC_AGAINST_FRONTIER;
            r->status = o == ref ? INC_REFERENCE : status[o];
        }
        *nrows = nr;
    }
    free(mc);
    free(status);
    free(front);
    return rc;
}
