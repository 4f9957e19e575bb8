/* cmds.h — one function per command, each in its own sim/cli/. */
#ifndef INCUBSIM_MAIN_CMDS_H
#define INCUBSIM_MAIN_CMDS_H

#include "opts.h"

#include <stddef.h>
#include <stdint.h>

struct h5_part;

int main_run(int argc, char **argv);
int main_check(int argc, char **argv);
int main_compare(int argc, char **argv);
int main_sweep(int argc, char **argv);
int main_size(int argc, char **argv);
int main_sensitivity(int argc, char **argv);
int main_merge(int argc, char **argv);
int main_kpis(int argc, char **argv);
int main_schema(int argc, char **argv);
int main_report(int argc, char **argv);
int main_psa(int argc, char **argv);
int main_calibrate(int argc, char **argv);

/* merge.c: 0 when path is a finished result of the run whose identity is
 * `want` holding exactly tasks [first, end) (run's --is-complete; a Slurm
 * shard is skipped only then); else 1, with why[n] saying what is missing or
 * differs. */
int merge_is_complete(const struct h5_part *want, uint64_t first, uint64_t end,
                      const char *path, char *why, size_t n);

#endif
