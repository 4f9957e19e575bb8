#include "dist.h"
#include "../sim/rng.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

const char *const dist_kind_names[DIST_COUNT + 1] = {
    "fixed", "exponential", "lognormal", "gamma", "weibull", "uniform", "beta", NULL
};

const char *const dist_param_names[DIST_COUNT][2] = {
    { "value", NULL }, { "mean", NULL }, { "mean", "sd" }, { "mean", "sd" },
    { "scale", "shape" }, { "min", "max" }, { "a", "b" }
};

/* Every parameter, as written and as derived, must be a finite number in a
 * range where draws stay finite: a draw that overflows would reach the model
 * as inf or NaN. Limits: |x| <= 1e300 as written; a lognormal's log-scale
 * mean + 9 sigma below 709 (exp's limit), so a draw overflows with
 * probability < 1e-18; a gamma's shape and a beta's parameters <= 1e10 (a
 * narrower law is a `fixed` one); a Weibull's 1 - 1e-18 quantile finite. */
const char *dist_prepare(struct dist *d)
{
    int two = d->kind >= 0 && d->kind < DIST_COUNT && dist_param_names[d->kind][1] != NULL;
    if (!isfinite(d->a) || fabs(d->a) > 1e300 || (two && (!isfinite(d->b) || fabs(d->b) > 1e300)))
        return "parameters must be finite numbers of magnitude at most 1e300";
    switch (d->kind) {
    case DIST_FIXED:
        break;
    case DIST_EXPONENTIAL:
        if (!(d->a > 0)) return "mean must be > 0";
        break;
    case DIST_LOGNORMAL:
        if (!(d->a > 0) || !(d->b > 0)) return "mean and sd must be > 0";
        d->q = sqrt(log1p((d->b / d->a) * (d->b / d->a)));   /* sigma */
        d->p = log(d->a) - 0.5 * d->q * d->q;                 /* mu */
        if (!isfinite(d->q) || !isfinite(d->p) || d->p + 9 * d->q > 709)
            return "sd is too large for this mean: draws would overflow (log-scale mu + 9 sigma "
                   "must stay below 709)";
        break;
    case DIST_GAMMA:
        if (!(d->a > 0) || !(d->b > 0)) return "mean and sd must be > 0";
        d->p = (d->a / d->b) * (d->a / d->b);                 /* shape */
        d->q = d->b * d->b / d->a;                            /* scale */
        if (!isfinite(d->p) || d->p > 1e10)
            return "sd is too small for this mean (shape over 1e10): use a fixed value";
        if (!(d->q > 0) || !isfinite(d->q) || d->p < 1e-3)
            return "sd is too large for this mean (shape under 1e-3): draws would collapse to 0";
        break;
    case DIST_WEIBULL:
        if (!(d->a > 0) || !(d->b > 0)) return "scale and shape must be > 0";
        if (log(d->a) + log(41.5) / d->b > 709)   /* the 1 - 1e-18 quantile */
            return "shape is too small for this scale: draws would overflow";
        break;
    case DIST_UNIFORM:
        if (!(d->b > d->a)) return "max must be > min";
        if (!isfinite(d->b - d->a)) return "max - min must be finite";
        break;
    case DIST_BETA:
        if (!(d->a > 0) || !(d->b > 0)) return "a and b must be > 0";
        if (d->a > 1e10 || d->b > 1e10) return "a and b must be at most 1e10";
        if (d->a < 1e-3 || d->b < 1e-3) return "a and b must be at least 1e-3";
        break;
    default:
        return "unknown distribution";
    }
    return NULL;
}

double prob_logit(double p)
{
    return p > 0 && p < 1 ? log(p / (1.0 - p)) : 0.0;
}

double prob_shift(double base, double base_logit, double log_odds)
{
    if (base <= 0.0) return 0.0;
    if (base >= 1.0) return 1.0;
    if (log_odds == 0.0) return base;   /* the common case: no exp */
    return 1.0 / (1.0 + exp(-(base_logit + log_odds)));
}

double dist_draw(const struct dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case DIST_FIXED:       return d->a;
    case DIST_EXPONENTIAL: return rng_exponential(r, d->a);
    /* the same law as gsl_ran_lognormal, through the faster ziggurat normal */
    case DIST_LOGNORMAL:   return exp(d->p + d->q * gsl_ran_gaussian_ziggurat(r, 1.0));
    case DIST_GAMMA:       return gsl_ran_gamma(r, d->p, d->q);
    case DIST_WEIBULL:     return gsl_ran_weibull(r, d->a, d->b);
    case DIST_UNIFORM:     return gsl_ran_flat(r, d->a, d->b);
    case DIST_BETA:        return gsl_ran_beta(r, d->a, d->b);
    }
    return NAN;
}

double dist_quantile(const struct dist *d, double u)
{
    switch (d->kind) {
    case DIST_FIXED:       return d->a;
    case DIST_EXPONENTIAL: return gsl_cdf_exponential_Pinv(u, d->a);
    case DIST_LOGNORMAL:   return gsl_cdf_lognormal_Pinv(u, d->p, d->q);
    case DIST_GAMMA:       return gsl_cdf_gamma_Pinv(u, d->p, d->q);
    case DIST_WEIBULL:     return gsl_cdf_weibull_Pinv(u, d->a, d->b);
    case DIST_UNIFORM:     return d->a + u * (d->b - d->a);
    case DIST_BETA:        return gsl_cdf_beta_Pinv(u, d->a, d->b);
    }
    return NAN;
}
