/* h5out.c — HDF5 tables; see h5out.h, and output/columns.c for what each
 * column means (written into every file, printed by `incubsim schema`).
 *
 * Compression (measured with `make bench`, see README): the per-run tables
 * (/runs, /carriers, /summary, /timeseries) are small next to the run itself
 * and take shuffle + gzip level 1; /projects, one row per project, is the
 * only table whose size follows the event count, and stays uncompressed so
 * that --records costs a small fraction of the run (gzip-1 costs ~1 us a row
 * here, more than the model spends on a project). For the same reason its
 * name columns (scenario, source, sector, carrier_*) are strings only as wide
 * as the file's longest name of each kind, rounded to 8 bytes: the same
 * names as /carriers holds, so the tables join, in a row of ~200 bytes. */
#include "h5internal.h"
#include "columns.h"
#include "decision.h"
#include "sha256.h"
#include "../sim/text.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <libconfig.h>
#include <gsl/gsl_version.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

struct run_row {
    char     scenario[NAME_LEN];
    uint32_t point, replication;
    double   seed, events;        /* float64: exact to 2^53, which every reader holds */
    double   wall_seconds;
    int32_t  status;              /* RUN_OK, RUN_FAILED: then every KPI is NaN */
    char     reason[REASON_LEN];  /* why it failed; "" when ok */
    struct kpi kpi;
};

static const char *const status_names[] = { "ok", "failed" };

struct carrier_row {
    char     scenario[NAME_LEN];
    uint32_t point, replication;
    char     carrier[NAME_LEN];
    int32_t  stage;
    struct carrier_result res;
};

struct ts_out_row {
    char     scenario[NAME_LEN];
    uint32_t point, replication;
    struct ts_row row;
};

/* A /projects row is its names (scenario, source, sector, carrier_pre,
 * carrier_acc, carrier_ind: strings as wide as h->name_len says), then this. */
struct project_out_row {
    double   project;           /* float64, exact to 2^53 */
    uint32_t point, replication;
    int16_t  outcome, zero[3];  /* zero: fills what would be padding, so no stray bytes
                                   reach the file */
    double   quality, score, t_arrive, t_pre, t_acc, t_land, t_end;
    double   money[4];          /* the instruments that pay a project: see project_money */
    double   private_round;
};

_Static_assert(offsetof(struct project_out_row, quality) == 24, "no padding before the doubles");

static const enum instrument project_money[4] = { INSTR_GRANT, INSTR_VOUCHER, INSTR_FUND, INSTR_AWARD };

struct summary_row {
    char     scenario[NAME_LEN];
    uint32_t point;
    char     kpi[NAME_LEN], baseline[NAME_LEN];
    double   mean, sd, ci_low, ci_high, n, diff_mean, diff_ci_low, diff_ci_high, diff_n;
};

struct scenario_row {
    int32_t index;
    char    name[NAME_LEN];
    char   *config;
    char    config_sha256[65];
    double  warmup;               /* years: the warm-up used */
    char    warmup_rule[24];      /* "setting", "MSER", "setting (MSER refused)" */
};

int h5fail(struct h5out *h, const char *what)
{
    int e = errno;
    h->failed = 1;
    text_fmt(h->err, sizeof h->err, "%s: %s%s%s", h->part, what,
             e == ENOSPC ? ": no space left on device" : e == EDQUOT ? ": disk quota exceeded" : "",
             e == ENOSPC || e == EDQUOT ? "" : " (HDF5 error)");
    return -1;
}

/* ---- types ----------------------------------------------------------------- */

hid_t make_str(size_t len)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, len);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* names[i] numbered i + ENUM_BASE (h5internal.h: why from 1). */
static hid_t make_enum(const char *const *names, int n)
{
    hid_t t = H5Tenum_create(H5T_NATIVE_INT32);
    for (int32_t i = 0; i < n; i++) {
        int32_t v = i + ENUM_BASE;
        H5Tenum_insert(t, names[i], &v);
    }
    return t;
}

/* The distinct names of one kind; name_code gives a name's place. */
struct names16 { const char *name[SC_MAX_CARRIERS * 4 + 1]; int n; };

static int16_t name_code(struct names16 *u, const char *name)
{
    for (int i = 0; i < u->n; i++)
        if (strcmp(u->name[i], name) == 0)
            return (int16_t)i;
    u->name[u->n] = name;
    return (int16_t)u->n++;
}

#define ADD(t, T, f, ty) H5Tinsert(t, #f, HOFFSET(T, f), ty)

static void add_head(hid_t t, hid_t str, size_t off_scen, size_t off_point, size_t off_rep)
{
    H5Tinsert(t, "scenario", off_scen, str);
    H5Tinsert(t, "point", off_point, H5T_NATIVE_UINT32);
    if (off_rep != (size_t)-1)
        H5Tinsert(t, "replication", off_rep, H5T_NATIVE_UINT32);
}

static hid_t run_type(hid_t str, hid_t status_t)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(struct run_row)), reason = make_str(REASON_LEN);
    add_head(t, str, HOFFSET(struct run_row, scenario), HOFFSET(struct run_row, point),
             HOFFSET(struct run_row, replication));
    ADD(t, struct run_row, seed, H5T_NATIVE_DOUBLE);
    ADD(t, struct run_row, events, H5T_NATIVE_DOUBLE);
    ADD(t, struct run_row, wall_seconds, H5T_NATIVE_DOUBLE);
    ADD(t, struct run_row, status, status_t);
    ADD(t, struct run_row, reason, reason);
    H5Tclose(reason);
    for (size_t i = 0; i < kpi_count; i++)
        H5Tinsert(t, kpi_descs[i].name, HOFFSET(struct run_row, kpi) + kpi_descs[i].offset,
                  H5T_NATIVE_DOUBLE);
    return t;
}

static hid_t carrier_type(hid_t str, hid_t stage_t)
{
    typedef struct carrier_row R;
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(R));
    add_head(t, str, HOFFSET(R, scenario), HOFFSET(R, point), HOFFSET(R, replication));
    ADD(t, R, carrier, str);
    ADD(t, R, stage, stage_t);
#define RES(f) H5Tinsert(t, #f, HOFFSET(R, res) + offsetof(struct carrier_result, f), H5T_NATIVE_DOUBLE)
    RES(arrivals); RES(served); RES(balked); RES(mean_wait); RES(mean_queue);
    RES(utilisation); RES(mean_sojourn); RES(capacity_end);
#undef RES
    return t;
}

static const char *const stage_short[STAGE_COUNT] = { "pre", "acc", "ind" };

static hid_t ts_type(hid_t str)
{
    typedef struct ts_out_row R;
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(R));
    add_head(t, str, HOFFSET(R, scenario), HOFFSET(R, point), HOFFSET(R, replication));
#define ROW(f) (HOFFSET(R, row) + offsetof(struct ts_row, f))
    H5Tinsert(t, "t", ROW(t), H5T_NATIVE_DOUBLE);
    char name[64];
    for (int s = 0; s < STAGE_COUNT; s++) {
        snprintf(name, sizeof name, "occupancy_%s", stage_short[s]);
        H5Tinsert(t, name, ROW(occupancy) + (size_t)s * sizeof(double), H5T_NATIVE_DOUBLE);
        snprintf(name, sizeof name, "queue_%s", stage_short[s]);
        H5Tinsert(t, name, ROW(queue) + (size_t)s * sizeof(double), H5T_NATIVE_DOUBLE);
    }
    H5Tinsert(t, "landed_cum", ROW(landed_cum), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "firms", ROW(firms), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "jobs", ROW(jobs), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "public_spend_cum", ROW(public_spend_cum), H5T_NATIVE_DOUBLE);
#undef ROW
    return t;
}

/* Where /projects' name columns sit in a row: scenario, source, sector,
 * then carrier_pre, _acc, _ind (col 3..5); the struct follows them. */
