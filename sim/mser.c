/* mser.c — MSER-5; see mser.h. */
#include "mser.h"

#include <math.h>
#include <stdlib.h>

int mser5(const double *y, size_t n, struct mser_result *out)
{
    size_t m = n / 5;
    if (m < 2 * MSER_MIN_KEPT)
        return -1;
    double *z = malloc(m * sizeof *z);
    if (!z)
        return -1;
    for (size_t j = 0; j < m; j++)
        z[j] = (y[5 * j] + y[5 * j + 1] + y[5 * j + 2] + y[5 * j + 3] + y[5 * j + 4]) / 5.0;
    /* MSER(d) = sum_{j>=d} (z_j - mean_d)^2 / (m - d)^2, from the end backwards
     * with Welford's update so each d costs O(1) */
    double mean = 0, m2 = 0, best = INFINITY;
    size_t bestd = 0;
    for (size_t k = 1; k <= m; k++) {     /* k = batches kept: d = m - k */
        double x = z[m - k], dlt = x - mean;
        mean += dlt / (double)k;
        m2 += dlt * (x - mean);
        if (k < MSER_MIN_KEPT)
            continue;   /* a handful of batches can agree by chance and fake a minimum */
        double stat = m2 / ((double)k * (double)k);
        if (stat <= best) {                /* ties go to the earlier truncation */
            best = stat;
            bestd = m - k;
        }
    }
    free(z);
    out->truncate = 5 * bestd;
    out->batches = m;
    out->statistic = best;
    out->refused = bestd > m / 2;
    return 0;
}
