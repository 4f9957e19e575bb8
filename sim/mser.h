/* mser.h — the warm-up by MSER-5 (White 1997; Hoad, Robinson & Davies 2010):
 * the truncation point of an output series that minimises the marginal
 * standard error of what is left, computed on batch means of 5. */
#ifndef INCUBSIM_MSER_H
#define INCUBSIM_MSER_H

#include <stddef.h>

/* Truncations leave at least this many batch means: with 2 or 3 kept, their
 * chance agreement makes a spurious minimum at the end of a stationary
 * series about one time in ten; with 10, about one in a million. */
#define MSER_MIN_KEPT 10

struct mser_result {
    size_t truncate;     /* observations to drop (a multiple of 5) */
    size_t batches;      /* batch means the series made */
    double statistic;    /* MSER at the minimum */
    int    refused;      /* the minimum lies past half the series: the run is too
                            short to tell a warm-up from the steady state */
};

/* y[n], n >= 100 (2 MSER_MIN_KEPT batches). Returns 0, or -1 when the
 * series is too short. */
int mser5(const double *y, size_t n, struct mser_result *out);

#endif
