/* settings.h — table-driven reading of libconfig files into C structs.
 *
 * One table per struct (name, type, offset, bounds, default, unit, meaning)
 * drives parsing, range checks, defaults, unknown-key detection with a
 * "did you mean" hint, and the printing of the resolved settings. Structs are
 * flat (fixed arrays, no pointers) so a resolved scenario is a value that can
 * be copied and changed by an experiment.
 *
 * Files compose: `@include "x.cfg"` (on its own line, relative to the
 * including file) reads x.cfg first; the including file's settings then
 * override. Groups merge key by key; lists of named elements merge by `name`
 * (a new name appends an element, `remove = true;` deletes one).
 */
#ifndef INCUBSIM_SETTINGS_H
#define INCUBSIM_SETTINGS_H

#include <stddef.h>

#include "../sim/alloc.h"
#include "dist.h"

#define SET_NAME_LEN 48

enum set_type {
    SET_INT,       /* long; a real literal is refused (2.5 is never rounded to 2) */
    SET_FLOAT,     /* double; an integer literal is accepted */
    SET_BOOL,      /* int 0/1 */
    SET_STRING,    /* char[len] (len 0: SET_NAME_LEN) */
    SET_ENUM,      /* int, from a string among `names` */
    SET_DIST,      /* struct dist, from a group { dist = "..."; ... } */
    SET_DIST_INLINE, /* struct dist whose `dist` and parameters sit in the enclosing group
                        among its other settings: { setting = "..."; dist = "uniform";
                        min = 0; max = 1; } (the keys the table does not name are the
                        distribution's); at most one per table, named "dist" */
    SET_GROUP,     /* nested struct described by `sub` */
    SET_LIST,      /* array of `sub` structs, count at count_offset (int) */
    SET_STRLIST,   /* char[max][len] (len 0: SET_NAME_LEN), count at count_offset (int) */
    SET_NUMLIST    /* double[max], each in [min, max], count at count_offset (int) */
};

struct setting_table;

/* A spec is written with designated initializers (scenario.c's and
 * sim/cli/experiment.c's macros): every field left out is 0/NULL. */
struct setting_spec {
    const char *name;
    enum set_type type;
    size_t offset;
    double min, max;            /* bounds for INT/FLOAT/NUMLIST */
    double def;                 /* default for INT/FLOAT/BOOL/ENUM; see REQUIRED. A FLOAT
                                 * with def NAN is optional and reads NaN when not given */
    const char *unit;
    const char *doc;
    const char *const *names;   /* ENUM: value names; NULL-terminated */
    const struct setting_table *sub;   /* GROUP/LIST element */
    size_t count_offset;        /* LIST/STRLIST/NUMLIST */
    int max_count;              /* LIST/STRLIST/NUMLIST */
    const struct dist *def_dist;/* DIST: default, or NULL when required */
    size_t len;                 /* STRING/STRLIST: bytes of each string's buffer; 0 = SET_NAME_LEN */
    const char *key;            /* LIST: the member that names an element; NULL = "name" */
    size_t given_offset;        /* nonzero: an int in the parent struct set to 1 when a file
                                 * gives this setting (so no flag sits at offset 0). A GROUP
                                 * with a flag is optional: its required settings are checked
                                 * where it is written, and not at all when it is absent */
};

/* Where a table's check runs, and room for its refusal. */
struct setting_at {
    const void *root;       /* the object being loaded (the top-level struct) */
    const char *file;
    const char *path;       /* of the group, as --set spells it ("" at the top) */
    const char *member;     /* set by a refusing check: the member to blame (message at its
                             * line and path), or left NULL to blame the group */
    char        why[700];
};

struct setting_table {
    const struct setting_spec *specs;
    size_t n;
    size_t size;                /* sizeof the struct */
    /* Optional cross-check of a group of this table, run once the group has
     * been applied (a list element, a nested group; the top-level table's
     * once the named file and its includes are all read). Returns 0, or -1
     * with at->why (and at->member) filled; the loader adds file:line and
     * the path. It may fill derived fields of obj (names to indices). */
    int (*check)(void *obj, struct setting_at *at);
};

