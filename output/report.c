/* report.c — the planner's page (report.h). The file's tables are read
 * generically (rtab.h), so tables other commands add are rendered from their
 * columns and units without this file knowing their structs; the known ones
 * (/summary, /increments, /sizing, /sensitivity, /ceac, /evppi, /posterior)
 * get a sentence that says what they answer and a figure. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../models/kpi.h"
#include "html.h"
#include "numfmt.h"
#include "rtab.h"
#include "svg.h"

static const char *const default_kpis = "landed,landing_rate,public_spend,net_fiscal,cost_per_landing";

enum { MAX_KPIS = 16, MAX_ROWS_SHOWN = 200 };

struct rep {
    FILE *out;
    struct rtab_file *f;
    char kind[32], baseline[128];
    struct rtab scen, summary, design, sizing, sens, incr, ceac, evppi, post, psa;
    int kpis[MAX_KPIS], nkpis;     /* kpi_descs indices present in /summary */
    const double *sum_point, *sum_mean, *sum_lo, *sum_hi, *sum_dmean, *sum_dlo, *sum_dhi, *sum_n;
    char *const *sum_scen, *const *sum_kpi;
};

/* ---- small helpers ------------------------------------------------------------ */

static const double *num(const struct rtab *t, const char *name)
{
    const struct rtab_col *c = rtab_col(t, name);
    return c && !c->text ? c->num : NULL;
}

static char *const *txt(const struct rtab *t, const char *name)
{
    const struct rtab_col *c = rtab_col(t, name);
    return c && c->text ? c->text_v : NULL;
}

static void esc(struct rep *r, const char *s)
{
    html_esc(r->out, s);
}

