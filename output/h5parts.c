/* h5parts.c — parts: identity, reading and checking, the parts folder,
 * replay and the join; see h5parts.h.
 *
 * Tables are joined by copying, not linking (a missing source of a virtual
 * dataset reads back silently as fill values), in task order, so the result
 * is the same bits whatever order the parts are given in. Every attribute
 * and table of a part is checked before it is trusted: its type, its shape
 * (a scalar, not an array), its columns and its row count (the `rows`
 * attribute each table gets when its file is committed). */
#include "h5parts.h"
#include "h5internal.h"
#include "columns.h"
#include "sha256.h"
#include "../sim/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The tables a part's runs fill, joined part after part. */
static const char *const joined[] = { "runs", "carriers", "timeseries", "projects" };
enum { NJOINED = 4 };

/* ---- attributes, checked ----------------------------------------------------- */

/* Opens attribute `name` of loc if it is a single value (a scalar dataspace,
 * or one element); -1 with why otherwise. */
static hid_t attr_open_one(hid_t loc, const char *name, char *why, size_t n)
{
    if (H5Aexists(loc, name) <= 0) {
        text_fmt(why, n, "attribute %s is missing", name);
        return -1;
    }
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) {
        text_fmt(why, n, "attribute %s cannot be read", name);
        return -1;
    }
    hid_t sp = H5Aget_space(a);
    hssize_t npoints = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    if (sp >= 0)
        H5Sclose(sp);
    if (npoints != 1) {
        text_fmt(why, n, "attribute %s holds %lld values, not one", name, (long long)npoints);
        H5Aclose(a);
        return -1;
    }
    return a;
}

/* A fixed-length string attribute, malloc'd into *out. */
static int read_str(hid_t loc, const char *name, char **out, char *why, size_t n)
{
    *out = NULL;
    hid_t a = attr_open_one(loc, name, why, n);
    if (a < 0)
        return -1;
    hid_t t = H5Aget_type(a);
    size_t len = t < 0 ? 0 : H5Tget_size(t);
    int rc = -1;
    if (t < 0 || H5Tget_class(t) != H5T_STRING || H5Tis_variable_str(t) > 0 || len == 0 ||
            len > (16u << 20)) {
        text_fmt(why, n, "attribute %s is not a string of incubsim's", name);
    } else if (!(*out = calloc(1, len + 1))) {
        text_fmt(why, n, "out of memory");
    } else if (H5Aread(a, t, *out) < 0) {
        text_fmt(why, n, "attribute %s cannot be read", name);
    } else {
        rc = 0;
    }
    if (rc) {
        free(*out);
        *out = NULL;
    }
    if (t >= 0)
        H5Tclose(t);
    H5Aclose(a);
    return rc;
}

/* A count (stored as float64, exact to 2^53; an integer type is accepted). */
static int read_count(hid_t loc, const char *name, uint64_t *v, char *why, size_t n)
{
    hid_t a = attr_open_one(loc, name, why, n);
    if (a < 0)
        return -1;
    hid_t t = H5Aget_type(a);
    H5T_class_t c = t < 0 ? H5T_NO_CLASS : H5Tget_class(t);
    double d = -1;
    int rc = -1;
    if (c != H5T_FLOAT && c != H5T_INTEGER)
        text_fmt(why, n, "attribute %s is not a number", name);
    else if (H5Aread(a, H5T_NATIVE_DOUBLE, &d) < 0)
        text_fmt(why, n, "attribute %s cannot be read", name);
    else if (!(d >= 0 && d <= 0x1p53 && d == floor(d)))
        text_fmt(why, n, "attribute %s is %g, not a count", name, d);
    else {
        *v = (uint64_t)d;
        rc = 0;
    }
    if (t >= 0)
        H5Tclose(t);
    H5Aclose(a);
    return rc;
}

/* ---- identity ------------------------------------------------------------------ */

void h5part_free(struct h5_part *p)
{
    if (!p)
        return;
    free(p->path);
    free(p->version);
    free(p->command);
    free(p->design);
    free(p->baseline);
    free(p->shard);
    free(p->scenarios);
    memset(p, 0, sizeof *p);
}

void h5part_free_all(struct h5_part *parts, int n)
{
    for (int i = 0; parts && i < n; i++)
        h5part_free(&parts[i]);
    free(parts);
}

/* run_sha256 from the fields of p: one line per field, so no two runs that
 * differ in a field hash the same text. */
