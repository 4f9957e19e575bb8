/* svg.h — the report's figures, drawn as inline SVG (no script, no outside
 * file: the page reads offline and prints). Two kinds cover every figure:
 * an x-y chart (points with interval crosses, lines with bands, reference
 * lines) and a chart of horizontal bars or dots with intervals, one row per
 * category (forest plots, Sobol indices, EVPPI). Every string is escaped
 * (html.h). The caller owns every array; nothing is kept after the call.
 * Axes take the caller's number format, so a figure's unit (millions,
 * billions) is the one its table prints. */
#ifndef INCUBSIM_SVG_H
#define INCUBSIM_SVG_H

#include <stddef.h>
#include <stdio.h>

#include "numfmt.h"

/* Scenario i's colour: one palette (Okabe-Ito, then more) used by every
 * figure of the page and by plot.py, so a scenario keeps its colour. */
const char *svg_colour(int i);

struct svg_pt {                    /* a marked point with optional intervals (NaN: none) */
    double x, y, xlo, xhi, ylo, yhi;
    const char *label, *colour;
    int hollow;                    /* drawn open (e.g. a dominated option) */
};

struct svg_line {
    const double *x, *y, *ylo, *yhi;   /* ylo/yhi: a band, or NULL */
    size_t n;
    const char *name, *colour;
    int dashed, markers;
};

struct svg_xy {
    const char *title, *xlabel, *ylabel;   /* labels complete, unit and scale included */
    const struct numfmt *xfmt, *yfmt;      /* NULL: picked from the data */
    const struct svg_pt *pts;
    size_t npts;
    const struct svg_line *lines;
    size_t nlines;
    int has_hline, has_vline, zero_lines, legend;
    double hline, vline;
    const char *hline_label, *vline_label;
    double ymin_floor;                     /* NaN: none; else the y range includes it */
};
void svg_xy_chart(FILE *out, const struct svg_xy *c);

struct svg_hbar {
    const char *title, *xlabel;
    const struct numfmt *xfmt;             /* NULL: picked from the data */
    const char *const *cats;               /* ncat row labels */
    const char *const *cat_colours;        /* per row, or NULL */
    size_t ncat;
    const char *const *series;             /* nser names (legend when nser > 1) */
    const char *const *colours;            /* nser colours; NULL: the palette */
    size_t nser;
    const double *v, *lo, *hi;             /* [cat * nser + s]; lo, hi NULL or NaN: none */
    int bars;                              /* 1: bars from 0; 0: dots (a forest plot) */
};
void svg_hbar_chart(FILE *out, const struct svg_hbar *c);

#endif
