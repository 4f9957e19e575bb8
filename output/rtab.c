/* rtab.c — a results file's tables read generically (rtab.h). */
#include "rtab.h"

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/text.h"

struct rtab_file {
    hid_t file;
};

struct rtab_file *rtab_open(const char *path, char *err, size_t errlen)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    struct rtab_file *f = malloc(sizeof *f);
    if (!f) {
        text_fmt(err, errlen, "out of memory");
        return NULL;
    }
    f->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f->file < 0) {
        text_fmt(err, errlen, "%s: cannot open it as an HDF5 results file", path);
        free(f);
        return NULL;
    }
    return f;
}

void rtab_close(struct rtab_file *f)
{
    if (!f)
        return;
    H5Fclose(f->file);
    free(f);
}

int rtab_has(struct rtab_file *f, const char *path)
{
    if (H5Lexists(f->file, path + (path[0] == '/'), H5P_DEFAULT) <= 0)
        return 0;
    H5O_info_t info;
    if (H5Oget_info_by_name(f->file, path, &info, H5P_DEFAULT) < 0)
        return 0;
    return info.type == H5O_TYPE_DATASET;
}

void rtab_free(struct rtab *t)
{
    for (int c = 0; t->cols && c < t->ncols; c++) {
        struct rtab_col *col = &t->cols[c];
        free(col->name);
        free(col->unit);
        free(col->num);
        for (size_t i = 0; col->text_v && i < t->nrows; i++)
            free(col->text_v[i]);
        free(col->text_v);
    }
    free(t->cols);
    memset(t, 0, sizeof *t);
}

const struct rtab_col *rtab_col(const struct rtab *t, const char *name)
{
    for (int c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].name, name) == 0)
            return &t->cols[c];
    return NULL;
}

const char *rtab_cell(const struct rtab_col *c, size_t i, char *buf, size_t n)
{
    if (!c)
        return "";
    if (c->text)
        return c->text_v[i];
    snprintf(buf, n, "%.6g", c->num[i]);
    return buf;
}

/* A one-field compound of `mtype` named like the file's member: HDF5 then
 * reads that column alone, converting to mtype. */
static herr_t read_field(hid_t dset, const char *name, hid_t mtype, void *out)
{
    hid_t m = H5Tcreate(H5T_COMPOUND, H5Tget_size(mtype));
    H5Tinsert(m, name, 0, mtype);
    herr_t rc = H5Dread(dset, m, H5S_ALL, H5S_ALL, H5P_DEFAULT, out);
    H5Tclose(m);
    return rc;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
        d[strnlen(d, n)] = '\0';
    }
    return d;
}

/* Reads column `name` (file type ftype) of nrows into col. 0, or -1. */
static int read_column(hid_t dset, const char *name, hid_t ftype, size_t nrows,
                       struct rtab_col *col)
{
    H5T_class_t cls = H5Tget_class(ftype);
    size_t n = nrows ? nrows : 1;
    if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
        col->num = malloc(n * sizeof *col->num);
        return col->num && (!nrows || read_field(dset, name, H5T_NATIVE_DOUBLE, col->num) >= 0)
                   ? 0 : -1;
    }
    col->text = 1;
    col->text_v = calloc(n, sizeof *col->text_v);
    if (!col->text_v)
        return -1;
    int rc = 0;
    if (!nrows)
        return 0;
    if (cls == H5T_STRING && H5Tis_variable_str(ftype) > 0) {
        hid_t m = H5Tcopy(H5T_C_S1);
        H5Tset_size(m, H5T_VARIABLE);
        H5Tset_cset(m, H5Tget_cset(ftype));
        char **v = calloc(n, sizeof *v);
        if (!v || read_field(dset, name, m, v) < 0)
            rc = -1;
        for (size_t i = 0; !rc && i < nrows; i++)
            if (!(col->text_v[i] = strdup(v[i] ? v[i] : "")))
                rc = -1;
        if (v) {
            hid_t sp = H5Screate_simple(1, (hsize_t[]){ nrows }, NULL);
            hid_t c = H5Tcreate(H5T_COMPOUND, sizeof(char *));
            H5Tinsert(c, name, 0, m);
            if (!rc)
                H5Dvlen_reclaim(c, sp, H5P_DEFAULT, v);
            H5Tclose(c);
            H5Sclose(sp);
        }
        free(v);
        H5Tclose(m);
        return rc;
    }
    if (cls == H5T_STRING) {
        size_t len = H5Tget_size(ftype);
        hid_t m = H5Tcopy(H5T_C_S1);
        H5Tset_size(m, len);
        H5Tset_strpad(m, H5T_STR_NULLPAD);
        H5Tset_cset(m, H5Tget_cset(ftype));
        char *buf = malloc(n * len);
        if (!buf || read_field(dset, name, m, buf) < 0)
            rc = -1;
        for (size_t i = 0; !rc && i < nrows; i++)
            if (!(col->text_v[i] = dup_n(buf + i * len, len)))
                rc = -1;
        free(buf);
        H5Tclose(m);
        return rc;
    }
    if (cls == H5T_ENUM) {
        hid_t m = H5Tget_native_type(ftype, H5T_DIR_ASCEND);
        size_t sz = H5Tget_size(m);
        unsigned char *buf = malloc(n * sz);
        if (!buf || read_field(dset, name, m, buf) < 0)
            rc = -1;
        for (size_t i = 0; !rc && i < nrows; i++) {
            char label[128];
            if (H5Tenum_nameof(m, buf + i * sz, label, sizeof label) < 0)
                snprintf(label, sizeof label, "?");
            if (!(col->text_v[i] = strdup(label)))
                rc = -1;
        }
        free(buf);
        H5Tclose(m);
        return rc;
    }
    /* arrays and the like: shown as absent */
    for (size_t i = 0; i < nrows; i++)
        if (!(col->text_v[i] = strdup("")))
            return -1;
    return 0;
}