static size_t project_name_at(const struct h5out *h, int col)
{
    size_t at[6];
    at[0] = 0;
    at[1] = h->scen_len;
    at[2] = at[1] + h->name_len[0];
    at[3] = at[2] + h->name_len[1];
    at[4] = at[3] + h->name_len[2];
    at[5] = at[4] + h->name_len[2];
    return at[col];
}

static size_t project_struct_at(const struct h5out *h)
{
    return h->scen_len + h->name_len[0] + h->name_len[1] + STAGE_COUNT * h->name_len[2];
}

static hid_t project_type(const struct h5out *h)
{
    typedef struct project_out_row R;
    size_t off = project_struct_at(h);
    hid_t t = H5Tcreate(H5T_COMPOUND, off + sizeof(R));
    hid_t str[4] = { make_str(h->scen_len), make_str(h->name_len[0]), make_str(h->name_len[1]),
                     make_str(h->name_len[2]) };
    add_head(t, str[0], 0, off + HOFFSET(R, point), off + HOFFSET(R, replication));
#undef ADD
#define ADD(t, T, f, ty) H5Tinsert(t, #f, off + HOFFSET(T, f), ty)
    ADD(t, R, project, H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "source", project_name_at(h, 1), str[1]);
    H5Tinsert(t, "sector", project_name_at(h, 2), str[2]);
    char name[64];
    for (int s = 0; s < STAGE_COUNT; s++) {
        snprintf(name, sizeof name, "carrier_%s", stage_short[s]);
        H5Tinsert(t, name, project_name_at(h, 3 + s), str[3]);
    }
    ADD(t, R, outcome, h->outcome_t);
    ADD(t, R, quality, H5T_NATIVE_DOUBLE);
    ADD(t, R, score, H5T_NATIVE_DOUBLE);
    ADD(t, R, t_arrive, H5T_NATIVE_DOUBLE);
    ADD(t, R, t_pre, H5T_NATIVE_DOUBLE);
    ADD(t, R, t_acc, H5T_NATIVE_DOUBLE);
    ADD(t, R, t_land, H5T_NATIVE_DOUBLE);
    ADD(t, R, t_end, H5T_NATIVE_DOUBLE);
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "money_%s", instrument_names[project_money[i]]);
        H5Tinsert(t, name, off + HOFFSET(R, money) + (size_t)i * sizeof(double), H5T_NATIVE_DOUBLE);
    }
    ADD(t, R, private_round, H5T_NATIVE_DOUBLE);
#undef ADD
#define ADD(t, T, f, ty) H5Tinsert(t, #f, HOFFSET(T, f), ty)
    for (int i = 0; i < 4; i++)
        H5Tclose(str[i]);
    return t;
}

hid_t summary_type(hid_t str)
{
    typedef struct summary_row R;
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(R));
    add_head(t, str, HOFFSET(R, scenario), HOFFSET(R, point), (size_t)-1);
    ADD(t, R, kpi, str);
    ADD(t, R, mean, H5T_NATIVE_DOUBLE);
    ADD(t, R, sd, H5T_NATIVE_DOUBLE);
    ADD(t, R, ci_low, H5T_NATIVE_DOUBLE);
    ADD(t, R, ci_high, H5T_NATIVE_DOUBLE);
    ADD(t, R, n, H5T_NATIVE_DOUBLE);
    ADD(t, R, baseline, str);
    ADD(t, R, diff_mean, H5T_NATIVE_DOUBLE);
    ADD(t, R, diff_ci_low, H5T_NATIVE_DOUBLE);
    ADD(t, R, diff_ci_high, H5T_NATIVE_DOUBLE);
    ADD(t, R, diff_n, H5T_NATIVE_DOUBLE);
    return t;
}

static hid_t scenario_type(hid_t str)
{
    typedef struct scenario_row R;
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(R));
    hid_t vstr = H5Tcopy(H5T_C_S1), hex = make_str(65), rule = make_str(24);
    H5Tset_size(vstr, H5T_VARIABLE);
    H5Tset_cset(vstr, H5T_CSET_UTF8);
    ADD(t, R, index, H5T_NATIVE_INT32);
    ADD(t, R, name, str);
    ADD(t, R, config, vstr);
    ADD(t, R, config_sha256, hex);
    ADD(t, R, warmup, H5T_NATIVE_DOUBLE);
    ADD(t, R, warmup_rule, rule);
    H5Tclose(vstr);
    H5Tclose(hex);
    H5Tclose(rule);
    return t;
}

/* ---- attributes ------------------------------------------------------------ */

int attr_write(hid_t loc, const char *name, hid_t type, hid_t space, const void *v)
{
    if (H5Aexists(loc, name) > 0 && H5Adelete(loc, name) < 0)
        return -1;
    hid_t a = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a < 0 || H5Awrite(a, type, v) < 0 ? -1 : 0;
    if (a >= 0) H5Aclose(a);
    return rc;
}

int attr_str(hid_t loc, const char *name, const char *value)
{
    hid_t t = make_str(strlen(value) + 1), sp = H5Screate(H5S_SCALAR);
    int rc = attr_write(loc, name, t, sp, value);
    H5Sclose(sp);
    H5Tclose(t);
    return rc;
}

/* A scalar numeric attribute of the given native type. */
static int attr_num(hid_t loc, const char *name, hid_t type, const void *v)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    int rc = attr_write(loc, name, type, sp, v);
    H5Sclose(sp);
    return rc;
}

/* A whole number as float64: exact to 2^53, and read as it is by R (rhdf5
 * turns a 64-bit integer over 2^31 into NA) and by every other reader. */
int attr_count(hid_t loc, const char *name, uint64_t v)
{
    double d = (double)v;
    return attr_num(loc, name, H5T_NATIVE_DOUBLE, &d);
}

int attr_strings(hid_t loc, const char *name, const char *const *v, size_t n)
{
    hsize_t dim = n;
    hid_t t = H5Tcopy(H5T_C_S1), sp = H5Screate_simple(1, &dim, NULL);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    int rc = attr_write(loc, name, t, sp, v);
    H5Sclose(sp);
    H5Tclose(t);
    return rc;
}

/* The table's documentation (output/columns.c) as its attributes:
 * `description`, and per field in order `columns`, `units`, `descriptions`.
 * A field without documentation is a bug: the write fails, naming it. */
static int document_table(struct h5out *h, hid_t dset, const char *table, hid_t type)
{
    int n = H5Tget_nmembers(type);
    const char *doc = columns_table_doc(table);
    if (n < 0 || !doc)
        return -1;
    const char **cols = calloc((size_t)n * 3 + 1, sizeof *cols);
    char **names = calloc((size_t)n + 1, sizeof *names);   /* HDF5's, kept until written */
    struct column_doc *scratch = calloc((size_t)n + 1, sizeof *scratch);
    int rc = cols && names && scratch ? 0 : -1;
    for (int i = 0; i < n && !rc; i++) {
        names[i] = H5Tget_member_name(type, (unsigned)i);
        const struct column_doc *c = names[i] ? columns_find(table, names[i], &scratch[i]) : NULL;
        if (!c) {
            text_fmt(h->err, sizeof h->err, "internal error: column %s of /%s is not documented "
                     "(output/columns.c)", names[i] ? names[i] : "?", table);
            rc = -2;
        } else {
            cols[i] = c->name;
            cols[n + i] = c->unit;
            cols[2 * n + i] = c->doc;
        }
    }
    if (!rc)
        rc = attr_str(dset, "description", doc) || attr_strings(dset, "columns", cols, (size_t)n)
             || attr_strings(dset, "units", cols + n, (size_t)n)
             || attr_strings(dset, "descriptions", cols + 2 * n, (size_t)n) ? -1 : 0;
    for (int i = 0; names && i < n; i++)
        H5free_memory(names[i]);
    free(names);
    free(cols);
    free(scratch);
    return rc;
}

int attr_f64(hid_t loc, const char *name, double v)
{
    return attr_num(loc, name, H5T_NATIVE_DOUBLE, &v);
}

/* ---- tables ---------------------------------------------------------------- */

