#define INCUBSIM_GIT "d2d6c2d44d33-dirty"
