/* svg.c — inline SVG figures for the report (svg.h). */
#include "svg.h"

#include <math.h>
#include <string.h>

#include "../sim/text.h"
#include "html.h"

static const char *const palette[] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
    "#882255", "#44AA99", "#999933", "#332288", "#AA4499", "#117733", "#888888",
};
enum { NPALETTE = sizeof palette / sizeof palette[0] };

const char *svg_colour(int i)
{
    return palette[(i < 0 ? -i : i) % NPALETTE];
}

/* ---- axes ------------------------------------------------------------------ */

struct scale {
    double lo, hi;                 /* data range shown */
    double a, b;                   /* pixels: lo -> a, hi -> b */
    double step;                   /* between ticks */
    struct numfmt fmt;
};

static double nice_step(double range)
{
    if (!(range > 0))
        return 1;
    double raw = range / 5, mag = pow(10, floor(log10(raw))), r = raw / mag;
    return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
}

/* A range [lo, hi] widened to whole ticks; a flat range gets some room. */
static void scale_init(struct scale *s, double lo, double hi, double a, double b,
                       const struct numfmt *fmt)
{
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi - lo <= 1e-12 * (fabs(lo) + fabs(hi)) || hi <= lo) {
        double pad = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1;
        lo -= pad;
        hi += pad;
    }
    s->step = nice_step(hi - lo);
    s->lo = floor(lo / s->step) * s->step;
    s->hi = ceil(hi / s->step) * s->step;
    s->a = a;
    s->b = b;
    if (fmt)
        s->fmt = *fmt;
    else
        numfmt_pick(&s->fmt, fmax(fabs(s->lo), fabs(s->hi)));
}

static double scale_px(const struct scale *s, double v)
{
    return s->a + (v - s->lo) / (s->hi - s->lo) * (s->b - s->a);
}

/* A tick's label: in the axis' scale, with the decimals its step needs. */
static void tick_label(char *buf, size_t n, const struct scale *s, double v)
{
    if (s->fmt.sci) {
        snprintf(buf, n, "%.2g", v);
        return;
    }
    double x = v / s->fmt.scale, st = s->step / s->fmt.scale;
    int dec = st >= 1 ? 0 : (int)ceil(-log10(st) - 1e-9);
    if (dec > 6)
        dec = 6;
    if (fabs(x) < st * 1e-6)
        x = 0;
    snprintf(buf, n, "%.*f", dec, x);
}

/* A label with the axis' scale word appended when the caller gave none. */
static void axis_label(FILE *out, const char *label, const struct scale *s, int given)
{
    html_esc(out, label);
    if (!given && *s->fmt.scale_word) {
        fputs(" (", out);
        fputs(s->fmt.scale_word, out);
        fputc(')', out);
    }
}

static void begin(FILE *out, int w, int h, const char *title)
{
    fprintf(out, "<figure class=\"fig\"><svg "
            "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
            "font-size=\"12\"><title>", w, h, w, h);
    html_esc(out, title);
    fputs("</title>\n", out);
}

static void end(FILE *out, const char *title)
{
    fputs("</svg><figcaption>", out);
    html_esc(out, title);
    fputs("</figcaption></figure>\n", out);
}

static void xticks(FILE *out, const struct scale *x, double y0, double y1, int grid)
{
    for (double v = x->lo; v <= x->hi + x->step * 1e-9; v += x->step) {
        double px = scale_px(x, v);
        char b[64];
        tick_label(b, sizeof b, x, v);
        if (grid)
            fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>",
                    px, y0, px, y1);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", px,
                y1 + 15, b);
    }
}

static void yticks(FILE *out, const struct scale *y, double x0, double x1)
{
    for (double v = y->lo; v <= y->hi + y->step * 1e-9; v += y->step) {
        double py = scale_px(y, v);
        char b[64];
        tick_label(b, sizeof b, y, v);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                x0, py, x1, py, x0 - 5, py + 4, b);
    }
}

static void widen(double *lo, double *hi, double v)
{
    if (isfinite(v)) {
        if (v < *lo) *lo = v;
        if (v > *hi) *hi = v;
    }
}

/* ---- x-y chart --------------------------------------------------------------- */

