#define INCUBSIM_GIT "2da4bfe5fb08-dirty"
