#define INCUBSIM_GIT "3ed6ce23f2e2-dirty"
