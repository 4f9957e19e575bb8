#include "stats.h"

#include <math.h>
#include <gsl/gsl_cdf.h>

double tally_var(const struct tally *t)
{
    return t->n > 1 ? t->m2 / (double)(t->n - 1) : NAN;
}

double tally_sd(const struct tally *t)
{
    return sqrt(tally_var(t));
}

double stats_t_quantile(double level, double df)
{
    return gsl_cdf_tdist_Pinv(0.5 + level / 2.0, df);
}

double tally_halfwidth(const struct tally *t, double level)
{
    if (t->n < 2)
        return NAN;
    return stats_t_quantile(level, (double)(t->n - 1)) * tally_sd(t) / sqrt((double)t->n);
}

void twa_reset(struct twa *w, double now)
{
    w->t0 = w->last_t = now;
    w->area = 0.0;
}

double twa_mean(const struct twa *w, double now)
{
    double span = now - w->t0;
    if (span <= 0.0)
        return NAN;
    return (w->area + w->value * (now - w->last_t)) / span;
}
