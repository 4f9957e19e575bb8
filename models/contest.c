/* contest.c — ranking a contest's entrants; see contest.h. */
#include "contest.h"
#include "spec.h"

#include <stdlib.h>

static const struct setting_spec contest_specs[] = {
    STR(struct contest_cfg, source, 0, "the batch source that is a contest (its events' entrants); unset: none"),
    INT(struct contest_cfg, winners, 0, 1e6, 58, "projects/event", "admitted per event, the best by the jury's score (seed 003: 58 of 1,000+)"),
    NUM(struct contest_cfg, jury_noise, 0, 10, 0.1, "quality units", "sd of the jury's score around quality (unsourced)"),
    NUM(struct contest_cfg, prize, 0, 1e12, 0, "yuan", "paid to each winner, booked with events and competitions"),
    NUM(struct contest_cfg, pull, -100, 100, 0, "log-odds", "a winner's extra pull toward landing at home (unsourced)"),
};
TABLE(contest_table, struct contest_cfg, contest_specs);

static int by_rank(const void *a, const void *b)
{
    const struct contest_entry *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

void contest_rank(struct contest_entry *work, long n, long winners, uint8_t *admit)
{
    qsort(work, (size_t)n, sizeof *work, by_rank);
    for (long i = 0; i < n; i++)
        admit[work[i].index] = i < winners;
}
