/* settings.c — libconfig → struct through setting tables; see settings.h. */
#include "settings.h"
#include "dist.h"
#include "../sim/text.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INCLUDE_DEPTH 16

/* One file being applied: its name and lines (to find its includes). */
struct ctx {
    const char  *file;
    char       **lines;
    int          nlines;
    struct diag *d;
    const char  *stack[MAX_INCLUDE_DEPTH];   /* canonical paths, for loops */
    const char  *names[MAX_INCLUDE_DEPTH];   /* the same, as written, for messages */
    int          depth;
    int          include_line;              /* of the @include being followed */
    void        *root;                      /* the top-level object, for checks */
    const struct alloc *al;                 /* the load's memory (NULL: the C library) */
};

#define FIELD(obj, spec, T) ((T *)((char *)(obj) + (spec)->offset))
#define CFIELD(obj, spec, T) ((const T *)((const char *)(obj) + (spec)->offset))

static int fail(struct ctx *c, const config_setting_t *at, const char *path, const char *fmt, ...)
{
    char what[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    unsigned line = at ? config_setting_source_line(at) : 0;
    if (line)
        snprintf(c->d->msg, sizeof c->d->msg, "%s:%u: %s: %s", c->file, line, path, what);
    else
        snprintf(c->d->msg, sizeof c->d->msg, "%s: %s: %s", c->file, path, what);
    return -1;
}

int settings_name_index(const char *const *names, const char *name)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[lb];
}

static const struct setting_spec *find_spec(const struct setting_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->specs[i].name, name) == 0)
            return &t->specs[i];
    return NULL;
}

static const char *nearest(const struct setting_table *t, const char *name)
{
    const char *best = NULL;
    size_t bestd = SIZE_MAX;
    for (size_t i = 0; i < t->n; i++) {
        size_t d = edit_distance(name, t->specs[i].name);
        if (d < bestd) {
            bestd = d;
            best = t->specs[i].name;
        }
    }
    size_t len = strlen(name);
    return bestd <= (len > 6 ? len / 3 : 2) ? best : NULL;
}

static void join(char *out, size_t n, const char *path, const char *name)
{
    text_fmt(out, n, "%s%s%s", path, *path ? "." : "", name);   /* a long path is cut */
}

/* ---- defaults ----------------------------------------------------------- */

void settings_defaults(const struct setting_table *t, void *obj)
{
    memset(obj, 0, t->size);
    for (size_t i = 0; i < t->n; i++) {
        const struct setting_spec *s = &t->specs[i];
        int req = s->def == REQUIRED;
        switch (s->type) {
        case SET_INT:   *FIELD(obj, s, long) = req ? LONG_MIN : (long)s->def; break;
        case SET_FLOAT: *FIELD(obj, s, double) = req ? NAN : s->def; break;
        case SET_BOOL:  *FIELD(obj, s, int) = req ? -1 : (int)s->def; break;
        case SET_ENUM:  *FIELD(obj, s, int) = req ? -1 : (int)s->def; break;
        case SET_DIST: case SET_DIST_INLINE: {
            struct dist *d = FIELD(obj, s, struct dist);
            if (s->def_dist) {
                *d = *s->def_dist;
                dist_prepare(d);
            } else {
                d->kind = -1;
                d->a = d->b = NAN;
            }
            break;
        }
        case SET_GROUP: settings_defaults(s->sub, FIELD(obj, s, char)); break;
        case SET_STRING: case SET_LIST: case SET_STRLIST: case SET_NUMLIST: break;   /* zeroed */
        }
    }
}

/* ---- reading values ------------------------------------------------------ */

static int read_number(struct ctx *c, const config_setting_t *st, const struct setting_spec *s,
                       const char *path, double *out)
{
    int ty = config_setting_type(st);
    if (ty == CONFIG_TYPE_INT || ty == CONFIG_TYPE_INT64) {
        *out = (double)config_setting_get_int64(st);
        return 0;
    }
    if (ty == CONFIG_TYPE_FLOAT && s->type == SET_FLOAT) {
        *out = config_setting_get_float(st);
        if (!isfinite(*out))
            return fail(c, st, path, "must be a finite number");
        return 0;
    }
    if (s->type == SET_INT && ty == CONFIG_TYPE_FLOAT)
        return fail(c, st, path, "must be an integer, got %.17g", config_setting_get_float(st));
    return fail(c, st, path, "must be %s", s->type == SET_INT ? "an integer" : "a number");
}

static int check_bounds(struct ctx *c, const config_setting_t *st, const struct setting_spec *s,
                        const char *path, double v)
{
    if (v >= s->min && v <= s->max)
        return 0;
    const char *what = s->type == SET_INT ? "an integer" : "a number";
    int ty = config_setting_type(st);
    if (ty == CONFIG_TYPE_INT || ty == CONFIG_TYPE_INT64) {   /* the integer as written */
        long long w = config_setting_get_int64(st);
        if (s->max >= 1e300)
            return fail(c, st, path, "must be %s >= %.15g, got %lld", what, s->min, w);
        return fail(c, st, path, "must be %s in [%.15g, %.15g], got %lld", what, s->min, s->max, w);
    }
    if (s->max >= 1e300)
        return fail(c, st, path, "must be %s >= %.15g, got %.17g", what, s->min, v);
    return fail(c, st, path, "must be %s in [%.15g, %.15g], got %.17g", what, s->min, s->max, v);
}

/* 1 when s is well-formed UTF-8 (no overlong forms, no surrogates) with no
 * control characters. */