/* The scenario's place in /scenarios (its colour), or -1. */
static int scen_index(const struct rep *r, const char *name)
{
    char *const *names = txt(&r->scen, "name");
    for (size_t i = 0; names && i < r->scen.nrows; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

static const char *scen_colour(const struct rep *r, const char *name)
{
    int i = scen_index(r, name);
    return i < 0 ? "#555" : svg_colour(i);
}

static void swatch(struct rep *r, const char *name)
{
    fprintf(r->out, "<span class=\"sw\" style=\"background:%s\"></span>", scen_colour(r, name));
}

/* "unit" of a KPI, or of a column, with the scale word: "billions of yuan". */
static void unit_words(char *buf, size_t n, const char *unit, const struct numfmt *f)
{
    snprintf(buf, n, "%s%s%s", *f->scale_word ? f->scale_word : "",
             *f->scale_word && *unit ? " of " : "", *unit ? unit : *f->scale_word ? "" : "");
}

static const char *kpi_unit(const char *name)
{
    int k = kpi_index(name);
    return k < 0 ? "" : kpi_descs[k].unit;
}

static const char *kpi_doc(const char *name)
{
    int k = kpi_index(name);
    return k < 0 ? "" : kpi_descs[k].doc;
}

static void put(struct rep *r, const struct numfmt *f, double v, int sign)
{
    char b[64];
    numfmt_put(b, sizeof b, f, v, sign);
    esc(r, b);
}

static void interval(struct rep *r, const struct numfmt *f, double lo, double hi)
{
    if (!isfinite(lo) || !isfinite(hi))
        return;
    fputs(" <span class=\"ci\">[", r->out);
    put(r, f, lo, 0);
    fputs(", ", r->out);
    put(r, f, hi, 0);
    fputs("]</span>", r->out);
}

static double absmax(double top, double v)
{
    return isfinite(v) && fabs(v) > top ? fabs(v) : top;
}

/* The /summary row of (scenario, point 0, kpi), or -1. */
static long sum_row(const struct rep *r, const char *scenario, double point, const char *kpi)
{
    for (size_t i = 0; r->sum_kpi && i < r->summary.nrows; i++)
        if (r->sum_point[i] == point && strcmp(r->sum_kpi[i], kpi) == 0
            && strcmp(r->sum_scen[i], scenario) == 0)
            return (long)i;
    return -1;
}

/* A table's own attributes (its terms: method, reference, lambda ...) as a
 * line under it, leaving out the column documentation. */
static void table_terms(struct rep *r, const char *path)
{
    char **names;
    int n = rtab_attr_names(r->f, path, &names);
    int shown = 0;
    for (int i = 0; i < n; i++) {
        const char *a = names[i];
        if (strcmp(a, "columns") && strcmp(a, "units") && strcmp(a, "descriptions")
            && strcmp(a, "description")) {
            char v[1024];
            rtab_attr(r->f, path, a, v, sizeof v);
            fputs(shown++ ? "; " : "<p class=\"terms\">Terms of the table: ", r->out);
            fputs("<code>", r->out);
            esc(r, a);
            fputs("</code> = ", r->out);
            html_esc_n(r->out, v, 300);
        }
        free(names[i]);
    }
    free(names);
    if (shown)
        fputs(".</p>\n", r->out);
}

/* Any table, every column, as stored (units in the header): for tables this
 * page has no special reading of, and for the evidence behind a figure. */
static void generic_table(struct rep *r, const struct rtab *t, size_t max_rows)
{
    fputs("<div class=\"scroll\"><table class=\"data\"><thead><tr>", r->out);
    for (int c = 0; c < t->ncols; c++) {
        fputs("<th>", r->out);
        esc(r, t->cols[c].name);
        if (*t->cols[c].unit) {
            fputs("<br><span class=\"unit\">", r->out);
            esc(r, t->cols[c].unit);
            fputs("</span>", r->out);
        }
        fputs("</th>", r->out);
    }
    fputs("</tr></thead><tbody>\n", r->out);
    size_t rows = t->nrows < max_rows ? t->nrows : max_rows;
    for (size_t i = 0; i < rows; i++) {
        fputs("<tr>", r->out);
        for (int c = 0; c < t->ncols; c++) {
            char b[64];
            fputs(t->cols[c].text ? "<td>" : "<td class=\"n\">", r->out);
            html_esc_n(r->out, rtab_cell(&t->cols[c], i, b, sizeof b), 200);
            fputs("</td>", r->out);
        }
        fputs("</tr>\n", r->out);
    }
    fputs("</tbody></table></div>\n", r->out);
    if (rows < t->nrows)
        fprintf(r->out, "<p class=\"note\">The first %zu of %zu rows; the file holds them all "
                "(<code>", rows, t->nrows);
    if (rows < t->nrows) {
        esc(r, t->name);
        fputs("</code>).</p>\n", r->out);
    }
}

/* ---- page frame ------------------------------------------------------------- */

static const char css[] =
    ":root{--ink:#1b1b1b;--muted:#5a5a5a;--rule:#d0d0d0;--bg:#fff;--accent:#0b4f8a}\n"
    "body{font-family:\"Noto Sans\",\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\","
    "\"PingFang SC\",\"Microsoft YaHei\",\"DejaVu Sans\",sans-serif;color:var(--ink);"
    "background:var(--bg);max-width:72rem;margin:0 auto;padding:1.5rem;line-height:1.45}\n"
    "h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;border-bottom:2px solid var(--accent);"
    "padding-bottom:.2rem;margin-top:2.2rem}h3{font-size:1.05rem;margin-top:1.4rem}\n"
    "p.lead{font-size:1.05rem}.note,.terms,figcaption,.unit,.ci{color:var(--muted)}\n"
    ".note,.terms{font-size:.9rem}.unit{font-weight:normal;font-size:.8rem}.ci{font-size:.85em}\n"
    "table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}"
    "th,td{border-bottom:1px solid var(--rule);padding:.25rem .5rem;text-align:left;"
    "vertical-align:top}th{background:#f3f5f8}td:first-child{white-space:nowrap}"
    "table.data{font-size:.85rem}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    ".scroll{overflow-x:auto}.sig{font-weight:bold}.answer{font-size:1.2rem;background:#eef5fb;"
    "border-left:4px solid var(--accent);padding:.6rem 1rem}\n"
    ".sw{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.35em;"
    "vertical-align:baseline}\n"
    "figure.fig{margin:1rem 0;page-break-inside:avoid}figure.fig svg{max-width:100%;height:auto}"
    "figcaption{font-size:.9rem}\n"
    "svg text{fill:#222;font-family:inherit}svg .grid{stroke:#e4e4e4}svg .frame{fill:none;"
    "stroke:#999}svg .zero{stroke:#555;stroke-width:1}svg .ref{stroke:#b00;stroke-dasharray:5 4;"
    "stroke-width:1.5}svg .reflabel{fill:#b00}svg .axlabel{font-size:13px}"
    "svg .ptlabel{font-size:11px}\n"
    "code,pre{font-family:\"Noto Sans Mono CJK SC\",\"DejaVu Sans Mono\",monospace;font-size:.85rem}"
    "pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;max-height:30rem;overflow:auto}\n"
    "nav ol{columns:2;font-size:.95rem}\n"
    "@media print{body{max-width:none;padding:0}nav{display:none}h2{page-break-after:avoid}"
    "details{display:block}details>*{display:block}pre{max-height:none}}\n";

static void head(struct rep *r, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"incubsim " INCUBSIM_VERSION "\">\n<title>", r->out);
    fputs("incubsim report: ", r->out);
    esc(r, title);
    fprintf(r->out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

/* ---- 1. what the file is, the question and the options ------------------------ */

static const char *kind_words(const char *kind)
{
    static const char *const k[][2] = {
        { "run", "a comparison of policy scenarios (incubsim run)" },
        { "sweep", "a sweep of levers over a design (incubsim sweep)" },
        { "size", "a sizing: the smallest lever value that meets a target (incubsim size)" },
        { "sensitivity", "a sensitivity analysis (incubsim sensitivity)" },
        { "psa", "a probabilistic sensitivity analysis (incubsim psa)" },
        { "calibrate", "a calibration of the assumptions (incubsim calibrate)" },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strcmp(kind, k[i][0]) == 0)
            return k[i][1];
    return NULL;
}

static void levers_sentence(struct rep *r)
{
    for (int c = 1; c < r->design.ncols; c++) {
        fputs(c > 1 ? (c + 1 == r->design.ncols ? " and " : ", ") : "", r->out);
        fputs("<code>", r->out);
        esc(r, r->design.cols[c].name);
        fputs("</code>", r->out);
    }
}

static void kpis_sentence(struct rep *r)
{
    for (int i = 0; i < r->nkpis; i++) {
        fputs(i ? (i + 1 == r->nkpis ? " and " : ", ") : "", r->out);
        fputs("<code>", r->out);
        esc(r, kpi_descs[r->kpis[i]].name);
        fputs("</code>", r->out);
    }
}

static void section_question(struct rep *r, const char *reference)
{
    fputs("<section id=\"question\"><h2>The question and the options</h2>\n<p class=\"lead\">",
          r->out);
    size_t nsc = r->scen.nrows;
    double reps = 0;
    rtab_attr_num(r->f, "/", "replications", &reps);
    if (r->incr.nrows || (!strcmp(r->kind, "run") && nsc > 1)) {
        fprintf(r->out, "Which of these %zu options should the region choose? Each is compared "
                "with <b>", nsc);
        esc(r, reference);
        fprintf(r->out, "</b>, the option it would replace, over the same projects with the same "
                "luck (common random numbers), %.0f replications each.", reps);
    } else if (!strcmp(r->kind, "size") && r->sizing.nrows) {
        char lever[256], kpi[64], dir[32], target[64], conf[64];
        rtab_attr(r->f, "/sizing", "lever", lever, sizeof lever);
        rtab_attr(r->f, "/sizing", "kpi", kpi, sizeof kpi);
        rtab_attr(r->f, "/sizing", "direction", dir, sizeof dir);
        rtab_attr(r->f, "/sizing", "target", target, sizeof target);
        rtab_attr(r->f, "/sizing", "confidence", conf, sizeof conf);
        fputs("What is the smallest <code>", r->out);
        esc(r, lever);
        fputs("</code> at which the mean <code>", r->out);
        esc(r, kpi);
        fprintf(r->out, "</code> is %s ", strcmp(dir, "at_most") ? "at least" : "at most");
        esc(r, target);
        fputs(", with confidence ", r->out);
        esc(r, conf);
        fputs("?", r->out);
    } else if (!strcmp(r->kind, "sensitivity")) {
        fputs("Which of the levers ", r->out);
        levers_sentence(r);
        fputs(" matter for the outcomes, alone and through interactions?", r->out);
    } else if (!strcmp(r->kind, "sweep") && r->design.nrows) {
        fprintf(r->out, "How do the outcomes move with ");
        levers_sentence(r);
        fprintf(r->out, "? %zu design points, %.0f replications each, the same random numbers "
                "at every point.", r->design.nrows, reps);
    } else if (!strcmp(r->kind, "psa")) {
        fputs("Which option is best when the assumptions themselves are uncertain?", r->out);
    } else if (!strcmp(r->kind, "calibrate")) {
        fputs("Which values of the assumptions reproduce the observed figures?", r->out);
    } else {
        fprintf(r->out, "What the %zu scenario%s of this file give.", nsc, nsc == 1 ? "" : "s");
    }
    fputs("</p>\n", r->out);
    fputs("<table class=\"data\"><thead><tr><th>option</th><th>warm-up<br><span class=\"unit\">"
          "years</span></th><th>how the warm-up was chosen</th><th>config SHA-256</th></tr>"
          "</thead><tbody>\n", r->out);
    char *const *names = txt(&r->scen, "name"), *const *rule = txt(&r->scen, "warmup_rule"),
         *const *sha = txt(&r->scen, "config_sha256");
    const double *warm = num(&r->scen, "warmup");
    for (size_t i = 0; names && i < nsc; i++) {
        fputs("<tr><td>", r->out);
        swatch(r, names[i]);
        esc(r, names[i]);
        if (nsc > 1 && !strcmp(names[i], reference))
            fputs(" <i>(reference)</i>", r->out);
        fprintf(r->out, "</td><td class=\"n\">%s", "");
        if (warm)
            fprintf(r->out, "%.3g", warm[i]);
        fputs("</td><td>", r->out);
        if (rule)
            esc(r, rule[i]);
        fputs("</td><td><code>", r->out);
        if (sha)
            html_esc_n(r->out, sha[i], 16);
        fputs("</code></td></tr>\n", r->out);
    }
    fputs("</tbody></table>\n", r->out);
    if (r->nkpis) {
        fputs("<p>Outcomes shown: ", r->out);
        kpis_sentence(r);
        fputs(" (<code>--kpi</code> picks others; the file holds every KPI).</p>\n", r->out);
    }
    fputs("</section>\n", r->out);
}

/* ---- 2. the decision table --------------------------------------------------- */

static void numfmt_of_cols(struct numfmt *f, const struct rtab *t, const char *const *cols,
                           const char *const *filter_col, const char *filter_val)
{
    double top = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        if (filter_col && filter_val && strcmp(((char *const *)filter_col)[i], filter_val))
            continue;
        for (int c = 0; cols[c]; c++) {
            const double *v = num(t, cols[c]);
            if (v)
                top = absmax(top, v[i]);
        }
    }
    numfmt_pick(f, top);
}

static double at(const double *v, size_t i)
{
    return v ? v[i] : NAN;
}

/* /increments: rows against the reference, then the sequential ICERs along
 * the frontier. */
static void increments_table(struct rep *r)
{
    const struct rtab *t = &r->incr;
    char *const *sc = txt(t, "scenario"), *const *ref = txt(t, "reference"),
         *const *against = txt(t, "against"), *const *status = txt(t, "status"),
         *const *ck = txt(t, "cost_kpi"), *const *ek = txt(t, "effect_kpi");
    if (!sc) {
        generic_table(r, t, MAX_ROWS_SHOWN);
        return;
    }
    struct numfmt fc, fe, fi, fn;
    numfmt_of_cols(&fc, t, (const char *[]){ "delta_cost", "delta_cost_low", "delta_cost_high", NULL },
                   NULL, NULL);
    numfmt_of_cols(&fe, t, (const char *[]){ "delta_effect", "delta_effect_low",
                                             "delta_effect_high", NULL }, NULL, NULL);
    numfmt_of_cols(&fi, t, (const char *[]){ "icer", NULL }, NULL, NULL);
    numfmt_of_cols(&fn, t, (const char *[]){ "net_benefit", "net_benefit_low",
                                             "net_benefit_high", NULL }, NULL, NULL);
    const char *cost = ck && t->nrows ? ck[0] : "cost", *eff = ek && t->nrows ? ek[0] : "effect";
    int has_nb = num(t, "net_benefit") != NULL;
    for (int pass = 0; pass < 2; pass++) {
        int any = 0;
        for (size_t i = 0; i < t->nrows; i++) {
            int vs_ref = !against || !strcmp(against[i], "reference");
            if (vs_ref != !pass)
                continue;
            if (!any++) {
                char uc[128], ue[128], ui[160];
                unit_words(uc, sizeof uc, kpi_unit(cost), &fc);
                unit_words(ue, sizeof ue, kpi_unit(eff), &fe);
                snprintf(ui, sizeof ui, "%s%s%s per %s", *fi.scale_word ? fi.scale_word : "",
                         *fi.scale_word ? " of " : "", kpi_unit(cost), kpi_unit(eff));
                fputs(pass ? "<h3>Sequential ICERs along the frontier</h3>\n<p>Each option on "
                             "the frontier against the next cheaper one on it.</p>\n" : "", r->out);
                fputs("<div class=\"scroll\"><table class=\"data\"><thead><tr><th>option</th>"
                      "<th>against</th><th>status</th><th>&Delta; ", r->out);
                esc(r, cost);
                fputs("<br><span class=\"unit\">", r->out);
                esc(r, uc);
                fputs("</span></th><th>&Delta; ", r->out);
                esc(r, eff);
                fputs("<br><span class=\"unit\">", r->out);
                esc(r, ue);
                fputs("</span></th><th>ICER<br><span class=\"unit\">", r->out);
                esc(r, ui);
                fputs("</span></th>", r->out);
                if (has_nb)
                    fputs("<th>net benefit</th>", r->out);
                fputs("</tr></thead><tbody>\n", r->out);
            }
            fputs("<tr><td>", r->out);
            swatch(r, sc[i]);
            esc(r, sc[i]);
            fputs("</td><td>", r->out);
            if (ref)
                esc(r, ref[i]);
            fputs("</td><td>", r->out);
            if (status)
                esc(r, status[i]);
            fputs("</td><td class=\"n\">", r->out);
            put(r, &fc, at(num(t, "delta_cost"), i), 1);
            interval(r, &fc, at(num(t, "delta_cost_low"), i), at(num(t, "delta_cost_high"), i));
            fputs("</td><td class=\"n\">", r->out);
            put(r, &fe, at(num(t, "delta_effect"), i), 1);
            interval(r, &fe, at(num(t, "delta_effect_low"), i), at(num(t, "delta_effect_high"), i));
            fputs("</td><td class=\"n\">", r->out);
            put(r, &fi, at(num(t, "icer"), i), 0);
            interval(r, &fi, at(num(t, "icer_low"), i), at(num(t, "icer_high"), i));
            fputs("</td>", r->out);
            if (has_nb) {
                fputs("<td class=\"n\">", r->out);
                put(r, &fn, at(num(t, "net_benefit"), i), 1);
                interval(r, &fn, at(num(t, "net_benefit_low"), i),
                         at(num(t, "net_benefit_high"), i));
                fputs("</td>", r->out);
            }
            fputs("</tr>\n", r->out);
        }
        if (any)
            fputs("</tbody></table></div>\n", r->out);
    }
    table_terms(r, "/increments");
    fputs("<p class=\"note\">&Delta;: the mean paired difference (option &minus; the option it is "
          "compared with) over the replications, with its 95% interval. <i>dominated</i>: another "
          "option brings more for less; <i>extended_dominated</i>: a mix of two others would; "
          "the <i>frontier</i> options are the ones worth paying for, at their ICER.</p>\n", r->out);
}

/* The format of a KPI over every scenario at point 0: means, CIs, diffs. */
static void kpi_fmt(struct rep *r, const char *kpi, struct numfmt *f, int diffs_only)
{
    double top = 0;
    for (size_t i = 0; i < r->summary.nrows; i++)
        if (r->sum_point[i] == 0 && !strcmp(r->sum_kpi[i], kpi)) {
            if (!diffs_only) {
                top = absmax(top, r->sum_mean[i]);
                top = absmax(top, r->sum_lo[i]);
                top = absmax(top, r->sum_hi[i]);
            }
            top = absmax(top, at(r->sum_dmean, i));
            top = absmax(top, at(r->sum_dlo, i));
            top = absmax(top, at(r->sum_dhi, i));
        }
    numfmt_pick(f, top);
}

/* The header cells of the table's KPIs: name, and the unit in the column's scale. */
static void kpi_head_cells(struct rep *r, const struct numfmt *fmt)
{
    for (int k = 0; k < r->nkpis; k++) {
        char u[160];
        unit_words(u, sizeof u, kpi_descs[r->kpis[k]].unit, &fmt[k]);
        fputs("<th>", r->out);
        esc(r, kpi_descs[r->kpis[k]].name);
        fputs("<br><span class=\"unit\">", r->out);
        esc(r, u);
        fputs("</span></th>", r->out);
    }
}

static void summary_table(struct rep *r)
{
    char *const *names = txt(&r->scen, "name");
    struct numfmt fmt[MAX_KPIS];
    for (int k = 0; k < r->nkpis; k++)
        kpi_fmt(r, kpi_descs[r->kpis[k]].name, &fmt[k], 0);
    fputs("<div class=\"scroll\"><table class=\"data\"><thead><tr><th>option</th>", r->out);
    kpi_head_cells(r, fmt);
    fputs("</tr></thead><tbody>\n", r->out);
    for (size_t s = 0; names && s < r->scen.nrows; s++) {
        fputs("<tr><td>", r->out);
        swatch(r, names[s]);
        esc(r, names[s]);
        fputs("</td>", r->out);
        for (int k = 0; k < r->nkpis; k++) {
            long i = sum_row(r, names[s], 0, kpi_descs[r->kpis[k]].name);
            fputs("<td class=\"n\">", r->out);
            if (i < 0) {
                fputs("&ndash;</td>", r->out);
                continue;
            }
            put(r, &fmt[k], r->sum_mean[i], 0);
            double hw = (r->sum_hi[i] - r->sum_lo[i]) / 2;
            if (isfinite(hw)) {
                fputs(" <span class=\"ci\">&plusmn;", r->out);
                put(r, &fmt[k], hw, 0);
                fputs("</span>", r->out);
            }
            double d = at(r->sum_dmean, i), lo = at(r->sum_dlo, i), hi = at(r->sum_dhi, i);
            if (isfinite(d)) {
                int sig = lo > 0 || hi < 0;
                fprintf(r->out, "<br><span class=\"%s\">&Delta; ", sig ? "sig" : "ci");
                put(r, &fmt[k], d, 1);
                fputs("</span>", r->out);
                interval(r, &fmt[k], lo, hi);
            }
            fputs("</td>", r->out);
        }
        fputs("</tr>\n", r->out);
    }
    fputs("</tbody></table></div>\n<p class=\"note\">Each cell: the mean over the replications "
          "&plusmn; the half-width of its 95% Student-t interval; under it, &Delta;: the paired "
          "difference from <b>", r->out);
    esc(r, r->baseline);
    fputs("</b> replication by replication with its 95% interval, in bold where the interval "
          "excludes 0.</p>\n", r->out);
}

/* A sweep: each design point's levers and the KPIs' means with CIs. */
static void points_table(struct rep *r)
{
    struct numfmt fmt[MAX_KPIS], lf[16];
    int nl = r->design.ncols - 1 < 16 ? r->design.ncols - 1 : 16;
    for (int k = 0; k < r->nkpis; k++) {
        double top = 0;
        for (size_t i = 0; i < r->summary.nrows; i++)
            if (!strcmp(r->sum_kpi[i], kpi_descs[r->kpis[k]].name)) {
                top = absmax(top, r->sum_mean[i]);
                top = absmax(top, r->sum_hi[i]);
                top = absmax(top, r->sum_lo[i]);
            }
        numfmt_pick(&fmt[k], top);
    }
    for (int l = 0; l < nl; l++) {
        double top = 0;
        for (size_t p = 0; p < r->design.nrows; p++)
            top = absmax(top, r->design.cols[l + 1].num ? r->design.cols[l + 1].num[p] : NAN);
        numfmt_pick(&lf[l], top);
    }
    fputs("<div class=\"scroll\"><table class=\"data\"><thead><tr><th>point</th>", r->out);
    for (int l = 0; l < nl; l++) {
        fputs("<th>", r->out);
        esc(r, r->design.cols[l + 1].name);
        if (*lf[l].scale_word)
            fprintf(r->out, "<br><span class=\"unit\">%s</span>", lf[l].scale_word);
        fputs("</th>", r->out);
    }
    kpi_head_cells(r, fmt);
    fputs("</tr></thead><tbody>\n", r->out);
    char *const *sc = txt(&r->scen, "name");
    size_t shown = r->design.nrows < MAX_ROWS_SHOWN ? r->design.nrows : MAX_ROWS_SHOWN;
    const double *dp = num(&r->design, "point");
    for (size_t p = 0; p < shown && sc; p++) {
        double point = dp ? dp[p] : (double)p;
        fprintf(r->out, "<tr><td class=\"n\">%.0f</td>", point);
        for (int l = 0; l < nl; l++) {
            fputs("<td class=\"n\">", r->out);
            put(r, &lf[l], r->design.cols[l + 1].num ? r->design.cols[l + 1].num[p] : NAN, 0);
            fputs("</td>", r->out);
        }
        for (int k = 0; k < r->nkpis; k++) {
            long i = sum_row(r, sc[0], point, kpi_descs[r->kpis[k]].name);
            fputs("<td class=\"n\">", r->out);
            if (i >= 0) {
                put(r, &fmt[k], r->sum_mean[i], 0);
                double hw = (r->sum_hi[i] - r->sum_lo[i]) / 2;
                if (isfinite(hw)) {
                    fputs(" <span class=\"ci\">&plusmn;", r->out);
                    put(r, &fmt[k], hw, 0);
                    fputs("</span>", r->out);
                }
            }
            fputs("</td>", r->out);
        }
        fputs("</tr>\n", r->out);
    }
    fputs("</tbody></table></div>\n", r->out);
    if (shown < r->design.nrows)
        fprintf(r->out, "<p class=\"note\">The first %zu of %zu design points (every point is in "
                "<code>/summary</code>).</p>\n", shown, r->design.nrows);
}

static void section_decision(struct rep *r)
{
    fputs("<section id=\"decision\"><h2>The decision table</h2>\n", r->out);
    if (r->incr.nrows) {
        increments_table(r);
        if (r->summary.nrows && r->nkpis && r->scen.nrows > 1 && !r->design.nrows) {
            fputs("<h3>Each option's outcomes</h3>\n", r->out);
            summary_table(r);
        }
    } else if (r->design.nrows && r->summary.nrows && r->nkpis) {
        int folded = r->sizing.nrows || r->sens.nrows;   /* the answer is above */
        fputs(folded ? "<details><summary>Every design point's outcomes</summary>\n" : "", r->out);
        fputs("<p>Each design point's outcomes: the mean over its replications &plusmn; the "
              "half-width of the 95% interval.</p>\n", r->out);
        points_table(r);
        fputs(folded ? "</details>\n" : "", r->out);
    } else if (r->summary.nrows && r->nkpis) {
        fputs("<p>This file has no <code>/increments</code> table (no ICERs or dominance): the "
              "options are compared by their paired differences from <code>/summary</code>.</p>\n",
              r->out);
        summary_table(r);
    } else {
        fputs("<p>This file has no summary to decide from.</p>\n", r->out);
    }
    fputs("</section>\n", r->out);
}

/* ---- 3. figures --------------------------------------------------------------- */

/* The cost-effect plane from /increments (rows against the reference), the
 * frontier drawn through the options on it, from the cheapest. */
static void plane_from_increments(struct rep *r, const char *reference)
{
    const struct rtab *t = &r->incr;
    char *const *sc = txt(t, "scenario"), *const *against = txt(t, "against"),
         *const *status = txt(t, "status"), *const *ck = txt(t, "cost_kpi"),
         *const *ek = txt(t, "effect_kpi");
    const double *dc = num(t, "delta_cost"), *de = num(t, "delta_effect");
    if (!sc || !dc || !de)
        return;
    struct svg_pt *pts = calloc(t->nrows + 1, sizeof *pts);
    double *fx = calloc(t->nrows + 1, sizeof *fx), *fy = calloc(t->nrows + 1, sizeof *fy);
    if (!pts || !fx || !fy)
        goto done;
    size_t n = 0, nf = 0;
    int ref_seen = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        if (against && strcmp(against[i], "reference"))
            continue;
        int is_ref = status && !strcmp(status[i], "reference");
        ref_seen |= is_ref;
        pts[n] = (struct svg_pt){ de[i], dc[i], at(num(t, "delta_effect_low"), i),
                                  at(num(t, "delta_effect_high"), i), at(num(t, "delta_cost_low"), i),
                                  at(num(t, "delta_cost_high"), i), sc[i], scen_colour(r, sc[i]),
                                  status && strstr(status[i], "dominated") != NULL };
        n++;
        if (status && (!strcmp(status[i], "frontier") || is_ref)) {
            fx[nf] = de[i];
            fy[nf++] = dc[i];
        }
    }
    if (!ref_seen) {
        pts[n++] = (struct svg_pt){ 0, 0, NAN, NAN, NAN, NAN, reference, scen_colour(r, reference), 0 };
        fx[nf] = 0;
        fy[nf++] = 0;
    }
    for (size_t a = 1; a < nf; a++)   /* the frontier by effect, then cost */
        for (size_t b = a; b > 0 && (fx[b] < fx[b - 1] || (fx[b] == fx[b - 1] && fy[b] < fy[b - 1])); b--) {
            double tx = fx[b], ty = fy[b];
            fx[b] = fx[b - 1];
            fy[b] = fy[b - 1];
            fx[b - 1] = tx;
            fy[b - 1] = ty;
        }
    struct numfmt fc, fe;
    numfmt_of_cols(&fc, t, (const char *[]){ "delta_cost", "delta_cost_low", "delta_cost_high", NULL },
                   NULL, NULL);
    numfmt_of_cols(&fe, t, (const char *[]){ "delta_effect", "delta_effect_low",
                                             "delta_effect_high", NULL }, NULL, NULL);
    char xl[512], yl[256], uc[128], ue[128];
    const char *cost = ck && t->nrows ? ck[0] : "cost", *eff = ek && t->nrows ? ek[0] : "effect";
    unit_words(uc, sizeof uc, kpi_unit(cost), &fc);
    unit_words(ue, sizeof ue, kpi_unit(eff), &fe);
    snprintf(xl, sizeof xl, "\xce\x94 %s [%s] vs %s", eff, ue, reference);
    snprintf(yl, sizeof yl, "\xce\x94 %s [%s]", cost, uc);
    struct svg_line frontier = { fx, fy, NULL, NULL, nf, "frontier", "#333", 1, 0 };
    struct svg_xy c = { "Cost-effect plane: each option's paired difference from the reference "
                        "with 95% intervals; the dashed line is the frontier (open circles: "
                        "dominated)", xl, yl, &fe, &fc, pts, n, &frontier, nf > 1 ? 1 : 0,
                        0, 0, 1, 0, 0, 0, NULL, NULL, NAN };
    svg_xy_chart(r->out, &c);
done:
    free(pts);
    free(fx);
    free(fy);
}

/* The plane from /summary's paired differences when there is no
 * /increments: no frontier (that needs the dominance rules of §9). */
static void plane_from_summary(struct rep *r)
{
    const char *cost = sum_row(r, r->baseline, 0, "cohort_cost") >= 0 ? "cohort_cost" : "public_spend";
    const char *eff = sum_row(r, r->baseline, 0, "cohort_landed") >= 0 ? "cohort_landed" : "landed";
    char *const *names = txt(&r->scen, "name");
    if (!names || sum_row(r, r->baseline, 0, cost) < 0 || sum_row(r, r->baseline, 0, eff) < 0)
        return;
    struct svg_pt *pts = calloc(r->scen.nrows, sizeof *pts);
    if (!pts)
        return;
    size_t n = 0;
    for (size_t s = 0; s < r->scen.nrows; s++) {
        long ic = sum_row(r, names[s], 0, cost), ie = sum_row(r, names[s], 0, eff);
        if (ic < 0 || ie < 0)
            continue;
        int base = !strcmp(names[s], r->baseline);
        pts[n++] = (struct svg_pt){ base ? 0 : at(r->sum_dmean, ie), base ? 0 : at(r->sum_dmean, ic),
                                    at(r->sum_dlo, ie), at(r->sum_dhi, ie), at(r->sum_dlo, ic),
                                    at(r->sum_dhi, ic), names[s], svg_colour((int)s), 0 };
    }
    struct numfmt fc, fe;
    kpi_fmt(r, cost, &fc, 1);
    kpi_fmt(r, eff, &fe, 1);
    char xl[512], yl[256], uc[128], ue[128];
    unit_words(uc, sizeof uc, kpi_unit(cost), &fc);
    unit_words(ue, sizeof ue, kpi_unit(eff), &fe);
    snprintf(xl, sizeof xl, "\xce\x94 %s [%s] vs %s", eff, ue, r->baseline);
    snprintf(yl, sizeof yl, "\xce\x94 %s [%s]", cost, uc);
    struct svg_xy c = { "Cost-effect plane: each option's paired difference from the baseline "
                        "with 95% intervals (no frontier: the file has no /increments)", xl, yl,
                        &fe, &fc, pts, n, NULL, 0, 0, 0, 1, 0, 0, 0, NULL, NULL, NAN };
    svg_xy_chart(r->out, &c);
    free(pts);
}

/* One forest plot per KPI: every option's paired difference from the
 * baseline with its 95% interval, in the decision table's unit. */
static void forests(struct rep *r)
{
    char *const *names = txt(&r->scen, "name");
    size_t ns = r->scen.nrows;
    const char **cats = calloc(ns, sizeof *cats), **cols = calloc(ns, sizeof *cols);
    double *v = calloc(ns, sizeof *v), *lo = calloc(ns, sizeof *lo), *hi = calloc(ns, sizeof *hi);
    for (int k = 0; names && cats && cols && v && lo && hi && k < r->nkpis; k++) {
        const char *kpi = kpi_descs[r->kpis[k]].name;
        size_t n = 0;
        for (size_t s = 0; s < ns; s++) {
            long i = sum_row(r, names[s], 0, kpi);
            if (i < 0 || !strcmp(names[s], r->baseline))
                continue;
            cats[n] = names[s];
            cols[n] = svg_colour((int)s);
            v[n] = at(r->sum_dmean, i);
            lo[n] = at(r->sum_dlo, i);
            hi[n++] = at(r->sum_dhi, i);
        }
        if (!n)
            continue;
        struct numfmt f;
        kpi_fmt(r, kpi, &f, 0);   /* the table's format: the same unit and scale */
        char title[512], xl[256], u[160];
        unit_words(u, sizeof u, kpi_unit(kpi), &f);
        snprintf(title, sizeof title, "%s (%s): paired difference from %s with its 95%% interval",
                 kpi, kpi_doc(kpi), r->baseline);
        snprintf(xl, sizeof xl, "\xce\x94 %s [%s]", kpi, u);
        struct svg_hbar c = { title, xl, &f, cats, cols, n, (const char *[]){ kpi }, NULL, 1,
                              v, lo, hi, 0 };
        svg_hbar_chart(r->out, &c);
    }
    free(cats);
    free(cols);
    free(v);
    free(lo);
    free(hi);
}

/* A one-lever sweep: each KPI's mean against the lever, its 95% band. */
static void sweep_lines(struct rep *r)
{
    if (r->design.ncols != 2 || !r->design.cols[1].num) {
        fputs("<p class=\"note\">Figures of sweeps over two or more levers: "
              "<code>plot.py</code> draws heat maps; the table above holds every point.</p>\n",
              r->out);
        return;
    }
    size_t np = r->design.nrows;
    char *const *sc = txt(&r->scen, "name");
    const double *dp = num(&r->design, "point");
    double *y = calloc(np, sizeof *y), *lo = calloc(np, sizeof *lo), *hi = calloc(np, sizeof *hi);
    for (int k = 0; sc && y && lo && hi && k < r->nkpis; k++) {
        const char *kpi = kpi_descs[r->kpis[k]].name;
        double top = 0;
        for (size_t p = 0; p < np; p++) {
            long i = sum_row(r, sc[0], dp ? dp[p] : (double)p, kpi);
            y[p] = i < 0 ? NAN : r->sum_mean[i];
            lo[p] = i < 0 ? NAN : r->sum_lo[i];
            hi[p] = i < 0 ? NAN : r->sum_hi[i];
            top = absmax(absmax(absmax(top, y[p]), lo[p]), hi[p]);
        }
        struct numfmt f;
        numfmt_pick(&f, top);
        char u[160], yl[256], title[512];
        unit_words(u, sizeof u, kpi_unit(kpi), &f);
        snprintf(yl, sizeof yl, "%s [%s]", kpi, u);
        snprintf(title, sizeof title, "%s against %s: mean and 95%% band", kpi,
                 r->design.cols[1].name);
        struct svg_line ln = { r->design.cols[1].num, y, lo, hi, np, kpi, svg_colour(0), 0, 1 };
        struct svg_xy c = { title, r->design.cols[1].name, yl, NULL, &f, NULL, 0, &ln, 1,
                            0, 0, 0, 0, 0, 0, NULL, NULL, NAN };
        svg_xy_chart(r->out, &c);
    }
    free(y);
    free(lo);
    free(hi);
}

static void section_figures(struct rep *r, const char *reference)
{
    int many = r->scen.nrows > 1;
    if (!r->incr.nrows && !(many && r->nkpis) && !(r->design.nrows && !r->sizing.nrows
                                                   && !r->sens.nrows))
        return;
    fputs("<section id=\"figures\"><h2>Figures</h2>\n", r->out);
    if (r->incr.nrows)
        plane_from_increments(r, reference);
    else if (many && r->summary.nrows)
        plane_from_summary(r);
    if (many && r->summary.nrows)
        forests(r);
    if (r->design.nrows && !r->sizing.nrows && !r->sens.nrows && r->summary.nrows)
        sweep_lines(r);
    fputs("</section>\n", r->out);
}

/* ---- sizing and sensitivity ---------------------------------------------------- */

static void section_sizing(struct rep *r)
{
    if (!r->sizing.nrows)
        return;
    char lever[256], kpi[64], status[64], dir[32];
    double ans = NAN, alo = NAN, ahi = NAN, target = NAN, conf = NAN, tol = NAN;
    rtab_attr(r->f, "/sizing", "lever", lever, sizeof lever);
    rtab_attr(r->f, "/sizing", "kpi", kpi, sizeof kpi);
    rtab_attr(r->f, "/sizing", "status", status, sizeof status);
    rtab_attr(r->f, "/sizing", "direction", dir, sizeof dir);
    rtab_attr_num(r->f, "/sizing", "answer", &ans);
    rtab_attr_num(r->f, "/sizing", "answer_low", &alo);
    rtab_attr_num(r->f, "/sizing", "answer_high", &ahi);
    rtab_attr_num(r->f, "/sizing", "target", &target);
    rtab_attr_num(r->f, "/sizing", "confidence", &conf);
    rtab_attr_num(r->f, "/sizing", "tolerance", &tol);
    const double *val = num(&r->sizing, "value");
    double top = 0;
    for (size_t i = 0; val && i < r->sizing.nrows; i++)
        top = absmax(top, val[i]);
    top = absmax(absmax(top, alo), ahi);
    struct numfmt lf;
    numfmt_pick(&lf, top);
    fputs("<section id=\"sizing\"><h2>The sizing answer and its price</h2>\n<p class=\"answer\">",
          r->out);
    if (!strcmp(status, "met") || !strcmp(status, "met_at_min")) {
        fputs("<code>", r->out);
        esc(r, lever);
        fputs("</code> = <b>", r->out);
        put(r, &lf, ans, 0);
        if (*lf.scale_word)
            fprintf(r->out, " %s", lf.scale_word);
        fputs("</b>", r->out);
        if (!strcmp(status, "met_at_min"))
            fputs(": the target is met already at the lever's minimum", r->out);
        else {
            fputs(" (the threshold lies in (", r->out);
            put(r, &lf, alo, 0);
            fputs(", ", r->out);
            put(r, &lf, ahi, 0);
            fputs("])", r->out);
        }
    } else {
        fputs("The target cannot be met in the lever's range (status <code>", r->out);
        esc(r, status);
        fputs("</code>)", r->out);
    }
    double robust = 0;
    if (rtab_attr_num(r->f, "/sizing", "robust", &robust) && robust > 0) {
        /* size --robust: over the assumptions, not only the replications */
        double draws = NAN, rpd = NAN, share = NAN, blo = NAN, bhi = NAN;
        char from[512] = "";
        rtab_attr_num(r->f, "/sizing", "draws", &draws);
        rtab_attr_num(r->f, "/sizing", "replications_per_draw", &rpd);
        rtab_attr_num(r->f, "/sizing", "share_at_answer", &share);
        rtab_attr_num(r->f, "/sizing", "answer_boot_low", &blo);
        rtab_attr_num(r->f, "/sizing", "answer_boot_high", &bhi);
        rtab_attr(r->f, "/sizing", "assumptions", from, sizeof from);
        fprintf(r->out, ".</p>\n<p>Robust: the target is met in at least %.3g%% of %.0f draws of "
                "the assumptions (", 100 * robust, draws);
        if (!strcmp(from, "prior"))
            fputs("from their priors", r->out);
        else {
            fputs("from the posterior <code>", r->out);
            esc(r, from);
            fputs("</code>", r->out);
        }
        fprintf(r->out, "), %.0f replications per draw; a draw meets it when its mean does. "
                "At the answer, %.1f%% of the draws meet it.", rpd, 100 * share);
        if (isfinite(blo)) {
            fputs(" A bootstrap over the draws puts the answer between the probed values ", r->out);
            put(r, &lf, blo, 0);
            fputs(" and ", r->out);
            if (isfinite(bhi))
                put(r, &lf, bhi, 0);
            else
                fputs("beyond the lever's range", r->out);
            fputs(" (how far another set of draws could move it)", r->out);
        }
    }
    fprintf(r->out, ".</p>\n<p>Target: mean <code>");
    esc(r, kpi);
    fprintf(r->out, "</code> %s %.6g, at confidence %.3g, within a tolerance of %.3g. Status: "
            "<code>", strcmp(dir, "at_most") ? "&ge;" : "&le;", target, conf, tol);
    esc(r, status);
    fputs("</code>.</p>\n", r->out);
    double cost_at = NAN, per_extra = NAN;
    char cost_kpi[64] = "";
    rtab_attr(r->f, "/sizing", "cost_kpi", cost_kpi, sizeof cost_kpi);
    int has_price = rtab_attr_num(r->f, "/sizing", "cost_at_answer", &cost_at);
    rtab_attr_num(r->f, "/sizing", "cost_per_extra_effect", &per_extra);
    if (has_price) {
        struct numfmt cf, pf;
        numfmt_pick(&cf, fabs(cost_at));
        numfmt_pick(&pf, fabs(per_extra));
        fputs("<p><b>Its price:</b> <code>", r->out);
        esc(r, cost_kpi);
        fputs("</code> at the answer is ", r->out);
        put(r, &cf, cost_at, 0);
        char u[160];
        unit_words(u, sizeof u, kpi_unit(cost_kpi), &cf);
        fputs(" ", r->out);
        esc(r, u);
        char effect_kpi[64] = "";
        double pl = NAN, ph = NAN;
        rtab_attr(r->f, "/sizing", "effect_kpi", effect_kpi, sizeof effect_kpi);
        rtab_attr_num(r->f, "/sizing", "cost_per_extra_effect_low", &pl);
        rtab_attr_num(r->f, "/sizing", "cost_per_extra_effect_high", &ph);
        if (isfinite(per_extra)) {
            fputs("; against the lever's minimum, each extra unit of <code>", r->out);
            esc(r, effect_kpi[0] ? effect_kpi : kpi);
            fputs("</code> costs ", r->out);
            put(r, &pf, per_extra, 0);
            unit_words(u, sizeof u, kpi_unit(cost_kpi), &pf);
            fputs(" ", r->out);
            esc(r, u);
            interval(r, &pf, pl, ph);
        }
        fputs(".</p>\n", r->out);
    } else {
        fputs("<p class=\"note\">This file records no price of the answer (<code>/sizing</code> "
              "attributes <code>cost_kpi</code>, <code>cost_at_answer</code>, "
              "<code>cost_per_extra_effect</code>).</p>\n", r->out);
    }
    /* the evidence: what each probe was decided on, against its line — the mean and its
     * interval against the target; with --robust, the share of draws meeting the target and
     * its Wilson interval against P */
    int by_share = robust > 0 && num(&r->sizing, "share");
    const double *mean = num(&r->sizing, by_share ? "share" : "mean"),
                 *lo = num(&r->sizing, by_share ? "share_low" : "ci_low"),
                 *hi = num(&r->sizing, by_share ? "share_high" : "ci_high");
    char *const *dec = txt(&r->sizing, "decision");
    size_t n = r->sizing.nrows;
    struct svg_pt *pts = calloc(n, sizeof *pts);
    if (pts && val && mean) {
        for (size_t i = 0; i < n; i++)
            pts[i] = (struct svg_pt){ val[i], mean[i], NAN, NAN, at(lo, i), at(hi, i), NULL,
                                      dec && !strcmp(dec[i], "feasible") ? "#009E73"
                                      : dec && !strcmp(dec[i], "infeasible") ? "#D55E00" : "#888",
                                      dec && strcmp(dec[i], "feasible") && strcmp(dec[i], "infeasible") };
        char xl[300], yl[128], tl[64], al[80];
        snprintf(xl, sizeof xl, "%s%s%s%s", lever, *lf.scale_word ? " [" : "", lf.scale_word,
                 *lf.scale_word ? "]" : "");
        if (by_share) {
            snprintf(yl, sizeof yl, "share of draws meeting the target");
            snprintf(tl, sizeof tl, "P %.4g", robust);
        } else {
            snprintf(yl, sizeof yl, "mean %s", kpi);
            snprintf(tl, sizeof tl, "target %.4g", target);
        }
        char ab[64];
        numfmt_put(ab, sizeof ab, &lf, ans, 0);
        snprintf(al, sizeof al, "answer %s", ab);
        int met = !strcmp(status, "met") || !strcmp(status, "met_at_min");
        const char *caption =
            by_share ? "The probes: the share of draws whose mean meets the target, with its "
                     "one-sided Wilson interval (green: judged feasible, orange: infeasible, "
                     "hollow grey: undecided); the dashed lines are P and the answer"
                   : "The probes: mean with its 95% interval (green: judged feasible, "
                     "orange: infeasible, hollow grey: undecided); the dashed lines are the "
                     "target and the answer";
        struct svg_xy c = { caption, xl, yl, &lf, NULL, pts, n, NULL, 0, 1, met, 0, 0,
                            by_share ? robust : target, ans, tl, al, NAN };
        svg_xy_chart(r->out, &c);
    }
    free(pts);
    fputs("<h3>The evidence: every probe</h3>\n", r->out);
    generic_table(r, &r->sizing, MAX_ROWS_SHOWN);
    table_terms(r, "/sizing");
    fputs("</section>\n", r->out);
}

static void section_sensitivity(struct rep *r)
{
    const struct rtab *t = &r->sens;
    char *const *kpi = txt(t, "kpi"), *const *lever = txt(t, "lever"),
         *const *measure = txt(t, "measure");
    const double *v = num(t, "value"), *lo = num(t, "ci_low"), *hi = num(t, "ci_high");
    if (!t->nrows || !kpi || !lever || !measure || !v)
        return;
    fputs("<section id=\"sensitivity\"><h2>Which levers matter</h2>\n<p>", r->out);
    char method[16] = "";
    char *const *meth = txt(t, "method");
    if (meth)
        snprintf(method, sizeof method, "%s", meth[0]);
    if (!strcmp(method, "sobol"))
        fputs("Sobol indices: <b>S1</b> is the share of the outcome's variance a lever explains "
              "alone, <b>ST</b> its share with every interaction; a lever whose ST interval "
              "reaches 0 can be fixed anywhere in its range.", r->out);
    else
        fputs("Morris elementary effects: <b>mu_star</b> ranks the levers by influence; "
              "<b>sigma</b> large against it marks non-linearity or interactions.", r->out);
    fputs("</p>\n", r->out);
    /* distinct KPIs, levers, measures in order of appearance */
    const char **ks = calloc(t->nrows, sizeof *ks), **ls = calloc(t->nrows, sizeof *ls),
               **ms = calloc(t->nrows, sizeof *ms);
    size_t nk = 0, nl = 0, nm = 0;
    for (size_t i = 0; ks && ls && ms && i < t->nrows; i++) {
        size_t a;
        for (a = 0; a < nk && strcmp(ks[a], kpi[i]); a++) {}
        if (a == nk) ks[nk++] = kpi[i];
        for (a = 0; a < nl && strcmp(ls[a], lever[i]); a++) {}
        if (a == nl) ls[nl++] = lever[i];
        for (a = 0; a < nm && strcmp(ms[a], measure[i]); a++) {}
        if (a == nm) ms[nm++] = measure[i];
    }
    double *bv = calloc(nl * nm + 1, sizeof *bv), *bl = calloc(nl * nm + 1, sizeof *bl),
           *bh = calloc(nl * nm + 1, sizeof *bh);
    for (size_t k = 0; bv && bl && bh && k < nk; k++) {
        for (size_t i = 0; i < nl * nm; i++)
            bv[i] = bl[i] = bh[i] = NAN;
        for (size_t i = 0; i < t->nrows; i++) {
            if (strcmp(kpi[i], ks[k]))
                continue;
            size_t l, m;
            for (l = 0; strcmp(ls[l], lever[i]); l++) {}
            for (m = 0; strcmp(ms[m], measure[i]); m++) {}
            bv[l * nm + m] = v[i];
            bl[l * nm + m] = at(lo, i);
            bh[l * nm + m] = at(hi, i);
        }
        fputs("<h3><code>", r->out);
        esc(r, ks[k]);
        fputs("</code></h3>\n<table class=\"data\"><thead><tr><th>lever</th>", r->out);
        for (size_t m = 0; m < nm; m++) {
            fputs("<th>", r->out);
            esc(r, ms[m]);
            fputs(" <span class=\"unit\">[95% CI]</span></th>", r->out);
        }
        fputs("</tr></thead><tbody>\n", r->out);
        struct numfmt f;
        double top = 0;
        for (size_t i = 0; i < nl * nm; i++)
            top = absmax(absmax(absmax(top, bv[i]), bl[i]), bh[i]);
        numfmt_pick(&f, top);
        for (size_t l = 0; l < nl; l++) {
            fputs("<tr><td><code>", r->out);
            esc(r, ls[l]);
            fputs("</code></td>", r->out);
            for (size_t m = 0; m < nm; m++) {
                fputs("<td class=\"n\">", r->out);
                put(r, &f, bv[l * nm + m], 0);
                interval(r, &f, bl[l * nm + m], bh[l * nm + m]);
                fputs("</td>", r->out);
            }
            fputs("</tr>\n", r->out);
        }
        fputs("</tbody></table>\n", r->out);
        char title[256];
        snprintf(title, sizeof title, "%s: %s of each lever with its 95%% interval", ks[k],
                 !strcmp(method, "sobol") ? "Sobol indices" : "Morris effects");
        struct svg_hbar c = { title, !strcmp(method, "sobol") ? "index (share of variance)"
                                                              : "elementary effect", &f,
                              ls, NULL, nl, ms, NULL, nm, bv, bl, bh, 1 };
        svg_hbar_chart(r->out, &c);
    }
    free(bv);
    free(bl);
    free(bh);
    free(ks);
    free(ls);
    free(ms);
    table_terms(r, "/sensitivity");
    fputs("</section>\n", r->out);
}

/* ---- what binds ----------------------------------------------------------------- */

/* A setting's value in a resolved config ("  budget_per_year = 5e7;  # ..."). */
static double config_value(const char *config, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = strstr(config, key); p; p = strstr(p + 1, key)) {
        if (p > config && (p[-1] != ' ' && p[-1] != '\n'))
            continue;
        const char *q = p + kl;
        while (*q == ' ')
            q++;
        if (*q != '=')
            continue;
        return strtod(q + 1, NULL);
    }
    return NAN;
}

static void section_binds(struct rep *r)
{
    char *const *names = txt(&r->scen, "name"), *const *cfg = txt(&r->scen, "config");
    if (!names || !r->summary.nrows || sum_row(r, names[0], 0, "budget_refusals") < 0)
        return;
    fputs("<section id=\"binds\"><h2>What binds</h2>\n<p>The yearly budget cap is shared by the "
          "instruments (each within its envelope); a payment the cap or an envelope cannot "
          "meet is refused. A carrier whose seats are nearly always full holds projects "
          "back.</p>\n", r->out);
    struct numfmt fb, fp;
    double top = 0;
    for (size_t s = 0; s < r->scen.nrows; s++)
        top = absmax(top, cfg ? config_value(cfg[s], "budget_per_year") : NAN);
    numfmt_pick(&fb, top);
    kpi_fmt(r, "budget_peak_year", &fp, 0);
    fp = fb.scale > fp.scale ? fb : fp;
    char u[128];
    unit_words(u, sizeof u, "yuan", &fp);
    fputs("<table class=\"data\"><thead><tr><th>option</th><th>yearly cap<br><span class=\"unit\">",
          r->out);
    esc(r, u);
    fputs("</span></th><th>largest year's spend (mean)<br><span class=\"unit\">", r->out);
    esc(r, u);
    fputs("</span></th><th>payments refused (mean)<br><span class=\"unit\">payments</span></th>"
          "<th>verdict</th></tr></thead><tbody>\n", r->out);
    for (size_t s = 0; s < r->scen.nrows; s++) {
        long ip = sum_row(r, names[s], 0, "budget_peak_year"),
             ir = sum_row(r, names[s], 0, "budget_refusals");
        if (ip < 0 || ir < 0)
            continue;
        double cap = cfg ? config_value(cfg[s], "budget_per_year") : NAN;
        fputs("<tr><td>", r->out);
        swatch(r, names[s]);
        esc(r, names[s]);
        fputs("</td><td class=\"n\">", r->out);
        if (cap < 0)
            fputs("none", r->out);
        else
            put(r, &fp, cap, 0);
        fputs("</td><td class=\"n\">", r->out);
        put(r, &fp, r->sum_mean[ip], 0);
        fprintf(r->out, "</td><td class=\"n\">%.1f</td><td>", r->sum_mean[ir]);
        if (r->sum_mean[ir] > 0)
            fputs("<b>the budget binds</b>: payments were refused", r->out);
        else if (cap > 0 && r->sum_mean[ip] > 0.95 * cap)
            fputs("the cap is nearly reached", r->out);
        else
            fputs("room left", r->out);
        fputs("</td></tr>\n", r->out);
    }
    fputs("</tbody></table>\n", r->out);
    fputs("</section>\n", r->out);
}

/* ---- assumptions, PSA, calibration --------------------------------------------- */

/* The `assumptions = ( {...}, ... )` list of a resolved config without its
 * comments (# to the end of a line, outside quotes), as a malloc'd string
 * from its "(" to the matching ")", or NULL when the config has none. */
static char *assumption_list(const char *cfg)
{
    const char *p = cfg;
    for (;;) {
        p = strstr(p, "assumptions");
        if (!p)
            return NULL;
        if ((p == cfg || p[-1] == '\n' || p[-1] == ' ') && strchr(" =", p[11]))
            break;
        p += 11;
    }
    p = strchr(p, '(');
    char *out = p ? malloc(strlen(p) + 1) : NULL;
    size_t o = 0;
    int depth = 0, quoted = 0;
    for (; out && *p; p++) {
        if (quoted) {
            if (*p == '\\' && p[1]) {
                out[o++] = *p++;
            } else if (*p == '"') {
                quoted = 0;
            }
            out[o++] = *p;
            continue;
        }
        if (*p == '#') {   /* a comment: to the end of the line */
            while (p[1] && p[1] != '\n')
                p++;
            continue;
        }
        if (*p == '"')
            quoted = 1;
        depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
        out[o++] = *p;
        if (depth == 0)
            break;
    }
    if (out)
        out[o] = '\0';
    return out;
}

/* One row per entry of a scenario's assumptions: setting, source, and the
 * rest (the distribution and its parameters) as written. */
static void assumptions(struct rep *r)
{
    char *const *names = txt(&r->scen, "name"), *const *cfg = txt(&r->scen, "config");
    int any = 0;
    char *first = NULL;
    for (size_t s = 0; cfg && s < r->scen.nrows; s++) {
        char *list = assumption_list(cfg[s]);
        if (!list)
            continue;
        if (first && strcmp(first, list) == 0) {   /* inherited unchanged: shown once */
            free(list);
            continue;
        }
        if (!any++)
            fputs("<table class=\"data\"><thead><tr><th>option</th><th>setting</th><th>source</th>"
                  "<th>distribution</th></tr></thead><tbody>\n", r->out);
        int n = 0;
        for (char *e = strchr(list, '{'); e; e = strchr(e + 1, '{')) {
            char *close = e + 1;
            int depth = 1, quoted = 0;
            for (; *close && depth; close++) {
                if (quoted) {
                    if (*close == '\\' && close[1])
                        close++;
                    else if (*close == '"')
                        quoted = 0;
                } else if (*close == '"') {
                    quoted = 1;
                } else {
                    depth += *close == '{' ? 1 : *close == '}' ? -1 : 0;
                }
            }
            char setting[256] = "", source[512] = "", dist[512] = "";
            /* key = value; pairs at this entry's depth */
            for (char *q = e + 1; q < close - 1;) {
                while (q < close - 1 && strchr(" \n\t;,", *q))
                    q++;
                char *k = q;
                while (q < close - 1 && *q != '=' && *q != ' ')
                    q++;
                size_t kl = (size_t)(q - k);
                while (q < close - 1 && (*q == ' ' || *q == '='))
                    q++;
                char *v = q;
                int inq = 0, d = 0;
                while (q < close - 1 && (inq || d || *q != ';')) {
                    if (inq && *q == '\\' && q[1])
                        q++;
                    else if (*q == '"')
                        inq = !inq;
                    else if (!inq)
                        d += *q == '{' ? 1 : *q == '}' ? -1 : 0;
                    q++;
                }
                size_t vl = (size_t)(q - v);
                while (vl && v[vl - 1] == ' ')
                    vl--;
                if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
                    v++;
                    vl -= 2;
                }
                if (!kl)
                    continue;
                if (kl == 7 && !strncmp(k, "setting", 7))
                    snprintf(setting, sizeof setting, "%.*s", (int)vl, v);
                else if (kl == 6 && !strncmp(k, "source", 6))
                    snprintf(source, sizeof source, "%.*s", (int)vl, v);
                else {
                    size_t dl = strlen(dist);
                    snprintf(dist + dl, sizeof dist - dl, "%s%.*s = %.*s", dl ? ", " : "",
                             (int)kl, k, (int)vl, v);
                }
            }
            fputs("<tr><td>", r->out);
            esc(r, names[s]);
            fputs("</td><td><code>", r->out);
            esc(r, setting);
            fprintf(r->out, "</code></td><td%s>", !strcmp(source, "unsourced") ? " class=\"sig\"" : "");
            esc(r, source);
            fputs("</td><td>", r->out);
            esc(r, dist);
            fputs("</td></tr>\n", r->out);
            n++;
            e = close - 1;
        }
        if (!first)
            first = list;
        else
            free(list);
    }
    free(first);
    if (any)
        fputs("</tbody></table>\n<p class=\"note\">An <b>unsourced</b> assumption is a guess: "
              "read the PSA (below, when the file has one) before relying on a result that "
              "depends on it.</p>\n", r->out);
    else
        fputs("<p>The scenarios of this file declare no <code>assumptions</code> list: their "
              "settings are taken as known. Each scenario's full text is in "
              "<code>/scenarios</code> (column <code>config</code>) and under "
              "\"Provenance\".</p>\n", r->out);
}

