/* rtab.h — any table and attribute of a results file, read whole and
 * generically: every column as numbers (integers and floats converted to
 * double) or as text (fixed or variable-length strings, and enums by their
 * names), with its unit from the table's `units` attribute. For `report`,
 * which renders tables other commands add (/increments, /ceac, /evppi,
 * /posterior ...) without knowing their structs.
 *
 * Memory: a table owns its columns (rtab_free). Meant for tables of up to a
 * few million cells (/summary, /sizing, /psa), not /timeseries or /projects.
 */
#ifndef INCUBSIM_RTAB_H
#define INCUBSIM_RTAB_H

#include <stddef.h>

struct rtab_file;                 /* a results file opened read-only */

struct rtab_col {
    char   *name, *unit;          /* unit "" when the file names none */
    int     text;                 /* 1: text[] holds it, else num[] */
    double *num;                  /* NaN where the stored value is NaN */
    char  **text_v;               /* UTF-8, as stored (never NULL) */
};

struct rtab {
    char   name[64];
    size_t nrows;
    int    ncols;
    struct rtab_col *cols;
};

/* NULL with err when the file cannot be opened as HDF5. */
struct rtab_file *rtab_open(const char *path, char *err, size_t errlen);
void rtab_close(struct rtab_file *f);
/* 1 when the file has a dataset at path ("/sizing"), else 0. */
int  rtab_has(struct rtab_file *f, const char *path);
/* Reads a compound dataset whole. 1 read, 0 absent, -1 with err on
 * failure (not a compound table, out of memory, an unreadable column). */
int  rtab_read(struct rtab_file *f, const char *path, struct rtab *t, char *err, size_t errlen);
void rtab_free(struct rtab *t);
/* The column of that name, or NULL. */
const struct rtab_col *rtab_col(const struct rtab *t, const char *name);
/* Row i of a column as text (numbers formatted %.6g); "" when col NULL. */
const char *rtab_cell(const struct rtab_col *c, size_t i, char *buf, size_t n);
/* An attribute of the object at path ("/" the root) as text: strings as
 * they are, a number %.15g, an array of strings joined by ", ". 1 when
 * found, 0 when absent. */
int  rtab_attr(struct rtab_file *f, const char *path, const char *name, char *buf, size_t n);
/* A numeric attribute (or a string holding a number). 1 found, 0 not. */
int  rtab_attr_num(struct rtab_file *f, const char *path, const char *name, double *v);
/* The names of the object's attributes, in creation order: a malloc'd
 * array of malloc'd strings (free both). Returns the count, -1 on error. */
int  rtab_attr_names(struct rtab_file *f, const char *path, char ***names);

#endif