static int identity_hash(struct h5_part *p)
{
    const char *fmt = "incubsim run identity\nversion=%s\ncommand=%s\nseed=%llu\n"
                      "replications=%llu\nrecords=%llu\ntasks=%llu\ndesign=%s\nbaseline=%s\n"
                      "scenarios=%s\n";
#define ID_ARGS p->version, p->command, (unsigned long long)p->seed,                     \
                (unsigned long long)p->replications, (unsigned long long)p->records,     \
                (unsigned long long)p->total, p->design, p->baseline, p->scenarios
    int len = snprintf(NULL, 0, fmt, ID_ARGS);
    char *text = len < 0 ? NULL : malloc((size_t)len + 1);
    if (!text)
        return -1;
    snprintf(text, (size_t)len + 1, fmt, ID_ARGS);
#undef ID_ARGS
    sha256_hex(text, (size_t)len, p->run_sha256);
    free(text);
    return 0;
}

int h5part_identity(struct h5_part *p, const char *command, uint64_t seed, uint64_t reps,
                    uint64_t records, uint64_t total, const char *design_sha256,
                    const char *baseline, const struct scenario *const *scs,
                    const char *const *configs, int n)
{
    memset(p, 0, sizeof *p);
    p->version = strdup(INCUBSIM_VERSION);
    p->command = strdup(command);
    p->design = strdup(design_sha256);
    p->baseline = strdup(baseline);
    p->shard = strdup("");
    size_t cap = 1;
    for (int i = 0; i < n; i++)
        cap += strlen(scs[i]->name) + 66;
    p->scenarios = calloc(1, cap);
    if (!p->version || !p->command || !p->design || !p->baseline || !p->shard || !p->scenarios) {
        h5part_free(p);
        return -1;
    }
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        char hex[65];
        sha256_hex(configs[i], strlen(configs[i]), hex);
        at += (size_t)snprintf(p->scenarios + at, cap - at, "%s%s=%s", i ? ";" : "",
                               scs[i]->name, hex);
    }
    p->seed = seed;
    p->replications = reps;
    p->records = records;
    p->total = total;
    if (identity_hash(p)) {
        h5part_free(p);
        return -1;
    }
    return 0;
}

/* ---- reading a part -------------------------------------------------------------- */

/* Checks a part's tables: /scenarios there; /runs, /carriers, /timeseries
 * (and /projects with --records) one-dimensional compound tables with every
 * documented column and as many rows as their `rows` attribute says; /runs
 * one row per task of the range. */
static int check_tables(hid_t f, const struct h5_part *p, char *why, size_t n)
{
    if (H5Lexists(f, "scenarios", H5P_DEFAULT) <= 0) {
        text_fmt(why, n, "table /scenarios is missing");
        return -1;
    }
    for (int i = 0; i < NJOINED; i++) {
        const char *name = joined[i];
        int want = i < 3 || p->records;
        if (H5Lexists(f, name, H5P_DEFAULT) <= 0) {
            if (!want)
                continue;
            text_fmt(why, n, "table /%s is missing", name);
            return -1;
        }
        hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
        if (d < 0) {
            text_fmt(why, n, "/%s is not a table", name);
            return -1;
        }
        hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
        hsize_t dims = 0;
        int rc = 0;
        if (t < 0 || H5Tget_class(t) != H5T_COMPOUND || sp < 0 ||
                H5Sget_simple_extent_ndims(sp) != 1) {
            text_fmt(why, n, "table /%s is not a one-dimensional table of rows", name);
            rc = -1;
        } else {
            H5Sget_simple_extent_dims(sp, &dims, NULL);
        }
        const char *col;
        for (size_t c = 0; !rc && (col = columns_name(name, c)) != NULL; c++)
            if (H5Tget_member_index(t, col) < 0) {
                text_fmt(why, n, "table /%s has no column %s", name, col);
                rc = -1;
            }
        uint64_t rows = 0;
        char w[200];
        if (!rc && read_count(d, "rows", &rows, w, sizeof w)) {
            text_fmt(why, n, "table /%s: %s", name, w);
            rc = -1;
        }
        if (!rc && rows != dims) {
            text_fmt(why, n, "table /%s holds %llu rows, not the %llu it was written with (cut "
                     "short?)", name, (unsigned long long)dims, (unsigned long long)rows);
            rc = -1;
        }
        if (!rc && i == 0 && dims != p->end - p->first) {
            text_fmt(why, n, "table /runs holds %llu rows, not one per task of %llu..%llu",
                     (unsigned long long)dims, (unsigned long long)p->first,
                     (unsigned long long)p->end - 1);
            rc = -1;
        }
        if (t >= 0) H5Tclose(t);
        if (sp >= 0) H5Sclose(sp);
        H5Dclose(d);
        if (rc)
            return -1;
    }
    return 0;
}

