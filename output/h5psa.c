/* h5psa.c — the tables of psa and calibrate (DESIGN.md §10): /psa, /ceac,
 * /evppi, /posterior; see h5out.h. Written whole, once the analysis is done,
 * into the results file the job has joined. */
#include "h5internal.h"

#include <stdlib.h>
#include <string.h>

int h5out_table_note(struct h5out *h, const char *table, const char *name, const char *value)
{
    hid_t d = H5Dopen2(h->file, table, H5P_DEFAULT);
    int rc = d < 0 || attr_str(d, name, value);
    if (d >= 0)
        H5Dclose(d);
    return rc ? h5fail(h, "cannot write a table's attribute") : 0;
}

/* A table of float64 columns after a fixed head: `names` at 8-byte slots
 * from `head` on. */
static hid_t wide_type(size_t head, const char *const *names, size_t n, size_t *rowsize)
{
    *rowsize = head + 8 * n;
    hid_t t = H5Tcreate(H5T_COMPOUND, *rowsize);
    for (size_t i = 0; t >= 0 && i < n; i++)
        if (H5Tinsert(t, names[i], head + 8 * i, H5T_NATIVE_DOUBLE) < 0) {
            H5Tclose(t);
            return -1;
        }
    return t;
}

int h5out_psa(struct h5out *h, const struct h5_psa *p)
{
    size_t k = (size_t)p->nassume, nk = kpi_count, head = 8 + NAME_LEN, rowsize;
    const char **names = malloc((k + nk) * sizeof *names);
    if (!names)
        return h5fail(h, "out of memory");
    for (size_t a = 0; a < k; a++)
        names[a] = p->assumptions[a];
    for (size_t q = 0; q < nk; q++)
        names[k + q] = kpi_descs[q].name;
    /* a setting named like a KPI would collide: HDF5 refuses the second */
    hid_t t = wide_type(head, names, k + nk, &rowsize), str = make_str(NAME_LEN);
    size_t nrows = (size_t)p->ndraws * (size_t)p->nscen;
    char *rows = t >= 0 ? calloc(nrows ? nrows : 1, rowsize) : NULL;
    int rc = -1;
    if (t >= 0 && rows && H5Tinsert(t, "draw", 0, H5T_NATIVE_UINT32) >= 0
            && H5Tinsert(t, "scenario", 8, str) >= 0) {
        for (size_t r = 0; r < nrows; r++) {
            char *row = rows + r * rowsize;
            uint32_t draw = (uint32_t)(r / (size_t)p->nscen);
            memcpy(row, &draw, sizeof draw);
            strncpy(row + 8, p->scenarios[r % (size_t)p->nscen], NAME_LEN);
            memcpy(row + head, p->theta + r * k, 8 * k);
            memcpy(row + head + 8 * k, p->kpi + r * nk, 8 * nk);
        }
        rc = table_write_all(h, "psa", t, rows, nrows);
        if (!rc)
            rc = h5out_table_note(h, "psa", "drawn_from", p->source);
    } else {
        h5fail(h, t < 0 ? "/psa: two columns share a name (an assumption named like a KPI?)"
                        : "out of memory");
    }
    free(rows);
    free(names);
    if (t >= 0)
        H5Tclose(t);
    H5Tclose(str);
    return rc;
}

int h5out_ceac(struct h5out *h, const struct h5_ceac_row *rows, size_t n, const char *cost_kpi,
               const char *effect_kpi)
{
    typedef struct h5_ceac_row R;
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(R)), str = make_str(NAME_LEN);
    H5Tinsert(t, "value_per_effect", offsetof(R, value_per_effect), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "scenario", offsetof(R, scenario), str);
    H5Tinsert(t, "probability_best", offsetof(R, probability_best), H5T_NATIVE_DOUBLE);
    int rc = table_write_all(h, "ceac", t, rows, n);
    H5Tclose(t);
    H5Tclose(str);
    if (!rc)
        rc = h5out_table_note(h, "ceac", "cost_kpi", cost_kpi)
             || h5out_table_note(h, "ceac", "effect_kpi", effect_kpi) ? -1 : 0;
    return rc;
}