static int utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || (n == 0 && c < 0x20) || c == 0x7F)
            return 0;
        unsigned cp = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
        for (int k = 1; k <= n; k++) {
            if ((p[k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (p[k] & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
                cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        p += n + 1;
    }
    return 1;
}

/* Bytes of a STRING or STRLIST spec's buffer. */
static size_t str_len(const struct setting_spec *s)
{
    return s->len ? s->len : SET_NAME_LEN;
}

static int read_string(struct ctx *c, const config_setting_t *st, const char *path, char *out,
                       size_t len)
{
    const char *v = config_setting_get_string(st);
    if (!v)
        return fail(c, st, path, "must be a string in double quotes");
    if (!utf8_ok(v))
        return fail(c, st, path, "must be UTF-8 text without control characters");
    if (strlen(v) >= len || strlen(v) == 0)
        return fail(c, st, path, "must be 1 to %zu bytes of UTF-8, got %zu: \"%.60s%s\"",
                    len - 1, strlen(v), v, strlen(v) > 60 ? "..." : "");
    strcpy(out, v);
    return 0;
}

static int apply_group(struct ctx *c, const config_setting_t *g, const struct setting_table *t,
                       void *obj, const char *path, const char *handled);
static int check_required(struct ctx *c, const config_setting_t *at,
                          const struct setting_table *t, const void *obj, const char *path);

/* Runs table t's check (if any) on a group just applied, written at g. */
static int run_check(struct ctx *c, const config_setting_t *g, const struct setting_table *t,
                     void *obj, const char *path)
{
    if (!t->check)
        return 0;
    struct setting_at at = { .root = c->root, .file = c->file, .path = path };
    if (t->check(obj, &at) == 0)
        return 0;
    const config_setting_t *m = at.member && config_setting_is_group(g)
                                ? config_setting_get_member(g, at.member) : NULL;
    char sub[256];
    if (at.member)
        join(sub, sizeof sub, path, at.member);
    return fail(c, m ? m : g, at.member ? sub : *path ? path : "(top level)", "%s", at.why);
}

/* Reads a distribution from group g. `others` (or NULL) is the table of an
 * inline distribution's enclosing group: its keys are not the distribution's. */
static int apply_dist(struct ctx *c, const config_setting_t *g, struct dist *d, const char *path,
                      const struct setting_table *others)
{
    char sub[256];
    if (!config_setting_is_group(g))
        return fail(c, g, path, "must be a group like { dist = \"exponential\"; mean = 0.5; }");
    const config_setting_t *k = config_setting_get_member(g, "dist");
    if (k) {
        join(sub, sizeof sub, path, "dist");
        const char *v = config_setting_get_string(k);
        int kind = v ? settings_name_index(dist_kind_names, v) : -1;
        if (kind < 0)
            return fail(c, k, sub, "unknown distribution \"%s\" (one of fixed, exponential, "
                        "lognormal, gamma, weibull, uniform, beta)", v ? v : "?");
        if (kind != d->kind) {
            d->kind = kind;
            d->a = d->b = NAN;
        }
    } else if (d->kind < 0) {
        return fail(c, g, path, "missing \"dist\" (one of fixed, exponential, lognormal, "
                    "gamma, weibull, uniform, beta)");
    }
    const char *pa = dist_param_names[d->kind][0], *pb = dist_param_names[d->kind][1];
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *st = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(st);
        join(sub, sizeof sub, path, name);
        if (strcmp(name, "dist") == 0
                || (others && (find_spec(others, name) || strcmp(name, "remove") == 0)))
            continue;
        double *dst = strcmp(name, pa) == 0 ? &d->a : (pb && strcmp(name, pb) == 0) ? &d->b : NULL;
        if (!dst)
            return fail(c, st, sub, "unknown setting for a %s distribution (it takes %s%s%s)",
                        dist_kind_names[d->kind], pa, pb ? " and " : "", pb ? pb : "");
        struct setting_spec num = { .type = SET_FLOAT };
        if (read_number(c, st, &num, sub, dst))
            return -1;
    }
    if (isnan(d->a) || (pb && isnan(d->b)))
        return fail(c, g, path, "a %s distribution needs %s%s%s", dist_kind_names[d->kind], pa,
                    pb ? " and " : "", pb ? pb : "");
    const char *why = dist_prepare(d);
    if (why)
        return fail(c, g, path, "%s", why);
    return 0;
}

/* A list of groups, each named by its key member ("name" unless the spec
 * says otherwise): an element merges into the one of the same name (a new
 * name appends one; `remove = true;` deletes one). Messages name an element
 * by its name, as --set does: carriers.pre.capacity. */
static int apply_list(struct ctx *c, const config_setting_t *l, const struct setting_spec *s,
                      void *obj, const char *path)
{
    if (!config_setting_is_list(l) && !config_setting_is_array(l))
        return fail(c, l, path, "must be a list ( { %s = \"...\"; ... }, ... )",
                    s->key ? s->key : "name");
    const struct setting_table *et = s->sub;
    const char *key = s->key ? s->key : "name";
    const struct setting_spec *ks = find_spec(et, key);
    if (!ks || ks->type != SET_STRING)
        return fail(c, l, path, "internal: the list's elements have no string \"%s\"", key);
    int *count = (int *)((char *)obj + s->count_offset);
    char *base = FIELD(obj, s, char);
    char sub[256], keypath[300];
    for (int i = 0; i < config_setting_length(l); i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        text_fmt(sub, sizeof sub, "%s.[%d]", path, i);
        if (!config_setting_is_group(e))
            return fail(c, e, sub, "must be a group { %s = \"...\"; ... }", key);
        const config_setting_t *nm = config_setting_get_member(e, key);
        char name[4096];
        join(keypath, sizeof keypath, sub, key);
        if (!nm)
            return fail(c, e, sub, "missing required setting \"%s\"", key);
        if (read_string(c, nm, keypath, name, str_len(ks) < sizeof name ? str_len(ks) : sizeof name))
            return -1;
        join(sub, sizeof sub, path, name);   /* from here on, the element by its name */
        for (int j = 0; j < i; j++) {         /* one list names an element once */
            const config_setting_t *o = config_setting_get_member(
                config_setting_get_elem(l, (unsigned)j), key);
            const char *on = o ? config_setting_get_string(o) : NULL;
            if (on && strcmp(on, name) == 0)
                return fail(c, e, sub, "given twice in this list (also on line %u)",
                            config_setting_source_line(o));
        }
        int at = -1;
        for (int j = 0; j < *count; j++)
            if (strcmp(base + (size_t)j * et->size + ks->offset, name) == 0)
                at = j;
        const config_setting_t *rm = config_setting_get_member(e, "remove");
        if (rm) {
            if (config_setting_type(rm) != CONFIG_TYPE_BOOL)
                return fail(c, rm, sub, "remove must be true or false");
            if (config_setting_get_bool(rm)) {
                if (at < 0)
                    return fail(c, rm, sub, "cannot remove \"%s\": no such element", name);
                memmove(base + (size_t)at * et->size, base + (size_t)(at + 1) * et->size,
                        (size_t)(*count - at - 1) * et->size);
                (*count)--;
                continue;
            }
        }
        int created = 0;
        if (at < 0) {
            if (*count >= s->max_count)
                return fail(c, e, sub, "too many elements (at most %d)", s->max_count);
            at = (*count)++;
            settings_defaults(et, base + (size_t)at * et->size);
            created = 1;
        }
        void *elem = base + (size_t)at * et->size;
        if (apply_group(c, e, et, elem, sub, "remove"))
            return -1;
        if (created && check_required(c, e, et, elem, sub))
            return -1;
        if (run_check(c, e, et, elem, sub))
            return -1;
    }
    return 0;
}

static int apply_strlist(struct ctx *c, const config_setting_t *l, const struct setting_spec *s,
                         void *obj, const char *path)
{
    if (!config_setting_is_list(l) && !config_setting_is_array(l))
        return fail(c, l, path, "must be a list of names, e.g. [ \"biomed\", \"ict\" ]");
    int n = config_setting_length(l);
    if (n > s->max_count)
        return fail(c, l, path, "too many names (at most %d)", s->max_count);
    int *count = (int *)((char *)obj + s->count_offset);
    char *names = FIELD(obj, s, char);
    char sub[256];
    for (int i = 0; i < n; i++) {
        text_fmt(sub, sizeof sub, "%s.[%d]", path, i);
        if (read_string(c, config_setting_get_elem(l, (unsigned)i), sub,
                        names + (size_t)i * str_len(s), str_len(s)))
            return -1;
    }
    *count = n;
    return 0;
}

static int check_bounds(struct ctx *c, const config_setting_t *st, const struct setting_spec *s,
                        const char *path, double v);

static int apply_numlist(struct ctx *c, const config_setting_t *l, const struct setting_spec *s,
                         void *obj, const char *path)
{
    if (!config_setting_is_list(l) && !config_setting_is_array(l))
        return fail(c, l, path, "must be a list of numbers, e.g. [ 1.0, 2.0 ]");
    int n = config_setting_length(l);
    if (n > s->max_count)
        return fail(c, l, path, "too many numbers (at most %d)", s->max_count);
    double *v = FIELD(obj, s, double);
    struct setting_spec num = *s;
    num.type = SET_FLOAT;
    char sub[256];
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        text_fmt(sub, sizeof sub, "%s.[%d]", path, i);
        if (read_number(c, e, &num, sub, &v[i]) || check_bounds(c, e, &num, sub, v[i]))
            return -1;
    }
    *(int *)((char *)obj + s->count_offset) = n;
    return 0;
}

static int apply_value(struct ctx *c, const config_setting_t *st, const struct setting_spec *s,
                       void *obj, const char *path)
{
    double v;
    switch (s->type) {
    case SET_INT:
        if (read_number(c, st, s, path, &v) || check_bounds(c, st, s, path, v))
            return -1;
        *FIELD(obj, s, long) = (long)v;
        return 0;
    case SET_FLOAT:
        if (read_number(c, st, s, path, &v) || check_bounds(c, st, s, path, v))
            return -1;
        *FIELD(obj, s, double) = v;
        return 0;
    case SET_BOOL:
        if (config_setting_type(st) != CONFIG_TYPE_BOOL)
            return fail(c, st, path, "must be true or false");
        *FIELD(obj, s, int) = config_setting_get_bool(st);
        return 0;
    case SET_STRING:
        return read_string(c, st, path, FIELD(obj, s, char), str_len(s));
    case SET_ENUM: {
        const char *str = config_setting_get_string(st);
        int i = str ? settings_name_index(s->names, str) : -1;
        if (i < 0) {
            char allowed[300] = "";
            for (int k = 0; s->names[k]; k++)
                snprintf(allowed + strlen(allowed), sizeof allowed - strlen(allowed), "%s\"%s\"",
                         k ? ", " : "", s->names[k]);
            return fail(c, st, path, "must be one of %s, got %s%s%s", allowed,
                        str ? "\"" : "a non-string", str ? str : "", str ? "\"" : "");
        }
        *FIELD(obj, s, int) = i;
        return 0;
    }
    case SET_DIST:
        return apply_dist(c, st, FIELD(obj, s, struct dist), path, NULL);
    case SET_DIST_INLINE:
        return 0;   /* read with its group, by apply_group */
    case SET_GROUP:
        if (!config_setting_is_group(st))
            return fail(c, st, path, "must be a group { ... }");
        if (apply_group(c, st, s->sub, FIELD(obj, s, char), path, NULL))
            return -1;
        if (s->given_offset && check_required(c, st, s->sub, FIELD(obj, s, char), path))
            return -1;   /* an optional group: complete where it is written */
        return run_check(c, st, s->sub, FIELD(obj, s, char), path);
    case SET_LIST:
        return apply_list(c, st, s, obj, path);
    case SET_STRLIST:
        return apply_strlist(c, st, s, obj, path);
    case SET_NUMLIST:
        return apply_numlist(c, st, s, obj, path);
    }
    return fail(c, st, path, "unsupported setting type");
}

/* Applies every setting of group g; `handled` names a key the caller has
 * dealt with already (a list element's `remove`), or is NULL. */
static int apply_group(struct ctx *c, const config_setting_t *g, const struct setting_table *t,
                       void *obj, const char *path, const char *handled)
{
    char sub[256];
    const struct setting_spec *in = NULL;   /* an inline distribution: it takes the rest */
    for (size_t k = 0; k < t->n; k++)
        if (t->specs[k].type == SET_DIST_INLINE)
            in = &t->specs[k];
    if (in) {
        int any = 0;
        for (int i = 0; i < config_setting_length(g); i++) {
            const char *name = config_setting_name(config_setting_get_elem(g, (unsigned)i));
            any |= !find_spec(t, name) && !(handled && strcmp(name, handled) == 0);
        }
        if ((any || config_setting_get_member(g, in->name))
                && apply_dist(c, g, FIELD(obj, in, struct dist), path, t))
            return -1;
    }
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *st = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(st);
        join(sub, sizeof sub, path, name);
        if (handled && strcmp(name, handled) == 0)
            continue;
        const struct setting_spec *s = find_spec(t, name);
        if (!s && in)
            continue;   /* a parameter of the inline distribution, read above */
        if (!s) {
            const char *near = nearest(t, name);
            if (near)
                return fail(c, st, sub, "unknown setting (did you mean \"%s\"?)", near);
            char valid[600] = "";
            for (size_t k = 0; k < t->n; k++)
                text_fmt(valid + strlen(valid), sizeof valid - strlen(valid), "%s%s",
                         k ? ", " : "", t->specs[k].name);
            return fail(c, st, sub, "unknown setting; valid here: %s", valid);
        }
        if (apply_value(c, st, s, obj, sub))
            return -1;
        if (s->given_offset)
            *(int *)((char *)obj + s->given_offset) = 1;
    }
    return 0;
}