int h5part_read(const char *path, struct h5_part *p, char *err, size_t errlen)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    memset(p, 0, sizeof *p);
    if (!(p->path = strdup(path))) {
        text_fmt(err, errlen, "out of memory");
        return -1;
    }
    if (access(path, R_OK) != 0) {
        text_fmt(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        h5part_free(p);
        return -1;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        text_fmt(err, errlen, "%s: not an HDF5 file, or damaged", path);
        h5part_free(p);
        return -1;
    }
    char why[600] = "";
    char *sha = NULL;
    int rc = read_str(f, "incubsim_version", &p->version, why, sizeof why)
          || read_str(f, "run_sha256", &sha, why, sizeof why)
          || read_str(f, "command", &p->command, why, sizeof why)
          || read_str(f, "design_sha256", &p->design, why, sizeof why)
          || read_str(f, "summary_baseline", &p->baseline, why, sizeof why)
          || read_str(f, "shard", &p->shard, why, sizeof why)
          || read_str(f, "scenario_sha256", &p->scenarios, why, sizeof why)
          || read_count(f, "master_seed", &p->seed, why, sizeof why)
          || read_count(f, "replications", &p->replications, why, sizeof why)
          || read_count(f, "records", &p->records, why, sizeof why)
          || read_count(f, "task_first", &p->first, why, sizeof why)
          || read_count(f, "task_end", &p->end, why, sizeof why)
          || read_count(f, "task_total", &p->total, why, sizeof why);
    if (!rc && strlen(sha) != 64) {
        text_fmt(why, sizeof why, "attribute run_sha256 is not a SHA-256");
        rc = -1;
    }
    if (!rc && !(p->first <= p->end && p->end <= p->total)) {
        text_fmt(why, sizeof why, "its task range [%llu, %llu) is not within the run's %llu tasks",
                 (unsigned long long)p->first, (unsigned long long)p->end,
                 (unsigned long long)p->total);
        rc = -1;
    }
    if (!rc)
        memcpy(p->run_sha256, sha, 65);
    free(sha);
    rc = rc || check_tables(f, p, why, sizeof why);
    H5Fclose(f);
    if (rc) {
        text_fmt(err, errlen, "%s: not a complete part of incubsim %s: %s", path,
                 INCUBSIM_VERSION, why);
        h5part_free(p);
        return -1;
    }
    return 0;
}

/* The first scenario whose hash differs between two "name=sha;..." lists. */
static void scenario_diff(const char *a, const char *b, char *out, size_t n)
{
    char *x = strdup(a), *y = strdup(b);
    char *sx = NULL, *sy = NULL;
    char *tx = x ? strtok_r(x, ";", &sx) : NULL, *ty = y ? strtok_r(y, ";", &sy) : NULL;
    text_fmt(out, n, "the scenarios");
    while (x && y && (tx || ty)) {
        if (!tx || !ty || strcmp(tx, ty) != 0) {
            const char *t = tx ? tx : ty;
            const char *eq = strchr(t, '=');
            text_fmt(out, n, "the settings of scenario \"%.*s\"",
                     eq ? (int)(eq - t) : (int)strlen(t), t);
            break;
        }
        tx = strtok_r(NULL, ";", &sx);
        ty = strtok_r(NULL, ";", &sy);
    }
    free(x);
    free(y);
}

int h5part_same_run(const struct h5_part *a, const struct h5_part *b, char *why, size_t n)
{
    if (strcmp(a->run_sha256, b->run_sha256) == 0)
        return 0;
    char what[300];
    if (strcmp(a->version, b->version))
        text_fmt(what, sizeof what, "the incubsim version (%s, %s)", a->version, b->version);
    else if (strcmp(a->command, b->command))
        text_fmt(what, sizeof what, "the command (%s, %s)", a->command, b->command);
    else if (a->seed != b->seed)
        text_fmt(what, sizeof what, "the seed (%llu, %llu)", (unsigned long long)a->seed,
                 (unsigned long long)b->seed);
    else if (a->replications != b->replications || a->total != b->total)
        text_fmt(what, sizeof what, "the replications (%llu, %llu)",
                 (unsigned long long)a->replications, (unsigned long long)b->replications);
    else if (strcmp(a->scenarios, b->scenarios))
        scenario_diff(a->scenarios, b->scenarios, what, sizeof what);
    else if (strcmp(a->design, b->design))
        text_fmt(what, sizeof what, "the experiment's levers or design");
    else if (a->records != b->records)
        text_fmt(what, sizeof what, "--records");
    else if (strcmp(a->baseline, b->baseline))
        text_fmt(what, sizeof what, "--baseline (\"%.60s\", \"%.60s\")", a->baseline, b->baseline);
    else
        text_fmt(what, sizeof what, "the run identity (run_sha256)");
    text_fmt(why, n, "%s", what);
    return -1;
}

