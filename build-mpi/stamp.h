#define INCUBSIM_GIT "1db586373777-dirty"
