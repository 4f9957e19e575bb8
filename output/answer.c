/* answer.c — an experiment's answer in 80 columns (answer.h). */
#include "answer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../models/kpi.h"
#include "../sim/text.h"
#include "compare.h"
#include "rtab.h"

void answer_print_sizing(FILE *out, const struct answer_sizing *a)
{
    const struct size_result *res = &a->res;
    int robust = res->robust > 0;
    if (robust) {
        char t[5200];
        snprintf(t, sizeof t, "size --robust %.3g: the smallest %s whose mean %s %s %.6g in at "
                 "least %.3g%% of %u draws of the assumptions (%s%s), %u replications per draw",
                 res->robust, a->lever, a->kpi, a->at_most ? "<=" : ">=", a->target,
                 100 * res->robust, res->draws,
                 strcmp(a->assumptions, "prior") == 0 || !*a->assumptions ? "from their priors"
                                                                          : "posterior ",
                 strcmp(a->assumptions, "prior") == 0 ? "" : a->assumptions, a->reps_per_draw);
        text_wrap(out, t, 0, 0, 80);
        fprintf(out, "\n  %5s %11s %10s %6s %15s  %s\n", "probe", "value", "mean", "share",
                "95% Wilson", "decision");
    } else {
        fprintf(out, "size: the smallest %s with mean %s %s %.6g\n"
                "(confidence %.3g, tolerance %.3g)\n\n", a->lever, a->kpi,
                a->at_most ? "<=" : ">=", a->target, a->confidence, a->tolerance);
        fprintf(out, "  %5s %11s %6s %10s %23s  %s\n", "probe", "value", "n", "mean", "95% CI",
                "decision");
    }
    for (int i = 0; i < res->nprobes; i++) {
        const struct size_probe *p = &res->probes[i];
        int d = p->decision;
        const char *dn = d >= 0 && d < 3 ? size_decision_names[d] : "?";
        if (robust)
            fprintf(out, "  %5u %11.6g %10.6g %6.3f [%5.3f, %5.3f]  %s\n", p->point, p->value,
                    p->mean, p->share, p->share_low, p->share_high, dn);
        else
            fprintf(out, "  %5u %11.6g %6u %10.6g [%10.6g, %10.6g]  %s\n", p->point, p->value,
                    p->n, p->mean, p->ci_low, p->ci_high, dn);
    }
    int st = res->status;
    fprintf(out, "\nstatus: %s\n", st >= 0 && st < 3 ? size_status_names[st] : "?");
    switch (st) {
    case SIZE_MET:
        fprintf(out, "answer: %s = %.6g\n(the threshold lies in (%.6g, %.6g])\n", a->lever,
                res->answer, res->answer_low, res->answer_high);
        break;
    case SIZE_MET_AT_MIN:
        fprintf(out, "answer: the target is met already at the lever's minimum,\n%s = %.6g\n",
                a->lever, res->answer);
        break;
    default:
        fprintf(out, "answer: none; the target is not met even at the lever's maximum,\n"
                "%s = %.6g\n", a->lever, a->hi);
    }
    int ck = kpi_index(a->cost_kpi), ek = kpi_index(a->effect_kpi);
    if (a->has_price && st != SIZE_NOT_MET && ck >= 0 && ek >= 0) {
        const char *one, *many;
        char cost[32], icer[32], lo[32], hi[32];
        compare_effect_words((size_t)ek, &one, &many);
        const char *unit = kpi_descs[ck].unit;
        compare_cost(cost, sizeof cost, a->cost_at_answer, 0, unit);
        compare_cost(icer, sizeof icer, a->cpe, 0, unit);
        compare_cost(lo, sizeof lo, a->cpe_low, 0, unit);
        compare_cost(hi, sizeof hi, a->cpe_high, 0, unit);
        const char *cu = strncmp(unit, "yuan", 4) == 0 ? "yuan" : unit;
        char t[512];
        int o = snprintf(t, sizeof t, "price: %s %s %s at the answer", cost, cu, a->cost_kpi);
        if (!isnan(a->cpe) && o > 0 && (size_t)o < sizeof t) {
            o += snprintf(t + o, sizeof t - (size_t)o, "; %s %s per extra %s (%s)", icer, cu, one,
                          a->effect_kpi);
            if (!isnan(a->cpe_low) && (size_t)o < sizeof t)
                o += snprintf(t + o, sizeof t - (size_t)o, " [%s, %s]", lo, hi);
            if ((size_t)o < sizeof t)
                snprintf(t + o, sizeof t - (size_t)o, " against the lever's minimum, %.6g", a->lo);
        }
        text_wrap(out, t, 2, 0, 80);
    }
    if (robust) {
        if (st != SIZE_NOT_MET)
            fprintf(out, "share of draws meeting the target at the answer: %.3f (P = %.3g)\n",
                    res->share_at_answer, res->robust);
        if (res->boot && isinf(res->boot_high))
            fprintf(out, "bootstrap over the draws (%u resamples): from %.6g to not met in "
                    "range\n", res->boot, res->boot_low);
        else if (res->boot)
            fprintf(out, "bootstrap over the draws (%u resamples): the answer in [%.6g, %.6g]\n",
                    res->boot, res->boot_low, res->boot_high);
        char t[600];
        snprintf(t, sizeof t, "A draw meets the target when its mean over its replications "
                 "does; a probe is feasible when at least %.3g of the draws meet it. %d probes "
                 "have P inside the share's one-sided Wilson bound at confidence %.3g "
                 "(undecided: more draws would settle them).", res->robust, res->undecided,
                 a->confidence);
        text_wrap(out, t, 0, 0, 80);
        return;
    }
    fprintf(out, "With probability >= %.3g every probe was judged right wherever its mean is\n"
            "more than %.3g from the target, if %s moves steadily\nwith the lever.\n",
            a->confidence, a->tolerance, a->kpi);
    if (res->undecided && a->max_n)
        fprintf(out, "warning: %d probes reached max_replications (%u) undecided: the guarantee\n"
                "does not cover them (raise target.max_replications)\n", res->undecided, a->max_n);
    else if (res->undecided)
        fprintf(out, "warning: %d probes reached max_replications undecided: the guarantee\n"
                "does not cover them (raise target.max_replications)\n", res->undecided);
}

