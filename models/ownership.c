/* ownership.c — landing configurations; see ownership.h. */
#include "ownership.h"
#include "spec.h"

#include <math.h>

#define SHARE(f, def, doc) NUM(struct own_share_cfg, f, 0, 1, def, "share", doc)
static const struct setting_spec split_specs[] = {
    SHARE(revenue, 0.8, "of revenue booked at home (production and sales HQ at home; unsourced)"),
    SHARE(tax, 0.8, "of tax paid at home (unsourced)"),
    SHARE(jobs, 0.6, "of jobs at home (the R&D team stays in the hub; unsourced)"),
    NUM(struct own_share_cfg, utility, -100, 100, 0, "log-odds",
        "against a whole landing (0: as attractive; unsourced)"),
};
static TABLE(split_table, struct own_share_cfg, split_specs);

static const struct setting_spec registered_specs[] = {
    SHARE(revenue, 0.3, "of revenue booked at home (registered there, operating away; unsourced)"),
    SHARE(tax, 0.5, "of tax paid at home (unsourced)"),
    SHARE(jobs, 0.1, "of jobs at home (unsourced)"),
    NUM(struct own_share_cfg, utility, -100, 100, -1, "log-odds",
        "against a whole landing (unsourced)"),
};
static TABLE(registered_table, struct own_share_cfg, registered_specs);

static const struct setting_spec ownership_specs[] = {
    BOOL(struct ownership_cfg, enabled, 0,
         "landings may be split or registered-only (seed 001); off: every landing is whole"),
    GROUP(struct ownership_cfg, split, split_table, "R&D in the hub, production and sales HQ at home"),
    GROUP(struct ownership_cfg, registered, registered_table, "registered at home, operating away (skips the home pilot)"),
};
TABLE(ownership_table, struct ownership_cfg, ownership_specs);

void ownership_finish(struct ownership_cfg *o)
{
    double w[OWN_COUNT] = { 1.0, 0.0, 0.0 };
    if (o->enabled) {
        w[OWN_SPLIT] = exp(o->split.utility);
        w[OWN_REGISTERED] = exp(o->registered.utility);
    }
    double total = w[0] + w[1] + w[2], sum = 0;
    for (int i = 0; i < OWN_COUNT; i++)
        o->cum[i] = (sum += w[i]) / total;
    o->cum[OWN_COUNT - 1] = 1.0;
    o->widen = o->enabled ? log(total) : 0.0;
}

int ownership_pick(const struct ownership_cfg *o, double v)
{
    int c = 0;
    while (c < OWN_COUNT - 1 && v >= o->cum[c])
        c++;
    return c;
}

struct own_share_cfg ownership_shares(const struct ownership_cfg *o, int config)
{
    switch (config) {
    case OWN_SPLIT:      return o->split;
    case OWN_REGISTERED: return o->registered;
    }
    return (struct own_share_cfg){ 1.0, 1.0, 1.0, 0.0 };
}
