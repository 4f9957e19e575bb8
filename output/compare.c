#include "compare.h"

#include <math.h>
#include <string.h>

#include "../sim/text.h"
#include "numfmt.h"

const char *const compare_default_kpis =
    "landing_rate,landed,mean_time_to_landing,leakage,survival_3y,jobs,tax,"
    "public_spend,cost_per_landing,fiscal_return,net_fiscal,cohort_cost_per_landing,"
    "cohort_net";

/* A CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it
 * holds a comma, a quote or a line break; as it is otherwise. */
static void csv_field(FILE *out, const char *v)
{
    if (!strpbrk(v, ",\"\r\n")) {
        fputs(v, out);
        return;
    }
    fputc('"', out);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

/* A cell of `width` terminal columns: text padded by its display width (a
 * CJK name takes two columns a character), right- or left-aligned. */
static void cell(FILE *out, const char *text, int width, int right)
{
    int pad = width - (int)text_width(text);
    if (right && pad > 0)
        fprintf(out, "%*s", pad, "");
    fputs(text, out);
    if (!right && pad > 0)
        fprintf(out, "%*s", pad, "");
}

/* A name as printed: control characters as \xNN, never cut. */
static void printable(char *buf, size_t n, const char *name, uint32_t point)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && o + 5 < n; p++)
        o += (size_t)(*p < 0x20 || *p == 0x7f ? snprintf(buf + o, n - o, "\\x%02x", *p)
                                               : snprintf(buf + o, n - o, "%c", *p));
    if (point && o + 12 < n)
        snprintf(buf + o, n - o, "@%u", point);
}

/* "name: meaning [unit, scale]" filled to 80 columns. */
static void kpi_title(FILE *out, size_t k, const struct numfmt *f, const char *tail)
{
    char t[512];
    const char *unit = kpi_descs[k].unit;
    snprintf(t, sizeof t, "%s: %s [%s%s%s]%s", kpi_descs[k].name, kpi_descs[k].doc,
             *f->scale_word ? f->scale_word : "", *f->scale_word && *unit ? " of " : "",
             *unit ? unit : *f->scale_word ? "" : "number", tail);
    fputc('\n', out);
    text_wrap(out, t, 2, 0, 80);
}

/* The format of KPI k's block: its largest magnitude over every unit's
 * mean and interval (and paired difference, with `diffs`). */
static void numfmt_of_kpi(struct numfmt *f, const struct summary *s, size_t k, int diffs)
{
    double top = 0;
    for (size_t u = 0; u < s->nunits; u++) {
        struct summary_stat st;
        summary_stat(s, u, k, &st);
        double v[5] = { st.mean, st.ci_low, st.ci_high, diffs ? st.diff_low : NAN,
                        diffs ? st.diff_high : NAN };
        for (int i = 0; i < 5; i++)
            if (isfinite(v[i]) && fabs(v[i]) > top)
                top = fabs(v[i]);
    }
    numfmt_pick(f, top);
}

static int kpi_list(const char *kpis, int idx[], int max)
{
    char copy[2048];
    if (snprintf(copy, sizeof copy, "%s", kpis ? kpis : compare_default_kpis) >= (int)sizeof copy) {
        fprintf(stderr, "incubsim: --kpi list longer than %zu bytes\n", sizeof copy - 1);
        return -1;
    }
    int n = 0;
    for (char *save, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        int i = kpi_index(tok);
        if (i < 0) {
            fprintf(stderr, "incubsim: unknown KPI \"%s\"; known:", tok);
            for (size_t k = 0; k < kpi_count; k++)
                fprintf(stderr, "%s%s", k ? ", " : " ", kpi_descs[k].name);
            fprintf(stderr, "\n");
            return -1;
        }
        if (n < max)
            idx[n++] = i;
    }
    return n;
}

int compare_check_kpis(const char *kpis)
{
    int idx[256];
    return kpi_list(kpis, idx, 256) < 0 ? -1 : 0;
}

/* The table fits 80 columns: the name column is as wide as the widest name
 * (by display width) up to NAME_COLS; a wider name gets a line of its own. */