static int check_required(struct ctx *c, const config_setting_t *at,
                          const struct setting_table *t, const void *obj, const char *path)
{
    char sub[256];
    for (size_t i = 0; i < t->n; i++) {
        const struct setting_spec *s = &t->specs[i];
        join(sub, sizeof sub, path, s->name);
        int missing = 0;
        switch (s->type) {
        case SET_INT:    missing = *CFIELD(obj, s, long) == LONG_MIN; break;
        case SET_FLOAT:  missing = s->def == REQUIRED && isnan(*CFIELD(obj, s, double)); break;
        case SET_BOOL:   /* fall through */
        case SET_ENUM:   missing = *CFIELD(obj, s, int) < 0; break;
        case SET_STRING: missing = CFIELD(obj, s, char)[0] == '\0' && s->def == REQUIRED; break;
        case SET_DIST: case SET_DIST_INLINE:
                         missing = CFIELD(obj, s, struct dist)->kind < 0; break;
        case SET_GROUP:
            if (s->given_offset && !*(const int *)((const char *)obj + s->given_offset))
                break;   /* an optional group left out */
            if (check_required(c, at, s->sub, CFIELD(obj, s, char), sub))
                return -1;
            break;
        case SET_LIST: case SET_STRLIST: case SET_NUMLIST: break;
        }
        if (missing)
            return fail(c, at, sub, "missing required setting (%s)", s->doc);
    }
    return 0;
}

