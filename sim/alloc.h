/* alloc.h — the allocator a replication uses, passed explicitly (as Lua's
 * lua_Alloc and SQLite's sqlite3_mem_methods): not a global, so a test can
 * hand one run an allocator that fails its n-th call and prove that every
 * allocation failure ends in a clean error, with nothing leaked, while other
 * runs go on with the C library's.
 *
 * A NULL `const struct alloc *` means the C library's. `fn` is realloc with
 * free folded in: fn(ctx, p, 0) frees p (NULL allowed) and returns NULL;
 * fn(ctx, p, n > 0) is realloc(p, n) (malloc when p is NULL), NULL when it
 * fails (p is then untouched). Memory from one allocator goes back to it.
 */
#ifndef INCUBSIM_ALLOC_H
#define INCUBSIM_ALLOC_H

#include <stdlib.h>
#include <string.h>

struct alloc {
    void *(*fn)(void *ctx, void *p, size_t n);
    void *ctx;
};

static inline void *al_realloc(const struct alloc *a, void *p, size_t n)
{
    if (!a)
        return n ? realloc(p, n) : (free(p), NULL);
    return a->fn(a->ctx, p, n);
}

static inline void *al_malloc(const struct alloc *a, size_t n)
{
    return al_realloc(a, NULL, n ? n : 1);
}

/* Zeroed memory for k items of n bytes; NULL on overflow too. */
static inline void *al_calloc(const struct alloc *a, size_t k, size_t n)
{
    if (!a)
        return calloc(k ? k : 1, n ? n : 1);
    if (n && k > (size_t)-1 / n)
        return NULL;
    void *p = al_malloc(a, k * n);
    if (p)
        memset(p, 0, k * n);
    return p;
}

static inline void al_free(const struct alloc *a, void *p)
{
    if (p)
        al_realloc(a, p, 0);
}

#endif
