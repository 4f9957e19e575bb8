/* main.c — the command line's entry: which command, --help, --version. Each
 * command is in its own file of sim/cli/, the only folder that sees sim/,
 * models/ and output/ together. */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <libconfig.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../farm.h"
#include "cmds.h"

static void version(void)
{
    unsigned maj, min, rel;
    H5get_libversion(&maj, &min, &rel);
    printf("incubsim %s (git %s)\nGSL %s, libconfig %d.%d.%d, HDF5 %u.%u.%u\n", INCUBSIM_VERSION,
           INCUBSIM_GIT, GSL_VERSION, LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR,
           LIBCONFIG_VER_REVISION, maj, min, rel);
}

static int command(int argc, char **argv);

/* Faults in the heap's first `bytes` with one call and leaves them to malloc
 * (the trim threshold keeps them): in a VM a page faulted on first touch
 * costs ~10 us, one populated in bulk ~2.5 us (measured here), and a short
 * run touches ~600 fresh heap pages (HDF5's metadata cache alone is 1 MiB,
 * zeroed). 3 MiB left a one-year run 153 faults; 4 MiB no fewer. A kernel without MADV_POPULATE_WRITE (before 5.14) says EINVAL
 * and the pages fault in one by one, as before. */
static void prefault_heap(size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
    char *p = malloc(bytes);
    if (!p)
        return;
    size_t page = 4096, skip = (page - (uintptr_t)p % page) % page;
    madvise(p + skip, (bytes - skip) / page * page, MADV_POPULATE_WRITE);
    free(p);
#else
    (void)bytes;
#endif
}

int main(int argc, char **argv)
{
    /* Large blocks (zlib's state for each chunk it compresses, HDF5's chunk
     * buffers) from the heap, kept for reuse, rather than fresh mmap'd pages
     * each time: a page fault costs microseconds in a VM, and a short run
     * took ~900 of them (measured: 26 -> 22 ms for a one-year run). Memory
     * stays bounded: these blocks are freed and reused, not accumulated. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    prefault_heap(3u << 20);
    farm_init(&argc, &argv);
    int rc = command(argc, argv);
    /* what was printed must have reached its file: a full disk or /dev/full
     * is a failure, not a success with a truncated table */
    errno = 0;
    int bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    bad |= fclose(stdout) != 0;
    if (!e)
        e = errno;
    if (bad) {
        fprintf(stderr, "incubsim: cannot write the output: %s\n", e ? strerror(e) : "write error");
        if (rc == EXIT_OK)
            rc = EXIT_RUNTIME;
    }
    if (rc == EXIT_RUNTIME) {
        /* After a failed write (a full disk) HDF5 1.10 keeps the file it
         * could not close and crashes closing it again in its exit handler.
         * The partial file is already removed and nothing is left to flush,
         * so leave without the exit handlers. */
        fflush(NULL);
        farm_finalize();
        _exit(rc);
    }
    farm_finalize();
    return rc;
}

static int command(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc < 2) {
        fprintf(stderr, "incubsim: a command is needed: run, check, compare, sweep, size, "
                "sensitivity, merge, report, kpis or schema\nTry 'incubsim --help'.\n");
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        int c = argc > 2 ? opts_command(argv[2]) : -1;
        if (c >= 0)
            opts_help((enum command)c);
        else
            opts_usage();
        return EXIT_OK;
    }
    if (strcmp(cmd, "--man") == 0) {   /* --man [PREFIX]: the page, naming PREFIX */
        if (argc > 3) {
            fprintf(stderr, "incubsim: --man takes at most one install prefix\n");
            return EXIT_INPUT;
        }
        opts_man(argc > 2 ? argv[2] : NULL);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        version();
        return EXIT_OK;
    }
    static int (*const run[CMD_COUNT])(int, char **) = {
        [CMD_RUN] = main_run, [CMD_CHECK] = main_check, [CMD_COMPARE] = main_compare,
        [CMD_SWEEP] = main_sweep, [CMD_SIZE] = main_size, [CMD_SENSITIVITY] = main_sensitivity,
        [CMD_MERGE] = main_merge, [CMD_KPIS] = main_kpis, [CMD_SCHEMA] = main_schema,
        [CMD_REPORT] = main_report,
        [CMD_PSA] = main_psa, [CMD_CALIBRATE] = main_calibrate,
    };
    int c = opts_command(cmd);
    if (c < 0) {
        fprintf(stderr, "incubsim: unknown command \"%s\" (run, check, compare, sweep, size, "
                "sensitivity, merge, report, kpis, schema, psa, calibrate)\nTry 'incubsim --help'.\n", cmd);
        return EXIT_INPUT;
    }
    return run[c](argc, argv);
}
