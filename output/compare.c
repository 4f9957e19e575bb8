#include "compare.h"

#include <math.h>
#include <string.h>

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

/* A number in 10 columns: fixed where it reads well, else scientific. */
static void num(char *buf, size_t n, double v, int sign)
{
    double a = fabs(v);
    if (isnan(v))
        snprintf(buf, n, "%s", "-");
    else if (a != 0 && (a >= 1e6 || a < 1e-3))
        snprintf(buf, n, sign ? "%+.3e" : "%.3e", v);
    else if (a >= 1000)
        snprintf(buf, n, sign ? "%+.1f" : "%.1f", v);
    else
        snprintf(buf, n, sign ? "%+.4f" : "%.4f", v);
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

int compare_print(FILE *out, const struct summary *s, const char *kpis, int csv)
{
    int idx[256];
    int n = kpi_list(kpis, idx, 256);
    if (n < 0)
        return -1;
    const char *base = s->baseline >= 0 ? s->units[s->baseline].scenario : "";
    if (csv)
        fprintf(out, "scenario,point,kpi,n,mean,sd,ci_low,ci_high,baseline,diff_mean,"
                     "diff_ci_low,diff_ci_high,diff_excludes_zero\n");
    else
        fprintf(out, "%u replications; 95%% Student-t intervals; paired differences vs \"%s\" "
                     "(* = CI excludes 0)\n", s->nreps, base);
    for (int j = 0; j < n; j++) {
        size_t k = (size_t)idx[j];
        if (!csv)
            fprintf(out, "\n%s (%s%s%s)\n  %-22s %10s %23s  %10s %23s\n", kpi_descs[k].name,
                    kpi_descs[k].doc, *kpi_descs[k].unit ? ", " : "", kpi_descs[k].unit,
                    "scenario", "mean", "95% CI", "vs base", "95% CI");
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
            char name[64], m[32], lo[32], hi[32], ci[72], dm[32], dlo[32], dhi[32], dci[72];
            if (s->units[u].point)
                snprintf(name, sizeof name, "%.16s@%u", s->units[u].scenario, s->units[u].point);
            else
                snprintf(name, sizeof name, "%.22s", s->units[u].scenario);
            num(m, sizeof m, st.mean, 0);
            num(lo, sizeof lo, st.ci_low, 0);
            num(hi, sizeof hi, st.ci_high, 0);
            snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
            if ((int)u == s->baseline) {
                fprintf(out, "  %-22s %10s %23s  %10s\n", name, m, ci, "(baseline)");
                continue;
            }
            num(dm, sizeof dm, st.diff_mean, 1);
            num(dlo, sizeof dlo, st.diff_low, 1);
            num(dhi, sizeof dhi, st.diff_high, 1);
            snprintf(dci, sizeof dci, "[%s, %s]", dlo, dhi);
            fprintf(out, "  %-22s %10s %23s  %10s %23s %s\n", name, m, ci, dm, dci, sig ? "*" : "");
        }
    }
    return 0;
}

int compare_print_points(FILE *out, const struct summary *s, const char *const *levers,
                         int nlevers, const double *values, uint32_t npoints, const char *kpis,
                         int csv)
{
    int idx[256];
    int n = kpi_list(kpis, idx, 256);
    if (n < 0)
        return -1;
    if (csv) {
        fprintf(out, "point");
        for (int l = 0; l < nlevers; l++) {
            fputc(',', out);
            csv_field(out, levers[l]);
        }
        fprintf(out, ",kpi,n,mean,sd,ci_low,ci_high\n");
    }
    for (int q = 0; q < n; q++) {
        size_t k = (size_t)idx[q];
        if (!csv) {
            fprintf(out, "\n%s (%s%s%s): mean and 95%% CI over replications\n  %5s",
                    kpi_descs[k].name, kpi_descs[k].doc, *kpi_descs[k].unit ? ", " : "",
                    kpi_descs[k].unit, "point");
            for (int l = 0; l < nlevers && l < 3; l++) {
                const char *dot = strrchr(levers[l], '.');
                fprintf(out, " %12.12s", dot ? dot + 1 : levers[l]);
            }
            fprintf(out, " %10s %23s\n", "mean", "95% CI");
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
            char m[32], lo[32], hi[32], ci[72];
            num(m, sizeof m, st.mean, 0);
            num(lo, sizeof lo, st.ci_low, 0);
            num(hi, sizeof hi, st.ci_high, 0);
            snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
            fprintf(out, "  %5u", p);
            for (int l = 0; l < nlevers && l < 3; l++)
                fprintf(out, " %12.6g", v[l]);
            fprintf(out, " %10s %23s\n", m, ci);
        }
    }
    if (!csv && nlevers > 3)
        fprintf(out, "\n(%d levers: the first 3 shown; --csv has them all)\n", nlevers);
    return 0;
}