int table_create(struct h5out *h, struct table *t, const char *name, hid_t mtype, int compress,
                 uint64_t expect)
{
    memset(t, 0, sizeof *t);
    t->dset = -1;
    t->mtype = mtype;
    t->compressed = compress;
    t->rowsize = H5Tget_size(mtype);
    t->chunk_rows = CHUNK_BYTES / t->rowsize;
    if (t->chunk_rows < 1) t->chunk_rows = 1;
    if (!compress && t->chunk_rows > 4096) t->chunk_rows = 4096;
    if (expect > 0 && expect < t->chunk_rows)
        t->chunk_rows = expect < CHUNK_MIN_ROWS ? CHUNK_MIN_ROWS : (size_t)expect;
    t->buf = malloc(t->chunk_rows * t->rowsize);
    if (!t->buf)
        return h5fail(h, "out of memory");
    hsize_t dim = 0, maxdim = H5S_UNLIMITED, chunk = t->chunk_rows;
    hid_t sp = H5Screate_simple(1, &dim, &maxdim);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, &chunk);
    if (compress) {
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, 1);
    }
    /* rows come in order and a chunk, once left, is never written again:
     * a cache of one chunk, not 1 MiB of them (each zeroed on first use) */
    hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
    H5Pset_chunk_cache(dapl, 11, t->chunk_rows * t->rowsize, 1.0);
    t->dset = H5Dcreate2(h->file, name, mtype, sp, H5P_DEFAULT, dcpl, dapl);
    H5Pclose(dapl);
    H5Pclose(dcpl);
    H5Sclose(sp);
    int doc = t->dset < 0 ? -1 : document_table(h, t->dset, name, mtype);
    if (doc == -2)
        return -1;
    if (doc)
        return h5fail(h, "cannot create a table");
    return 0;
}

static int table_flush(struct h5out *h, struct table *t)
{
    if (t->nbuf == 0)
        return 0;
    hsize_t start = t->nrows, count = t->nbuf, size = t->nrows + t->nbuf;
    if (H5Dset_extent(t->dset, &size) < 0)
        return h5fail(h, "cannot extend a table");
    herr_t rc;
    errno = 0;
    if (!t->compressed && t->nbuf == t->chunk_rows && start % t->chunk_rows == 0) {
        /* a whole uncompressed chunk: straight to the file, no copy into the
         * chunk cache (the memory layout is the file's) */
        rc = H5Dwrite_chunk(t->dset, H5P_DEFAULT, 0, &start, t->nbuf * t->rowsize, t->buf);
    } else {
        hid_t fsp = H5Dget_space(t->dset);
        hid_t msp = H5Screate_simple(1, &count, NULL);
        H5Sselect_hyperslab(fsp, H5S_SELECT_SET, &start, NULL, &count, NULL);
        rc = H5Dwrite(t->dset, t->mtype, msp, fsp, h->xfer, t->buf);
        H5Sclose(msp);
        H5Sclose(fsp);
    }
    if (rc < 0)
        return h5fail(h, "write failed");
    t->nrows = size;
    t->nbuf = 0;
    return 0;
}

/* Counts a row written in place at t->buf + t->nbuf * t->rowsize. */
static int table_row_added(struct h5out *h, struct table *t)
{
    if (++t->nbuf == t->chunk_rows)
        return table_flush(h, t);
    return 0;
}

static int table_append(struct h5out *h, struct table *t, const void *row)
{
    memcpy(t->buf + t->nbuf * t->rowsize, row, t->rowsize);
    return table_row_added(h, t);
}

/* Closes a table; a failed file's dataset is left open (h5internal.h: `failed`). */
static void table_close(struct table *t, int failed)
{
    if (t->dset > 0 && !failed) H5Dclose(t->dset);
    if (t->mtype > 0) H5Tclose(t->mtype);
    free(t->buf);
    memset(t, 0, sizeof *t);
}

static void free_names(struct h5out *h)
{
    for (int i = 0; i < 3; i++) {
        free(h->names[i]);
        h->names[i] = NULL;
    }
    free(h->codes);
    h->codes = NULL;
}

int h5_xfer_open(struct h5out *h)
{
    for (int i = 0; i < 2; i++)
        if (!(h->xfer_buf[i] = malloc(XFER_BYTES)))
            return h5fail(h, "out of memory");
    h->xfer = H5Pcreate(H5P_DATASET_XFER);
    if (h->xfer < 0 || H5Pset_buffer(h->xfer, XFER_BYTES, h->xfer_buf[0], h->xfer_buf[1]) < 0)
        return h5fail(h, "cannot set up writing");
    return 0;
}

int close_all(struct h5out *h)
{
    for (int i = 0; i < T_COUNT; i++)
        table_close(&h->tab[i], h->failed);
    if (h->xfer > 0)
        H5Pclose(h->xfer);
    h->xfer = 0;
    for (int i = 0; i < 2; i++) {
        free(h->xfer_buf[i]);
        h->xfer_buf[i] = NULL;
    }
    hid_t *types[] = { &h->str_t, &h->stage_t, &h->outcome_t, &h->status_t };
    for (int i = 0; i < 4; i++) {
        if (*types[i] > 0) H5Tclose(*types[i]);
        *types[i] = 0;
    }
    free_names(h);
    int rc = h->file > 0 && (h->failed || H5Fclose(h->file) < 0) ? -1 : 0;
    h->file = 0;
    return rc;
}

/* ---- the file -------------------------------------------------------------- */

static int write_scenario(struct h5out *h, int index, const char *config);

int h5out_set_range(struct h5out *h, uint64_t first, uint64_t end)
{
    if (attr_count(h->file, "task_first", first) || attr_count(h->file, "task_end", end))
        return h5fail(h, "cannot write attributes");
    return 0;
}

/* The most rows a run of any of the scenarios writes to /carriers (0) or
 * /timeseries (1), for their chunks' size; capped at 2^20, beyond which a
 * chunk is CHUNK_BYTES anyway. */
static uint64_t per_run(const struct scenario *const *scs, int n, int samples)
{
    double most = 1;
    for (int i = 0; i < n; i++) {
        const struct scenario *sc = scs[i];
        double k = !samples ? sc->ncarriers
                 : sc->timeseries_step > 0 ? (sc->horizon - sc->warmup) / sc->timeseries_step + 2 : 1;
        most = fmax(most, k);
    }
    return most < 0x1p20 ? (uint64_t)most : (uint64_t)1 << 20;
}

int h5out_become(struct h5out *h, const char *path, int force, uint64_t first, uint64_t end,
                 int whole)
{
    if (h5out_set_range(h, first, end))
        return -1;
    if (whole && attr_str(h->file, "shard", ""))
        return h5fail(h, "cannot write attributes");
    if (text_fmt(h->final, sizeof h->final, "%s", path))
        return h5fail(h, "output path too long");
    h->force = force;
    return 0;
}

static int provenance(struct h5out *h, const struct h5_provenance *p)
{
    char created[64], host[256] = "unknown", libs[128];
    time_t now = time(NULL);
    struct tm tm;
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    gethostname(host, sizeof host - 1);
    unsigned maj, min, rel;
    H5get_libversion(&maj, &min, &rel);
    int rc = attr_str(h->file, "incubsim_version", INCUBSIM_VERSION)
          || attr_str(h->file, "git_commit", INCUBSIM_GIT)
          || attr_str(h->file, "created", created)
          || attr_str(h->file, "command_line", p->command_line ? p->command_line : "")
          || attr_count(h->file, "master_seed", p->master_seed)
          || attr_count(h->file, "replications", p->replications)
          || attr_str(h->file, "host", host)
          || attr_str(h->file, "gsl_version", GSL_VERSION);
    snprintf(libs, sizeof libs, "%d.%d.%d", LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR,
             LIBCONFIG_VER_REVISION);
    rc = rc || attr_str(h->file, "libconfig_version", libs);
    snprintf(libs, sizeof libs, "%u.%u.%u", maj, min, rel);
    rc = rc || attr_str(h->file, "hdf5_version", libs);
    /* the run's identity, for merge and --resume */
    const struct h5_part *id = p->identity;
    rc = rc || !id || attr_str(h->file, "run_sha256", id->run_sha256)
         || attr_str(h->file, "scenario_sha256", id->scenarios)
         || attr_str(h->file, "command", id->command)
         || attr_str(h->file, "design_sha256", id->design)
         || attr_str(h->file, "summary_baseline", id->baseline)
         || attr_count(h->file, "records", (uint64_t)h->records)
         || attr_count(h->file, "task_first", p->task_first)
         || attr_count(h->file, "task_end", p->task_end)
         || attr_count(h->file, "task_total", p->task_total)
         || attr_str(h->file, "shard", p->shard ? p->shard : "");
    rc = rc || attr_str(h->file, "schema", "tables /scenarios /runs /carriers /timeseries /summary, "
                        "/projects with --records; each documents its columns (attributes columns, "
                        "units, descriptions); `incubsim schema` prints the whole reference");
    return rc ? h5fail(h, "cannot write attributes") : 0;
}