#define NAME_COLS 30

int compare_print(FILE *out, const struct summary *s, const char *kpis, int csv)
{
    int idx[256];
    int n = kpi_list(kpis, idx, 256);
    if (n < 0)
        return -1;
    const char *base = s->baseline >= 0 ? s->units[s->baseline].scenario : "";
    if (csv) {
        fprintf(out, "scenario,point,kpi,n,mean,sd,ci_low,ci_high,baseline,diff_mean,"
                     "diff_ci_low,diff_ci_high,diff_excludes_zero\n");
    } else {
        char head[256];
        snprintf(head, sizeof head, "%u replication%s; mean with the half-width of its 95%% "
                 "Student-t interval (±); paired difference from \"%s\" (* = its interval "
                 "excludes 0)", s->nreps, s->nreps == 1 ? "" : "s", base);
        text_wrap(out, head, 0, 0, 80);
    }
    int w = 8;   /* "scenario" */
    for (size_t u = 0; u < s->nunits && !csv; u++) {
        char name[256];
        printable(name, sizeof name, s->units[u].scenario, s->units[u].point);
        int nw = (int)text_width(name);
        if (nw > w)
            w = nw > NAME_COLS ? NAME_COLS : nw;
    }
    for (int j = 0; j < n; j++) {
        size_t k = (size_t)idx[j];
        struct numfmt f;
        numfmt_of_kpi(&f, s, k, 1);
        if (!csv) {
            kpi_title(out, k, &f, "");
            fputs("  ", out);
            cell(out, "scenario", w, 0);
            const char *heads[4] = { "mean", "±95% CI", "vs baseline", "±95% CI" };
            const int widths[4] = { 9, 9, 11, 9 };
            for (int c = 0; c < 4; c++) {
                fputs("  ", out);
                cell(out, heads[c], widths[c], 1);
            }
            fputc('\n', out);
        }
        for (size_t u = 0; u < s->nunits; u++) {
            struct summary_stat st;
            summary_stat(s, u, k, &st);
            int sig = !isnan(st.diff_low) && (st.diff_low > 0 || st.diff_high < 0);
            if (csv) {
                csv_field(out, s->units[u].scenario);
                fprintf(out, ",%u,%s,%.0f,%.17g,%.17g,%.17g,%.17g,", s->units[u].point,
                        kpi_descs[k].name, st.n, st.mean, st.sd, st.ci_low, st.ci_high);
                csv_field(out, base);
                fprintf(out, ",%.17g,%.17g,%.17g,%d\n", st.diff_mean, st.diff_low,
                        st.diff_high, sig);
                continue;
            }
            char name[256], m[48], hw[48], dm[48], dhw[48];
            printable(name, sizeof name, s->units[u].scenario, s->units[u].point);
            fputs("  ", out);
            if ((int)text_width(name) > w) {   /* never cut: the numbers go below */
                fprintf(out, "%s\n  ", name);
                name[0] = '\0';
            }
            cell(out, name, w, 0);
            numfmt_put(m, sizeof m, &f, st.mean, 0);
            numfmt_put(hw, sizeof hw, &f, (st.ci_high - st.ci_low) / 2, 0);
            fputs("  ", out);
            cell(out, m, 9, 1);
            fputs("  ", out);
            char pm[64];
            snprintf(pm, sizeof pm, "%s%s", isnan(st.ci_high) ? "" : "±", hw);
            cell(out, pm, 9, 1);
            if ((int)u == s->baseline) {
                fprintf(out, "  %11s\n", "(baseline)");
                continue;
            }
            numfmt_put(dm, sizeof dm, &f, st.diff_mean, 1);
            numfmt_put(dhw, sizeof dhw, &f, (st.diff_high - st.diff_low) / 2, 0);
            snprintf(pm, sizeof pm, "%s%s", isnan(st.diff_high) ? "" : "±", dhw);
            fputs("  ", out);
            cell(out, dm, 11, 1);
            fputs("  ", out);
            cell(out, pm, 9, 1);
            fputs(sig ? " *\n" : "\n", out);
        }
    }
    return 0;
}

