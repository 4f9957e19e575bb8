/* rivals.h — rival regions (seed 001: Wuxi runs 31 enclaves, Hangzhou hosts
 * 35+ of other regions'; seed 000: six cities run bases in Japan): the
 * "elsewhere" of the landing choice becomes regions with their own packages.
 *
 * Without rivals, those who do not land split hub : third region as
 * hub_share : 1 - hub_share. With rivals, the third region's utility
 * log(1 - hub_share) is shared among them by weight and each adds its own
 * package, valued with home's weights:
 *   U_r = log((1 - hub_share) w_r / sum w) + award_weight a_r / 1e6
 *         + space_weight s_r / 1e6 + fit_weight (fit_r - 0.5) - distance_weight d_r
 * A rival answering home's award raises its own toward it: a_r' = a_r +
 * answer_r max(0, a_home - a_r). A rival whose package is empty (award 0,
 * space 0, fit 0.5, distance 0) is the old third region. So when every
 * region raises its award together only the hub's share moves: the landing
 * choice is zero-sum between rivals. The choice uses the landing's uniform
 * draw, no new stream; no rivals, no change.
 */
#ifndef INCUBSIM_RIVALS_H
#define INCUBSIM_RIVALS_H

#include "settings.h"

#define SC_MAX_RIVALS 16

struct rival_cfg {
    char   name[SET_NAME_LEN];
    double weight;          /* its part of the third region's pull */
    double award;           /* yuan per landing */
    double space;           /* yuan of rent-free space */
    double fit;             /* industry fit, 0..1 (one for every sector) */
    double distance;        /* from the hub, 0..1 */
    double answer;          /* share of home's award advantage it matches */
};

extern const struct setting_table rival_table;

#endif