static void ceac_figure(struct rep *r)
{
    const struct rtab *t = &r->ceac;
    char *const *sc = txt(t, "scenario");
    const double *lam = num(t, "value_per_effect"), *p = num(t, "probability_best");
    if (!sc || !lam || !p)
        return;
    const char **names = calloc(t->nrows, sizeof *names);
    double *x = calloc(t->nrows, sizeof *x), *y = calloc(t->nrows, sizeof *y);
    struct svg_line *ln = calloc(t->nrows, sizeof *ln);
    size_t nn = 0;
    for (size_t i = 0; names && x && y && ln && i < t->nrows; i++) {
        size_t a;
        for (a = 0; a < nn && strcmp(names[a], sc[i]); a++) {}
        if (a == nn)
            names[nn++] = sc[i];
    }
    /* rows of each scenario gathered in place, by scenario then λ order */
    size_t o = 0;
    for (size_t a = 0; names && x && y && ln && a < nn; a++) {
        size_t start = o;
        for (size_t i = 0; i < t->nrows; i++)
            if (!strcmp(sc[i], names[a])) {
                x[o] = lam[i];
                y[o++] = p[i];
            }
        ln[a] = (struct svg_line){ x + start, y + start, NULL, NULL, o - start, names[a],
                                   scen_colour(r, names[a]), 0, 0 };
    }
    if (names && x && y && ln) {
        struct numfmt fx;
        double top = 0;
        for (size_t i = 0; i < t->nrows; i++)
            top = absmax(top, lam[i]);
        numfmt_pick(&fx, top);
        char xl[128];
        snprintf(xl, sizeof xl, "value of one unit of effect, \xce\xbb [%s%syuan]",
                 fx.scale_word, *fx.scale_word ? " of " : "");
        struct svg_xy c = { "Acceptability curves: the share of parameter draws in which each "
                            "option has the highest net benefit, against \xce\xbb", xl,
                            "probability best", &fx, NULL, NULL, 0, ln, nn, 0, 0, 0, 1, 0, 0,
                            NULL, NULL, 0 };
        svg_xy_chart(r->out, &c);
    }
    free(names);
    free(x);
    free(y);
    free(ln);
}

