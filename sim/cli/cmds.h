/* cmds.h — one function per command, each in its own sim/cli/. */
#ifndef INCUBSIM_MAIN_CMDS_H
#define INCUBSIM_MAIN_CMDS_H

#include "opts.h"

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

#endif