/* A sweep's table: per KPI, each point's lever values (columns x1.. named in
 * a legend, so no setting path is cut) with the mean and its interval. */
int compare_print_points(FILE *out, const struct summary *s, const char *const *levers,
                         int nlevers, const double *values, uint32_t npoints, const char *kpis,
                         int csv)
{
    int idx[256];
    int n = kpi_list(kpis, idx, 256);
    if (n < 0)
        return -1;
    int shown = nlevers < 3 ? nlevers : 3;
    if (csv) {
        fprintf(out, "point");
        for (int l = 0; l < nlevers; l++) {
            fputc(',', out);
            csv_field(out, levers[l]);
        }
        fprintf(out, ",kpi,n,mean,sd,ci_low,ci_high\n");
    } else {
        fprintf(out, "Levers:\n");
        for (int l = 0; l < nlevers; l++)
            fprintf(out, "  x%d = %s%s\n", l + 1, levers[l], l < shown ? "" : " (--csv shows it)");
    }
    for (int q = 0; q < n; q++) {
        size_t k = (size_t)idx[q];
        struct numfmt f;
        numfmt_of_kpi(&f, s, k, 0);
        if (!csv) {
            kpi_title(out, k, &f, "");
            fprintf(out, "  %5s", "point");
            for (int l = 0; l < shown; l++) {
                char x[16];
                snprintf(x, sizeof x, "x%d", l + 1);
                fprintf(out, "  %10s", x);
            }
            fputs("  ", out);
            cell(out, "mean", 9, 1);
            fputs("  ", out);
            cell(out, "±95% CI", 9, 1);
            fputc('\n', out);
        }
        for (size_t u = 0; u < s->nunits; u++) {
            struct summary_stat st;
            summary_stat(s, u, k, &st);
            uint32_t p = s->units[u].point;
            if (p >= npoints)
                continue;   /* a run whose point /design lacks: nothing to show it against */
            const double *v = values + (size_t)p * (size_t)nlevers;
            if (csv) {
                fprintf(out, "%u", p);
                for (int l = 0; l < nlevers; l++)
                    fprintf(out, ",%.17g", v[l]);
                fprintf(out, ",%s,%.0f,%.17g,%.17g,%.17g,%.17g\n", kpi_descs[k].name, st.n,
                        st.mean, st.sd, st.ci_low, st.ci_high);
                continue;
            }
            char m[48], hw[48], pm[64];
            numfmt_put(m, sizeof m, &f, st.mean, 0);
            numfmt_put(hw, sizeof hw, &f, (st.ci_high - st.ci_low) / 2, 0);
            snprintf(pm, sizeof pm, "%s%s", isnan(st.ci_high) ? "" : "±", hw);
            fprintf(out, "  %5u", p);
            for (int l = 0; l < shown; l++)
                fprintf(out, "  %10.4g", v[l]);
            fputs("  ", out);
            cell(out, m, 9, 1);
            fputs("  ", out);
            cell(out, pm, 9, 1);
            fputc('\n', out);
        }
    }
    return 0;
}

/* ---- the decision table ---------------------------------------------------------- */

/* What one unit of the effect is called, singular and plural. */
void compare_effect_words(size_t k, const char **one, const char **many)
{
    static const struct { const char *part, *one, *many; } words[] = {
        { "landed", "landing", "landings" }, { "landing", "landing", "landings" },
        { "survivor", "survivor", "survivors" }, { "job", "job", "jobs" },
        { "firm", "firm", "firms" },
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(kpi_descs[k].name, words[i].part)) {
            *one = words[i].one;
            *many = words[i].many;
            return;
        }
    *one = *many = kpi_descs[k].name;
}