/* EVPPI at the largest λ of the table, one bar per setting. */
static void evppi_figure(struct rep *r)
{
    const struct rtab *t = &r->evppi;
    char *const *set = txt(t, "setting");
    const double *lam = num(t, "value_per_effect"), *v = num(t, "evppi");
    if (!set || !v || !t->nrows)
        return;
    double lmax = -INFINITY;
    for (size_t i = 0; lam && i < t->nrows; i++)
        if (lam[i] > lmax)
            lmax = lam[i];
    const char **cats = calloc(t->nrows, sizeof *cats);
    double *bv = calloc(t->nrows, sizeof *bv);
    size_t n = 0;
    double top = 0;
    for (size_t i = 0; cats && bv && i < t->nrows; i++)
        if (!lam || lam[i] == lmax) {
            cats[n] = set[i];
            bv[n++] = v[i];
            top = absmax(top, v[i]);
        }
    if (n) {
        struct numfmt f;
        numfmt_pick(&f, top);
        char title[256], xl[128];
        snprintf(title, sizeof title, "EVPPI: what learning each assumption exactly would be "
                 "worth before choosing (at \xce\xbb = %.4g)", lmax);
        snprintf(xl, sizeof xl, "EVPPI [%s%syuan]", f.scale_word, *f.scale_word ? " of " : "");
        struct svg_hbar c = { title, xl, &f, cats, NULL, n, (const char *[]){ "evppi" },
                              (const char *[]){ "#0072B2" }, 1, bv, NULL, NULL, 1 };
        svg_hbar_chart(r->out, &c);
    }
    free(cats);
    free(bv);
}

