/* sequential.c — see sequential.h. */
#include "sequential.h"

#include <math.h>

void seq_observe(struct seq_track *s, double x)
{
    if (isnan(x))
        return;
    tally_add(&s->t, x);
    s->ones += x == 1.0;
    s->nonbinary += x != 0.0 && x != 1.0;
}

int seq_look(const struct seq_rule *r, struct seq_track *s)
{
    uint64_t n = s->t.n;
    int ok = n >= r->min_n && n >= 2;
    if (ok) {
        double hw = tally_halfwidth(&s->t, 0.95);
        ok = !isnan(hw) && hw <= r->halfwidth;
    }
    if (ok && s->nonbinary == 0)
        ok = s->ones >= r->min_each && n - s->ones >= r->min_each;
    s->looks_ok = ok ? s->looks_ok + 1 : 0;
    s->done = s->looks_ok >= r->looks;
    return s->done;
}

uint64_t seq_next_n(const struct seq_rule *r, const struct seq_track *s, uint64_t max)
{
    uint64_t n = s->t.n, lo = n + (n / 5 > 1 ? n / 5 : 1), hi = 2 * n;
    double hw = n >= 2 ? tally_halfwidth(&s->t, 0.95) : NAN;
    double want = isnan(hw) ? (double)hi : ceil((double)n * (hw / r->halfwidth) * (hw / r->halfwidth));
    uint64_t next = want < (double)lo ? lo : want > (double)hi ? hi : (uint64_t)want;
    if (next < r->min_n)
        next = r->min_n;
    return next > max ? max : next;
}