static int cmp_first(const void *x, const void *y)
{
    const struct h5_part *a = x, *b = y;
    return (a->first > b->first) - (a->first < b->first);
}

int h5part_tile(struct h5_part *parts, int n, uint64_t first, uint64_t end, char *err,
                size_t errlen)
{
    if (n > 0)
        qsort(parts, (size_t)n, sizeof *parts, cmp_first);
    char missing[900] = "";
    uint64_t at = first;
    for (int i = 0; i < n; i++) {
        if (parts[i].first < at) {
            text_fmt(err, errlen, "%s holds tasks %llu..%llu, which %s holds already (a part "
                     "given twice?)", parts[i].path, (unsigned long long)parts[i].first,
                     (unsigned long long)parts[i].end - 1, i ? parts[i - 1].path : "another");
            return -1;
        }
        if (parts[i].first > at)
            text_fmt(missing + strlen(missing), sizeof missing - strlen(missing), "%s%llu..%llu",
                     *missing ? ", " : "", (unsigned long long)at,
                     (unsigned long long)parts[i].first - 1);
        at = parts[i].end;
    }
    if (at < end)
        text_fmt(missing + strlen(missing), sizeof missing - strlen(missing), "%s%llu..%llu",
                 *missing ? ", " : "", (unsigned long long)at, (unsigned long long)end - 1);
    if (*missing) {
        text_fmt(err, errlen, "missing tasks %s of %llu..%llu (a shard not given, or not "
                 "finished?)", missing, (unsigned long long)first, (unsigned long long)end - 1);
        return -1;
    }
    return 0;
}

/* ---- the parts folder -------------------------------------------------------------- */

int h5parts_path(const char *dir, uint64_t first, char *out, size_t n)
{
    return text_fmt(out, n, "%s/part-%012llu.h5", dir, (unsigned long long)first);
}

struct h5out *h5parts_open(const struct h5parts_spec *s, uint64_t first, char *err,
                           size_t errlen)
{
    char *path = malloc(strlen(s->dir) + 32);
    if (!path) {
        text_fmt(err, errlen, "out of memory");
        return NULL;
    }
    h5parts_path(s->dir, first, path, strlen(s->dir) + 32);
    struct h5_provenance prov = *s->prov;
    prov.task_first = prov.task_end = first;
    struct h5out *h = h5out_create(path, 1, s->records, &prov, s->scs, s->configs, s->n, err,
                                   errlen);
    free(path);
    return h;
}

int h5parts_close(struct h5out *h, uint64_t first, uint64_t end, char *err, size_t errlen)
{
    if (h5out_set_range(h, first, end)) {
        text_fmt(err, errlen, "%s", h5out_error(h));
        h5out_abort(h);
        return -1;
    }
    return h5out_commit(h, err, errlen) ? -1 : 0;
}

int h5parts_rotate(const struct h5parts_spec *s, struct h5out **h, uint64_t *first,
                   uint64_t next, char *err, size_t errlen)
{
    struct h5out *old = *h;
    *h = NULL;
    if (h5parts_close(old, *first, next, err, errlen))
        return -1;
    *h = h5parts_open(s, next, err, errlen);
    if (!*h)
        return -1;
    *first = next;
    return 0;
}

/* 1: a complete part's name; 2: one in flight; 0: not a part. */
static int part_kind(const char *name)
{
    size_t len = strlen(name);
    if (strncmp(name, "part-", 5) != 0)
        return 0;
    if (len > 8 && strcmp(name + len - 3, ".h5") == 0)
        return 1;
    if (len > 13 && strcmp(name + len - 8, ".h5.part") == 0)
        return 2;
    return 0;
}