static void section_uncertainty(struct rep *r)
{
    fputs("<section id=\"assumptions\"><h2>What we don't know: assumptions</h2>\n", r->out);
    assumptions(r);
    if (r->ceac.nrows || r->evppi.nrows || r->psa.nrows) {
        fputs("<h3>Probabilistic sensitivity analysis</h3>\n", r->out);
        if (r->psa.nrows) {
            double draws = 0;
            const double *d = num(&r->psa, "draw");
            for (size_t i = 0; d && i < r->psa.nrows; i++)
                if (d[i] + 1 > draws)
                    draws = d[i] + 1;
            fprintf(r->out, "<p>%.0f parameter draws from the assumptions (%zu rows of "
                    "<code>/psa</code>).</p>\n", draws, r->psa.nrows);
        }
        if (r->ceac.nrows) {
            ceac_figure(r);
            table_terms(r, "/ceac");
        }
        if (r->evppi.nrows) {
            evppi_figure(r);
            table_terms(r, "/evppi");
            fputs("<details><summary>EVPPI, every row</summary>\n", r->out);
            generic_table(r, &r->evppi, MAX_ROWS_SHOWN);
            fputs("</details>\n", r->out);
        }
    }
    if (r->post.nrows) {
        fputs("<h3>Calibration</h3>\n", r->out);
        fprintf(r->out, "<p>%zu draws retained (<code>/posterior</code>). Each assumption's "
                "weighted mean and range over them:</p>\n", r->post.nrows);
        const double *w = num(&r->post, "weight");
        fputs("<table class=\"data\"><thead><tr><th>column</th><th>weighted mean</th><th>min</th>"
              "<th>max</th></tr></thead><tbody>\n", r->out);
        for (int c = 0; c < r->post.ncols; c++) {
            const struct rtab_col *col = &r->post.cols[c];
            if (col->text || !strcmp(col->name, "weight") || !strcmp(col->name, "draw"))
                continue;
            double sw = 0, sx = 0, mn = INFINITY, mx = -INFINITY;
            for (size_t i = 0; i < r->post.nrows; i++) {
                double wi = w ? w[i] : 1;
                if (!isfinite(col->num[i]))
                    continue;
                sw += wi;
                sx += wi * col->num[i];
                mn = fmin(mn, col->num[i]);
                mx = fmax(mx, col->num[i]);
            }
            fputs("<tr><td><code>", r->out);
            esc(r, col->name);
            fprintf(r->out, "</code></td><td class=\"n\">%.4g</td><td class=\"n\">%.4g</td>"
                    "<td class=\"n\">%.4g</td></tr>\n", sw > 0 ? sx / sw : NAN, mn, mx);
        }
        fputs("</tbody></table>\n", r->out);
        table_terms(r, "/posterior");
    }
    fputs("</section>\n", r->out);
}

