/* uncertain.h — the assumptions of a job's scenarios (DESIGN.md §10) as the
 * job's levers, for psa, calibrate and size --robust.
 *
 * The assumptions are the union over the scenarios, keyed by setting, in
 * the order first declared. Two scenarios declaring one setting must give it
 * the same prior (a draw is common to the options: that is what makes them
 * comparable). An option that does not declare an assumption keeps its own
 * value (j->applies). Each assumption's prior is probed at its 1e-9 and
 * 1 - 1e-9 quantiles in every scenario that takes it, before anything runs,
 * so a draw cannot fail as a task.
 *
 * Ownership: the struct owns its arrays and lends them to the job
 * (j->levers, j->unit_refs, j->applies): free it after job_free. */
#ifndef INCUBSIM_MAIN_UNCERTAIN_H
#define INCUBSIM_MAIN_UNCERTAIN_H

#include "job.h"

struct uncertain {
    int            n;            /* assumptions */
    struct lever  *levers;       /* [n]: path = setting; min, max = the prior's probe ends */
    struct dist   *prior;        /* [n] */
    const char   **source;       /* [n]: borrowed from the first declaring scenario */
    const char   **names;        /* [n]: the setting paths (levers[a].path) */
    struct setting_ref *refs;    /* [nscs * n] */
    unsigned char *applies;      /* [nscs * n] */
};

/* Collects the assumptions of j's scenarios and makes them j's levers.
 * `what` names the command's input in messages. Returns an exit code (2
 * with a message: no assumptions, conflicting priors, a prior a scenario's
 * bounds refuse). */
int  uncertain_init(struct uncertain *u, struct job *j, const char *what);
void uncertain_free(struct uncertain *u);
/* The value of assumption a at quantile q of its prior (psa_quantile_fn). */
double uncertain_quantile(void *ctx, int a, double q);
/* ndraws draws into out[draw * n + a]: from the priors (quasi-random, keyed
 * by seed) or, when posterior is not NULL, rows of its /posterior resampled
 * by weight. Returns an exit code. */
int  uncertain_draws(const struct uncertain *u, uint32_t ndraws, uint64_t seed,
                     const char *posterior, double *out);

#endif