/* lever (at most 32 columns; a longer one on a line of its own), measure,
 * value, 95% CI: 74 columns. */
void answer_print_sensitivity(FILE *out, const struct h5_sensitivity_row *rows, size_t n)
{
    const char *last = "";
    int sobol = 0;
    for (size_t r = 0; r < n; r++) {
        int morris = strcmp(rows[r].method, "morris") == 0;
        sobol |= !morris;
        if (strcmp(rows[r].kpi, last) != 0) {
            fprintf(out, "\n%s\n  %-32s %-7s %9s  %s\n", rows[r].kpi, "lever", "measure", "value",
                    morris ? "95% CI (mu_star)" : "95% CI (bootstrap)");
            last = rows[r].kpi;
        }
        if (strlen(rows[r].lever) > 32)
            fprintf(out, "  %s\n  %-32s", rows[r].lever, "");
        else
            fprintf(out, "  %-32s", rows[r].lever);
        fprintf(out, " %-7s %9.3g", rows[r].measure, rows[r].value);
        if (!isnan(rows[r].ci_low))
            fprintf(out, "  [%9.3g, %9.3g]", rows[r].ci_low, rows[r].ci_high);
        fputc('\n', out);
    }
    if (sobol)
        fprintf(out, "\nS1: share of the KPI's variance due to the lever alone; ST: with all\n"
                "its interactions. ST - S1: interactions.\n");
}

static int name_of(const char *const *names, int n, const char *v)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], v) == 0)
            return i;
    return -1;
}

