/* sizing.c — bisection with a sequential feasibility test; see sizing.h. */
#include "sizing.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const size_decision_names[] = { "feasible", "infeasible", "undecided", NULL };
const char *const size_status_names[] = { "met", "met_at_min", "not_met_in_range", NULL };

uint32_t size_steps(const struct size_spec *s)
{
    double k = ceil((s->hi - s->lo) / s->step - 1e-9);
    return k < 1 ? 1 : k > (double)(1u << 30) ? 1u << 30 : (uint32_t)k;
}

static double grid_value(const struct size_spec *s, uint32_t i, uint32_t steps)
{
    return i >= steps ? s->hi : s->lo + (double)i * s->step;
}

/* Decides one probe. y grows as replications are asked for. */
static int decide(const struct size_spec *s, double h2, size_eval eval, void *ctx,
                  struct size_probe *p, uint64_t *spent)
{
    uint32_t cap = s->max_n, have = 0;
    double *y = malloc((size_t)cap * sizeof *y);
    if (!y)
        return -1;
    struct tally all = { 0 }, first = { 0 };
    double sum = 0, s2 = NAN;
    int rc = 0;
    p->decision = SIZE_UNDECIDED;
    /* batches: the first stage, then one replication at a time (fully sequential) */
    for (uint32_t r = 0; r < cap; r++) {
        if (r == have) {
            /* the output undefined (NaN) in most replications: no evidence will come;
             * a KPI NaN everywhere would otherwise be tried one replication at a time */
            if (have >= s->n0 && 2 * (have - all.n) > have) {
                rc = SIZE_UNDEFINED;
                break;
            }
            uint32_t short_of = all.n < s->n0 ? s->n0 - (uint32_t)all.n : 1;
            uint32_t to = have + short_of;   /* the first stage's valid outputs at once */
            if (to > cap)
                to = cap;
            if ((rc = eval(ctx, p->point, p->value, have, to, y + have)) != 0)
                break;
            *spent += to - have;
            have = to;
        }
        if (isnan(y[r]))
            continue;   /* a failed replication: recorded by the caller, no evidence */
        double z = s->at_most ? s->target - y[r] : y[r] - s->target;   /* feasible: E z >= 0 */
        tally_add(&all, y[r]);
        sum += z;
        if (all.n <= s->n0) {
            tally_add(&first, y[r]);
            if (all.n < s->n0)
                continue;
            s2 = tally_var(&first);
        }
        double n = (double)all.n;
        double R = fmax(0.0, h2 * s2 / (2 * s->tolerance) - s->tolerance * n / 2);
        if (sum >= R) {   /* R reaches 0 after h^2 S^2 / eps^2 replications: decided then */
            p->decision = SIZE_FEASIBLE;
            break;
        }
        if (sum <= -R) {
            p->decision = SIZE_INFEASIBLE;
            break;
        }
    }
    p->n = (uint32_t)all.n;
    p->undefined = have - (uint32_t)all.n;
    p->mean = all.n ? all.mean : NAN;
    double hw = tally_halfwidth(&all, 0.95);
    p->ci_low = p->mean - hw;
    p->ci_high = p->mean + hw;
    free(y);
    return rc;
}

/* Feasible for the bisection: decided so, or undecided with a mean on the
 * feasible side. */
static int feasible(const struct size_spec *s, const struct size_probe *p)
{
    if (p->decision != SIZE_UNDECIDED)
        return p->decision == SIZE_FEASIBLE;
    return s->at_most ? p->mean <= s->target : p->mean >= s->target;
}

int size_run(const struct size_spec *s, size_eval eval, void *ctx, struct size_result *out)
{
    memset(out, 0, sizeof *out);
    out->answer = out->answer_low = out->answer_high = NAN;
    if (!(s->step > 0) || !(s->hi >= s->lo) || s->n0 < 2 || s->max_n < s->n0 ||
            !(s->tolerance > 0) || !(s->confidence > 0 && s->confidence < 1))
        return -1;
    uint32_t steps = size_steps(s);
    int decisions = 2;
    for (uint32_t k = 1; k < steps; k <<= 1)
        decisions++;
    double alpha = (1 - s->confidence) / decisions;
    out->alpha_each = alpha;
    double h2 = (double)(s->n0 - 1) * (pow(2 * alpha, -2.0 / (double)(s->n0 - 1)) - 1);
    int rc;
#define PROBE(idx, res)                                                            \
    do {                                                                           \
        struct size_probe *p_ = &out->probes[out->nprobes];                        \
        p_->point = (uint32_t)out->nprobes;                                        \
        p_->value = grid_value(s, (idx), steps);                                   \
        rc = decide(s, h2, eval, ctx, p_, &out->replications);                    \
        if (rc == SIZE_UNDEFINED)                                                  \
            out->nprobes++;   /* the probe that showed it, for the message */      \
        if (rc != 0)                                                               \
            return rc;                                                             \
        out->undecided += p_->decision == SIZE_UNDECIDED;                          \
        out->nprobes++;                                                            \
        (res) = feasible(s, p_);                                                   \
    } while (0)
    int f;
    PROBE(steps, f);                      /* the top of the range first */
    if (!f) {
        out->status = SIZE_NOT_MET;
        out->answer_low = s->hi;
        return 0;
    }
    PROBE(0, f);
    if (f) {
        out->status = SIZE_MET_AT_MIN;   /* the threshold lies at or below lo: no lower end */
        out->answer = out->answer_high = s->lo;
        return 0;
    }
    uint32_t lo = 0, hi = steps;          /* lo infeasible, hi feasible */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        PROBE(mid, f);
        if (f)
            hi = mid;
        else
            lo = mid;
    }
#undef PROBE
    out->status = SIZE_MET;
    out->answer = out->answer_high = grid_value(s, hi, steps);
    out->answer_low = grid_value(s, lo, steps);
    return 0;
}
