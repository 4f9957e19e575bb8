/* sizing.c — bisection with a sequential feasibility test; see sizing.h. */
#include "sizing.h"
#include "psa.h"
#include "rng.h"
#include "stats.h"

#include <gsl/gsl_cdf.h>

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

/* One probe: decides p (its point and value set) and says whether the
 * bisection takes it as feasible. Returns 0, or size_run's error. */
typedef int (*probe_fn)(void *pctx, struct size_probe *p, struct size_result *out, int *feasible);

/* The bisection over the grid, with the probe's decision left to `probe`. */
static int bisect(const struct size_spec *s, uint32_t steps, probe_fn probe, void *pctx,
                  struct size_result *out)
{
    int rc;
#define PROBE(idx, res)                                                            \
    do {                                                                           \
        struct size_probe *p_ = &out->probes[out->nprobes];                        \
        p_->point = (uint32_t)out->nprobes;                                        \
        p_->value = grid_value(s, (idx), steps);                                   \
        p_->share = p_->share_low = p_->share_high = NAN;                          \
        rc = probe(pctx, p_, out, &(res));                                         \
        if (rc == SIZE_UNDEFINED)                                                  \
            out->nprobes++;   /* the probe that showed it, for the message */      \
        if (rc != 0)                                                               \
            return rc;                                                             \
        out->undecided += p_->decision == SIZE_UNDECIDED;                          \
        out->nprobes++;                                                            \
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

struct seq_ctx {
    const struct size_spec *s;
    double h2;
    size_eval eval;
    void *ctx;
};

static int seq_probe(void *pctx, struct size_probe *p, struct size_result *out, int *f)
{
    struct seq_ctx *c = pctx;
    int rc = decide(c->s, c->h2, c->eval, c->ctx, p, &out->replications);
    *f = rc ? 0 : feasible(c->s, p);
    return rc;
}

static int spec_ok(const struct size_spec *s)
{
    return s->step > 0 && s->hi >= s->lo && s->confidence > 0 && s->confidence < 1;
}

int size_run(const struct size_spec *s, size_eval eval, void *ctx, struct size_result *out)
{
    memset(out, 0, sizeof *out);
    out->answer = out->answer_low = out->answer_high = NAN;
    if (!spec_ok(s) || s->n0 < 2 || s->max_n < s->n0 || !(s->tolerance > 0))
        return -1;
    uint32_t steps = size_steps(s);
    int decisions = 2;
    for (uint32_t k = 1; k < steps; k <<= 1)
        decisions++;
    double alpha = (1 - s->confidence) / decisions;
    out->alpha_each = alpha;
    struct seq_ctx c = { s, (double)(s->n0 - 1) * (pow(2 * alpha, -2.0 / (double)(s->n0 - 1)) - 1),
                         eval, ctx };
    return bisect(s, steps, seq_probe, &c, out);
}

/* ---- size --robust ----------------------------------------------------------- */

void size_wilson(uint32_t k, uint32_t n, double z, double *lo, double *hi)
{
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    double nn = n, ph = k / nn, z2 = z * z, den = 1 + z2 / nn;
    double mid = (ph + z2 / (2 * nn)) / den;
    double half = z * sqrt(ph * (1 - ph) / nn + z2 / (4 * nn * nn)) / den;
    *lo = k == 0 ? 0.0 : fmax(0.0, mid - half);   /* exact ends: no rounding past 0 or 1 */
    *hi = k == n ? 1.0 : fmin(1.0, mid + half);
}

struct robust_ctx {
    const struct size_spec *s;
    const struct size_robust_spec *rs;
    size_eval_draws eval;
    void *ctx;
    double z;               /* one-sided normal quantile at the target's confidence */
    double *means, *scratch;
    unsigned char *met;     /* [probe * D + draw] */
};

static int robust_probe(void *pctx, struct size_probe *p, struct size_result *out, int *f)
{
    struct robust_ctx *c = pctx;
    uint32_t D = c->rs->draws;
    int rc = c->eval(c->ctx, p->point, p->value, c->means);
    if (rc)
        return rc;
    unsigned char *met = c->met + (size_t)out->nprobes * D;
    uint32_t k = 0, defined = 0;
    for (uint32_t d = 0; d < D; d++) {
        double m = c->means[d];
        met[d] = !isnan(m) && (c->s->at_most ? m <= c->s->target : m >= c->s->target);
        k += met[d];
        defined += !isnan(m);
    }
    p->n = defined;
    p->undefined = D - defined;
    double lo, hi;
    psa_interval(c->means, D, 0.95, c->scratch, &p->mean, &lo, &hi);
    p->ci_low = lo;
    p->ci_high = hi;
    if (defined == 0)
        p->mean = p->ci_low = p->ci_high = NAN;
    if (2 * (D - defined) > D)
        return SIZE_UNDEFINED;
    p->share = (double)k / D;
    size_wilson(k, D, 1.959963984540054, &p->share_low, &p->share_high);
    double one_lo, one_hi;   /* one-sided at the target's confidence */
    size_wilson(k, D, c->z, &one_lo, &one_hi);
    p->decision = one_lo >= c->rs->p ? SIZE_FEASIBLE
                : one_hi < c->rs->p ? SIZE_INFEASIBLE : SIZE_UNDECIDED;
    *f = p->share >= c->rs->p;
    return 0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The bootstrap over draws: resample the D draws B times; each time, the
 * smallest probed value whose resampled share is >= P (INFINITY: none). */
static int robust_boot(const struct robust_ctx *c, struct size_result *out)
{
    uint32_t D = c->rs->draws, B = c->rs->boot;
    int np = out->nprobes;
    if (B == 0 || np == 0)
        return 0;
    double *ans = malloc((size_t)B * sizeof *ans);
    uint32_t *w = malloc((size_t)D * sizeof *w);
    if (!ans || !w) {
        free(ans);
        free(w);
        return -1;
    }
    struct rng r;
    rng_init(&r, c->rs->seed, SIZE_BOOT_STREAM);
    for (uint32_t b = 0; b < B; b++) {
        gsl_rng *g = rng_stream(&r, b, 0);   /* resample b's stream: the same whatever B */
        memset(w, 0, (size_t)D * sizeof *w);
        for (uint32_t d = 0; d < D; d++)
            w[gsl_rng_uniform_int(g, D)]++;
        ans[b] = INFINITY;
        for (int i = 0; i < np; i++) {
            const unsigned char *met = c->met + (size_t)i * D;
            uint64_t k = 0;
            for (uint32_t d = 0; d < D; d++)
                k += met[d] ? w[d] : 0;
            if ((double)k >= c->rs->p * D && out->probes[i].value < ans[b])
                ans[b] = out->probes[i].value;
        }
    }
    qsort(ans, B, sizeof *ans, by_value);
    /* order statistics, not interpolated: the interval's ends are probed values */
    out->boot_low = ans[(size_t)floor(0.025 * (B - 1))];
    out->boot_high = ans[(size_t)ceil(0.975 * (B - 1))];
    out->boot = B;
    free(ans);
    free(w);
    return 0;
}

int size_robust_run(const struct size_spec *s, const struct size_robust_spec *rs,
                    size_eval_draws eval, void *ctx, struct size_result *out)
{
    memset(out, 0, sizeof *out);
    out->answer = out->answer_low = out->answer_high = NAN;
    out->share_at_answer = out->boot_low = out->boot_high = NAN;
    if (!spec_ok(s) || !(rs->p > 0 && rs->p < 1) || rs->draws < 1)
        return -1;
    out->robust = rs->p;
    out->draws = rs->draws;
    uint32_t steps = size_steps(s), D = rs->draws;
    size_t cap = sizeof out->probes / sizeof out->probes[0];
    struct robust_ctx c = { s, rs, eval, ctx, gsl_cdf_ugaussian_Pinv(s->confidence),
                            malloc((size_t)D * sizeof(double)), malloc((size_t)D * sizeof(double)),
                            malloc(cap * (size_t)D) };
    int rc = c.means && c.scratch && c.met ? bisect(s, steps, robust_probe, &c, out) : -1;
    if (!rc) {
        for (int i = 0; i < out->nprobes; i++)
            if (out->status != SIZE_NOT_MET && out->probes[i].value == out->answer)
                out->share_at_answer = out->probes[i].share;
        rc = robust_boot(&c, out);
    }
    free(c.means);
    free(c.scratch);
    free(c.met);
    return rc;
}
