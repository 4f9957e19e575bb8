/* numfmt.h — one format for every number of a block (a KPI's rows in
 * `compare`, a column and its figure in `report`), so digits line up and
 * read at a glance: the block's largest magnitude picks a scale (millions,
 * billions: named in the title, not beside each number) and the decimals
 * that give it four significant digits; a block of tiny or huge numbers is
 * scientific throughout. */
#ifndef INCUBSIM_NUMFMT_H
#define INCUBSIM_NUMFMT_H

#include <stddef.h>

struct numfmt {
    double      scale;
    int         decimals, sci;
    const char *scale_word;        /* "", "millions", "billions" */
};

void numfmt_pick(struct numfmt *f, double max_abs);
/* v in the block's format; NaN is "-"; `sign` forces + on positives. Whole
 * numbers of 5 digits or more get thousands separators (280,266). */
void numfmt_put(char *buf, size_t n, const struct numfmt *f, double v, int sign);

#endif