/* A default of REQUIRED means the setting must be given. */
#define REQUIRED (-1.0e300)

/* Where an error happened and what it was: "file:line: path: message". */
struct diag {
    char msg[1024];
};

/* Settings files are regular files of at most this size. */
#define SETTINGS_MAX_BYTES (16 * 1024 * 1024)

/* 0 when path is a regular file of sane size; else -1 with the reason. */
int settings_regular_file(const char *path, char *why, size_t n);

/* Fills a struct with the table's defaults (required ones get sentinels). */
void settings_defaults(const struct setting_table *t, void *obj);

/* Reads `path` (and its includes) onto obj, which holds defaults or an earlier
 * file's values. Returns 0, or -1 with *d filled. */
int settings_load(const char *path, const struct setting_table *t, void *obj, struct diag *d);
/* Same, every buffer of the load from `al` (NULL: the C library; libconfig's
 * own parse and realpath still use the C library's). On out of memory: -1,
 * "FILE: out of memory" in *d, nothing of al's left allocated. */
int settings_load_alloc(const char *path, const struct setting_table *t, void *obj,
                        struct diag *d, const struct alloc *al);

/* Same, from text in memory; `name` is used in messages and includes resolve
 * against the current directory. */
int settings_load_string(const char *name, const char *text, const struct setting_table *t,
                         void *obj, struct diag *d);

/* Checks that every required setting was given. Returns 0 or -1 with *d. */
int settings_check_required(const struct setting_table *t, const void *obj, const char *file,
                            struct diag *d);

/* Appends the resolved settings as libconfig text (every default spelled
 * out, reals with 17 significant digits so the text reads back exactly).
 * Returns a malloc'd string the caller frees, or NULL. */
char *settings_print(const struct setting_table *t, const void *obj);

/* Index of `name` in a NULL-terminated name list, or -1. */
int settings_name_index(const char *const *names, const char *name);

/* ---- settings by path (--set, experiment levers) ---------------------------
 * A path is the one `incubsim check` prints, list elements by their name:
 * "policy.landing_award", "carriers.pre.capacity", "production.revenue.mean". */

/* A numeric setting found by its path: where it lies in the object. */
struct setting_ref {
    enum set_type type;     /* SET_INT, SET_FLOAT, or SET_DIST for a distribution's parameter */
    size_t offset;          /* from the object's start: the long, double or struct dist */
    int    param;           /* SET_DIST: 0 = the first parameter (a), 1 = the second (b) */
    double min, max;        /* bounds (a distribution's parameter: checked by dist_prepare) */
};

/* Finds a numeric setting. Returns 0, or -1 with d->msg ("what: why"). */
int settings_resolve(const struct setting_table *t, const void *obj, const char *path,
                     struct setting_ref *ref, struct diag *d);
/* The same from the tables alone, before any object exists: any element name
 * is accepted and a distribution's parameter is any name (settings_resolve
 * checks both against the object later). For a lever's type and bounds. */
int settings_resolve_path(const struct setting_table *t, const char *path, struct setting_ref *ref,
                          struct diag *d);
/* Sets it to v (an integer setting is rounded: a design's value lands on the
 * setting's grid; a file's value never is). Returns 0, or -1 with the reason
 * in why[n] (out of bounds, or a distribution that cannot be). */
int settings_ref_set(const struct setting_ref *ref, void *obj, double v, char *why, size_t n);
double settings_ref_get(const struct setting_ref *ref, const void *obj);

/* Applies "PATH=VALUE" to obj as a file holding only that setting would:
 * same checks, same messages. A list element must exist already (an
 * override never adds one). `origin` names where it came from in messages
 * ("--set"). Returns 0, or -1 with d->msg. */
int settings_override(const struct setting_table *t, void *obj, const char *assignment,
                      const char *origin, struct diag *d);

#endif
