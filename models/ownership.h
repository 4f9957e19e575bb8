/* ownership.h — "not where it sits, but whom it belongs to" (seed 001,
 * 不求所在、但求所有): a landing is a configuration, each with its home share
 * of revenue, tax and jobs.
 *
 *   whole       R&D, registration and production at home (shares 1, 1, 1)
 *   split       R&D stays in the hub, production and sales HQ at home
 *               (Lishui: 研发在沪、生产基地在丽、销售总部在丽)
 *   registered  registered at home, operating away (seed 000: the reverse of
 *               "register in the zone, operate abroad"); it skips the home pilot
 *
 * Each configuration is an alternative of the landing logit: its utility is
 * home's plus its own log-odds (`utility`), so allowing split and registered
 * landings widens home's nest by log(1 + e^u_split + e^u_registered) and the
 * configuration of a landing is drawn from the same uniform as the landing
 * itself (no new stream). Off (`enabled = false`), every landing is whole and
 * no number of a run changes. Invariant: landed_whole + landed_split +
 * landed_registered = landed in every run.
 */
#ifndef INCUBSIM_OWNERSHIP_H
#define INCUBSIM_OWNERSHIP_H

#include "settings.h"

enum own_config { OWN_WHOLE, OWN_SPLIT, OWN_REGISTERED, OWN_COUNT };

struct own_share_cfg {
    double revenue, tax, jobs;   /* home shares, 0..1 */
    double utility;              /* log-odds against a whole landing */
};

struct ownership_cfg {
    int    enabled;
    struct own_share_cfg split, registered;
    /* derived by ownership_finish */
    double widen;                /* log of the nest's weight: added to home's log-odds */
    double cum[OWN_COUNT];       /* cumulative shares of landings by configuration */
};

extern const struct setting_table ownership_table;

/* Fills the derived fields (idempotent). */
void ownership_finish(struct ownership_cfg *o);
/* The configuration of a landing, from v uniform on [0, 1). */
int ownership_pick(const struct ownership_cfg *o, double v);
/* A configuration's home shares (whole: 1, 1, 1). */
struct own_share_cfg ownership_shares(const struct ownership_cfg *o, int config);

#endif