int h5parts_list(const char *dir, struct h5_part **out, char *err, size_t errlen)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        text_fmt(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    struct h5_part *parts = NULL;
    int n = 0, cap = 0, rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d)) != NULL) {
        int kind = part_kind(e->d_name);
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *path = kind ? malloc(len) : NULL;
        if (kind && !path) {
            text_fmt(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        if (!kind)
            continue;
        snprintf(path, len, "%s/%s", dir, e->d_name);
        if (kind == 2) {
            unlink(path);   /* killed while being written, never committed: its tasks run again */
            free(path);
            continue;
        }
        if (n == cap) {
            int ncap = cap ? 2 * cap : 16;
            struct h5_part *np = realloc(parts, (size_t)ncap * sizeof *np);
            if (!np) {
                text_fmt(err, errlen, "out of memory");
                free(path);
                rc = -1;
                break;
            }
            parts = np;
            cap = ncap;
        }
        if (h5part_read(path, &parts[n], err, errlen))
            rc = -1;   /* kept: committed work is never removed because it cannot be read */
        else
            n++;
        free(path);
    }
    closedir(d);
    if (rc) {
        h5part_free_all(parts, n);
        return -1;
    }
    if (n > 0)
        qsort(parts, (size_t)n, sizeof *parts, cmp_first);
    *out = parts;
    return n;
}

int h5parts_count(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += part_kind(e->d_name) == 1;
    closedir(d);
    return n;
}

void h5parts_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[4400];
    while ((e = readdir(d)) != NULL)
        if (part_kind(e->d_name) && text_fmt(path, sizeof path, "%s/%s", dir, e->d_name) == 0)
            unlink(path);
    closedir(d);
    rmdir(dir);
}

/* ---- replay --------------------------------------------------------------------------- */

/* /runs rows as read back: the head, status and KPIs. */
struct back_row {
    char     scenario[NAME_LEN];
    uint32_t point, replication;
    int32_t  status;
    struct kpi kpi;
};

int h5parts_replay(const char *path,
                   int (*fn)(void *ctx, const char *scenario, uint32_t point, uint32_t rep,
                             const struct kpi *k),
                   void *ctx, char *err, size_t errlen)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f >= 0 ? H5Dopen2(f, "runs", H5P_DEFAULT) : -1;
    if (d < 0) {
        text_fmt(err, errlen, "%s: no /runs to read", path);
        if (f >= 0) H5Fclose(f);
        return -1;
    }
    hid_t str = make_str(NAME_LEN), t = H5Tcreate(H5T_COMPOUND, sizeof(struct back_row));
    H5Tinsert(t, "scenario", HOFFSET(struct back_row, scenario), str);
    H5Tinsert(t, "point", HOFFSET(struct back_row, point), H5T_NATIVE_UINT32);
    H5Tinsert(t, "replication", HOFFSET(struct back_row, replication), H5T_NATIVE_UINT32);
    H5Tinsert(t, "status", HOFFSET(struct back_row, status), H5T_NATIVE_INT32);
    for (size_t i = 0; i < kpi_count; i++)
        H5Tinsert(t, kpi_descs[i].name, HOFFSET(struct back_row, kpi) + kpi_descs[i].offset,
                  H5T_NATIVE_DOUBLE);
    hid_t sp = H5Dget_space(d);
    hsize_t n = 0;
    if (H5Sget_simple_extent_ndims(sp) == 1)
        H5Sget_simple_extent_dims(sp, &n, NULL);
    enum { BATCH = 1024 };
    struct back_row *rows = malloc(BATCH * sizeof *rows);
    int rc = rows ? 0 : -1;
    for (hsize_t from = 0; !rc && from < n; from += BATCH) {
        hsize_t count = n - from < BATCH ? n - from : BATCH;
        hid_t m = H5Screate_simple(1, &count, NULL);
        H5Sselect_hyperslab(sp, H5S_SELECT_SET, &from, NULL, &count, NULL);
        if (H5Dread(d, t, m, sp, H5P_DEFAULT, rows) < 0) {
            text_fmt(err, errlen, "%s: cannot read /runs", path);
            rc = -1;
        }
        for (hsize_t i = 0; !rc && i < count; i++) {
            rows[i].scenario[NAME_LEN - 1] = '\0';
            rc = fn(ctx, rows[i].scenario, rows[i].point, rows[i].replication,
                    rows[i].status != RUN_OK ? NULL : &rows[i].kpi);
        }
        H5Sclose(m);
    }
    free(rows);
    H5Sclose(sp);
    H5Tclose(t);
    H5Tclose(str);
    H5Dclose(d);
    H5Fclose(f);
    return rc;
}

/* ---- the join ------------------------------------------------------------------------- */

