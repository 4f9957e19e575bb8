/* sequential.c — see sequential.h. */
#include "sequential.h"

#include <gsl/gsl_cdf.h>
#include <math.h>






void seq_observe(struct seq_track *s, double x)
{
    if (isnan(x))
        return;
    /* the third central moment, updated from the mean and m2 before x joins them */
    double n0 = (double)s->t.n, n = n0 + 1, d = x - (s->t.n ? s->t.mean : x), dn = d / n;
    s->m3 += d * dn * n0 * dn * (n - 2) - 3 * dn * s->t.m2;
    tally_add(&s->t, x);
    s->ones += x == 1.0;
    s->nonbinary += x != 0.0 && x != 1.0;
}

double seq_skewness(const struct seq_track *s)
{
    double n = (double)s->t.n;
    if (s->t.n < 3 || !(s->t.m2 > 0))
        return 0;
    return sqrt(n) * s->m3 / pow(s->t.m2, 1.5);
}

uint64_t seq_skew_min_n(const struct seq_rule *r, const struct seq_track *s)
{
    double g = seq_skewness(s), want = r->skew_factor * g * g;
    return want > 1e9 ? 1000000000u : (uint64_t)ceil(want);
}

int seq_look(const struct seq_rule *r, struct seq_track *s)
{
    uint64_t n = s->t.n;
    int ok = n >= r->min_n && n >= 2;
    if (ok) {
        double hw = tally_halfwidth(&s->t, 0.95);
        ok = !isnan(hw) && hw <= r->halfwidth;
    }
    /* 0/1 data with both outcomes: each at least min_each times. A KPI constant so far
     * (all 0, all 1, or any one value) has half-width 0: met, after the look-ahead */
    if (ok && s->nonbinary == 0 && s->ones > 0 && s->ones < n)
        ok = s->ones >= r->min_each && n - s->ones >= r->min_each;
    if (ok && r->skew_factor > 0)
        ok = n >= seq_skew_min_n(r, s);
    s->looks_ok = ok ? s->looks_ok + 1 : 0;
    /* no spread yet (a constant, or a rare 0/1 event not seen): met only at a
     * second look, after the look-ahead, whatever r->looks says */
    int need = r->looks < 2 && !(s->t.m2 > 0) ? 2 : r->looks;
    s->done = s->looks_ok >= need;
    return s->done;
}

uint64_t seq_next_n(const struct seq_rule *r, const struct seq_track *s, uint64_t max)
{
    uint64_t n = s->t.n, next;
    if (s->looks_ok > 0) {   /* met once: the look-ahead, a half more replications */
        next = n + n / 2 + 1;
    } else {
        uint64_t lo = n + (n / 5 > 1 ? n / 5 : 1), hi = 2 * n;
        double hw = n >= 2 ? tally_halfwidth(&s->t, 0.95) : NAN;
        double want = isnan(hw) ? (double)hi
                      : ceil((double)n * (hw / r->halfwidth) * (hw / r->halfwidth));
        if (r->skew_factor > 0 && want < (double)seq_skew_min_n(r, s))
            want = (double)seq_skew_min_n(r, s);
        next = want < (double)lo ? lo : want > (double)hi ? hi : (uint64_t)want;
    }
    if (next < r->min_n)
        next = r->min_n;
    return next > max ? max : next;
}

uint64_t seq_pilot_n(const struct seq_rule *r, const struct seq_track *pilot, uint64_t max)
{
    double n0 = (double)pilot->t.n, want = (double)r->min_n;
    if (pilot->t.n >= 2 && pilot->t.m2 > 0) {
        /* an upper 90% bound on the variance, then the n its 95% half-width needs */
        double s2 = pilot->t.m2 / (n0 - 1), ucl = s2 * (n0 - 1) / gsl_cdf_chisq_Pinv(0.1, n0 - 1);
        double t = gsl_cdf_tdist_Pinv(0.975, n0 - 1);
        want = fmax(want, ceil(t * t * ucl / (r->halfwidth * r->halfwidth)));
        double g = seq_skewness(pilot);
        want = fmax(want, ceil(SEQ_PILOT_SKEW * g * g));
    }
    return want >= (double)max ? max : (uint64_t)want;
}