void svg_xy_chart(FILE *out, const struct svg_xy *c)
{
    const int W = 720, H = 440, ML = 78, MR = c->legend ? 180 : 24, MT = 30, MB = 52;
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (size_t i = 0; i < c->npts; i++) {
        const struct svg_pt *p = &c->pts[i];
        double xs[3] = { p->x, p->xlo, p->xhi }, ys[3] = { p->y, p->ylo, p->yhi };
        for (int k = 0; k < 3; k++) {
            widen(&xlo, &xhi, xs[k]);
            widen(&ylo, &yhi, ys[k]);
        }
    }
    for (size_t l = 0; l < c->nlines; l++)
        for (size_t i = 0; i < c->lines[l].n; i++) {
            widen(&xlo, &xhi, c->lines[l].x[i]);
            widen(&ylo, &yhi, c->lines[l].y[i]);
            if (c->lines[l].ylo)
                widen(&ylo, &yhi, c->lines[l].ylo[i]);
            if (c->lines[l].yhi)
                widen(&ylo, &yhi, c->lines[l].yhi[i]);
        }
    if (c->has_hline)
        widen(&ylo, &yhi, c->hline);
    if (c->has_vline)
        widen(&xlo, &xhi, c->vline);
    if (c->zero_lines) {
        widen(&xlo, &xhi, 0);
        widen(&ylo, &yhi, 0);
    }
    if (isfinite(c->ymin_floor))
        widen(&ylo, &yhi, c->ymin_floor);
    struct scale x, y;
    scale_init(&x, xlo, xhi, ML, W - MR, c->xfmt);
    scale_init(&y, ylo, yhi, H - MB, MT, c->yfmt);
    begin(out, W, H, c->title);
    fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"frame\"/>\n", ML, MT,
            W - MR - ML, H - MB - MT);
    xticks(out, &x, MT, H - MB, 1);
    yticks(out, &y, ML, W - MR);
    if (c->zero_lines) {
        fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"zero\"/>",
                scale_px(&x, 0), MT, scale_px(&x, 0), H - MB);
        fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"zero\"/>\n", ML,
                scale_px(&y, 0), W - MR, scale_px(&y, 0));
    }
    if (c->has_hline) {
        double py = scale_px(&y, c->hline);
        fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"ref\"/>"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"reflabel\">", ML, py,
                W - MR, py, W - MR - 4, py - 4);
        html_esc(out, c->hline_label);
        fputs("</text>\n", out);
    }
    if (c->has_vline) {
        double px = scale_px(&x, c->vline);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"ref\"/>"
                "<text x=\"%.1f\" y=\"%d\" class=\"reflabel\">", px, MT, px, H - MB, px + 4,
                MT + 12);
        html_esc(out, c->vline_label);
        fputs("</text>\n", out);
    }
    for (size_t l = 0; l < c->nlines; l++) {
        const struct svg_line *ln = &c->lines[l];
        const char *col = ln->colour ? ln->colour : svg_colour((int)l);
        if (ln->ylo && ln->yhi && ln->n) {
            fprintf(out, "<polygon fill=\"%s\" fill-opacity=\"0.15\" stroke=\"none\" points=\"", col);
            for (size_t i = 0; i < ln->n; i++)
                if (isfinite(ln->yhi[i]))
                    fprintf(out, "%.1f,%.1f ", scale_px(&x, ln->x[i]), scale_px(&y, ln->yhi[i]));
            for (size_t i = ln->n; i-- > 0;)
                if (isfinite(ln->ylo[i]))
                    fprintf(out, "%.1f,%.1f ", scale_px(&x, ln->x[i]), scale_px(&y, ln->ylo[i]));
            fputs("\"/>\n", out);
        }
        fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"", col,
                ln->dashed ? " stroke-dasharray=\"6 4\"" : "");
        for (size_t i = 0; i < ln->n; i++)
            if (isfinite(ln->x[i]) && isfinite(ln->y[i]))
                fprintf(out, "%.1f,%.1f ", scale_px(&x, ln->x[i]), scale_px(&y, ln->y[i]));
        fputs("\"/>\n", out);
        for (size_t i = 0; ln->markers && i < ln->n; i++)
            if (isfinite(ln->x[i]) && isfinite(ln->y[i]))
                fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                        scale_px(&x, ln->x[i]), scale_px(&y, ln->y[i]), col);
        if (c->legend) {
            double ly = MT + 10 + 18.0 * (double)l;
            fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"3\"/><text x=\"%d\" y=\"%.1f\">", W - MR + 10, ly, W - MR + 30,
                    ly, col, W - MR + 36, ly + 4);
            html_esc_n(out, ln->name, 60);
            fputs("</text>\n", out);
        }
    }
    for (size_t i = 0; i < c->npts; i++) {
        const struct svg_pt *p = &c->pts[i];
        if (!isfinite(p->x) || !isfinite(p->y))
            continue;
        const char *col = p->colour ? p->colour : svg_colour((int)i);
        double px = scale_px(&x, p->x), py = scale_px(&y, p->y);
        if (isfinite(p->xlo) && isfinite(p->xhi))
            fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"1.5\"/>", scale_px(&x, p->xlo), py, scale_px(&x, p->xhi), py, col);
        if (isfinite(p->ylo) && isfinite(p->yhi))
            fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"1.5\"/>", px, scale_px(&y, p->ylo), px, scale_px(&y, p->yhi), col);
        fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" stroke=\"%s\" "
                "stroke-width=\"2\"/>", px, py, p->hollow ? "#fff" : col, col);
        if (p->label) {   /* right of the point, or left of it near the right edge */
            int left = px > W - MR - 140;
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"ptlabel\"%s>", left ? px - 7 : px + 7,
                    py - 7, left ? " text-anchor=\"end\"" : "");
            html_esc_n(out, p->label, 80);
            fputs("</text>", out);
        }
        fputc('\n', out);
    }
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"axlabel\">",
            (ML + W - MR) / 2, H - 12);
    axis_label(out, c->xlabel, &x, c->xfmt != NULL);
    fprintf(out, "</text><text transform=\"translate(16 %d) rotate(-90)\" text-anchor=\"middle\" "
            "class=\"axlabel\">", (MT + H - MB) / 2);
    axis_label(out, c->ylabel, &y, c->yfmt != NULL);
    fputs("</text>\n", out);
    end(out, c->title);
}