/* Appends every row of src's table `name` to dst's (which has its type).
 * After a failed write dst's table is left open (h5internal.h: `failed`). */
static int append_rows(hid_t src, hid_t dst, hid_t xfer, const char *name)
{
    hid_t ds = H5Dopen2(src, name, H5P_DEFAULT), dd = H5Dopen2(dst, name, H5P_DEFAULT);
    if (ds < 0 || dd < 0) {
        if (ds >= 0) H5Dclose(ds);
        if (dd >= 0) H5Dclose(dd);
        return -1;
    }
    hid_t t = H5Dget_type(ds), sps = H5Dget_space(ds), spd = H5Dget_space(dd);
    hsize_t n = 0, at = 0;
    H5Sget_simple_extent_dims(sps, &n, NULL);
    H5Sget_simple_extent_dims(spd, &at, NULL);
    size_t rowsize = H5Tget_size(t);
    /* a batch of ~1 MiB whatever the row's width: 32,768 rows of /runs (~650
     * bytes) were a 21 MiB buffer, the whole run's peak memory (massif) */
    hsize_t BATCH = rowsize ? (hsize_t)(1u << 20) / rowsize : 1;
    if (BATCH < 1)
        BATCH = 1;
    if (n && BATCH > n)
        BATCH = n;
    char *buf = malloc((size_t)BATCH * rowsize);
    int rc = buf ? 0 : -1;
    hsize_t size = at + n;
    if (!rc && H5Dset_extent(dd, &size) < 0)
        rc = -1;
    H5Sclose(spd);
    spd = H5Dget_space(dd);
    for (hsize_t from = 0; !rc && from < n; from += BATCH) {
        hsize_t count = n - from < BATCH ? n - from : BATCH, to = at + from;
        hid_t m = H5Screate_simple(1, &count, NULL);
        H5Sselect_hyperslab(sps, H5S_SELECT_SET, &from, NULL, &count, NULL);
        H5Sselect_hyperslab(spd, H5S_SELECT_SET, &to, NULL, &count, NULL);
        if (H5Dread(ds, t, m, sps, xfer, buf) < 0 || H5Dwrite(dd, t, m, spd, xfer, buf) < 0)
            rc = -1;
        H5Sclose(m);
    }
    /* the table's row count, for the next reader's check */
    rc = rc || attr_count(dd, "rows", (uint64_t)size);
    free(buf);
    H5Sclose(sps);
    H5Sclose(spd);
    H5Tclose(t);
    H5Dclose(ds);
    if (!rc)
        H5Dclose(dd);
    return rc;
}

static herr_t copy_attr(hid_t loc, const char *name, const H5A_info_t *info, void *dst)
{
    (void)info;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT), t = H5Aget_type(a), sp = H5Aget_space(a);
    hssize_t np = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    size_t size = t < 0 || np < 0 ? 0 : H5Tget_size(t) * (size_t)np;
    char *buf = size && size < (64u << 20) && H5Tis_variable_str(t) == 0 ? malloc(size) : NULL;
    herr_t rc = -1;
    if (buf && H5Aread(a, t, buf) >= 0)
        rc = attr_write(*(hid_t *)dst, name, t, sp, buf);
    free(buf);
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    H5Aclose(a);
    return rc;
}

/* Every part's joined tables have the first part's row types: rows of a
 * table whose columns differ would be converted by name, and a missing
 * column would read back as zeros. */