/* Money as a planner reads it: 1.27e9, 15.0e6, 0.66e6, 8,100; NaN is "-". */
void compare_money(char *buf, size_t n, double v, int sign)
{
    double a = fabs(v);
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (a >= 999.5e6)
        snprintf(buf, n, sign ? "%+.*fe9" : "%.*fe9", a >= 99.95e9 ? 0 : a >= 9.995e9 ? 1 : 2,
                 v / 1e9);
    else if (a >= 1e5)
        snprintf(buf, n, sign ? "%+.*fe6" : "%.*fe6", a >= 99.95e6 ? 0 : a >= 9.995e6 ? 1 : 2,
                 v / 1e6);
    else if (a >= 1 || a == 0) {
        struct numfmt f = { 1.0, 0, 0, "" };
        numfmt_put(buf, n, &f, v, sign);
    } else
        snprintf(buf, n, sign ? "%+.3g" : "%.3g", v);
}

/* An effect's amount: three significant digits, thousands grouped. */
static void put_amount(char *buf, size_t n, double v, int sign)
{
    double a = fabs(v);
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (a >= 100 || a == 0) {
        struct numfmt f = { 1.0, 0, 0, "" };
        numfmt_put(buf, n, &f, v, sign);
    } else
        snprintf(buf, n, sign ? "%+.*f" : "%.*f", a >= 10 ? 1 : a >= 1 ? 2 : 3, v);
}

void compare_cost(char *buf, size_t n, double v, int sign, const char *unit)
{
    if (strncmp(unit, "yuan", 4) == 0)
        compare_money(buf, n, v, sign);
    else
        put_amount(buf, n, v, sign);
}

static const char *status_words(int status)
{
    switch (status) {
    case INC_FRONTIER: return "on the frontier";
    case INC_DOMINATED: return "dominated";
    case INC_EXTENDED_DOMINATED: return "extended-dominated";
    default: return "the reference";
    }
}

/* "+X landings [lo, hi] for +Y yuan [lo, hi], Z yuan per extra landing [lo, hi]" */
static void increment_words(char *t, size_t n, const struct decision *d, const struct inc_row *r,
                            int intervals)
{
    const char *one, *many;
    compare_effect_words((size_t)d->effect_kpi, &one, &many);
    const char *cunit = kpi_descs[d->cost_kpi].unit;
    const char *cu = strncmp(cunit, "yuan", 4) == 0 ? "yuan" : cunit;
    char de[32], del[32], deh[32], dc[32], dcl[32], dch[32], ic[32], il[32], ih[32];
    put_amount(de, sizeof de, r->delta_effect, 1);
    put_amount(del, sizeof del, r->delta_effect_low, 0);
    put_amount(deh, sizeof deh, r->delta_effect_high, 0);
    compare_cost(dc, sizeof dc, r->delta_cost, 1, cunit);
    compare_cost(dcl, sizeof dcl, r->delta_cost_low, 0, cunit);
    compare_cost(dch, sizeof dch, r->delta_cost_high, 0, cunit);
    compare_cost(ic, sizeof ic, r->icer, 0, cunit);
    compare_cost(il, sizeof il, r->icer_low, 0, cunit);
    compare_cost(ih, sizeof ih, r->icer_high, 0, cunit);
    size_t o = 0;
    if (intervals && !isnan(r->delta_effect_low))
        o += (size_t)snprintf(t + o, n - o, "%s %s [%s, %s] for %s %s [%s, %s], ", de, many, del,
                              deh, dc, cu, dcl, dch);
    else
        o += (size_t)snprintf(t + o, n - o, "%s %s for %s %s, ", de, many, dc, cu);
    if (o >= n)
        return;
    char ci[96];
    if (r->icer_ci == INC_CI_BOUNDED)
        snprintf(ci, sizeof ci, " [%s, %s]", il, ih);
    else if (r->icer_ci == INC_CI_UNBOUNDED)
        snprintf(ci, sizeof ci, " [unbounded: the %s interval holds 0]", many);
    else
        ci[0] = '\0';
    if (r->delta_effect > 0 && r->delta_cost > 0)
        snprintf(t + o, n - o, "%s %s per extra %s%s", ic, cu, one, ci);
    else if (r->delta_effect < 0 && r->delta_cost < 0)
        snprintf(t + o, n - o, "%s %s saved per %s forgone%s", ic, cu, one, ci);
    else if (r->delta_effect > 0)
        snprintf(t + o, n - o, "more %s for no more %s (ratio %s%s)", many, cu, ic, ci);
    else if (r->delta_effect < 0)
        snprintf(t + o, n - o, "fewer %s for no less %s (ratio %s%s)", many, cu, ic, ci);
    else
        snprintf(t + o, n - o, "no change in %s", many);
}

