#define INCUBSIM_GIT "4deecbb632d0-dirty"