static int same_types(const struct h5_part *parts, int n, char *err, size_t errlen)
{
    hid_t f0 = H5Fopen(parts[0].path, H5F_ACC_RDONLY, H5P_DEFAULT);
    int rc = f0 < 0 ? -1 : 0;
    if (rc)
        text_fmt(err, errlen, "%s: cannot open", parts[0].path);
    for (int p = 1; !rc && p < n; p++) {
        hid_t f = H5Fopen(parts[p].path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (f < 0) {
            text_fmt(err, errlen, "%s: cannot open", parts[p].path);
            rc = -1;
            break;
        }
        for (int i = 0; !rc && i < NJOINED; i++) {
            int e0 = H5Lexists(f0, joined[i], H5P_DEFAULT) > 0,
                e1 = H5Lexists(f, joined[i], H5P_DEFAULT) > 0;
            if (!e0 && !e1)
                continue;
            hid_t d0 = e0 ? H5Dopen2(f0, joined[i], H5P_DEFAULT) : -1,
                  d1 = e1 ? H5Dopen2(f, joined[i], H5P_DEFAULT) : -1;
            hid_t t0 = d0 >= 0 ? H5Dget_type(d0) : -1, t1 = d1 >= 0 ? H5Dget_type(d1) : -1;
            if (t0 < 0 || t1 < 0 || H5Tequal(t0, t1) <= 0) {
                text_fmt(err, errlen, "%s: table /%s does not have the columns of /%s in %s",
                         parts[p].path, joined[i], joined[i], parts[0].path);
                rc = -1;
            }
            if (t0 >= 0) H5Tclose(t0);
            if (t1 >= 0) H5Tclose(t1);
            if (d0 >= 0) H5Dclose(d0);
            if (d1 >= 0) H5Dclose(d1);
        }
        H5Fclose(f);
    }
    if (f0 >= 0)
        H5Fclose(f0);
    return rc;
}

/* Copies the bytes of file src to dst (created or truncated); a full disk
 * is an error, with errno set. */
static int copy_file(const char *src, const char *dst)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (out < 0) {
        int e = errno;
        close(in);
        errno = e;
        return -1;
    }
    int rc = 0;
    static const size_t BUF = 1u << 20;
    char *buf = NULL;
    for (;;) {
        ssize_t k = copy_file_range(in, NULL, out, NULL, 1u << 30, 0);
        if (k == 0)
            break;
        if (k > 0)
            continue;
        if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP) {
            rc = -1;
            break;
        }
        /* no copy_file_range here: through a buffer */
        buf = malloc(BUF);
        if (!buf) {
            errno = ENOMEM;
            rc = -1;
            break;
        }
        ssize_t r;
        while ((r = read(in, buf, BUF)) > 0) {
            for (ssize_t w = 0; w < r;) {
                ssize_t x = write(out, buf + w, (size_t)(r - w));
                if (x < 0) {
                    rc = -1;
                    break;
                }
                w += x;
            }
            if (rc)
                break;
        }
        if (r < 0)
            rc = -1;
        break;
    }
    int e = errno;
    free(buf);
    if (close(out) != 0 && !rc) {
        e = errno;
        rc = -1;
    }
    close(in);
    errno = e;
    return rc;
}

/* Reserves, past the end of path.part (just made, open in HDF5), the
 * space the join will write: the parts' rows again, with a margin. A full disk is then met here, with a clear message,
 * not inside HDF5 1.10, whose chunk cache corrupts the heap when a write
 * fails (h5internal.h: `failed`). Where fallocate is not supported (some
 * network file systems) nothing is reserved. */