int answer_read_sizing(const char *path, struct answer_sizing *a, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    struct rtab_file *f = rtab_open(path, err, errlen);
    if (!f)
        return -1;
    struct rtab t;
    int rc = rtab_read(f, "/sizing", &t, err, errlen);
    if (rc == 1) {
        char st[32] = "", dir[16] = "";
        double v;
        rtab_attr(f, "/sizing", "lever", a->lever, sizeof a->lever);
        rtab_attr(f, "/sizing", "kpi", a->kpi, sizeof a->kpi);
        rtab_attr(f, "/sizing", "direction", dir, sizeof dir);
        rtab_attr(f, "/sizing", "status", st, sizeof st);
        a->at_most = strcmp(dir, "at_most") == 0;
        a->target = rtab_attr_num(f, "/sizing", "target", &v) ? v : NAN;
        a->confidence = rtab_attr_num(f, "/sizing", "confidence", &v) ? v : NAN;
        a->tolerance = rtab_attr_num(f, "/sizing", "tolerance", &v) ? v : NAN;
        a->max_n = rtab_attr_num(f, "/sizing", "max_replications", &v) ? (unsigned)v : 0;
        a->has_price = rtab_attr(f, "/sizing", "cost_kpi", a->cost_kpi, sizeof a->cost_kpi)
                       && rtab_attr(f, "/sizing", "effect_kpi", a->effect_kpi, sizeof a->effect_kpi);
        a->cost_at_answer = rtab_attr_num(f, "/sizing", "cost_at_answer", &v) ? v : NAN;
        a->cpe = rtab_attr_num(f, "/sizing", "cost_per_extra_effect", &v) ? v : NAN;
        a->cpe_low = rtab_attr_num(f, "/sizing", "cost_per_extra_effect_low", &v) ? v : NAN;
        a->cpe_high = rtab_attr_num(f, "/sizing", "cost_per_extra_effect_high", &v) ? v : NAN;
        struct size_result *res = &a->res;
        res->status = name_of(size_status_names, 3, st);
        res->answer = rtab_attr_num(f, "/sizing", "answer", &v) ? v : NAN;
        res->answer_low = rtab_attr_num(f, "/sizing", "answer_low", &v) ? v : NAN;
        res->answer_high = rtab_attr_num(f, "/sizing", "answer_high", &v) ? v : NAN;
        res->replications = rtab_attr_num(f, "/sizing", "replications", &v) ? (uint64_t)v : 0;
        res->robust = rtab_attr_num(f, "/sizing", "robust", &v) ? v : 0;
        res->draws = rtab_attr_num(f, "/sizing", "draws", &v) ? (uint32_t)v : 0;
        res->share_at_answer = rtab_attr_num(f, "/sizing", "share_at_answer", &v) ? v : NAN;
        res->boot_low = rtab_attr_num(f, "/sizing", "answer_boot_low", &v) ? v : NAN;
        res->boot_high = rtab_attr_num(f, "/sizing", "answer_boot_high", &v) ? v : NAN;
        res->boot = rtab_attr_num(f, "/sizing", "bootstrap", &v) ? (uint32_t)v : 0;
        a->reps_per_draw = rtab_attr_num(f, "/sizing", "replications_per_draw", &v)
                           ? (unsigned)v : 0;
        rtab_attr(f, "/sizing", "assumptions", a->assumptions, sizeof a->assumptions);
        const struct rtab_col *pt = rtab_col(&t, "point"), *val = rtab_col(&t, "value"),
                              *nn = rtab_col(&t, "n"), *mean = rtab_col(&t, "mean"),
                              *lo = rtab_col(&t, "ci_low"), *hi = rtab_col(&t, "ci_high"),
                              *dec = rtab_col(&t, "decision");
        /* size --robust's columns (older files lack them) */
        const struct rtab_col *sh = rtab_col(&t, "share"), *shl = rtab_col(&t, "share_low"),
                              *shh = rtab_col(&t, "share_high");
        if (!pt || !val || !nn || !mean || !lo || !hi || !dec || !dec->text) {
            snprintf(err, errlen, "%s: /sizing lacks a column (point, value, n, mean, ci_low, "
                     "ci_high, decision)", path);
            rc = -1;
        }
        size_t cap = sizeof res->probes / sizeof res->probes[0];
        a->hi = -INFINITY;
        a->lo = INFINITY;   /* the lever's minimum: bisection probes it */
        for (size_t i = 0; rc == 1 && i < t.nrows && i < cap; i++) {
            struct size_probe *p = &res->probes[res->nprobes++];
            *p = (struct size_probe){ (uint32_t)pt->num[i], val->num[i], (uint32_t)nn->num[i],
                                      mean->num[i], lo->num[i], hi->num[i],
                                      name_of(size_decision_names, 3, dec->text_v[i]), 0,
                                      sh ? sh->num[i] : NAN, shl ? shl->num[i] : NAN,
                                      shh ? shh->num[i] : NAN };
            res->undecided += p->decision == SIZE_UNDECIDED;
            if (p->value > a->hi)
                a->hi = p->value;
            if (p->value < a->lo)
                a->lo = p->value;
        }
        rtab_free(&t);
    }
    rtab_close(f);
    return rc;
}

int answer_read_sensitivity(const char *path, struct h5_sensitivity_row **rows, size_t *n,
                            char *err, size_t errlen)
{
    *rows = NULL;
    *n = 0;
    struct rtab_file *f = rtab_open(path, err, errlen);
    if (!f)
        return -1;
    struct rtab t;
    int rc = rtab_read(f, "/sensitivity", &t, err, errlen);
    if (rc == 1) {
        const struct rtab_col *k = rtab_col(&t, "kpi"), *l = rtab_col(&t, "lever"),
                              *me = rtab_col(&t, "method"), *ms = rtab_col(&t, "measure"),
                              *v = rtab_col(&t, "value"), *lo = rtab_col(&t, "ci_low"),
                              *hi = rtab_col(&t, "ci_high");
        if (!k || !l || !me || !ms || !v || !lo || !hi || !k->text || v->text) {
            snprintf(err, errlen, "%s: /sensitivity lacks a column", path);
            rc = -1;
        } else if (!(*rows = calloc(t.nrows + 1, sizeof **rows))) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        }
        for (size_t i = 0; rc == 1 && i < t.nrows; i++) {
            struct h5_sensitivity_row *r = &(*rows)[i];
            snprintf(r->kpi, sizeof r->kpi, "%s", k->text_v[i]);
            snprintf(r->lever, sizeof r->lever, "%s", l->text_v[i]);
            snprintf(r->method, sizeof r->method, "%s", me->text_v[i]);
            snprintf(r->measure, sizeof r->measure, "%s", ms->text_v[i]);
            r->value = v->num[i];
            r->ci_low = lo->num[i];
            r->ci_high = hi->num[i];
        }
        if (rc == 1)
            *n = t.nrows;
        rtab_free(&t);
    }
    rtab_close(f);
    return rc;
}
