#define INCUBSIM_GIT "cded04e3b63a-dirty"