int h5out_evppi(struct h5out *h, const struct h5_evppi_row *rows, size_t n, const char *method,
                uint32_t draws)
{
    typedef struct h5_evppi_row R;
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(R)), str = make_str(sizeof rows->setting);
    H5Tinsert(t, "setting", offsetof(R, setting), str);
    H5Tinsert(t, "value_per_effect", offsetof(R, value_per_effect), H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "evppi", offsetof(R, evppi), H5T_NATIVE_DOUBLE);
    int rc = table_write_all(h, "evppi", t, rows, n);
    H5Tclose(t);
    H5Tclose(str);
    if (rc)
        return rc;
    hid_t d = H5Dopen2(h->file, "evppi", H5P_DEFAULT);
    rc = d < 0 || attr_str(d, "estimator", method) || attr_count(d, "draws", draws);
    if (d >= 0)
        H5Dclose(d);
    return rc ? h5fail(h, "cannot write /evppi's attributes") : 0;
}

int h5out_posterior(struct h5out *h, const struct h5_posterior *p)
{
    size_t k = (size_t)p->nassume, head = 32, rowsize;
    hid_t t = wide_type(head, p->assumptions, k, &rowsize);
    char *rows = t >= 0 ? calloc(p->n ? p->n : 1, rowsize) : NULL;
    int rc = -1;
    if (t >= 0 && rows && H5Tinsert(t, "weight", 0, H5T_NATIVE_DOUBLE) >= 0
            && H5Tinsert(t, "implausibility", 8, H5T_NATIVE_DOUBLE) >= 0
            && H5Tinsert(t, "wave", 16, H5T_NATIVE_UINT32) >= 0) {
        for (size_t r = 0; r < p->n; r++) {
            char *row = rows + r * rowsize;
            memcpy(row, &p->weight[r], 8);
            memcpy(row + 8, &p->implausibility[r], 8);
            memcpy(row + 16, &p->wave[r], 4);
            memcpy(row + head, p->values + r * k, 8 * k);
        }
        rc = table_write_all(h, "posterior", t, rows, p->n);
    } else {
        h5fail(h, "out of memory");
    }
    free(rows);
    if (t >= 0)
        H5Tclose(t);
    if (rc)
        return rc;
    hid_t d = H5Dopen2(h->file, "posterior", H5P_DEFAULT);
    rc = d < 0 || attr_str(d, "method", p->method)
         || attr_strings(d, "targets", p->targets, (size_t)p->ntargets)
         || attr_f64(d, "cut", p->cut);
    if (d >= 0)
        H5Dclose(d);
    return rc ? h5fail(h, "cannot write /posterior's attributes") : 0;
}

int h5in_read_columns(const char *path, const char *table, const char *const *names, int k,
                      double **out, size_t *nrows, char *err, size_t errlen)
{
    *out = NULL;
    *nrows = 0;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        snprintf(err, errlen, "%s: not an HDF5 file, or damaged", path);
        return -1;
    }
    if (H5Lexists(f, table, H5P_DEFAULT) <= 0) {
        snprintf(err, errlen, "%s: has no /%s (write one with `incubsim calibrate`)", path, table);
        H5Fclose(f);
        return -1;
    }
    hid_t d = H5Dopen2(f, table, H5P_DEFAULT), ft = H5Dget_type(d), sp = H5Dget_space(d);
    hsize_t n = 0;
    H5Sget_simple_extent_dims(sp, &n, NULL);
    double *v = malloc((size_t)(n ? n : 1) * (size_t)(k ? k : 1) * sizeof *v),
           *col = malloc((size_t)(n ? n : 1) * sizeof *col);
    int rc = v && col ? 0 : -1;
    if (rc)
        snprintf(err, errlen, "out of memory");
    for (int c = 0; c < k && !rc; c++) {
        if (H5Tget_member_index(ft, names[c]) < 0) {
            snprintf(err, errlen, "%s: /%s has no column \"%s\"", path, table, names[c]);
            rc = -1;
            break;
        }
        hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(double));
        H5Tinsert(mt, names[c], 0, H5T_NATIVE_DOUBLE);
        if (n && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, col) < 0) {
            snprintf(err, errlen, "%s: cannot read /%s's column \"%s\"", path, table, names[c]);
            rc = -1;
        }
        H5Tclose(mt);
        for (hsize_t r = 0; r < n && !rc; r++)
            v[r * (size_t)k + (size_t)c] = col[r];
    }
    free(col);
    H5Sclose(sp);
    H5Tclose(ft);
    H5Dclose(d);
    H5Fclose(f);
    if (rc) {
        free(v);
        return -1;
    }
    *out = v;
    *nrows = (size_t)n;
    return 0;
}