/* attribute `name` of obj as an array of strings (variable-length or fixed),
 * or NULL; *n its length. */
static char **attr_strings(hid_t obj, const char *name, size_t *n)
{
    *n = 0;
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    char **out = NULL;
    hssize_t cnt = H5Sget_simple_extent_npoints(sp);
    if (H5Tget_class(t) == H5T_STRING && cnt > 0) {
        out = calloc((size_t)cnt, sizeof *out);
        if (H5Tis_variable_str(t) > 0) {
            hid_t m = H5Tcopy(H5T_C_S1);
            H5Tset_size(m, H5T_VARIABLE);
            H5Tset_cset(m, H5Tget_cset(t));
            char **v = calloc((size_t)cnt, sizeof *v);
            if (out && v && H5Aread(a, m, v) >= 0) {
                for (hssize_t i = 0; i < cnt; i++)
                    out[i] = strdup(v[i] ? v[i] : "");
                H5Dvlen_reclaim(m, sp, H5P_DEFAULT, v);
            }
            free(v);
            H5Tclose(m);
        } else {
            size_t len = H5Tget_size(t);
            char *buf = malloc((size_t)cnt * len);
            hid_t m = H5Tcopy(H5T_C_S1);
            H5Tset_size(m, len);
            H5Tset_strpad(m, H5T_STR_NULLPAD);
            H5Tset_cset(m, H5Tget_cset(t));   /* HDF5 converts no string between charsets */
            if (out && buf && H5Aread(a, m, buf) >= 0)
                for (hssize_t i = 0; i < cnt; i++)
                    out[i] = dup_n(buf + (size_t)i * len, len);
            free(buf);
            H5Tclose(m);
        }
        *n = (size_t)cnt;
        for (size_t i = 0; out && i < *n; i++)
            if (!out[i])
                out[i] = strdup("");
    }
    H5Sclose(sp);
    H5Tclose(t);
    H5Aclose(a);
    return out;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

int rtab_read(struct rtab_file *f, const char *path, struct rtab *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", path);
    if (!rtab_has(f, path))
        return 0;
    hid_t d = H5Dopen2(f->file, path, H5P_DEFAULT);
    if (d < 0) {
        text_fmt(err, errlen, "cannot open %s", path);
        return -1;
    }
    hid_t ft = H5Dget_type(d), sp = H5Dget_space(d);
    int rc = 0;
    if (H5Tget_class(ft) != H5T_COMPOUND || H5Sget_simple_extent_ndims(sp) != 1) {
        text_fmt(err, errlen, "%s is not a table (a one-dimensional compound dataset)", path);
        rc = -1;
    }
    hsize_t dim = 0;
    if (!rc)
        H5Sget_simple_extent_dims(sp, &dim, NULL);
    t->nrows = (size_t)dim;
    int nm = rc ? 0 : H5Tget_nmembers(ft);
    size_t nunits = 0, ncolnames = 0;
    char **units = rc ? NULL : attr_strings(d, "units", &nunits);
    char **colnames = rc ? NULL : attr_strings(d, "columns", &ncolnames);
    t->cols = nm > 0 ? calloc((size_t)nm, sizeof *t->cols) : NULL;
    if (nm > 0 && !t->cols)
        rc = -1;
    for (int i = 0; !rc && i < nm; i++) {
        char *name = H5Tget_member_name(ft, (unsigned)i);
        hid_t mt = H5Tget_member_type(ft, (unsigned)i);
        struct rtab_col *col = &t->cols[t->ncols++];
        col->name = strdup(name ? name : "?");
        const char *unit = "";
        for (size_t k = 0; k < ncolnames && k < nunits; k++)
            if (name && strcmp(colnames[k], name) == 0)
                unit = units[k];
        col->unit = strdup(unit);
        if (!col->name || !col->unit || read_column(d, name, mt, t->nrows, col)) {
            text_fmt(err, errlen, "%s: cannot read column %s", path, name ? name : "?");
            rc = -1;
        }
        H5Tclose(mt);
        H5free_memory(name);
    }
    free_strings(units, nunits);
    free_strings(colnames, ncolnames);
    H5Sclose(sp);
    H5Tclose(ft);
    H5Dclose(d);
    if (rc) {
        rtab_free(t);
        return -1;
    }
    return 1;
}

static hid_t open_obj(struct rtab_file *f, const char *path)
{
    if (strcmp(path, "/") != 0 && !rtab_has(f, path)
        && H5Lexists(f->file, path + (path[0] == '/'), H5P_DEFAULT) <= 0)
        return -1;
    return H5Oopen(f->file, path, H5P_DEFAULT);
}

int rtab_attr(struct rtab_file *f, const char *path, const char *name, char *buf, size_t n)
{
    buf[0] = '\0';
    hid_t o = open_obj(f, path);
    if (o < 0)
        return 0;
    int found = 0;
    if (H5Aexists(o, name) > 0) {
        hid_t a = H5Aopen(o, name, H5P_DEFAULT), t = H5Aget_type(a);
        H5T_class_t cls = H5Tget_class(t);
        found = 1;
        if (cls == H5T_STRING) {
            size_t cnt;
            char **v = attr_strings(o, name, &cnt);
            size_t used = 0;
            for (size_t i = 0; v && i < cnt && used + 1 < n; i++)
                used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", v[i]);
            free_strings(v, cnt);
        } else if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
            hid_t sp = H5Aget_space(a);
            hssize_t cnt = H5Sget_simple_extent_npoints(sp);
            double *v = cnt > 0 ? malloc((size_t)cnt * sizeof *v) : NULL;
            size_t used = 0;
            if (v && H5Aread(a, H5T_NATIVE_DOUBLE, v) >= 0)
                for (hssize_t i = 0; i < cnt && used + 1 < n; i++)
                    used += (size_t)snprintf(buf + used, n - used, "%s%.15g", i ? ", " : "", v[i]);
            free(v);
            H5Sclose(sp);
        }
        H5Tclose(t);
        H5Aclose(a);
    }
    H5Oclose(o);
    return found;
}

