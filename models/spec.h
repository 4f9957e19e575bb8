/* spec.h — the shorthand the settings tables are written in (scenario.c and
 * the seed mechanisms' files: ownership.c, levels.c, contest.c, rivals.c,
 * certification.c, talent.c).
 * Each macro makes one struct setting_spec for field f of struct T. */
#ifndef INCUBSIM_SPEC_H
#define INCUBSIM_SPEC_H

#include <stddef.h>

#include "settings.h"

#define INF 1e308
#define NUM(T, f, lo, hi, dflt, u, d) \
    { .name = #f, .type = SET_FLOAT, .offset = offsetof(T, f), .min = lo, .max = hi, .def = dflt, \
      .unit = u, .doc = d }
#define INT(T, f, lo, hi, dflt, u, d) \
    { .name = #f, .type = SET_INT, .offset = offsetof(T, f), .min = lo, .max = hi, .def = dflt, \
      .unit = u, .doc = d }
#define BOOL(T, f, dflt, d) \
    { .name = #f, .type = SET_BOOL, .offset = offsetof(T, f), .max = 1, .def = dflt, .unit = "", \
      .doc = d }
#define STR(T, f, dflt, d) \
    { .name = #f, .type = SET_STRING, .offset = offsetof(T, f), .def = dflt, .unit = "", .doc = d }
#define ENUM(T, f, names, def, doc) ENUM_AS(T, #f, f, names, def, doc)
#define ENUM_AS(T, key, f, nm, dflt, d) \
    { .name = key, .type = SET_ENUM, .offset = offsetof(T, f), .def = dflt, .unit = "", .doc = d, \
      .names = nm }
#define DIST(T, f, dflt, u, d) \
    { .name = #f, .type = SET_DIST, .offset = offsetof(T, f), .unit = u, .doc = d, .def_dist = dflt }
#define GROUP(T, f, table, d) \
    { .name = #f, .type = SET_GROUP, .offset = offsetof(T, f), .unit = "", .doc = d, .sub = &table }
#define LIST(T, f, n, table, most, d) \
    { .name = #f, .type = SET_LIST, .offset = offsetof(T, f), .unit = "", .doc = d, .sub = &table, \
      .count_offset = offsetof(T, n), .max_count = most }
#define NAMES(T, f, n, most, d) \
    { .name = #f, .type = SET_STRLIST, .offset = offsetof(T, f), .unit = "", .doc = d, \
      .count_offset = offsetof(T, n), .max_count = most }

#define TABLE(name, T, spec_array) \
    const struct setting_table name = { .specs = spec_array, \
                                        .n = sizeof spec_array / sizeof spec_array[0], \
                                        .size = sizeof(T) }

#endif
