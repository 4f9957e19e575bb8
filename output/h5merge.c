/* h5merge.c — parts of one run joined into one file: the shards of a Slurm
 * array (`incubsim merge`) and a run's own crash-safe batches. Tables are
 * copied, not linked (a missing source of a virtual dataset reads back
 * silently as fill values), in task order, so the result is the same bits
 * whatever order the parts are given in. */
#include "h5internal.h"
#include "../sim/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_str(hid_t loc, const char *name, char *out, size_t n)
{
    out[0] = '\0';
    if (H5Aexists(loc, name) <= 0)
        return -1;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT), t = H5Aget_type(a);
    size_t len = H5Tget_size(t);
    char *buf = calloc(1, len + 1);
    int rc = buf && H5Tget_class(t) == H5T_STRING && !H5Tis_variable_str(t) &&
             H5Aread(a, t, buf) >= 0 ? 0 : -1;
    if (!rc)
        rc = text_fmt(out, n, "%s", buf) ? -1 : 0;
    free(buf);
    H5Tclose(t);
    H5Aclose(a);
    return rc;
}

static int read_u64(hid_t loc, const char *name, uint64_t *v)
{
    if (H5Aexists(loc, name) <= 0)
        return -1;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    int rc = H5Aread(a, H5T_NATIVE_UINT64, v) < 0 ? -1 : 0;
    H5Aclose(a);
    return rc;
}

int h5part_read(const char *path, struct h5_part *p, char *err, size_t errlen)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    memset(p, 0, sizeof *p);
    if (text_fmt(p->path, sizeof p->path, "%s", path)) {
        snprintf(err, errlen, "path too long");
        return -1;
    }
    if (access(path, R_OK) != 0) {
        text_fmt(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        text_fmt(err, errlen, "%s: not an HDF5 file, or damaged", path);
        return -1;
    }
    int rc = read_str(f, "incubsim_version", p->version, sizeof p->version)
          || read_str(f, "command", p->command, sizeof p->command)
          || read_str(f, "design_sha256", p->design, sizeof p->design)
          || read_str(f, "summary_baseline", p->baseline, sizeof p->baseline)
          || read_str(f, "shard", p->shard, sizeof p->shard)
          || read_str(f, "scenario_sha256", p->scenarios, sizeof p->scenarios)
          || read_u64(f, "master_seed", &p->seed)
          || read_u64(f, "replications", &p->replications)
          || read_u64(f, "records", &p->records)
          || read_u64(f, "task_first", &p->first)
          || read_u64(f, "task_end", &p->end)
          || read_u64(f, "task_total", &p->total)
          || H5Lexists(f, "runs", H5P_DEFAULT) <= 0 || H5Lexists(f, "scenarios", H5P_DEFAULT) <= 0;
    H5Fclose(f);
    if (rc)
        text_fmt(err, errlen, "%s: not a results file of this incubsim version (no task range "
                 "or run identity)", path);
    return rc ? -1 : 0;
}

/* The first scenario whose hash differs between two "name=sha;..." lists. */
static void scenario_diff(const char *a, const char *b, char *out, size_t n)
{
    char x[2048], y[2048];
    snprintf(x, sizeof x, "%s", a);
    snprintf(y, sizeof y, "%s", b);
    char *sx, *sy, *tx = strtok_r(x, ";", &sx), *ty = strtok_r(y, ";", &sy);
    while (tx || ty) {
        if (!tx || !ty || strcmp(tx, ty) != 0) {
            const char *t = tx ? tx : ty;
            const char *eq = strchr(t, '=');
            text_fmt(out, n, "the settings of scenario \"%.*s\"", eq ? (int)(eq - t) : (int)strlen(t), t);
            return;
        }
        tx = strtok_r(NULL, ";", &sx);
        ty = strtok_r(NULL, ";", &sy);
    }
    text_fmt(out, n, "the scenarios");
}

