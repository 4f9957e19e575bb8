#define INCUBSIM_GIT "67bfb82651ae-dirty"