/* ---- horizontal bars or dots, one row per category -------------------------- */

void svg_hbar_chart(FILE *out, const struct svg_hbar *c)
{
    size_t label_cols = 8;
    for (size_t i = 0; i < c->ncat; i++) {
        size_t w = text_width(c->cats[i] ? c->cats[i] : "");
        if (w > label_cols)
            label_cols = w;
    }
    if (label_cols > 40)
        label_cols = 40;
    const int ML = 16 + 7 * (int)label_cols, MR = c->nser > 1 ? 130 : 24, MT = 14, MB = 46;
    const int W = ML + MR + 440 < 720 ? 720 : ML + MR + 440;
    const double row = c->nser > 1 ? 14.0 * (double)c->nser + 10 : 24;
    const int H = MT + MB + (int)(row * (double)c->ncat) + 4;
    double lo = c->bars ? 0 : INFINITY, hi = c->bars ? 0 : -INFINITY;
    size_t nv = c->ncat * c->nser;
    for (size_t i = 0; i < nv; i++) {
        widen(&lo, &hi, c->v[i]);
        if (c->lo)
            widen(&lo, &hi, c->lo[i]);
        if (c->hi)
            widen(&lo, &hi, c->hi[i]);
    }
    if (!c->bars)
        widen(&lo, &hi, 0);
    struct scale x;
    scale_init(&x, lo, hi, ML, W - MR, c->xfmt);
    begin(out, W, H, c->title);
    fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"frame\"/>\n", ML, MT,
            W - MR - ML, H - MB - MT);
    xticks(out, &x, MT, H - MB, 1);
    double zx = scale_px(&x, 0);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"zero\"/>\n", zx, MT,
            zx, H - MB);
    for (size_t k = 0; k < c->ncat; k++) {
        double top = MT + 2 + row * (double)k;
        fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\"%s%s%s>", ML - 6,
                top + row / 2 + 4, c->cat_colours ? " fill=\"" : "",
                c->cat_colours ? c->cat_colours[k] : "", c->cat_colours ? "\"" : "");
        html_esc_n(out, c->cats[k], 120);
        fputs("</text>\n", out);
        for (size_t s = 0; s < c->nser; s++) {
            size_t i = k * c->nser + s;
            const char *col = c->colours ? c->colours[s]
                            : c->cat_colours && c->nser == 1 ? c->cat_colours[k] : svg_colour((int)s);
            double cy = c->nser > 1 ? top + 5 + 14.0 * (double)s + 7 : top + row / 2;
            double v = c->v[i];
            if (!isfinite(v))
                continue;
            if (c->bars) {
                double a = scale_px(&x, fmin(0, v)), b = scale_px(&x, fmax(0, v));
                fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        "fill=\"%s\" fill-opacity=\"0.8\"/>", a, cy - 5, b - a, 10.0, col);
            }
            if (c->lo && c->hi && isfinite(c->lo[i]) && isfinite(c->hi[i]))
                fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                        "stroke-width=\"1.5\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                        "y2=\"%.1f\" stroke=\"%s\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                        "y2=\"%.1f\" stroke=\"%s\"/>",
                        scale_px(&x, c->lo[i]), cy, scale_px(&x, c->hi[i]), cy,
                        c->bars ? "#333" : col, scale_px(&x, c->lo[i]), cy - 4,
                        scale_px(&x, c->lo[i]), cy + 4, c->bars ? "#333" : col,
                        scale_px(&x, c->hi[i]), cy - 4, scale_px(&x, c->hi[i]), cy + 4,
                        c->bars ? "#333" : col);
            if (!c->bars)
                fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\"/>",
                        scale_px(&x, v), cy, col);
            fputc('\n', out);
        }
    }
    for (size_t s = 0; c->nser > 1 && s < c->nser; s++) {
        const char *col = c->colours ? c->colours[s] : svg_colour((int)s);
        double ly = MT + 10 + 18.0 * (double)s;
        fprintf(out, "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\"/>"
                "<text x=\"%d\" y=\"%.1f\">", W - MR + 10, ly - 5, col, W - MR + 30, ly + 4);
        html_esc_n(out, c->series[s], 40);
        fputs("</text>\n", out);
    }
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"axlabel\">",
            (ML + W - MR) / 2, H - 10);
    axis_label(out, c->xlabel, &x, c->xfmt != NULL);
    fputs("</text>\n", out);
    end(out, c->title);
}