/* /projects' name columns: per kind (source, sector, carrier), the union of
 * every scenario's names, each NUL-padded to the kind's width (the longest
 * name + 1, rounded to 8 bytes), so a row copies a name in one memcpy. A
 * carrier's code 0 is the empty name: the stage never reached. */
static int make_name_lists(struct h5out *h)
{
    struct names16 *u = calloc(3, sizeof *u);
    h->codes = calloc((size_t)h->nscs, sizeof *h->codes);
    if (!u || !h->codes) {
        free(u);
        return h5fail(h, "out of memory");
    }
    name_code(&u[2], "");
    h->scen_len = 8;
    for (int s = 0; s < h->nscs; s++) {
        const struct scenario *sc = h->scs[s];
        size_t w = (strlen(sc->name) + 1 + 7) & ~(size_t)7;
        if (w > h->scen_len)
            h->scen_len = w;
        for (int i = 0; i < sc->nsources; i++)
            h->codes[s].source[i] = name_code(&u[0], sc->sources[i].name);
        for (int i = 0; i < sc->nsectors; i++)
            h->codes[s].sector[i] = name_code(&u[1], sc->sectors[i].name);
        for (int i = 0; i < sc->ncarriers; i++)
            h->codes[s].carrier[i] = name_code(&u[2], sc->carriers[i].name);
    }
    int rc = 0;
    for (int k = 0; k < 3 && !rc; k++) {
        size_t w = 8;
        for (int i = 0; i < u[k].n; i++) {
            size_t need = (strlen(u[k].name[i]) + 1 + 7) & ~(size_t)7;
            if (need > w)
                w = need;
        }
        h->name_len[k] = w;
        h->names[k] = calloc((size_t)(u[k].n ? u[k].n : 1), w);
        if (!h->names[k])
            rc = h5fail(h, "out of memory");
        for (int i = 0; i < u[k].n && !rc; i++)
            memcpy(h->names[k] + (size_t)i * w, u[k].name[i], strlen(u[k].name[i]));
    }
    free(u);
    return rc;
}

struct h5out *h5out_create(const char *path, int force, int records,
                           const struct h5_provenance *prov,
                           const struct scenario *const *scs, const char *const *configs, int n,
                           char *err, size_t errlen)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    struct h5out *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (text_fmt(h->final, sizeof h->final, "%s", path) ||
        text_fmt(h->part, sizeof h->part, "%s.part", path)) {
        snprintf(err, errlen, "output path too long (%zu characters)", strlen(path));
        free(h);
        return NULL;
    }
    h->records = records;
    h->force = force;
    h->scs = scs;
    h->warmup_rules = prov->warmup_rules;
    h->nscs = n;
    if (!force && access(path, F_OK) == 0) {
        snprintf(err, errlen, "%s exists; use --force to overwrite it", path);
        free(h);
        return NULL;
    }
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V110);
    errno = 0;
    h->file = H5Fcreate(h->part, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    if (h->file < 0) {
        snprintf(err, errlen, "cannot create %s: %s", h->part,
                 errno ? strerror(errno) : "HDF5 error");
        free(h);
        return NULL;
    }
    h->str_t = make_str(NAME_LEN);
    h->stage_t = make_enum(stage_names, STAGE_COUNT);
    if (h5_xfer_open(h)) {
        snprintf(err, errlen, "%s", h->err);
        h5out_abort(h);
        return NULL;
    }
    h->outcome_t = make_enum(outcome_names, OUT_COUNT);
    h->status_t = make_enum(status_names, 2);
    uint64_t tasks = prov->task_total, units = prov->replications ? tasks / prov->replications : 0;
    if (make_name_lists(h) || provenance(h, prov)
        || table_create(h, &h->tab[T_SCENARIOS], "scenarios", scenario_type(h->str_t), 1, (uint64_t)n)
        || table_create(h, &h->tab[T_RUNS], "runs", run_type(h->str_t, h->status_t), 1, tasks)
        || table_create(h, &h->tab[T_CARRIERS], "carriers", carrier_type(h->str_t, h->stage_t), 1,
                        tasks * per_run(scs, n, 0))
        || table_create(h, &h->tab[T_TIMESERIES], "timeseries", ts_type(h->str_t), 1,
                        tasks * per_run(scs, n, 1))
        || table_create(h, &h->tab[T_SUMMARY], "summary", summary_type(h->str_t), 1, units * kpi_count)
        || (records && table_create(h, &h->tab[T_PROJECTS], "projects", project_type(h), 0, 0))) {
        snprintf(err, errlen, "%s", h->err);
        h5out_abort(h);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (write_scenario(h, i, configs[i])) {
            snprintf(err, errlen, "%s", h->err);
            h5out_abort(h);
            return NULL;
        }
    return h;
}

const char *h5out_error(const struct h5out *h)
{
    return h->err;
}

static int write_scenario(struct h5out *h, int index, const char *config)
{
    struct scenario_row r = { .index = index, .config = (char *)config,
                              .warmup = h->scs[index]->warmup };
    snprintf(r.name, sizeof r.name, "%s", h->scs[index]->name);
    snprintf(r.warmup_rule, sizeof r.warmup_rule, "%s",
             h->warmup_rules && h->warmup_rules[index] ? h->warmup_rules[index] : "setting");
    sha256_hex(config, strlen(config), r.config_sha256);
    return table_append(h, &h->tab[T_SCENARIOS], &r) || table_flush(h, &h->tab[T_SCENARIOS]) ? -1 : 0;
}

int h5out_ts_row(struct h5out *h, int scenario, uint32_t point, uint32_t rep,
                 const struct ts_row *in)
{
    struct ts_out_row r;
    memset(&r, 0, sizeof r);
    const char *name = h->scs[scenario]->name;   /* < NAME_LEN bytes, checked at load */
    memcpy(r.scenario, name, strlen(name));
    r.point = point;
    r.replication = rep;
    r.row = *in;
    return table_append(h, &h->tab[T_TIMESERIES], &r);
}

int h5out_project_row(struct h5out *h, int scenario, uint32_t point, uint32_t rep,
                      const struct project_row *in)
{
    if (!h->records)
        return 0;
    const struct name_codes *nc = &h->codes[scenario];
    struct project_out_row r;   /* every field set below: no memset on this hot path */
    r.point = point;
    r.replication = rep;
    r.project = (double)in->project;
    r.outcome = (int16_t)(in->outcome + ENUM_BASE);
    r.zero[0] = r.zero[1] = r.zero[2] = 0;
    r.quality = in->quality;
    r.score = in->score;
    r.t_arrive = in->t_arrive;
    r.t_pre = in->t_pre;
    r.t_acc = in->t_acc;
    r.t_land = in->t_land;
    r.t_end = in->t_end;
    for (int i = 0; i < 4; i++)
        r.money[i] = in->money[project_money[i]];
    r.private_round = in->private_round;
    /* the row straight into the chunk buffer: the names (NUL-padded), then r */
    struct table *t = &h->tab[T_PROJECTS];
    char *row = t->buf + t->nbuf * t->rowsize;
    const char *name = h->scs[scenario]->name;
    size_t len = strlen(name), at = h->scen_len;
    memcpy(row, name, len);
    memset(row + len, 0, h->scen_len - len);
    memcpy(row + at, h->names[0] + (size_t)nc->source[in->source] * h->name_len[0], h->name_len[0]);
    at += h->name_len[0];
    memcpy(row + at, h->names[1] + (size_t)nc->sector[in->sector] * h->name_len[1], h->name_len[1]);
    at += h->name_len[1];
    for (int s = 0; s < STAGE_COUNT; s++, at += h->name_len[2]) {
        size_t code = in->carrier[s] >= 0 ? (size_t)nc->carrier[in->carrier[s]] : 0;
        memcpy(row + at, h->names[2] + code * h->name_len[2], h->name_len[2]);
    }
    memcpy(row + at, &r, sizeof r);
    return table_row_added(h, t);
}

static int sink_ts(void *ctx, const struct ts_row *in)
{
    struct h5out *h = ctx;
    return h5out_ts_row(h, h->cur, h->cur_point, h->cur_rep, in);
}

static int sink_project(void *ctx, const struct project_row *in)
{
    struct h5out *h = ctx;
    return h5out_project_row(h, h->cur, h->cur_point, h->cur_rep, in);
}

/* Drops the rows from `to` on: those still in the buffer, and those already
 * flushed (the dataset shrinks back). */
static int table_rollback(struct h5out *h, struct table *t, hsize_t to)
{
    if (t->dset <= 0 || to >= t->nrows + t->nbuf)
        return 0;
    if (to >= t->nrows) {
        t->nbuf = (size_t)(to - t->nrows);
        return 0;
    }
    if (H5Dset_extent(t->dset, &to) < 0)
        return h5fail(h, "cannot shrink a table");
    t->nrows = to;
    t->nbuf = 0;
    return 0;
}

struct h5out_mark h5out_mark(const struct h5out *h)
{
    const struct table *ts = &h->tab[T_TIMESERIES], *pr = &h->tab[T_PROJECTS];
    return (struct h5out_mark){ ts->nrows + ts->nbuf, pr->nrows + pr->nbuf };
}

int h5out_rollback(struct h5out *h, const struct h5out_mark *m)
{
    return table_rollback(h, &h->tab[T_TIMESERIES], m->ts) ||
           table_rollback(h, &h->tab[T_PROJECTS], m->projects) ? -1 : 0;
}

struct model_sink h5out_sink(struct h5out *h, int scenario, uint32_t point, uint32_t rep)
{
    h->cur = scenario;
    h->cur_point = point;
    h->cur_rep = rep;
    return (struct model_sink){ h, sink_ts, h->records ? sink_project : NULL, NULL, NULL };
}

int h5out_run(struct h5out *h, int scenario, uint32_t point, uint32_t rep,
              uint64_t seed, double wall_seconds, const char *failed, const struct run_result *res)
{
    const struct scenario *sc = h->scs[scenario];
    struct run_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.scenario, sizeof r.scenario, "%s", sc->name);
    r.point = point;
    r.replication = rep;
    r.seed = (double)seed;
    r.wall_seconds = wall_seconds;
    r.status = RUN_OK;
    if (failed) {
        r.status = RUN_FAILED;
        snprintf(r.reason, sizeof r.reason, "%s", failed);
        for (size_t k = 0; k < kpi_count; k++)
            *(double *)((char *)&r.kpi + kpi_descs[k].offset) = NAN;
        return table_append(h, &h->tab[T_RUNS], &r);
    }
    r.events = (double)res->events;
    r.kpi = res->kpi;
    if (table_append(h, &h->tab[T_RUNS], &r))
        return -1;
    for (int i = 0; i < res->ncarriers; i++) {
        struct carrier_row cr;
        memset(&cr, 0, sizeof cr);
        memcpy(cr.scenario, r.scenario, NAME_LEN);
        cr.point = point;
        cr.replication = rep;
        snprintf(cr.carrier, sizeof cr.carrier, "%s", sc->carriers[i].name);
        cr.stage = (int32_t)sc->carriers[i].stage + ENUM_BASE;
        cr.res = res->carriers[i];
        if (table_append(h, &h->tab[T_CARRIERS], &cr))
            return -1;
    }
    return 0;
}

