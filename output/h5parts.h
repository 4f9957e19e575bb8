/* h5parts.h — parts: the crash-safe batches of a run (the folder OUT.parts,
 * written by checkpoints, kept by a kill, replayed by --resume) and the shards
 * of a Slurm array (`incubsim merge`). One place reads a part, says whether it
 * belongs to a run, checks its tables, lists, removes and joins them, for
 * `run --resume`, checkpoints, shards and `merge` alike.
 *
 * A part is a results file (h5out.h) with a task range [task_first,
 * task_end) of the canonical order and the run's identity: `run_sha256`, one
 * SHA-256 over everything that makes two files parts of one run (version,
 * command, seed, replications, --records, the task count, the design, the
 * baseline, and every scenario's name and resolved config, --set included).
 * Nothing here has a fixed size: a run of any number of scenarios has parts.
 *
 * Invariants: a complete part (part-N.h5) is never removed unless it is
 * joined or the user asked to start over (--force); a part that cannot be
 * read is named with the attribute or table that failed. A failed join
 * leaves the parts as they were.
 */
#ifndef INCUBSIM_H5PARTS_H
#define INCUBSIM_H5PARTS_H

#include <stddef.h>
#include <stdint.h>

#include "../models/model.h"

/* What identifies a part: the run it belongs to and the tasks it holds.
 * Every string is malloc'd and owned by the struct (h5part_free). */
struct h5_part {
    char    *path;
    char    *version, *command, *design, *baseline, *shard;
    char    *scenarios;        /* "name=sha256;..." of every scenario, any length */
    char     run_sha256[65];   /* the identity: equal iff the same run */
    uint64_t seed, replications, records, first, end, total;
};

/* The identity a run writes (run_sha256, and the fields that explain a
 * difference): configs[i] is scenario i's resolved text. 0, or -1 when out
 * of memory. */
int  h5part_identity(struct h5_part *p, const char *command, uint64_t seed, uint64_t reps,
                     uint64_t records, uint64_t total, const char *design_sha256,
                     const char *baseline, const struct scenario *const *scs,
                     const char *const *configs, int n);
void h5part_free(struct h5_part *p);
/* Frees n parts and the array. */
void h5part_free_all(struct h5_part *parts, int n);

/* Reads a part's identity and task range, checking every attribute's type
 * and shape, and its tables (h5part_check_tables). Returns 0, or -1 with err
 * naming the file and what failed. */
int  h5part_read(const char *path, struct h5_part *p, char *err, size_t errlen);
/* 0 when b belongs to a's run; else -1 with what differs, in words. */
int  h5part_same_run(const struct h5_part *a, const struct h5_part *b, char *why, size_t n);
/* Sorts parts by their first task and checks they tile [first, end) with no
 * gap or overlap. Returns 0, or -1 with every missing range named in err. */
int  h5part_tile(struct h5_part *parts, int n, uint64_t first, uint64_t end, char *err,
                 size_t errlen);

/* ---- the parts folder ------------------------------------------------------ */

/* The path of the part whose first task is `first`. -1 when too long. */
int  h5parts_path(const char *dir, uint64_t first, char *out, size_t n);
struct h5_provenance;
struct h5out;
/* What every part of one run is written with (borrowed; see h5out_create).
 * Each part takes a copy of prov with its own task_first and task_end. */
struct h5parts_spec {
    const char                 *dir;
    int                         records;
    const struct h5_provenance *prov;
    const struct scenario *const *scs;
    const char *const          *configs;
    int                         n;
};
/* Opens the part that will hold tasks from `first` on (part-FIRST.h5, in
 * flight as its .part until h5parts_close). NULL with err on failure. */
struct h5out *h5parts_open(const struct h5parts_spec *s, uint64_t first, char *err,
                           size_t errlen);
/* Records the part's task range [first, end) and commits it, crash-safe on
 * disk under its final name. Consumes h (aborted on failure). 0, or -1 with
 * err. */
int  h5parts_close(struct h5out *h, uint64_t first, uint64_t end, char *err, size_t errlen);
/* A checkpoint: closes *h (tasks [*first, next)) and opens the part for
 * tasks from next on, updating *h and *first. 0, or -1 with err (*h is then
 * NULL or the old part, for the caller to abort). */
int  h5parts_rotate(const struct h5parts_spec *s, struct h5out **h, uint64_t *first,
                    uint64_t next, char *err, size_t errlen);
/* Reads every complete part (part-*.h5) of dir into *parts (malloc'd, sorted
 * by first task), and removes what a kill left in flight (part-*.h5.part:
 * never committed). Returns how many (0 when dir does not exist), or -1 with
 * err: an unreadable complete part is named, and kept. */
int  h5parts_list(const char *dir, struct h5_part **parts, char *err, size_t errlen);
/* The complete parts in dir. */
int  h5parts_count(const char *dir);
/* Removes dir and the parts in it. */
void h5parts_remove(const char *dir);

/* Calls fn for every /runs row of a file, in order (k NULL: a failed run):
 * --resume and merge replay parts into a summary with it. Returns 0, fn's
 * non-zero, or -1 with err. */
int  h5parts_replay(const char *path,
                    int (*fn)(void *ctx, const char *scenario, uint32_t point, uint32_t rep,
                              const struct kpi *k),
                    void *ctx, char *err, size_t errlen);

/* Creates path (as path.part) holding the parts' tables joined in task
 * order — /scenarios and /design from the first, /runs, /carriers,
 * /timeseries and /projects concatenated — with the range attributes of the
 * whole; /summary is for the caller to write (h5out_summary) before
 * h5out_commit. parts as h5part_tile left them. With `adopt`, path.part
 * starts as a byte copy of the first part (its rows are not re-encoded) —
 * a copy, so that a join that fails (a full disk, a damaged later part)
 * leaves every part as it was. NULL with err on failure. */
struct h5out *h5parts_join(const char *path, int force, const struct h5_part *parts, int n,
                           int adopt, char *err, size_t errlen);

#endif
