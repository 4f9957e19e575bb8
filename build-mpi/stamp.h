#define INCUBSIM_GIT "1066e7eed0b4-dirty"
