#include "dist.h"
#include "../sim/rng.h"

#include <math.h>
#include <gsl/gsl_randist.h>

const char *const dist_kind_names[DIST_COUNT + 1] = {
    "fixed", "exponential", "lognormal", "gamma", "weibull", "uniform", "beta", NULL
};

const char *const dist_param_names[DIST_COUNT][2] = {
    { "value", NULL }, { "mean", NULL }, { "mean", "sd" }, { "mean", "sd" },
    { "scale", "shape" }, { "min", "max" }, { "a", "b" }
};

const char *dist_prepare(struct dist *d)
{
    switch (d->kind) {
    case DIST_FIXED:
        if (!isfinite(d->a)) return "value must be finite";
        break;
    case DIST_EXPONENTIAL:
        if (!(d->a > 0)) return "mean must be > 0";
        break;
    case DIST_LOGNORMAL:
        if (!(d->a > 0) || !(d->b > 0)) return "mean and sd must be > 0";
        d->q = sqrt(log1p((d->b / d->a) * (d->b / d->a)));   /* sigma */
        d->p = log(d->a) - 0.5 * d->q * d->q;                 /* mu */
        break;
    case DIST_GAMMA:
        if (!(d->a > 0) || !(d->b > 0)) return "mean and sd must be > 0";
        d->p = (d->a / d->b) * (d->a / d->b);                 /* shape */
        d->q = d->b * d->b / d->a;                            /* scale */
        break;
    case DIST_WEIBULL:
        if (!(d->a > 0) || !(d->b > 0)) return "scale and shape must be > 0";
        break;
    case DIST_UNIFORM:
        if (!(d->b > d->a)) return "max must be > min";
        break;
    case DIST_BETA:
        if (!(d->a > 0) || !(d->b > 0)) return "a and b must be > 0";
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