/* ---- files and includes -------------------------------------------------- */

int settings_regular_file(const char *path, char *why, size_t n)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        text_fmt(why, n, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        text_fmt(why, n, "is a directory, not a file");
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        text_fmt(why, n, "is not a regular file (a device, a FIFO or a socket is never read)");
        return -1;
    }
    if (st.st_size > SETTINGS_MAX_BYTES) {
        text_fmt(why, n, "is %lld bytes: a settings file is at most %d", (long long)st.st_size,
                 SETTINGS_MAX_BYTES);
        return -1;
    }
    return 0;
}

static char *read_text(const char *path, struct diag *d, const struct alloc *al)
{
    char why[300];
    if (settings_regular_file(path, why, sizeof why)) {
        text_fmt(d->msg, sizeof d->msg, "%s: %s", path, why);
        return NULL;
    }
    /* non-blocking, and checked again once open: the file may have been
     * swapped for a FIFO since the stat */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        text_fmt(d->msg, sizeof d->msg, "%s: cannot open as a regular file%s%s", path,
                 fd < 0 ? ": " : "", fd < 0 ? strerror(errno) : "");
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        text_fmt(d->msg, sizeof d->msg, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = al_malloc(al, cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n > SETTINGS_MAX_BYTES)
            break;
        if (n + 1 == cap) {
            char *nb = al_realloc(al, buf, cap *= 2);
            if (!nb) { al_free(al, buf); buf = NULL; }
            else buf = nb;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err || n > SETTINGS_MAX_BYTES) {
        al_free(al, buf);
        if (!buf && !err)
            text_fmt(d->msg, sizeof d->msg, "%s: out of memory", path);
        else
            text_fmt(d->msg, sizeof d->msg, "%s: cannot read%s", path,
                     n > SETTINGS_MAX_BYTES ? " (it grew past the size limit)" : "");
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* Splits text into lines in place; returns the count. */
static int split_lines(char *text, char ***out, const struct alloc *al)
{
    int n = 1;
    for (char *p = text; *p; p++)
        n += *p == '\n';
    char **lines = al_malloc(al, (size_t)n * sizeof *lines);
    if (!lines)
        return -1;
    int i = 0;
    lines[i++] = text;
    for (char *p = text; *p; p++)
        if (*p == '\n') {
            *p = '\0';
            lines[i++] = p + 1;
        }
    *out = lines;
    return n;
}

static int load_text(struct ctx *parent, const char *file, const char *text,
                     const struct setting_table *t, void *obj, struct diag *d,
                     const struct alloc *al);

static int load_file(struct ctx *parent, const char *path, const struct setting_table *t,
                     void *obj, struct diag *d, const struct alloc *al)
{
    char *text = read_text(path, d, al);
    if (!text)
        return -1;
    int rc = load_text(parent, path, text, t, obj, d, al);
    al_free(al, text);
    return rc;
}

static char *al_strdup(const struct alloc *al, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = al_malloc(al, n);
    return p ? memcpy(p, s, n) : NULL;
}

/* An include line: optional blanks, @include, blanks, "path", then nothing
 * but blanks or a comment. Returns 1 with the path, 0 for another line, -1
 * for an @include that is malformed. */
static int parse_include(const char *line, char *out, size_t n)
{
    while (*line == ' ' || *line == '\t') line++;
    if (strncmp(line, "@include", 8) != 0)
        return 0;
    const char *q = line + 8;
    while (*q == ' ' || *q == '\t') q++;
    const char *e = *q == '"' ? strchr(q + 1, '"') : NULL;
    if (!e || (size_t)(e - q - 1) >= n)
        return -1;
    const char *tail = e + 1;
    while (*tail == ' ' || *tail == '\t' || *tail == '\r') tail++;
    if (*tail && *tail != '#' && strncmp(tail, "//", 2) != 0 && strncmp(tail, "/*", 2) != 0)
        return -1;
    memcpy(out, q + 1, (size_t)(e - q - 1));
    out[e - q - 1] = '\0';
    return 1;
}

/* Whether a block comment is still open at the end of `line`, given whether
 * one was open at its start (strings and line comments respected). */
static int comment_open_after(const char *line, int open)
{
    for (const char *p = line; *p; p++) {
        if (open) {
            if (p[0] == '*' && p[1] == '/') { open = 0; p++; }
        } else if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1]) p++;
            if (!*p) break;
        } else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
            break;
        } else if (p[0] == '/' && p[1] == '*') {
            open = 1;
            p++;
        }
    }
    return open;
}

/* libconfig 1.5 wraps an integer literal over 32 bits that has no L suffix
 * (3000000000 reads as -1294967296), and nothing in its parse tree tells.
 * So the literals are found before it parses, by a small scanner that knows
 * its comments and strings, and given the suffix: the value read is then the
 * one written, wherever it stands (after a comment, on the next line, in a
 * list), and the bounds of its setting judge it. A literal beyond 64 bits is
 * refused here, with its line. Returns a malloc'd copy, or NULL with *d. */
