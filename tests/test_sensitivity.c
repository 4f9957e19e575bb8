/* test_sensitivity.c — do the shipped comparison's conclusions hinge on a
 * parameter that has no source?
 *
 * Each unsourced economic parameter is set low and high in the baseline and
 * in every variant alike; the paired difference of each variant against the
 * baseline in net_fiscal is recomputed. Prints the table of signs (the
 * README's), and checks the conclusions the README states: the sign of each
 * variant's net fiscal effect does not change whatever the unsourced value — or,
 * where the README says a sign hinges on one, that both signs occur. */
#include "test.h"
#include "model_util.h"

#include <stdlib.h>
#include <string.h>

enum { REPS = 10 };

struct knob {
    const char *name;
    size_t offset;      /* a double in struct scenario */
    double lo, hi;
};

#define AT(f) offsetof(struct scenario, f)
static const struct knob knobs[] = {
    { "production.growth", AT(production.growth), 0.08, 0.25 },
    { "production.revenue_ceiling", AT(production.revenue_ceiling), 2, 6 },
    { "production.revenue_quality_weight", AT(production.revenue_quality_weight), 0, 2 },
    { "production.jobs_quality_weight", AT(production.jobs_quality_weight), 0, 1 },
    { "accounting.discount_rate", AT(accounting.discount_rate), 0.04, 0.12 },
    { "landing.award_weight", AT(landing.award_weight), 0.15, 0.6 },
};
enum { NKNOB = sizeof knobs / sizeof knobs[0] };

static const char *variants[] = { "landing_award", "capital_first", "carrier_subsidy",
                                  "quality_first", "professional_operator", "dumbbell" };
enum { NVAR = sizeof variants / sizeof variants[0] };
/* the README's conclusions: the sign of each variant's net_fiscal difference, at
 * the calibrated first-year revenue (6e6 yuan); 0: it hinges on an unsourced
 * setting (dumbbell's on the award's weight: it lands fewer firms, and what a
 * landing returns against what it costs decides) */
static const int sign[NVAR] = { -1, -1, +1, -1, +1, 0 };

static struct scenario *load_shipped(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "scenarios/%s.cfg", name);
    return load(path);
}

static void set(struct scenario *sc, const struct knob *k, double v)
{
    *(double *)((char *)sc + k->offset) = v;
    struct diag d;
    if (scenario_finish(sc, "sensitivity", &d)) {
        printf("%s = %g refused: %s\n", k->name, v, d.msg);
        exit(1);
    }
}

/* Mean paired difference of net_fiscal, variant - baseline. */
static double paired(const struct scenario *base, const struct scenario *var, struct run_result *res)
{
    double sum = 0;
    for (uint32_t r = 0; r < REPS; r++) {
        model_run(base, r, 7, NULL, res);
        double b = res->kpi.net_fiscal;
        model_run(var, r, 7, NULL, res);
        sum += res->kpi.net_fiscal - b;
    }
    return sum / REPS;
}

int main(void)
{
    struct run_result *res = malloc(sizeof *res);
    struct scenario *base0 = load_shipped("baseline");
    struct scenario *var0[NVAR];
    for (int v = 0; v < NVAR; v++)
        var0[v] = load_shipped(variants[v]);
    struct scenario *base = malloc(sizeof *base), *var = malloc(sizeof *var);

    printf("| net_fiscal vs baseline (1e6 yuan) | as shipped |");
    for (int k = 0; k < NKNOB; k++)
        printf(" %s %g | %g |", knobs[k].name, knobs[k].lo, knobs[k].hi);
    printf("\n|---|---|");
    for (int k = 0; k < NKNOB; k++)
        printf("---|---|");
    printf("\n");
    for (int v = 0; v < NVAR; v++) {
        printf("| %s | %.0f |", variants[v], paired(base0, var0[v], res) / 1e6);
        int flips = 0;
        for (int k = 0; k < NKNOB; k++)
            for (int side = 0; side < 2; side++) {
                double x = side ? knobs[k].hi : knobs[k].lo;
                *base = *base0;
                *var = *var0[v];
                set(base, &knobs[k], x);
                set(var, &knobs[k], x);
                double d = paired(base, var, res);
                printf(" %.0f |", d / 1e6);
                if (sign[v])
                    CHECK(d * sign[v] > 0, "%s's net fiscal effect keeps its sign whatever %s: "
                          "%.3g at %g", variants[v], knobs[k].name, d, x);
                flips += d < 0;
            }
        printf("  (%d of %d settings negative)\n", flips, 2 * NKNOB);
        if (!sign[v])
            CHECK(flips > 0 && flips < 2 * NKNOB, "%s's net fiscal sign hinges on an unsourced "
                  "setting: %d of %d negative", variants[v], flips, 2 * NKNOB);
    }
    printf("(%d replications, seed 7; each parameter set in the baseline and the variant alike)\n",
           REPS);
    for (int v = 0; v < NVAR; v++)
        free(var0[v]);
    free(base0);
    free(base);
    free(var);
    free(res);
    TEST_END("sensitivity");
}