/* A whole table written at once (its rows are known when it is written). */
int table_write_all(struct h5out *h, const char *name, hid_t type, const void *rows,
                           hsize_t n)
{
    hsize_t dim = n, chunk = n ? (n < 4096 ? n : 4096) : 1, maxdim = H5S_UNLIMITED;
    hid_t sp = H5Screate_simple(1, &dim, &maxdim), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 1, &chunk);
    H5Pset_shuffle(dcpl);
    H5Pset_deflate(dcpl, 1);
    hid_t d = H5Dcreate2(h->file, name, type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int rc = d < 0 || (n && H5Dwrite(d, type, H5S_ALL, H5S_ALL, h->xfer, rows) < 0) ? -1
             : document_table(h, d, name, type);
    if (d >= 0 && !rc)   /* a failed write's table stays open (h5internal.h: `failed`) */
        H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(sp);
    return rc == -2 ? -1 : rc ? h5fail(h, "cannot write a table") : 0;
}

int h5out_design(struct h5out *h, const char *const *levers, int nlevers, const double *values,
                 uint32_t npoints)
{
    size_t rowsize = 8 + 8 * (size_t)nlevers;   /* point (uint32, padded with zeros), levers */
    hid_t t = H5Tcreate(H5T_COMPOUND, rowsize);
    H5Tinsert(t, "point", 0, H5T_NATIVE_UINT32);
    for (int l = 0; l < nlevers; l++)
        H5Tinsert(t, levers[l], 8 + 8 * (size_t)l, H5T_NATIVE_DOUBLE);
    char *rows = calloc(npoints ? npoints : 1, rowsize);
    if (!rows) {
        H5Tclose(t);
        return h5fail(h, "out of memory");
    }
    for (uint32_t p = 0; p < npoints; p++) {
        memcpy(rows + p * rowsize, &p, sizeof p);
        memcpy(rows + p * rowsize + 8, values + (size_t)p * (size_t)nlevers, 8 * (size_t)nlevers);
    }
    int rc = table_write_all(h, "design", t, rows, npoints);
    free(rows);
    H5Tclose(t);
    return rc;
}

struct sizing_row {
    uint32_t point, n;
    double   value, mean, ci_low, ci_high;
    int32_t  decision;
    int32_t  zero;   /* fills the padding */
    double   share, share_low, share_high;
};

#define SIZE_ROBUST_RULE "a draw of the assumptions meets the target when the KPI's mean over " \
    "its replications does (the same draws and replication streams at every probe); a probe is " \
    "feasible when the share of draws meeting it is >= robust, decided (not undecided) when the " \
    "share's one-sided Wilson bound at `confidence` is on the same side of robust; the answer is " \
    "the smallest feasible grid value found by bisection; answer_boot_low, answer_boot_high: " \
    "2.5% and 97.5% order statistics, over bootstrap resamples of the draws, of the smallest " \
    "probed value whose resampled share is >= robust (inf: not met in range)"