static char *widen_int_literals(const char *file, const char *text, struct diag *d,
                                const struct alloc *al)
{
    size_t n = strlen(text), extra = 0;
    for (size_t i = 0; i < n; i++)
        extra += text[i] >= '0' && text[i] <= '9';
    char *out = al_malloc(al, n + extra + 1), *o = out;   /* at most one L per digit */
    if (!out) {
        snprintf(d->msg, sizeof d->msg, "%s: out of memory", file);
        return NULL;
    }
    int line = 1;
    for (size_t i = 0; i < n;) {
        char ch = text[i];
        if (ch == '\n') {
            line++;
            *o++ = text[i++];
        } else if (ch == '#' || (ch == '/' && text[i + 1] == '/')) {
            while (i < n && text[i] != '\n')
                *o++ = text[i++];
        } else if (ch == '/' && text[i + 1] == '*') {
            *o++ = text[i++];
            *o++ = text[i++];
            while (i < n && !(text[i] == '*' && text[i + 1] == '/')) {
                line += text[i] == '\n';
                *o++ = text[i++];
            }
            for (int k = 0; k < 2 && i < n; k++)
                *o++ = text[i++];
        } else if (ch == '"') {
            *o++ = text[i++];
            while (i < n && text[i] != '"') {
                if (text[i] == '\\' && i + 1 < n)
                    *o++ = text[i++];
                line += text[i] == '\n';
                *o++ = text[i++];
            }
            if (i < n)
                *o++ = text[i++];
        } else if (ch >= '0' && ch <= '9' &&
                   !(i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_' ||
                               text[i - 1] == '.'))) {
            size_t j = i;
            int hex = ch == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X');
            if (hex)
                j += 2;
            while (j < n && (hex ? isxdigit((unsigned char)text[j]) : isdigit((unsigned char)text[j])))
                j++;
            int real = !hex && j < n && (text[j] == '.' || text[j] == 'e' || text[j] == 'E');
            if (real) {   /* copy the whole real: digits, point, exponent */
                while (j < n && (isdigit((unsigned char)text[j]) || text[j] == '.' ||
                                 text[j] == 'e' || text[j] == 'E' ||
                                 ((text[j] == '+' || text[j] == '-') &&
                                  (text[j - 1] == 'e' || text[j - 1] == 'E'))))
                    j++;
                memcpy(o, text + i, j - i);
                o += j - i;
                i = j;
                continue;
            }
            errno = 0;
            unsigned long long v = strtoull(text + i, NULL, hex ? 16 : 10);
            if (errno == ERANGE || v > (unsigned long long)INT64_MAX) {
                snprintf(d->msg, sizeof d->msg, "%s:%d: integer %.*s does not fit in 64 bits: "
                         "write it as a real, e.g. %.6g", file, line, (int)(j - i), text + i,
                         strtod(text + i, NULL));
                al_free(al, out);
                return NULL;
            }
            memcpy(o, text + i, j - i);
            o += j - i;
            if (v > INT32_MAX && !(j < n && (text[j] == 'L' || text[j] == 'l')))
                *o++ = 'L';
            i = j;
        } else {
            *o++ = text[i++];
        }
    }
    *o = '\0';
    return out;
}

static int load_text(struct ctx *parent, const char *file, const char *text,
                     const struct setting_table *t, void *obj, struct diag *d,
                     const struct alloc *al)
{
    struct ctx c = { .file = file, .d = d, .root = obj, .al = al };
    if (parent) {
        c.depth = parent->depth;
        memcpy(c.stack, parent->stack, sizeof c.stack);
        memcpy(c.names, parent->names, sizeof c.names);
    }
    char *canon = realpath(file, NULL);
    for (int i = 0; canon && i < c.depth; i++)
        if (strcmp(c.stack[i], canon) == 0) {
            char chain[600] = "";
            for (int k = i; k < c.depth; k++)
                snprintf(chain + strlen(chain), sizeof chain - strlen(chain), "%s -> ", c.names[k]);
            snprintf(d->msg, sizeof d->msg, "%s:%d: include loop: %s%s", parent->file,
                     parent->include_line, chain, file);
            free(canon);
            return -1;
        }
    if (c.depth >= MAX_INCLUDE_DEPTH) {
        snprintf(d->msg, sizeof d->msg, "%s: includes nested deeper than %d", file, MAX_INCLUDE_DEPTH);
        free(canon);
        return -1;
    }
    c.names[c.depth] = file;
    c.stack[c.depth++] = canon ? canon : file;

    int rc = -1;
    config_t cfg;
    config_init(&cfg);
    char *copy = al_strdup(al, text), *body = al_strdup(al, text);
    if (!copy || !body || (c.nlines = split_lines(copy, &c.lines, al)) < 0) {
        snprintf(d->msg, sizeof d->msg, "%s: out of memory", file);
        goto out;
    }
    /* Includes first, in order; their lines are blanked in `body` so that
     * libconfig's line numbers stay those of the file. */
    {
        char *p = body;
        int in_comment = 0;
        for (int i = 0; i < c.nlines; i++) {
            char inc[1024];
            int k = in_comment ? 0 : parse_include(c.lines[i], inc, sizeof inc);
            in_comment = comment_open_after(c.lines[i], in_comment);
            if (k < 0) {
                snprintf(d->msg, sizeof d->msg, "%s:%d: @include needs a path in double quotes "
                         "and nothing after it but a comment", file, i + 1);
                goto out;
            }
            char *eol = strchr(p, '\n');
            if (k > 0) {
                char full[2048];
                const char *slash = strrchr(file, '/');
                if ((inc[0] == '/' || !slash)
                        ? text_fmt(full, sizeof full, "%s", inc)
                        : text_fmt(full, sizeof full, "%.*s/%s", (int)(slash - file), file, inc)) {
                    text_fmt(d->msg, sizeof d->msg, "%s:%d: include path too long", file, i + 1);
                    goto out;
                }
                char why[300];
                if (settings_regular_file(full, why, sizeof why)) {
                    text_fmt(d->msg, sizeof d->msg, "%s:%d: cannot include \"%s\" (%s): %s",
                             file, i + 1, inc, full, why);
                    goto out;
                }
                c.include_line = i + 1;
                if (load_file(&c, full, t, obj, d, al))
                    goto out;
                for (char *q = p; q < (eol ? eol : p + strlen(p)); q++)
                    *q = ' ';
            }
            if (!eol)
                break;
            p = eol + 1;
        }
    }
    char *wide = widen_int_literals(file, body, d, al);
    if (!wide)
        goto out;
    al_free(al, body);
    body = wide;
    if (!config_read_string(&cfg, body)) {
        const char *why = config_error_text(&cfg);
        snprintf(d->msg, sizeof d->msg, "%s:%d: %s%s", file, config_error_line(&cfg),
                 strcmp(why, "syntax error") == 0 ? "" : "syntax error: ", why);
        goto out;
    }
    rc = apply_group(&c, config_root_setting(&cfg), t, obj, "", NULL);
    if (rc == 0 && !parent)   /* the named file and its includes are read */
        rc = run_check(&c, config_root_setting(&cfg), t, obj, "");
out:
    config_destroy(&cfg);
    al_free(al, c.lines);
    al_free(al, copy);
    al_free(al, body);
    free(canon);   /* realpath's, from the C library */
    return rc;
}

