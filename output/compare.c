#include "compare.h"

#include <math.h>
#include <string.h>

#include "../sim/text.h"

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

/* One format for every number of a KPI's block, so digits line up and read
 * at a glance: the block's largest magnitude picks a scale (millions,
 * billions: named in the title, not beside each number) and the decimals
 * that give it four significant digits; a block of tiny or huge numbers is
 * scientific throughout. */
struct numfmt {
    double      scale;
    int         decimals, sci;
    const char *scale_word;
};

static void numfmt_pick(struct numfmt *f, double max_abs)
{
    *f = (struct numfmt){ 1.0, 0, 0, "" };
    if (!(max_abs > 0) || !isfinite(max_abs))
        return;
    if (max_abs >= 1e15 || max_abs < 1e-3) {
        f->sci = 1;
        return;
    }
    if (max_abs >= 1e9)
        *f = (struct numfmt){ 1e9, 0, 0, "billions" };
    else if (max_abs >= 1e6)
        *f = (struct numfmt){ 1e6, 0, 0, "millions" };
    int digits = (int)floor(log10(max_abs / f->scale)) + 1;
    f->decimals = digits >= 4 ? 0 : 4 - digits > 4 ? 4 : 4 - digits;
}

/* v in the block's format; NaN is "-". Whole numbers of 5 digits or more get
 * thousands separators (280,266). */
static void numfmt_put(char *buf, size_t n, const struct numfmt *f, double v, int sign)
{
    if (isnan(v)) {
        snprintf(buf, n, "-");
        return;
    }
    if (f->sci) {
        snprintf(buf, n, sign ? "%+.2e" : "%.2e", v);
        return;
    }
    double x = v / f->scale;
    if (f->decimals > 0 || fabs(x) < 9999.5) {
        snprintf(buf, n, sign ? "%+.*f" : "%.*f", f->decimals, x);
        return;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(x));
    size_t len = strlen(digits), o = 0;
    if (x < 0 || sign)
        buf[o++] = x < 0 ? '-' : '+';
    for (size_t i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
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