/* ---- provenance --------------------------------------------------------------------- */

static void section_provenance(struct rep *r, const char *path)
{
    fputs("<section id=\"provenance\"><h2>Provenance</h2>\n<p>Results file <code>", r->out);
    esc(r, path);
    fputs("</code>. Rerun the command below with the same version to get the same bits.</p>\n"
          "<table class=\"data\"><tbody>\n", r->out);
    char **names;
    int n = rtab_attr_names(r->f, "/", &names);
    for (int i = 0; i < n; i++) {
        char v[8192];
        rtab_attr(r->f, "/", names[i], v, sizeof v);
        fputs("<tr><th>", r->out);
        esc(r, names[i]);
        fputs("</th><td><code>", r->out);
        if (!strcmp(names[i], "scenario_sha256"))   /* one scenario a line */
            for (char *p = v, *semi; p && *p; p = semi ? semi + 1 : NULL) {
                semi = strchr(p, ';');
                if (semi)
                    *semi = '\0';
                esc(r, p);
                if (semi)
                    fputs("<br>", r->out);
            }
        else
            esc(r, v);
        fputs("</code></td></tr>\n", r->out);
        free(names[i]);
    }
    free(names);
    fputs("</tbody></table>\n", r->out);
    char *const *sn = txt(&r->scen, "name"), *const *cfg = txt(&r->scen, "config");
    for (size_t s = 0; sn && cfg && s < r->scen.nrows; s++) {
        fputs("<details><summary>Scenario <code>", r->out);
        esc(r, sn[s]);
        fputs("</code>, resolved</summary><pre>", r->out);
        esc(r, cfg[s]);
        fputs("</pre></details>\n", r->out);
    }
    fputs("</section>\n", r->out);
}