int h5part_same_run(const struct h5_part *a, const struct h5_part *b, char *why, size_t n)
{
    char what[200] = "";
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
        text_fmt(what, sizeof what, "--baseline (\"%s\", \"%s\")", a->baseline, b->baseline);
    else
        return 0;
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

/* Appends every row of src's table `name` to dst's (which has its type). */
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
    free(buf);
    H5Sclose(sps);
    H5Sclose(spd);
    H5Tclose(t);
    H5Dclose(ds);
    H5Dclose(dd);
    return rc;
}

static herr_t copy_attr(hid_t loc, const char *name, const H5A_info_t *info, void *dst)
{
    (void)info;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT), t = H5Aget_type(a), sp = H5Aget_space(a);
    size_t size = H5Tget_size(t) * (size_t)H5Sget_simple_extent_npoints(sp);
    char *buf = malloc(size ? size : 1);
    herr_t rc = -1;
    if (buf && H5Aread(a, t, buf) >= 0)
        rc = attr_write(*(hid_t *)dst, name, t, sp, buf);
    free(buf);
    H5Sclose(sp);
    H5Tclose(t);
    H5Aclose(a);
    return rc;
}

struct h5out *h5out_merge(const char *path, int force, const struct h5_part *parts, int n,
                          int adopt, char *err, size_t errlen)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    struct h5out *h = calloc(1, sizeof *h);
    if (!h || n < 1) {
        snprintf(err, errlen, n < 1 ? "no parts to merge" : "out of memory");
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
    h->force = force;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V110);
    errno = 0;
    if (adopt) {   /* the first part becomes the file: its rows are not copied */
        h->file = rename(parts[0].path, h->part) == 0
                  ? H5Fopen(h->part, H5F_ACC_RDWR, fapl) : -1;
    } else {
        h->file = H5Fcreate(h->part, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    }
    H5Pclose(fapl);
    if (h->file < 0) {
        text_fmt(err, errlen, "cannot create %s: %s", h->part, errno ? strerror(errno) : "HDF5 error");
        free(h);
        return NULL;
    }
    h->str_t = make_str(NAME_LEN);
    int rc = h5_xfer_open(h);
    static const char *const copied[] = { "scenarios", "design" };
    static const char *const joined[] = { "runs", "carriers", "timeseries", "projects" };
    if (!rc && !adopt) {
        hid_t first = H5Fopen(parts[0].path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (first < 0 ||
                H5Aiterate2(first, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_attr, &h->file) < 0)
            rc = -1;
        for (size_t i = 0; !rc && i < 2; i++)
            if (H5Lexists(first, copied[i], H5P_DEFAULT) > 0 &&
                    H5Ocopy(first, copied[i], h->file, copied[i], H5P_DEFAULT, H5P_DEFAULT) < 0)
                rc = -1;
        for (size_t i = 0; !rc && i < 4; i++)
            if (H5Lexists(first, joined[i], H5P_DEFAULT) > 0 &&
                    H5Ocopy(first, joined[i], h->file, joined[i], H5P_DEFAULT, H5P_DEFAULT) < 0)
                rc = -1;
        if (first >= 0)
            H5Fclose(first);
    }
    for (int p = 1; !rc && p < n; p++) {
        hid_t f = H5Fopen(parts[p].path, H5F_ACC_RDONLY, H5P_DEFAULT);
        for (size_t i = 0; f >= 0 && !rc && i < 4; i++)
            if (H5Lexists(f, joined[i], H5P_DEFAULT) > 0 && append_rows(f, h->file, h->xfer, joined[i]))
                rc = -1;
        if (f < 0)
            rc = -1;
        else
            H5Fclose(f);
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
        errno = 0;
        h5fail(h, "cannot join the parts");
        text_fmt(err, errlen, "%s", h->err);
        h5out_abort(h);
        return NULL;
    }
    return h;
}

/* /runs rows as read back: the head, status and KPIs. */
struct back_row {
    char     scenario[NAME_LEN];
    uint32_t point, replication;
    int32_t  status;
    struct kpi kpi;
};

int h5in_each_run(const char *path,
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
        for (hsize_t i = 0; !rc && i < count; i++)
            rc = fn(ctx, rows[i].scenario, rows[i].point, rows[i].replication,
                    rows[i].status ? NULL : &rows[i].kpi);
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
