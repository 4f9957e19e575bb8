/* contest.h — contests as the screen (seed 003: "以赛代评、以赛引才", 1,000+
 * entries, 58 award winners, most negotiating landing; seed 004:
 * Zhongguancun's 3,100+ projects).
 *
 * One batch source (events with `every` and `batch`) is named the contest:
 * each of its events' entrants is scored by a jury (score = quality + jury
 * noise, drawn where the screening score is drawn, from the project's own
 * stream), the top `winners` (ties: the earlier entry) are admitted whatever
 * screening.threshold says, the rest rejected. A winner receives `prize`
 * (booked with events and competitions, under that envelope) and carries
 * `pull` log-odds toward landing at home. Off (`source = ""`), nothing
 * changes. Ranking uses a buffer sized to the batch at the run's start: no
 * allocation per event.
 */
#ifndef INCUBSIM_CONTEST_H
#define INCUBSIM_CONTEST_H

#include <stdint.h>

#include "settings.h"

struct contest_cfg {
    char   source[SET_NAME_LEN];  /* the contest's source; "" = no contest */
    long   winners;               /* admitted per event (the top k) */
    double jury_noise;            /* sd of the jury's score around quality */
    double prize;                 /* yuan per winner */
    double pull;                  /* log-odds toward home for a winner */
    int    source_index;          /* derived: -1 none */
};

/* One entrant as ranked. */
struct contest_entry { double score; uint32_t index; };

extern const struct setting_table contest_table;

/* Marks admit[i] = 1 for the `winners` best of n entries (score descending,
 * then index ascending), 0 for the rest. `work` holds n entries (the
 * caller's, reused). */
void contest_rank(struct contest_entry *work, long n, long winners, uint8_t *admit);

#endif