void compare_print_decision(FILE *out, const struct decision *d)
{
    if (!d->nrows)
        return;
    const char *one, *many;
    compare_effect_words((size_t)d->effect_kpi, &one, &many);
    char t[1400];   /* two names of 255 and the words of 767, with room */
    const char *ref = d->opt[d->ref].name;
    snprintf(t, sizeof t, "Decision: each scenario against \"%s\" (the counterfactual), %u "
             "paired replications; 95%% intervals (the ratio's by Fieller's method). Cost: %s "
             "[%s]; effect: %s [%s].", ref, d->nreps, kpi_descs[d->cost_kpi].name,
             kpi_descs[d->cost_kpi].unit, kpi_descs[d->effect_kpi].name,
             kpi_descs[d->effect_kpi].unit);
    text_wrap(out, t, 0, 0, 80);
    /* the reference first, then the others from the cheapest up */
    size_t k = d->nopts < d->nrows ? d->nopts : d->nrows, nfront = d->nrows - k;
    size_t order[k ? k : 1];
    size_t m = 0;
    order[m++] = d->ref;
    for (size_t i = 0; i < k; i++) {
        if (i == d->ref)
            continue;
        size_t j = m++;
        while (j > 1 && d->rows[order[j - 1]].delta_cost > d->rows[i].delta_cost) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (size_t q = 0; q < k; q++) {
        const struct inc_row *r = &d->rows[order[q]];
        char name[256], words[768];
        printable(name, sizeof name, d->opt[r->option].name, 0);
        if (r->option == d->ref) {
            snprintf(t, sizeof t, "%s: the reference%s%s", name,
                     d->ref_status == INC_FRONTIER ? "" : "; itself ",
                     d->ref_status == INC_FRONTIER ? "" : status_words(d->ref_status));
        } else {
            increment_words(words, sizeof words, d, r, 1);
            size_t o = (size_t)snprintf(t, sizeof t, "%s: %s; %s", name, words,
                                        status_words(r->status));
            if (!isnan(d->lambda) && o < sizeof t) {
                char nb[32], nl[32], nh[32], lam[32];
                const char *cunit = kpi_descs[d->cost_kpi].unit;
                compare_cost(nb, sizeof nb, r->net_benefit, 1, cunit);
                compare_cost(nl, sizeof nl, r->net_benefit_low, 0, cunit);
                compare_cost(nh, sizeof nh, r->net_benefit_high, 0, cunit);
                compare_cost(lam, sizeof lam, d->lambda, 0, cunit);
                snprintf(t + o, sizeof t - o, "; net benefit at %s per %s: %s [%s, %s]", lam, one,
                         nb, nl, nh);
            }
        }
        fputs("  ", out);
        text_wrap(out, t, 6, 2, 80);
    }
    if (nfront) {
        fputs("Along the frontier, each step against the next cheaper option on it:\n", out);
        for (size_t i = 0; i < d->nrows; i++) {
            const struct inc_row *r = &d->rows[i];
            if (r->against != INC_AGAINST_FRONTIER)
                continue;
            char a[256], b[256], words[768];
            printable(a, sizeof a, d->opt[r->versus].name, 0);
            printable(b, sizeof b, d->opt[r->option].name, 0);
            increment_words(words, sizeof words, d, r, 0);
            snprintf(t, sizeof t, "%s -> %s: %s", a, b, words);
            fputs("  ", out);
            text_wrap(out, t, 6, 2, 80);
        }
    }
    snprintf(t, sizeof t, "dominated: another option costs no more and gives no fewer %s; "
             "extended-dominated: a mix of two frontier options gives more %s for less.", many,
             many);
    text_wrap(out, t, 0, 0, 80);
}
