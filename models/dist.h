/* dist.h — the distributions a scenario may name, drawn with GSL.
 * Parameters are of the variable itself (a lognormal's mean and sd, not of
 * its logarithm); dist_prepare() derives what GSL needs once, at load time. */
#ifndef INCUBSIM_DIST_H
#define INCUBSIM_DIST_H

#include <gsl/gsl_rng.h>

enum dist_kind {
    DIST_FIXED, DIST_EXPONENTIAL, DIST_LOGNORMAL, DIST_GAMMA,
    DIST_WEIBULL, DIST_UNIFORM, DIST_BETA, DIST_COUNT
};

struct dist {
    int    kind;       /* enum dist_kind, -1 when not set */
    double a, b;       /* as written: see dist_param_names */
    double p, q;       /* derived by dist_prepare */
};

extern const char *const dist_kind_names[DIST_COUNT + 1];   /* NULL-terminated */
/* The names of a and b for each kind (b may be NULL). */
extern const char *const dist_param_names[DIST_COUNT][2];

/* Checks parameters and fills p, q. Returns NULL or a message (static text). */
const char *dist_prepare(struct dist *d);
double dist_draw(const struct dist *d, gsl_rng *r);
/* The inverse CDF at u in (0, 1) (a prepared dist): the value below which a
 * share u of draws falls. Maps a uniform design point onto the law. */
double dist_quantile(const struct dist *d, double u);

/* Probabilities moved on the log-odds scale. prob_logit(p) = log(p/(1-p)),
 * 0 for p of 0 or 1; prob_shift(p, prob_logit(p), x) = logistic(logit(p) +
 * x), where a p of exactly 0 or 1 stays exact whatever x. The logit is passed
 * in because callers compute it once per scenario, not once per draw. */
double prob_logit(double p);
double prob_shift(double base, double base_logit, double log_odds);

#endif