int rtab_attr_num(struct rtab_file *f, const char *path, const char *name, double *v)
{
    char buf[128], *end;
    if (!rtab_attr(f, path, name, buf, sizeof buf) || !buf[0])
        return 0;
    double x = strtod(buf, &end);
    if (end == buf)
        return 0;
    *v = x;
    return 1;
}

struct names_ctx {
    char **v;
    int    n, cap;
};

static herr_t add_name(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)loc;
    (void)info;
    struct names_ctx *c = data;
    if (c->n == c->cap) {
        int cap = c->cap ? 2 * c->cap : 16;
        char **v = realloc(c->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        c->v = v;
        c->cap = cap;
    }
    if (!(c->v[c->n] = strdup(name)))
        return -1;
    c->n++;
    return 0;
}

int rtab_attr_names(struct rtab_file *f, const char *path, char ***names)
{
    *names = NULL;
    hid_t o = open_obj(f, path);
    if (o < 0)
        return -1;
    struct names_ctx c = { 0 };
    hsize_t idx = 0;
    /* creation order when the file tracks it, else by name */
    herr_t rc = H5Aiterate2(o, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, add_name, &c);
    if (rc < 0) {
        for (int i = 0; i < c.n; i++)
            free(c.v[i]);
        c.n = 0;
        idx = 0;
        rc = H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_INC, &idx, add_name, &c);
    }
    H5Oclose(o);
    if (rc < 0) {
        free_strings(c.v, (size_t)c.n);
        return -1;
    }
    *names = c.v;
    return c.n;
}