int h5out_sizing(struct h5out *h, const struct h5_sizing *z)
{
    const struct size_result *r = z->result;
    typedef struct sizing_row R;
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(R)), dec = make_enum(size_decision_names, 3);
    ADD(t, R, point, H5T_NATIVE_UINT32);
    ADD(t, R, value, H5T_NATIVE_DOUBLE);
    ADD(t, R, n, H5T_NATIVE_UINT32);
    ADD(t, R, mean, H5T_NATIVE_DOUBLE);
    ADD(t, R, ci_low, H5T_NATIVE_DOUBLE);
    ADD(t, R, ci_high, H5T_NATIVE_DOUBLE);
    ADD(t, R, decision, dec);
    ADD(t, R, share, H5T_NATIVE_DOUBLE);
    ADD(t, R, share_low, H5T_NATIVE_DOUBLE);
    ADD(t, R, share_high, H5T_NATIVE_DOUBLE);
    R rows[sizeof r->probes / sizeof r->probes[0]];
    memset(rows, 0, sizeof rows);
    for (int i = 0; i < r->nprobes; i++) {
        const struct size_probe *p = &r->probes[i];
        rows[i] = (R){ p->point, p->n, p->value, p->mean, p->ci_low, p->ci_high,
                       (int32_t)p->decision + ENUM_BASE, 0, p->share, p->share_low,
                       p->share_high };
    }
    int rc = table_write_all(h, "sizing", t, rows, (hsize_t)r->nprobes);
    H5Tclose(t);
    H5Tclose(dec);
    if (rc)
        return -1;
    hid_t d = H5Dopen2(h->file, "sizing", H5P_DEFAULT);
    rc = d < 0 || attr_str(d, "lever", z->lever) || attr_str(d, "kpi", z->kpi)
         || attr_str(d, "direction", z->at_most ? "at_most" : "at_least")
         || attr_f64(d, "target", z->target) || attr_f64(d, "confidence", z->confidence)
         || attr_f64(d, "tolerance", z->tolerance) || attr_f64(d, "answer", r->answer)
         || attr_f64(d, "answer_low", r->answer_low) || attr_f64(d, "answer_high", r->answer_high)
         || attr_f64(d, "alpha_each", r->alpha_each)
         || attr_count(d, "replications", r->replications)
         || attr_str(d, "status", size_status_names[r->status])
         || (z->cost_kpi && (attr_str(d, "cost_kpi", z->cost_kpi)
                             || attr_str(d, "effect_kpi", z->effect_kpi)
                             || attr_f64(d, "cost_at_answer", z->cost_at_answer)
                             || attr_f64(d, "cost_per_extra_effect", z->cost_per_extra_effect)
                             || attr_f64(d, "cost_per_extra_effect_low", z->cpe_low)
                             || attr_f64(d, "cost_per_extra_effect_high", z->cpe_high)))
         || (r->robust > 0 && (attr_f64(d, "robust", r->robust)
                               || attr_count(d, "draws", r->draws)
                               || attr_count(d, "replications_per_draw", z->reps_per_draw)
                               || attr_str(d, "assumptions", z->assumptions ? z->assumptions
                                                                            : "prior")
                               || attr_f64(d, "share_at_answer", r->share_at_answer)
                               || attr_f64(d, "answer_boot_low", r->boot_low)
                               || attr_f64(d, "answer_boot_high", r->boot_high)
                               || attr_count(d, "bootstrap", r->boot)
                               || attr_str(d, "robust_rule", SIZE_ROBUST_RULE))) ? -1 : 0;
    if (d >= 0)
        H5Dclose(d);
    return rc ? h5fail(h, "cannot write /sizing") : 0;
}

int h5out_sensitivity(struct h5out *h, const struct h5_sensitivity_row *rows, size_t n)
{
    typedef struct h5_sensitivity_row R;
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(R)), s48 = make_str(48), s128 = make_str(128),
          s8 = make_str(8);
    ADD(t, R, kpi, s48);
    ADD(t, R, lever, s128);
    ADD(t, R, method, s8);
    ADD(t, R, measure, s8);
    ADD(t, R, value, H5T_NATIVE_DOUBLE);
    ADD(t, R, ci_low, H5T_NATIVE_DOUBLE);
    ADD(t, R, ci_high, H5T_NATIVE_DOUBLE);
    int rc = table_write_all(h, "sensitivity", t, rows, n);
    H5Tclose(t);
    H5Tclose(s48);
    H5Tclose(s128);
    H5Tclose(s8);
    return rc;
}

/* An enum whose values start at 1 (names[0] unused): R's hdf5r reads an
 * HDF5 enum as a factor only then. */
static hid_t make_enum1(const char *const *names)
{
    hid_t t = H5Tenum_create(H5T_NATIVE_INT32);
    for (int32_t i = 1; names[i]; i++)
        H5Tenum_insert(t, names[i], &i);
    return t;
}

/* The columns in DESIGN.md §9's order, then n and icer_interval. */
struct increments_row {
    char     scenario[NAME_LEN], reference[NAME_LEN];
    int32_t  against;
    char     cost_kpi[NAME_LEN], effect_kpi[NAME_LEN];
    double   delta_cost, delta_cost_low, delta_cost_high;
    double   delta_effect, delta_effect_low, delta_effect_high;
    double   icer, icer_low, icer_high;
    int32_t  status;
    double   net_benefit, net_benefit_low, net_benefit_high;
    uint32_t n;
    int32_t  icer_interval;
};

int h5out_increments(struct h5out *h, const struct decision *dc)
{
    typedef struct increments_row R;
    int with_nb = !isnan(dc->lambda);
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(R)), str = make_str(NAME_LEN),
          st = make_enum1(inc_status_names), ag = make_enum1(inc_against_names),
          ci = make_enum1(inc_ci_names);
    ADD(t, R, scenario, str);
    ADD(t, R, reference, str);
    ADD(t, R, against, ag);
    ADD(t, R, cost_kpi, str);
    ADD(t, R, effect_kpi, str);
    ADD(t, R, delta_cost, H5T_NATIVE_DOUBLE);
    ADD(t, R, delta_cost_low, H5T_NATIVE_DOUBLE);
    ADD(t, R, delta_cost_high, H5T_NATIVE_DOUBLE);
    ADD(t, R, delta_effect, H5T_NATIVE_DOUBLE);
    ADD(t, R, delta_effect_low, H5T_NATIVE_DOUBLE);
    ADD(t, R, delta_effect_high, H5T_NATIVE_DOUBLE);
    ADD(t, R, icer, H5T_NATIVE_DOUBLE);
    ADD(t, R, icer_low, H5T_NATIVE_DOUBLE);
    ADD(t, R, icer_high, H5T_NATIVE_DOUBLE);
    ADD(t, R, status, st);
    if (with_nb) {
        ADD(t, R, net_benefit, H5T_NATIVE_DOUBLE);
        ADD(t, R, net_benefit_low, H5T_NATIVE_DOUBLE);
        ADD(t, R, net_benefit_high, H5T_NATIVE_DOUBLE);
    }
    ADD(t, R, n, H5T_NATIVE_UINT32);
    ADD(t, R, icer_interval, ci);
    R *rows = calloc(dc->nrows ? dc->nrows : 1, sizeof *rows);   /* padding zeroed */
    int rc = rows ? 0 : -1;
    for (size_t i = 0; rows && i < dc->nrows; i++) {
        const struct inc_row *r = &dc->rows[i];
        R *w = &rows[i];
        snprintf(w->scenario, NAME_LEN, "%s", dc->opt[r->option].name);
        snprintf(w->reference, NAME_LEN, "%s", dc->opt[r->versus].name);
        w->against = r->against;
        snprintf(w->cost_kpi, NAME_LEN, "%s", kpi_descs[dc->cost_kpi].name);
        snprintf(w->effect_kpi, NAME_LEN, "%s", kpi_descs[dc->effect_kpi].name);
        w->delta_cost = r->delta_cost;
        w->delta_cost_low = r->delta_cost_low;
        w->delta_cost_high = r->delta_cost_high;
        w->delta_effect = r->delta_effect;
        w->delta_effect_low = r->delta_effect_low;
        w->delta_effect_high = r->delta_effect_high;
        w->icer = r->icer;
        w->icer_low = r->icer_low;
        w->icer_high = r->icer_high;
        w->status = r->status;
        w->net_benefit = r->net_benefit;
        w->net_benefit_low = r->net_benefit_low;
        w->net_benefit_high = r->net_benefit_high;
        w->n = r->n;
        w->icer_interval = r->icer_ci;
    }
    if (!rc)
        rc = table_write_all(h, "increments", t, rows, dc->nrows);
    free(rows);
    H5Tclose(t);
    H5Tclose(str);
    H5Tclose(st);
    H5Tclose(ag);
    H5Tclose(ci);
    if (rc)
        return rows ? -1 : h5fail(h, "out of memory");
    hid_t d = H5Dopen2(h->file, "increments", H5P_DEFAULT);
    rc = d < 0 || attr_str(d, "reference", dc->opt[dc->ref].name)
         || attr_str(d, "reference_status", inc_status_names[dc->ref_status])
         || attr_str(d, "cost_kpi", kpi_descs[dc->cost_kpi].name)
         || attr_str(d, "cost_unit", kpi_descs[dc->cost_kpi].unit)
         || attr_str(d, "effect_kpi", kpi_descs[dc->effect_kpi].name)
         || attr_str(d, "effect_unit", kpi_descs[dc->effect_kpi].unit)
         || attr_str(d, "icer_interval_method", INC_ICER_METHOD)
         || attr_f64(d, "level", 0.95)
         || attr_count(d, "replications", dc->nreps)
         || (with_nb && attr_f64(d, "value_per_effect", dc->lambda)) ? -1 : 0;
    if (d >= 0)
        H5Dclose(d);
    return rc ? h5fail(h, "cannot write /increments") : 0;
}