int settings_load(const char *path, const struct setting_table *t, void *obj, struct diag *d)
{
    return load_file(NULL, path, t, obj, d, NULL);
}

int settings_load_alloc(const char *path, const struct setting_table *t, void *obj,
                        struct diag *d, const struct alloc *al)
{
    return load_file(NULL, path, t, obj, d, al);
}

int settings_load_string(const char *name, const char *text, const struct setting_table *t,
                         void *obj, struct diag *d)
{
    return load_text(NULL, name, text, t, obj, d, NULL);
}

int settings_check_required(const struct setting_table *t, const void *obj, const char *file,
                            struct diag *d)
{
    struct ctx c = { .file = file, .d = d };
    return check_required(&c, NULL, t, obj, "");
}

/* ---- settings by path --------------------------------------------------- */

/* Walks `path` through the tables from obj. On success: *spec is the leaf's
 * spec, *offset the leaf field's offset in obj, *param its last component
 * when the leaf is a distribution's parameter (else NULL), and `text` (when
 * not NULL) holds the libconfig nesting that leads to it, e.g.
 * `carriers = ( { name = "pre"; ` and the closers in `close` (both of
 * WALK_TEXT bytes). */
#define WALK_TEXT 1024
static int walk(const struct setting_table *t, const void *obj, const char *path,
                const struct setting_spec **spec, size_t *offset, const char **param,
                char *text, char *close, struct diag *d)
{
    char copy[512];
    if (text_fmt(copy, sizeof copy, "%s", path) || !*path) {
        text_fmt(d->msg, sizeof d->msg, "\"%s\": not a setting path", path);
        return -1;
    }
    size_t off = 0;
    *param = NULL;
    if (text)
        text[0] = close[0] = '\0';
    char *save, *comp = strtok_r(copy, ".", &save);
    char walked[512] = "";
    while (comp) {
        const struct setting_spec *s = find_spec(t, comp);
        if (!s) {
            const char *near = nearest(t, comp);
            text_fmt(d->msg, sizeof d->msg, "%s: no setting \"%s\" in %s%s%s%s", path, comp,
                     *walked ? walked : "the scenario", near ? " (did you mean \"" : "",
                     near ? near : "", near ? "\"?)" : "");
            return -1;
        }
        join(walked, sizeof walked, walked, comp);
        char *next = strtok_r(NULL, ".", &save);
        char tmp[WALK_TEXT];
        if (s->type == SET_GROUP) {
            if (!next) {
                text_fmt(d->msg, sizeof d->msg, "%s: a group; name one of its settings", path);
                return -1;
            }
            off += s->offset;
            t = s->sub;
            if (text) {
                text_fmt(tmp, sizeof tmp, "%s%s = { ", text, comp);
                strcpy(text, tmp);
                text_fmt(tmp, sizeof tmp, " };%s", close);
                strcpy(close, tmp);
            }
            comp = next;
            continue;
        }
        if (s->type == SET_LIST && !obj) {   /* tables alone: any element name */
            if (!next || !(comp = strtok_r(NULL, ".", &save))) {
                text_fmt(d->msg, sizeof d->msg, "%s: %s", path, next ? "an element; name one of "
                         "its settings" : "a list; name an element and one of its settings");
                return -1;
            }
            join(walked, sizeof walked, walked, next);
            t = s->sub;
            continue;
        }
        if (s->type == SET_LIST) {
            const struct setting_table *et = s->sub;
            int count = *(const int *)((const char *)obj + off + s->count_offset);
            const char *base = (const char *)obj + off + s->offset;
            int at = -1;
            for (int j = 0; next && j < count; j++)
                if (strcmp(base + (size_t)j * et->size, next) == 0)
                    at = j;
            if (at < 0) {
                char have[400] = "";
                for (int j = 0; j < count; j++)
                    text_fmt(have + strlen(have), sizeof have - strlen(have), "%s%s",
                             j ? ", " : "", base + (size_t)j * et->size);
                text_fmt(d->msg, sizeof d->msg, "%s: %s has no element named \"%s\" (it has: %s)",
                         path, walked, next ? next : "", count ? have : "none");
                return -1;
            }
            join(walked, sizeof walked, walked, next);
            off += s->offset + (size_t)at * et->size;
            t = et;
            if (text) {
                char esc[2 * SET_NAME_LEN + 1], *q = esc;   /* the name as a libconfig string */
                for (const char *p = next; *p && q < esc + sizeof esc - 2; p++) {
                    if (*p == '"' || *p == '\\')
                        *q++ = '\\';
                    *q++ = *p;
                }
                *q = '\0';
                text_fmt(tmp, sizeof tmp, "%s%s = ( { %s = \"%s\"; ", text, comp,
                         s->key ? s->key : "name", esc);
                strcpy(text, tmp);
                text_fmt(tmp, sizeof tmp, " } );%s", close);
                strcpy(close, tmp);
            }
            comp = strtok_r(NULL, ".", &save);
            if (!comp) {
                text_fmt(d->msg, sizeof d->msg, "%s: an element; name one of its settings", path);
                return -1;
            }
            continue;
        }
        if (s->type == SET_DIST) {
            if (!next || strtok_r(NULL, ".", &save)) {
                text_fmt(d->msg, sizeof d->msg, "%s: a distribution; name its \"dist\" or one "
                         "of its parameters (%s.mean, ...)", path, walked);
                return -1;
            }
            *param = path + (next - copy);
            if (text) {
                text_fmt(tmp, sizeof tmp, "%s%s = { ", text, comp);
                strcpy(text, tmp);
                text_fmt(tmp, sizeof tmp, " };%s", close);
                strcpy(close, tmp);
            }
        } else if (next) {
            text_fmt(d->msg, sizeof d->msg, "%s: %s is a single setting, not a group", path, walked);
            return -1;
        }
        *spec = s;
        *offset = off + s->offset;
        return 0;
    }
    return -1;
}

int settings_resolve_path(const struct setting_table *t, const char *path, struct setting_ref *ref,
                          struct diag *d)
{
    const struct setting_spec *s;
    const char *param;
    if (walk(t, NULL, path, &s, &ref->offset, &param, NULL, NULL, d))
        return -1;
    ref->type = s->type;
    ref->min = s->type == SET_DIST ? -INFINITY : s->min;
    ref->max = s->type == SET_DIST ? INFINITY : s->max;
    ref->param = 0;
    ref->offset = 0;   /* meaningless without an object */
    if (s->type == SET_DIST) {
        if (strcmp(param, "dist") == 0) {
            text_fmt(d->msg, sizeof d->msg, "%s: a distribution's kind, not a number", path);
            return -1;
        }
        return 0;
    }
    if (s->type != SET_INT && s->type != SET_FLOAT) {
        text_fmt(d->msg, sizeof d->msg, "%s: not a number (a lever must be a numeric setting)", path);
        return -1;
    }
    return 0;
}

