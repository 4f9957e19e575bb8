/* rivals.c — the rival regions' settings; the choice is in landing.c. */
#include "rivals.h"
#include "spec.h"

static const struct setting_spec rival_specs[] = {
    STR(struct rival_cfg, name, REQUIRED, "rival region"),
    NUM(struct rival_cfg, weight, 0, 1e6, 1, "", "its part of the third region's pull (shares by weight)"),
    NUM(struct rival_cfg, award, 0, 1e12, 0, "yuan", "its landing award"),
    NUM(struct rival_cfg, space, 0, 1e12, 0, "yuan", "value of its rent-free space"),
    NUM(struct rival_cfg, fit, 0, 1, 0.5, "", "industry fit of a project with it"),
    NUM(struct rival_cfg, distance, 0, 1, 0, "0..1", "distance from the hub"),
    NUM(struct rival_cfg, answer, 0, 1, 0, "share", "of home's award above its own that it matches"),
};
TABLE(rival_table, struct rival_cfg, rival_specs);
