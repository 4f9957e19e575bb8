/* numfmt.c — one number format per block of numbers (numfmt.h). */
#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void numfmt_pick(struct numfmt *f, double max_abs)
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
void numfmt_put(char *buf, size_t n, const struct numfmt *f, double v, int sign)
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

