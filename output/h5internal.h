/* h5internal.h — what the writer (h5out.c) and the parts (h5parts.c) share:
 * the file handle, its tables and the helpers that make them. Only output/
 * includes it (with hdf5.h). */
#ifndef INCUBSIM_H5INTERNAL_H
#define INCUBSIM_H5INTERNAL_H

#include <hdf5.h>

#include "h5out.h"

#define NAME_LEN SET_NAME_LEN
#define CHUNK_BYTES (1u << 16)

struct table {
    hid_t   dset, mtype;
    int     compressed;
    size_t  rowsize, chunk_rows, nbuf;
    char   *buf;
    hsize_t nrows;
};

#define REASON_LEN 64

/* Every HDF5 enum of the file numbers its names from 1 (status ok = 1,
 * failed = 2; stage, outcome, decision alike): R's hdf5r reads an enum
 * numbered from 1 as a plain factor, one numbered from 0 as a `factor_ext`
 * that table(), tapply() and summary() get wrong. Rows hold the file's
 * numbers: a C enum value v is written as v + ENUM_BASE. */
#define ENUM_BASE 1
enum { RUN_OK = ENUM_BASE, RUN_FAILED = ENUM_BASE + 1 };

/* /projects' names: per scenario, local index -> place in the file's list of
 * that kind (h5out.c: make_name_lists). */
struct name_codes {
    int16_t source[SC_MAX_SOURCES], sector[SC_MAX_SECTORS], carrier[SC_MAX_CARRIERS];
};

enum { T_SCENARIOS, T_RUNS, T_CARRIERS, T_TIMESERIES, T_PROJECTS, T_SUMMARY, T_COUNT };

/* HDF5 converts a row whose memory type differs from the file's (a
 * variable-length config, strings) through a buffer it callocs per write,
 * 1 MiB by default: ~270 fresh pages a run, ~5 ms in a VM (measured on a
 * one-year run: 28 -> 23 ms, 1146 -> 869 page faults). Each file's writes
 * convert through these 64 KiB instead, its own, reused (h5_xfer_open). */
#define XFER_BYTES (1u << 16)

struct h5out {
    hid_t  file, str_t, stage_t, outcome_t, status_t;
    hid_t  xfer;                            /* dataset transfer list: xfer_buf[] */
    void  *xfer_buf[2];                     /* conversion and background buffers */
    size_t scen_len;                        /* width of /projects' scenario column */
    size_t name_len[3];                     /* ... of its source, sector, carrier_* columns */
    char  *names[3];                        /* the padded names of each kind, name_len[k] apart */
    const struct scenario *const *scs;
    const char *const *warmup_rules;
    int    nscs;
    struct name_codes *codes;
    char   final[4096], part[4096];
    char   err[1024];
    int    records, force;
    /* Set by h5fail. After a failed write (a full disk) HDF5 1.10's chunk
     * cache may hold a chunk it can no longer flush: closing the dataset or
     * the file then reads past a freed buffer (measured: 2 of 20 joins into
     * a full tmpfs aborted on heap corruption, valgrind: H5D__chunk_flush_entry
     * after H5Z__filter_shuffle). A failed file's HDF5 objects are therefore
     * never closed: the file is unlinked and the process leaves by _exit
     * (sim/cli/main.c), without HDF5's exit handler. */
    int    failed;
    /* Disk space reserved past the end of the file (fallocate, KEEP_SIZE) so
     * that the join's writes cannot meet a full disk inside HDF5; released
     * (the hole punched) when the file is committed. */
    int    reserve_fd;                      /* + 1: 0 none */
    long long reserved_to;
    struct table tab[T_COUNT];
    /* the run the sink writes for */
    int      cur;
    uint32_t cur_point, cur_rep;
};

/* Records what failed in h->err (with the errno of a full disk), marks h
 * failed (see `failed`). Returns -1. */
int   h5fail(struct h5out *h, const char *what);
/* Makes h->xfer; -1 (h->err set) when out of memory. close_all frees it. */
int   h5_xfer_open(struct h5out *h);
hid_t make_str(size_t len);
hid_t summary_type(hid_t str);
/* Writes attribute `name` of loc (type and space given), replacing one of
 * that name: a run's task range and shard are set over its first part's. */
int   attr_write(hid_t loc, const char *name, hid_t type, hid_t space, const void *v);
/* Scalar attributes, written through attr_write. */
int   attr_str(hid_t loc, const char *name, const char *value);
int   attr_count(hid_t loc, const char *name, uint64_t v);
int   attr_f64(hid_t loc, const char *name, double v);
/* A one-dimensional attribute of variable-length UTF-8 strings. */
int   attr_strings(hid_t loc, const char *name, const char *const *v, size_t n);
/* A chunked, extendible table, documented from output/columns.c. Its chunks
 * hold CHUNK_BYTES, or the `expect`ed rows when fewer (0: not known), but
 * at least CHUNK_MIN_ROWS: a chunk is deflated whole, padding included, so
 * a one-row table in a 64 KiB chunk cost a one-year run ~1 ms of zlib. */
#define CHUNK_MIN_ROWS 16
int   table_create(struct h5out *h, struct table *t, const char *name, hid_t mtype, int compress,
                   uint64_t expect);
/* A whole table of n rows written at once, compressed, documented. */
int   table_write_all(struct h5out *h, const char *name, hid_t type, const void *rows, hsize_t n);
/* Closes every HDF5 object and the file (a failed file's are left open:
 * see `failed`); frees the buffers. -1 when closing the file failed. */
int   close_all(struct h5out *h);

#endif