int h5out_summary(struct h5out *h, const struct summary *s)
{
    for (size_t u = 0; u < s->nunits; u++)
        for (size_t k = 0; k < kpi_count; k++) {
            struct summary_stat st;
            summary_stat(s, u, k, &st);
            struct summary_row r;
            memset(&r, 0, sizeof r);
            memcpy(r.scenario, s->units[u].scenario, NAME_LEN);
            r.point = s->units[u].point;
            snprintf(r.kpi, sizeof r.kpi, "%s", kpi_descs[k].name);
            if (s->baseline >= 0)
                memcpy(r.baseline, s->units[s->baseline].scenario, NAME_LEN);
            r.mean = st.mean; r.sd = st.sd; r.ci_low = st.ci_low; r.ci_high = st.ci_high;
            r.n = st.n;
            r.diff_mean = st.diff_mean; r.diff_ci_low = st.diff_low;
            r.diff_ci_high = st.diff_high; r.diff_n = st.diff_n;
            if (table_append(h, &h->tab[T_SUMMARY], &r))
                return -1;
        }
    return 0;
}

/* Puts the finished file under its name. Without --force, link() then
 * unlink(): atomic, and it fails if the name was taken meanwhile (no race
 * between a check and a rename). With --force, rename() over what is there,
 * which must still be a regular file. */
static int publish(struct h5out *h)
{
    struct stat st;
    if (!h->force) {
        int e = link(h->part, h->final) != 0 ? errno : 0;
        if (e == EPERM || e == ENOTSUP || e == EXDEV) {   /* no hard links here */
            if (access(h->final, F_OK) != 0 && rename(h->part, h->final) == 0)
                return 0;
            e = access(h->final, F_OK) == 0 ? EEXIST : errno;
        }
        errno = e;
        if (e != 0) {
            text_fmt(h->err, sizeof h->err, errno == EEXIST
                     ? "%s appeared while the run went on; the results are not written over it "
                       "(use --force)%.0s" : "cannot create %s: %s", h->final, strerror(errno));
            return -1;
        }
        unlink(h->part);
        return 0;
    }
    if (lstat(h->final, &st) == 0 && !S_ISREG(st.st_mode)) {
        text_fmt(h->err, sizeof h->err, "%s is not a regular file: not replaced", h->final);
        return -1;
    }
    if (rename(h->part, h->final) != 0) {
        text_fmt(h->err, sizeof h->err, "cannot rename %s to %s: %s", h->part, h->final,
                 strerror(errno));
        return -1;
    }
    return 0;
}

int h5out_commit(struct h5out *h, char *err, size_t errlen)
{
    int rc = 0;
    for (int i = 0; i < T_COUNT && !rc; i++)
        if (h->tab[i].dset > 0 && !(rc = table_flush(h, &h->tab[i])) &&
                attr_count(h->tab[i].dset, "rows", h->tab[i].nrows))
            rc = h5fail(h, "cannot write a table");
    if (!rc && H5Fflush(h->file, H5F_SCOPE_GLOBAL) < 0)
        rc = h5fail(h, "flush failed");
    errno = 0;
    if (close_all(h) && !rc)
        rc = h5fail(h, "close failed");
    if (h->reserve_fd > 0) {   /* the space reserved for the join, past its end, given back */
        int fd = h->reserve_fd - 1;
        struct stat st;
        if (fstat(fd, &st) == 0 && st.st_size < h->reserved_to)
            (void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, st.st_size,
                            h->reserved_to - st.st_size);
        close(fd);
        h->reserve_fd = 0;
    }
    if (!rc && publish(h))
        rc = -1;
    if (rc) {
        unlink(h->part);
        snprintf(err, errlen, "%s", h->err);
    }
    free(h);
    return rc;
}

void h5out_abort(struct h5out *h)
{
    if (!h)
        return;
    close_all(h);
    if (h->reserve_fd > 0)
        close(h->reserve_fd - 1);
    unlink(h->part);
    free(h);
}

/* ---- reading --------------------------------------------------------------- */

/* The unit columns of /runs, for the first pass. */
struct unit_row {
    char     scenario[NAME_LEN];
    uint32_t point;
};

/* 0 when every member of `want` is a column of the dataset's type; else -1
 * with the first missing one named. */
static int has_columns(hid_t d, hid_t want, const char *path, char *err, size_t errlen)
{
    hid_t ft = H5Dget_type(d);
    int rc = 0;
    for (int i = 0; !rc && i < H5Tget_nmembers(want); i++) {
        char *name = H5Tget_member_name(want, (unsigned)i);
        if (H5Tget_member_index(ft, name) < 0) {
            text_fmt(err, errlen, "%s: /runs has no column \"%s\" (written by another version "
                     "of incubsim, or not by incubsim)", path, name);
            rc = -1;
        }
        H5free_memory(name);
    }
    H5Tclose(ft);
    return rc;
}

struct base_row {
    uint32_t rep;
    double   v[];
};

static int by_rep(const void *a, const void *b)
{
    uint32_t x = (*(const struct base_row *const *)a)->rep, y = (*(const struct base_row *const *)b)->rep;
    return (x > y) - (x < y);
}

/* The summary of a file's /runs in three streamed passes: the units; the
 * baseline's runs (kept, sorted by replication); then every run folded at
 * once against the baseline's same replication. Memory: the baseline's runs
 * and one tally per unit and KPI, however the rows are ordered. */