/* ---- the page ------------------------------------------------------------------------ */

static void add_kpi(struct rep *r, const char *name)
{
    int k = kpi_index(name);
    if (k < 0 || r->nkpis == MAX_KPIS)
        return;
    for (int i = 0; i < r->nkpis; i++)
        if (r->kpis[i] == k)
            return;
    char *const *names = txt(&r->scen, "name");
    const char *first = names && r->scen.nrows ? names[0] : NULL;
    for (size_t i = 0; i < r->summary.nrows; i++)
        if (!strcmp(r->sum_kpi[i], name) && (!first || !strcmp(r->sum_scen[i], first))) {
            r->kpis[r->nkpis++] = k;
            return;
        }
}

/* The KPIs asked for; else those the experiment is about (the sizing
 * target, the sensitivity's KPIs), then the default. */
static void pick_kpis(struct rep *r, const char *list)
{
    char buf[1024];
    if (!list) {
        char k[64];
        if (r->sizing.nrows && rtab_attr(r->f, "/sizing", "kpi", k, sizeof k))
            add_kpi(r, k);
        char *const *sk = txt(&r->sens, "kpi");
        for (size_t i = 0; sk && i < r->sens.nrows; i++)
            add_kpi(r, sk[i]);
    }
    snprintf(buf, sizeof buf, "%s", list ? list : default_kpis);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        add_kpi(r, tok);
}

