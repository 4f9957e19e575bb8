#define INCUBSIM_GIT "a5470a4ee1db-dirty"