int settings_resolve(const struct setting_table *t, const void *obj, const char *path,
                     struct setting_ref *ref, struct diag *d)
{
    const struct setting_spec *s;
    const char *param;
    if (walk(t, obj, path, &s, &ref->offset, &param, NULL, NULL, d))
        return -1;
    ref->type = s->type;
    ref->min = s->min;
    ref->max = s->max;
    ref->param = 0;
    if (s->type == SET_DIST) {
        const struct dist *dd = (const struct dist *)((const char *)obj + ref->offset);
        const char *pa = dd->kind >= 0 ? dist_param_names[dd->kind][0] : NULL;
        const char *pb = dd->kind >= 0 ? dist_param_names[dd->kind][1] : NULL;
        if (pa && strcmp(param, pa) == 0)
            ref->param = 0;
        else if (pb && strcmp(param, pb) == 0)
            ref->param = 1;
        else {
            text_fmt(d->msg, sizeof d->msg, "%s: not a parameter of this %s distribution (it "
                     "takes %s%s%s)", path, dd->kind >= 0 ? dist_kind_names[dd->kind] : "unset",
                     pa ? pa : "", pb ? " and " : "", pb ? pb : "");
            return -1;
        }
        ref->min = -INFINITY;
        ref->max = INFINITY;
        return 0;
    }
    if (s->type != SET_INT && s->type != SET_FLOAT) {
        text_fmt(d->msg, sizeof d->msg, "%s: not a number (a lever must be a numeric setting)", path);
        return -1;
    }
    return 0;
}

double settings_ref_get(const struct setting_ref *ref, const void *obj)
{
    const char *at = (const char *)obj + ref->offset;
    switch (ref->type) {
    case SET_INT: return (double)*(const long *)at;
    case SET_DIST: return ref->param ? ((const struct dist *)at)->b : ((const struct dist *)at)->a;
    default: return *(const double *)at;
    }
}

int settings_ref_set(const struct setting_ref *ref, void *obj, double v, char *why, size_t n)
{
    char *at = (char *)obj + ref->offset;
    if (ref->type == SET_INT)
        v = round(v);
    if (!isfinite(v) || v < ref->min || v > ref->max) {
        text_fmt(why, n, "%.17g is outside the setting's range [%.15g, %.15g]", v, ref->min, ref->max);
        return -1;
    }
    if (ref->type == SET_INT) {
        *(long *)at = (long)v;
    } else if (ref->type == SET_FLOAT) {
        *(double *)at = v;
    } else {
        struct dist *dd = (struct dist *)at;
        *(ref->param ? &dd->b : &dd->a) = v;
        const char *bad = dist_prepare(dd);
        if (bad) {
            text_fmt(why, n, "at %.17g: %s", v, bad);
            return -1;
        }
    }
    return 0;
}

/* 1 when v (blanks around it allowed) is exactly one libconfig scalar: a
 * decimal or hex integer (an L suffix allowed), a real, true/false, or one
 * "quoted string" (escapes inside). Nothing after it: a value never carries
 * a second setting into the text libconfig parses. */
static int one_scalar(const char *v)
{
    while (*v == ' ' || *v == '\t')
        v++;
    const char *e = v + strlen(v);
    while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    size_t n = (size_t)(e - v);
    if (n == 0)
        return 0;
    if ((n == 4 && strncasecmp(v, "true", 4) == 0) || (n == 5 && strncasecmp(v, "false", 5) == 0))
        return 1;
    if (*v == '"') {
        const char *p = v + 1;
        for (; p < e && *p != '"'; p++) {
            if ((unsigned char)*p < 0x20)
                return 0;
            if (*p == '\\' && ++p >= e)
                return 0;
        }
        return p == e - 1;   /* the closing quote is the last character */
    }
    const char *p = v;
    if (*p == '+' || *p == '-')
        p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        const char *h = p += 2;
        while (p < e && isxdigit((unsigned char)*p))
            p++;
        if (p < e && (*p == 'L' || *p == 'l'))
            p++;
        return p > h && p == e;
    }
    size_t digits = 0;
    while (p < e && isdigit((unsigned char)*p)) { p++; digits++; }
    int real = 0;
    if (p < e && *p == '.') {
        real = 1;
        for (p++; p < e && isdigit((unsigned char)*p); p++)
            digits++;
    }
    if (!digits)
        return 0;
    if (p < e && (*p == 'e' || *p == 'E')) {
        real = 1;
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        const char *x = p;
        while (p < e && isdigit((unsigned char)*p))
            p++;
        if (p == x)
            return 0;
    }
    if (!real && p < e && (*p == 'L' || *p == 'l'))
        p++;
    return p == e;
}

int settings_override(const struct setting_table *t, void *obj, const char *assignment,
                      const char *origin, struct diag *d)
{
    const char *eq = strchr(assignment, '=');
    char path[512];
    if (!eq || eq == assignment || text_fmt(path, sizeof path, "%.*s", (int)(eq - assignment),
                                             assignment)) {
        text_fmt(d->msg, sizeof d->msg, "%s %s: needs PATH=VALUE", origin, assignment);
        return -1;
    }
    const char *value = eq + 1;
    const struct setting_spec *s;
    const char *param;
    size_t off;
    char text[WALK_TEXT], close[WALK_TEXT];
    if (walk(t, obj, path, &s, &off, &param, text, close, d)) {
        char why[sizeof d->msg];
        snprintf(why, sizeof why, "%s", d->msg);
        text_fmt(d->msg, sizeof d->msg, "%s %s", origin, why);
        return -1;
    }
    /* a string or a name is quoted here, so `--set name=x` works unquoted */
    int quote = (s->type == SET_STRING || s->type == SET_ENUM ||
                 (s->type == SET_DIST && strcmp(param, "dist") == 0)) && value[0] != '"';
    char val[600] = "";
    if (quote) {
        size_t k = 0;
        val[k++] = '"';
        for (const char *p = value; *p && k < sizeof val - 3; p++) {
            if (*p == '"' || *p == '\\')
                val[k++] = '\\';
            val[k++] = *p;
        }
        val[k++] = '"';
        val[k] = '\0';
    } else if (text_fmt(val, sizeof val, "%s", value)) {
        text_fmt(d->msg, sizeof d->msg, "%s %s: value too long", origin, path);
        return -1;
    } else if (!one_scalar(val)) {
        char shown[201];   /* one line: a control character shown as ? */
        size_t k = 0;
        for (const char *p = value; *p && k < sizeof shown - 1; p++)
            shown[k++] = (unsigned char)*p < 0x20 || *p == 0x7F ? '?' : *p;
        shown[k] = '\0';
        text_fmt(d->msg, sizeof d->msg, "%s %s: the value must be one number, \"quoted string\" "
                 "or true/false, got \"%s\"", origin, path, shown);
        return -1;
    }
    const char *leaf = s->type == SET_DIST ? param : s->name;
    char *doc = malloc(strlen(text) + strlen(leaf) + strlen(val) + strlen(close) + 8);
    if (!doc) {
        text_fmt(d->msg, sizeof d->msg, "out of memory");
        return -1;
    }
    sprintf(doc, "%s%s = %s;%s\n", text, leaf, val, close);
    char name[600];
    text_fmt(name, sizeof name, "%s %s", origin, assignment);
    int rc = load_text(NULL, name, doc, t, obj, d, NULL);
    free(doc);
    return rc;
}

