#define INCUBSIM_GIT "6df629e3928f-dirty"
