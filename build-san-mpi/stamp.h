#define INCUBSIM_GIT "322dfdc596fe"
