/* fuzz_experiment.c — libFuzzer target: any bytes as an experiment file, read
 * as sweep, size and sensitivity read it: refused with a message, or loaded,
 * never a crash. (The file's levers are resolved against the scenario it
 * names only when it names a shipped one.) */
#include "../sim/cli/experiment.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/incubsim-fuzz-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    static const enum command cmds[] = { CMD_SWEEP, CMD_SIZE, CMD_SENSITIVITY };
    struct experiment *e = malloc(sizeof *e);
    for (size_t i = 0; e && i < 3; i++)
        experiment_load(path, cmds[i], e);
    free(e);
    unlink(path);
    return 0;
}