int report_write(const char *path, FILE *out, const struct report_opts *o, char *err,
                 size_t errlen)
{
    struct rep r = { .out = out };
    r.f = rtab_open(path, err, errlen);
    if (!r.f)
        return -3;
    int rc = 0;
    struct { struct rtab *t; const char *name; } tabs[] = {
        { &r.scen, "/scenarios" }, { &r.summary, "/summary" }, { &r.design, "/design" },
        { &r.sizing, "/sizing" }, { &r.sens, "/sensitivity" }, { &r.incr, "/increments" },
        { &r.ceac, "/ceac" }, { &r.evppi, "/evppi" }, { &r.post, "/posterior" }, { &r.psa, "/psa" },
    };
    for (size_t i = 0; i < sizeof tabs / sizeof tabs[0] && !rc; i++)
        if (rtab_read(r.f, tabs[i].name, tabs[i].t, err, errlen) < 0)
            rc = -1;
    if (!rc && !r.scen.nrows) {
        snprintf(err, errlen, "%s: not an incubsim results file (no /scenarios)", path);
        rc = -3;
    }
    if (!rc) {
        rtab_attr(r.f, "/", "command", r.kind, sizeof r.kind);
        rtab_attr(r.f, "/", "summary_baseline", r.baseline, sizeof r.baseline);
        r.sum_point = num(&r.summary, "point");
        r.sum_mean = num(&r.summary, "mean");
        r.sum_lo = num(&r.summary, "ci_low");
        r.sum_hi = num(&r.summary, "ci_high");
        r.sum_dmean = num(&r.summary, "diff_mean");
        r.sum_dlo = num(&r.summary, "diff_ci_low");
        r.sum_dhi = num(&r.summary, "diff_ci_high");
        r.sum_n = num(&r.summary, "n");
        r.sum_scen = txt(&r.summary, "scenario");
        r.sum_kpi = txt(&r.summary, "kpi");
        if (!r.sum_point || !r.sum_mean || !r.sum_lo || !r.sum_hi || !r.sum_scen || !r.sum_kpi)
            r.summary.nrows = 0;   /* a summary without its columns: shown as absent */
        char *const *names = txt(&r.scen, "name");
        if (!r.baseline[0] && names)
            snprintf(r.baseline, sizeof r.baseline, "%s", names[0]);
        pick_kpis(&r, o->kpis);
        /* the reference of the decision: /increments' own, else the summary's baseline */
        char reference[128];
        char *const *iref = txt(&r.incr, "reference"), *const *ist = txt(&r.incr, "status"),
             *const *isc = txt(&r.incr, "scenario");
        snprintf(reference, sizeof reference, "%s", r.baseline);
        for (size_t i = 0; iref && i < r.incr.nrows; i++)
            if (ist && isc && !strcmp(ist[i], "reference")) {
                snprintf(reference, sizeof reference, "%s", isc[i]);
                break;
            } else if (i == 0) {
                snprintf(reference, sizeof reference, "%s", iref[0]);
            }

        const char *title = o->title ? o->title : path;
        head(&r, title);
        fputs("<header><h1>incubsim report</h1>\n<p>", out);
        const char *words = kind_words(r.kind);
        char created[64], version[64], shard[64];
        rtab_attr(r.f, "/", "created", created, sizeof created);
        rtab_attr(r.f, "/", "incubsim_version", version, sizeof version);
        rtab_attr(r.f, "/", "shard", shard, sizeof shard);
        fputs("<code>", out);
        esc(&r, title);
        fputs("</code> is ", out);
        if (words)
            fputs(words, out);
        else {
            fputs("a results file of <code>incubsim ", out);
            esc(&r, r.kind[0] ? r.kind : "?");
            fputs("</code>", out);
        }
        fputs(", written ", out);
        esc(&r, created);
        fputs(" by incubsim ", out);
        esc(&r, version);
        if (shard[0]) {
            fputs(" (one shard, ", out);
            esc(&r, shard);
            fputs(", of a larger run: merge the shards for the whole answer)", out);
        }
        fputs(".</p></header>\n<nav><ol><li><a href=\"#question\">The question and the options"
              "</a></li>", out);
        if (r.sizing.nrows)
            fputs("<li><a href=\"#sizing\">The sizing answer</a></li>", out);
        if (r.sens.nrows)
            fputs("<li><a href=\"#sensitivity\">Which levers matter</a></li>", out);
        fputs("<li><a href=\"#decision\">The decision table</a></li>", out);
        if (r.ceac.nrows || r.evppi.nrows)
            fputs("<li><a href=\"#assumptions\">PSA</a></li>", out);
        fputs("<li><a href=\"#assumptions\">Assumptions</a></li><li><a href=\"#provenance\">"
              "Provenance</a></li></ol></nav>\n<main>\n", out);
        section_question(&r, reference);
        section_sizing(&r);
        section_sensitivity(&r);
        section_decision(&r);
        section_figures(&r, reference);
        section_binds(&r);
        section_uncertainty(&r);
        section_provenance(&r, title);
        fputs("</main>\n<footer><p class=\"note\">Written by <code>incubsim report</code> "
              INCUBSIM_VERSION ". Numbers are means over replications with 95% intervals; "
              "the file holds every run.</p></footer>\n</body>\n</html>\n", out);
    }
    for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++)
        rtab_free(tabs[i].t);
    rtab_close(r.f);
    return rc;
}