int h5in_read_runs(const char *path, const char *baseline, struct summary *s, char *err,
                   size_t errlen)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0) {
        text_fmt(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -3;
    }
    struct stat fst;
    if (stat(path, &fst) != 0 || !S_ISREG(fst.st_mode)) {
        text_fmt(err, errlen, "%s: not a regular file", path);
        return -3;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        text_fmt(err, errlen, "%s: not an HDF5 file, or damaged", path);
        return -3;
    }
    hid_t d = H5Dopen2(f, "runs", H5P_DEFAULT);
    if (d < 0) {
        text_fmt(err, errlen, "%s: no /runs table (not an incubsim results file?)", path);
        H5Fclose(f);
        return -3;
    }
    hid_t str = make_str(NAME_LEN), st = make_enum(status_names, 2), t = run_type(str, st),
          ut = H5Tcreate(H5T_COMPOUND, sizeof(struct unit_row));
    H5Tinsert(ut, "scenario", HOFFSET(struct unit_row, scenario), str);
    H5Tinsert(ut, "point", HOFFSET(struct unit_row, point), H5T_NATIVE_UINT32);
    hid_t fsp = H5Dget_space(d);
    hsize_t n = 0;
    if (H5Sget_simple_extent_ndims(fsp) != 1) {   /* a table is one row per run */
        text_fmt(err, errlen, "%s: /runs is not a one-dimensional table", path);
        H5Sclose(fsp);
        H5Tclose(ut);
        H5Tclose(t);
        H5Tclose(st);
        H5Tclose(str);
        H5Dclose(d);
        H5Fclose(f);
        return -3;
    }
    H5Sget_simple_extent_dims(fsp, &n, NULL);
    enum { BATCH = 4096 };
    struct run_row *rows = malloc(BATCH * sizeof *rows);
    struct base_row **base = NULL;
    size_t nbase = 0, capbase = 0;
    int rc = has_columns(d, t, path, err, errlen) ? -3 : 0;
    if (!rc && !rows) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    int last = -1;   /* the unit of the previous row: rows come grouped */
    for (int pass = 0; pass < 3 && !rc; pass++) {
        for (hsize_t start = 0; start < n && !rc; start += BATCH) {
            hsize_t count = n - start < BATCH ? n - start : BATCH;
            hid_t msp = H5Screate_simple(1, &count, NULL);
            H5Sselect_hyperslab(fsp, H5S_SELECT_SET, &start, NULL, &count, NULL);
            if (H5Dread(d, pass ? t : ut, msp, fsp, H5P_DEFAULT, rows) < 0) {
                text_fmt(err, errlen, "%s: cannot read /runs (damaged file?)", path);
                rc = -3;
            }
            const struct unit_row *units = (const struct unit_row *)rows;
            for (hsize_t i = 0; i < count && !rc; i++) {
                if (pass == 0) {
                    const struct unit_row *r = &units[i];
                    if (last >= 0 && s->units[last].point == r->point &&
                            strncmp(s->units[last].scenario, r->scenario, NAME_LEN) == 0)
                        continue;
                    if ((last = summary_unit(s, r->scenario, r->point)) < 0) {
                        snprintf(err, errlen, "out of memory");
                        rc = -1;
                    }
                    continue;
                }
                const struct run_row *r = &rows[i];
                if (r->status != RUN_OK) {
                    s->failed += pass == 2;
                    continue;
                }
                int u = last;
                if (u < 0 || s->units[u].point != r->point ||
                        strncmp(s->units[u].scenario, r->scenario, NAME_LEN) != 0)
                    last = u = summary_unit(s, r->scenario, r->point);
                if (pass == 1) {   /* the baseline's runs, kept */
                    if (u != s->baseline)
                        continue;
                    if (nbase == capbase) {
                        capbase = capbase ? 2 * capbase : 64;
                        struct base_row **nb = realloc(base, capbase * sizeof *nb);
                        if (!nb) { rc = -1; break; }
                        base = nb;
                    }
                    struct base_row *b = malloc(sizeof *b + kpi_count * sizeof(double));
                    if (!b) { rc = -1; break; }
                    b->rep = r->replication;
                    for (size_t k = 0; k < kpi_count; k++)
                        b->v[k] = kpi_get(&r->kpi, k);
                    base[nbase++] = b;
                    continue;
                }
                struct base_row key = { r->replication }, *kp = &key, **hit = NULL;
                if (nbase && u != s->baseline)
                    hit = bsearch(&kp, base, nbase, sizeof *base, by_rep);
                if (u < 0 || summary_fold_row(s, (size_t)u, r->replication, &r->kpi,
                                              hit ? (*hit)->v : NULL)) {
                    snprintf(err, errlen, "out of memory");
                    rc = -1;
                }
            }
            H5Sclose(msp);
        }
        if (pass == 0 && !rc && summary_set_baseline(s, baseline)) {
            text_fmt(err, errlen, "%s: no scenario \"%s\" to compare with", path, baseline);
            rc = -2;
        }
        if (pass == 1 && !rc)
            qsort(base, nbase, sizeof *base, by_rep);
        if (rc == -1 && !*err)
            snprintf(err, errlen, "out of memory");
    }
    for (size_t i = 0; i < nbase; i++)
        free(base[i]);
    free(base);
    free(rows);
    H5Sclose(fsp);
    H5Tclose(ut);
    H5Tclose(t);
    H5Tclose(st);
    H5Tclose(str);
    H5Dclose(d);
    H5Fclose(f);
    return rc;
}

/* A /design incubsim writes has a point column and at most this many levers
 * (MAX_LEVERS of the experiment file); values are read into memory whole,
 * so a file claiming more than H5IN_DESIGN_MAX_VALUES is refused. */
#define H5IN_DESIGN_MAX_LEVERS 64
#define H5IN_DESIGN_MAX_VALUES ((hsize_t)1 << 27)   /* 1 GiB of doubles */

int h5in_read_design(const char *path, char ***levers, int *nlevers, double **values,
                     uint32_t *npoints, char *err, size_t errlen)
{
    *levers = NULL;
    *values = NULL;
    *nlevers = 0;
    *npoints = 0;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        snprintf(err, errlen, "%s: not an HDF5 file, or damaged", path);
        return -1;
    }
    if (H5Lexists(f, "design", H5P_DEFAULT) <= 0) {
        H5Fclose(f);
        return 0;
    }
    hid_t d = H5Dopen2(f, "design", H5P_DEFAULT);
    hid_t ft = d < 0 ? -1 : H5Dget_type(d), sp = d < 0 ? -1 : H5Dget_space(d), mt = -1;
    int rc = -1, k = 0;
    char **names = NULL;
    double *v = NULL;
    hsize_t n = 0;
    if (d < 0 || ft < 0 || sp < 0) {
        snprintf(err, errlen, "%s: /design is not a dataset", path);
        goto out;
    }
    if (H5Tget_class(ft) != H5T_COMPOUND || H5Sget_simple_extent_ndims(sp) != 1) {
        snprintf(err, errlen, "%s: /design is not a one-dimensional table of a point and its "
                 "levers", path);
        goto out;
    }
    int nm = H5Tget_nmembers(ft);
    H5Sget_simple_extent_dims(sp, &n, NULL);
    k = nm - 1;
    if (k < 1 || k > H5IN_DESIGN_MAX_LEVERS) {
        snprintf(err, errlen, "%s: /design has %d lever columns: incubsim writes 1 to %d", path,
                 k, H5IN_DESIGN_MAX_LEVERS);
        k = 0;
        goto out;
    }
    if (n > UINT32_MAX || n * (hsize_t)k > H5IN_DESIGN_MAX_VALUES) {
        snprintf(err, errlen, "%s: /design claims %llu points of %d levers: more than compare "
                 "reads (%llu values)", path, (unsigned long long)n, k,
                 (unsigned long long)H5IN_DESIGN_MAX_VALUES);
        k = 0;
        goto out;
    }
    names = calloc((size_t)k, sizeof *names);
    v = malloc((size_t)(n ? n : 1) * (size_t)k * sizeof *v);
    mt = H5Tcreate(H5T_COMPOUND, (size_t)k * sizeof(double));   /* one row: its k levers */
    if (!names || !v || mt < 0) {
        snprintf(err, errlen, "%s: out of memory reading /design", path);
        goto out;
    }
    for (int l = 0; l < k; l++) {
        char *name = H5Tget_member_name(ft, (unsigned)l + 1);
        H5T_class_t c = H5Tget_member_class(ft, (unsigned)l + 1);
        names[l] = name ? strdup(name) : NULL;
        herr_t r = name && (c == H5T_FLOAT || c == H5T_INTEGER)
                   ? H5Tinsert(mt, name, (size_t)l * sizeof(double), H5T_NATIVE_DOUBLE) : -1;
        if (name)
            H5free_memory(name);
        if (!names[l] || r < 0) {
            snprintf(err, errlen, "%s: /design column %d is not a named number (or is named "
                     "twice)", path, l + 2);
            goto out;
        }
    }
    if (n && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        snprintf(err, errlen, "%s: cannot read /design", path);
        goto out;
    }
    rc = 1;
out:
    if (rc == 1) {
        *levers = names;
        *values = v;
        *nlevers = k;
        *npoints = (uint32_t)n;
    } else {
        h5in_free_design(names, names ? k : 0, v);
    }
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (d >= 0)
        H5Dclose(d);
    H5Fclose(f);
    return rc;
}

void h5in_free_design(char **levers, int nlevers, double *values)
{
    for (int l = 0; levers && l < nlevers; l++)
        free(levers[l]);
    free(levers);
    free(values);
}