/* ---- printing ------------------------------------------------------------ */

struct buf {
    char  *s;
    size_t n, cap;
    int    oom;
};

static void put(struct buf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if (k >= 0 && (size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        size_t ncap = b->cap * 2 + (size_t)(k > 0 ? k : 0);
        char *ns = realloc(b->s, ncap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = ncap;
    }
}

/* The shortest text that reads back to the same double (at most 17 digits:
 * 0.35, not 0.34999999999999998); ".0" added so libconfig sees a real. */
static void put_real(struct buf *b, double v)
{
    char tmp[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(tmp, sizeof tmp, "%.*g", digits, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    if (!strpbrk(tmp, ".eEn"))
        strcat(tmp, ".0");
    put(b, "%s", tmp);
}

/* A string as libconfig reads it back: quotes and backslashes escaped. */
static void put_string(struct buf *b, const char *v)
{
    put(b, "\"");
    for (const char *p = v; *p; p++)
        put(b, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
    put(b, "\"");
}

static void print_table(struct buf *b, const struct setting_table *t, const void *obj, int indent);

static void print_value(struct buf *b, const struct setting_spec *s, const void *obj, int indent)
{
    switch (s->type) {
    case SET_INT:    put(b, "%ld", *CFIELD(obj, s, long)); break;
    case SET_FLOAT:  put_real(b, *CFIELD(obj, s, double)); break;
    case SET_BOOL:   put(b, "%s", *CFIELD(obj, s, int) ? "true" : "false"); break;
    case SET_STRING: put_string(b, CFIELD(obj, s, char)); break;
    case SET_NUMLIST: {
        int n = *(const int *)((const char *)obj + s->count_offset);
        put(b, "[");
        for (int i = 0; i < n; i++) {
            put(b, "%s", i ? ", " : " ");
            put_real(b, CFIELD(obj, s, double)[i]);
        }
        put(b, n ? " ]" : "]");
        break;
    }
    case SET_ENUM: {
        int i = *CFIELD(obj, s, int);
        put(b, "\"%s\"", i >= 0 ? s->names[i] : "");
        break;
    }
    case SET_DIST_INLINE:   /* printed by print_table */
        break;
    case SET_DIST: {
        const struct dist *d = CFIELD(obj, s, struct dist);
        if (d->kind < 0) { put(b, "{ }"); break; }
        put(b, "{ dist = \"%s\"; %s = ", dist_kind_names[d->kind], dist_param_names[d->kind][0]);
        put_real(b, d->a);
        if (dist_param_names[d->kind][1]) {
            put(b, "; %s = ", dist_param_names[d->kind][1]);
            put_real(b, d->b);
        }
        put(b, "; }");
        break;
    }
    case SET_GROUP:
        put(b, "{\n");
        print_table(b, s->sub, CFIELD(obj, s, char), indent + 2);
        put(b, "%*s}", indent, "");
        break;
    case SET_LIST: {
        int n = *(const int *)((const char *)obj + s->count_offset);
        put(b, "(");
        for (int i = 0; i < n; i++) {
            put(b, "%s\n%*s{\n", i ? "," : "", indent + 2, "");
            print_table(b, s->sub, CFIELD(obj, s, char) + (size_t)i * s->sub->size, indent + 4);
            put(b, "%*s}", indent + 2, "");
        }
        put(b, n ? "\n%*s)" : ")", indent, "");
        break;
    }
    case SET_STRLIST: {
        int n = *(const int *)((const char *)obj + s->count_offset);
        const char *names = CFIELD(obj, s, char);
        put(b, "[");
        for (int i = 0; i < n; i++) {
            put(b, "%s", i ? ", " : " ");
            put_string(b, names + (size_t)i * str_len(s));
        }
        put(b, n ? " ]" : "]");
        break;
    }
    }
}

static void print_table(struct buf *b, const struct setting_table *t, const void *obj, int indent)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct setting_spec *s = &t->specs[i];
        if (s->type == SET_STRING && CFIELD(obj, s, char)[0] == '\0')
            continue;   /* an optional name left empty */
        if (s->type == SET_DIST_INLINE) {   /* its keys among the group's own */
            const struct dist *d = CFIELD(obj, s, struct dist);
            if (d->kind < 0)
                continue;
            put(b, "%*sdist = \"%s\";  # %s\n", indent, "", dist_kind_names[d->kind], s->doc);
            for (int p = 0; p < 2 && dist_param_names[d->kind][p]; p++) {
                put(b, "%*s%s = ", indent, "", dist_param_names[d->kind][p]);
                put_real(b, p ? d->b : d->a);
                put(b, ";\n");
            }
            continue;
        }
        put(b, "%*s%s = ", indent, "", s->name);
        print_value(b, s, obj, indent);
        put(b, ";");
        /* the unit and meaning as a comment: `check` output teaches the format */
        if (s->type != SET_GROUP && s->type != SET_LIST) {
            int unit = s->unit && *s->unit;
            put(b, "  # %s%s%s", unit ? s->unit : "", unit ? ": " : "", s->doc);
        }
        put(b, "\n");
    }
}

char *settings_print(const struct setting_table *t, const void *obj)
{
    struct buf b = { malloc(4096), 0, 4096, 0 };
    if (!b.s)
        return NULL;
    b.s[0] = '\0';
    print_table(&b, t, obj, 0);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
