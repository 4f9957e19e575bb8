#define INCUBSIM_GIT "9e4fb97b4c65-dirty"