static int reserve(struct h5out *h, const struct h5_part *parts, int n, int adopt, char *err,
                   size_t errlen)
{
    long long rows = 0;   /* the joined tables' bytes in the parts (compressed) */
    for (int p = adopt ? 1 : 0; p < n; p++) {
        hid_t f = H5Fopen(parts[p].path, H5F_ACC_RDONLY, H5P_DEFAULT);
        for (int i = 0; f >= 0 && i < NJOINED; i++) {
            hid_t d = H5Lexists(f, joined[i], H5P_DEFAULT) > 0 ? H5Dopen2(f, joined[i], H5P_DEFAULT)
                                                               : -1;
            if (d >= 0) {
                rows += (long long)H5Dget_storage_size(d);
                H5Dclose(d);
            }
        }
        if (f >= 0)
            H5Fclose(f);
    }
    /* twice the rows (chunks compress differently once joined), /summary's
     * rows (units x KPIs, ~250 bytes each), and 1 MiB for HDF5's metadata */
    uint64_t units = parts[0].replications ? parts[0].total / parts[0].replications : 0;
    long long need = 2 * rows + (long long)(units * kpi_count * 256) + (1 << 20);
    int fd = open(h->part, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        text_fmt(err, errlen, "cannot create %s: %s", h->part, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (fallocate(fd, FALLOC_FL_KEEP_SIZE, st.st_size, need) != 0) {
        int e = errno;
        close(fd);
        if (e == EOPNOTSUPP || e == ENOSYS)
            return 0;   /* not supported here: the join goes on unreserved */
        text_fmt(err, errlen, "cannot join the parts into %s: %.1f MB needed: %s", h->part,
                 (double)need / 1e6, e == ENOSPC ? "no space left on device" : strerror(e));
        return -1;
    }
    h->reserve_fd = fd + 1;
    h->reserved_to = (long long)st.st_size + need;
    return 0;
}

struct h5out *h5parts_join(const char *path, int force, const struct h5_part *parts, int n,
                           int adopt, char *err, size_t errlen)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    struct h5out *h = calloc(1, sizeof *h);
    if (!h || n < 1) {
        snprintf(err, errlen, n < 1 ? "no parts to join" : "out of memory");
        free(h);
        return NULL;
    }
    if (text_fmt(h->final, sizeof h->final, "%s", path) ||
        text_fmt(h->part, sizeof h->part, "%s.part", path)) {
        snprintf(err, errlen, "output path too long");
        free(h);
        return NULL;
    }
    if (!force && access(path, F_OK) == 0) {
        text_fmt(err, errlen, "%s exists; use --force to overwrite it", path);
        free(h);
        return NULL;
    }
    if (same_types(parts, n, err, errlen)) {
        free(h);
        return NULL;
    }
    h->force = force;
    errno = 0;
    if (adopt && copy_file(parts[0].path, h->part) != 0) {
        int e = errno;
        unlink(h->part);
        text_fmt(err, errlen, "cannot create %s: %s", h->part,
                 e == ENOSPC ? "no space left on device" : strerror(e));
        free(h);
        return NULL;
    }
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V110);
    errno = 0;
    if (adopt)   /* the copy of the first part becomes the file: its rows are not re-encoded */
        h->file = H5Fopen(h->part, H5F_ACC_RDWR, fapl);
    else
        h->file = H5Fcreate(h->part, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    if (h->file < 0) {
        text_fmt(err, errlen, "cannot create %s: %s", h->part, errno ? strerror(errno) : "HDF5 error");
        unlink(h->part);
        free(h);
        return NULL;
    }
    if (reserve(h, parts, n, adopt, err, errlen)) {
        h5out_abort(h);
        return NULL;
    }
    h->str_t = make_str(NAME_LEN);
    int rc = h5_xfer_open(h);
    static const char *const copied[] = { "scenarios", "design" };
    if (!rc && !adopt) {
        hid_t first = H5Fopen(parts[0].path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (first < 0 ||
                H5Aiterate2(first, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_attr, &h->file) < 0)
            rc = -1;
        for (size_t i = 0; !rc && i < 2; i++)
            if (H5Lexists(first, copied[i], H5P_DEFAULT) > 0 &&
                    H5Ocopy(first, copied[i], h->file, copied[i], H5P_DEFAULT, H5P_DEFAULT) < 0)
                rc = -1;
        for (size_t i = 0; !rc && i < NJOINED; i++)
            if (H5Lexists(first, joined[i], H5P_DEFAULT) > 0 &&
                    H5Ocopy(first, joined[i], h->file, joined[i], H5P_DEFAULT, H5P_DEFAULT) < 0)
                rc = -1;
        if (first >= 0)
            H5Fclose(first);
    }
    char what[4400] = "cannot join the parts";
    for (int p = 1; !rc && p < n; p++) {
        hid_t f = H5Fopen(parts[p].path, H5F_ACC_RDONLY, H5P_DEFAULT);
        for (size_t i = 0; f >= 0 && !rc && i < NJOINED; i++)
            if (H5Lexists(f, joined[i], H5P_DEFAULT) > 0 &&
                    append_rows(f, h->file, h->xfer, joined[i])) {
                text_fmt(what, sizeof what, "cannot join /%s of %s (damaged, or no room to "
                         "write it)", joined[i], parts[p].path);
                rc = -1;
            }
        if (f < 0) {
            text_fmt(what, sizeof what, "cannot open %s", parts[p].path);
            rc = -1;
        } else {
            H5Fclose(f);
        }
    }
    int whole = parts[0].first == 0 && parts[n - 1].end == parts[0].total;
    /* the root attributes the parts differ in: those of the whole */
    rc = rc || attr_count(h->file, "task_first", parts[0].first)
            || attr_count(h->file, "task_end", parts[n - 1].end)
            || attr_str(h->file, "shard", whole ? "" : parts[0].shard);
    if (!rc && adopt && H5Lexists(h->file, "summary", H5P_DEFAULT) > 0 &&
            H5Ldelete(h->file, "summary", H5P_DEFAULT) < 0)
        rc = -1;   /* a part's /summary is empty: the whole's is written next */
    uint64_t units = parts[0].replications ? parts[0].total / parts[0].replications : 0;
    rc = rc || table_create(h, &h->tab[T_SUMMARY], "summary", summary_type(h->str_t), 1,
                            units * kpi_count);
    if (rc) {
        h5fail(h, what);
        text_fmt(err, errlen, "%s", h->err);
        h5out_abort(h);
        return NULL;
    }
    return h;
}
