/* scenario.h — one home region's incubation pipeline, as resolved from a
 * libconfig file (every default filled in). A flat value: copy it and change
 * a lever to make a design point. Units: years, yuan, persons. */
#ifndef INCUBSIM_SCENARIO_H
#define INCUBSIM_SCENARIO_H

#include "dist.h"
#include "kpi.h"
#include "settings.h"
#include "certification.h"
#include "contest.h"
#include "levels.h"
#include "outbound.h"
#include "ownership.h"
#include "rivals.h"
#include "talent.h"

#define SC_MAX_SECTORS   16
#define SC_MAX_SOURCES   16
#define SC_MAX_CARRIERS  64
#define SC_MAX_BUILDS    16
#define SC_MAX_NAMES     16
#define SC_MAX_ASSUMPTIONS 48
#define SC_PATH_LEN      128   /* a setting path, as --set takes it */
#define SC_SOURCE_LEN    320

enum stage { STAGE_PRE, STAGE_ACC, STAGE_IND, STAGE_COUNT };
enum location { LOC_OVERSEAS, LOC_CORE_CITY, LOC_HOME, LOC_COUNT };
enum operator_kind { OP_GOVERNMENT, OP_PROFESSIONAL, OP_COUNT };

extern const char *const stage_names[];      /* "pre_incubation", ... NULL */
extern const char *const location_names[];
extern const char *const operator_names[];

struct sector_cfg {
    char   name[SET_NAME_LEN];
    double share;          /* of sourced projects */
    double home_fit;       /* 0..1, industry fit with the home region */
    int    target;         /* a sector the home region targets */
};

struct mix_cfg {             /* a source's share of one sector */
    char   name[SET_NAME_LEN];  /* the sector */
    double share;
};

struct source_cfg {
    char   name[SET_NAME_LEN];
    double rate;           /* Poisson arrivals per year; 0 = none */
    double every;          /* years between events (competitions); 0 = none */
    double first;          /* time of the first event */
    long   batch;          /* projects per event */
    double cost_per_event; /* yuan, an instrument under the budget cap */
    char   city[SET_NAME_LEN];   /* where its projects are; "" = anywhere */
    struct dist quality;   /* latent quality, 0..1 (clamped) */
    struct mix_cfg mix[SC_MAX_SECTORS];   /* its sector mix; none = the scenario's shares */
    int    nmix;
    double cum_share[SC_MAX_SECTORS];     /* derived: cumulative shares by sector index */
};

struct operator_cfg {
    double screening_noise;  /* sd of score - quality */
    double service_quality;  /* log-odds added to success at its carriers */
    double cost_factor;      /* multiplies cost per seat */
};

struct carrier_cfg {
    char   name[SET_NAME_LEN];
    int    stage;            /* enum stage */
    int    location;         /* enum location */
    long   capacity;         /* seats */
    long   queue_limit;      /* -1 unbounded, 0 turn away when full */
    int    operator_kind;    /* enum operator_kind */
    double cost_per_seat;    /* yuan per seat-year, public */
    double site_cost;        /* yuan a year for the site whatever its seats, public */
    double distance;         /* from home, 0..1; < 0: by location */
    char   city[SET_NAME_LEN];   /* the city it serves; "" = every city */
    char   sectors[SC_MAX_NAMES][SET_NAME_LEN];   /* specialisation; none = all */
    int    nsectors;
    struct dist duration;    /* years in the carrier */
    struct success_cfg {
        double base, quality_weight;
        double logit;            /* derived: log(base / (1 - base)) */
    } success;
};

struct landing_cfg {
    double base;             /* P(home) when every weight is 0 */
    double hub_share;        /* of those not landing: share staying in the hub */
    double fit_weight;       /* per unit of (fit - 0.5) */
    double award_weight;     /* per million yuan of landing award */
    double space_weight;     /* per million yuan of rent-free space */
    double equity_weight;    /* per 10 percentage points of the firm the guidance fund holds */
    double tax_relief_weight;/* per (rate x years) of tax relief */
    double distance_weight;  /* per unit of distance (subtracted) */
    double handover_loss;    /* P(stay behind) per unit of distance moved home between stages */
    double logit;            /* derived: of base */
};

struct funding_cfg {         /* private rounds during acceleration */
    double round_prob;       /* P(round) at average quality; 0 = none */
    double quality_weight;   /* log-odds per unit of (quality - 0.5) */
    struct dist size;        /* yuan */
    double success_effect;   /* log-odds on acceleration success if raised */
    double logit;            /* derived: of round_prob */
};

struct production_cfg {
    struct dist jobs;        /* persons per firm */
    struct dist revenue;     /* yuan in the first year of production */
    double growth;           /* revenue growth per year, until the ceiling */
    double revenue_ceiling;  /* growth stops at this multiple of the first year's revenue */
    double revenue_quality_weight;  /* log revenue per unit of (quality - 0.5) */
    double jobs_quality_weight;     /* log jobs per unit of (quality - 0.5) */
    double tax_rate;         /* of revenue */
    double host_share;       /* of tax kept by the hub under the contract */
    double hazard;           /* failures per firm-year, at average quality */
    double hazard_quality_weight;   /* log hazard ratio per unit of (quality - 0.5), subtracted */
};

struct effects_cfg {         /* contested treatment effects: null by default */
    double incubation_hazard_ratio;  /* on landed firms' failure hazard */
    double accelerator_selection;    /* log-odds per unit of (quality - 0.5) */
};

struct build_cfg {           /* a carrier construction subsidy */
    char   name[SET_NAME_LEN];
    char   carrier[SET_NAME_LEN];
    double at;               /* years */
    long   seats;            /* added to the carrier */
    double amount;           /* yuan */
    int    public_running_cost;  /* the public pays its seats' running cost too */
};

struct policy_cfg {
    double budget_per_year;  /* cap over all instruments; < 0 unlimited */
    double landing_award;    /* yuan per landed project */
    struct grant_cfg { int stage; double amount, min_score, round_effect, success_effect; } grant;
    struct voucher_cfg { int stage; double amount, success_effect; } vouchers;
    struct fund_cfg { int stage; double budget, ticket, threshold; struct dist post_money;
                      double max_stake, exit_after, exit_prob, exit_alpha, exit_min_multiple,
                      recycle; } guidance_fund;
    struct rent_cfg { double years, value_per_year, hazard_ratio; } rent_free;
    struct tax_relief_cfg { double rate, years; } tax_relief;
    struct performance_cfg { double amount, target_landings, service_gain, max_gain,
                             persistence; } performance;
    /* shares of budget_per_year reserved for each capped instrument; < 0: none,
     * the instrument draws on what the envelopes leave */
    struct envelope_cfg { double events, grant, voucher, award, rent, construction,
                          performance; } envelopes;
    /* > 0: the instrument's envelope is this many payments a year at its
     * current amount (on top of the shares), so it moves with the amount */
    struct payments_cfg { double award, voucher, grant, rent; } yearly_payments;
    struct build_cfg builds[SC_MAX_BUILDS];
    int nbuilds;
};

struct accounting_cfg {
    double discount_rate;    /* per year; money KPIs are present values at the warm-up */
    int    horizon_value;    /* value firms and fund stakes still alive at the horizon */
    double asset_life;       /* years a construction subsidy's seats serve (its annuity) */
};

struct testing_cfg {         /* for the tests of the task driver, not for studies */
    long   fail_replication; /* this replication fails on purpose; -1 none */
    double fail_at;          /* ... at this time (its rows so far emitted); -1 at its start */
};

/* A setting the scenario is unsure of (DESIGN.md §10): its path, where the
 * figure comes from, and the distribution of what it might be. The setting
 * itself keeps its point value; `psa` and `calibrate` draw from `dist`. */
struct assumption_cfg {
    char   setting[SC_PATH_LEN];     /* "landing.award_weight": validated by scenario_finish */
    char   source[SC_SOURCE_LEN];    /* seed file and figure, a citation, "argued: ...", "unsourced" */
    struct dist dist;                /* the prior */
};

struct screening_cfg {
    double threshold;        /* admit when score >= threshold */
    int    operator_kind;    /* whose experts score */
    char   focus[SC_MAX_NAMES][SET_NAME_LEN];   /* sectors admitted; none = all */
    int    nfocus;
};

struct scenario {
    char   name[SET_NAME_LEN];
    double horizon, warmup, timeseries_step;
    struct sector_cfg    sectors[SC_MAX_SECTORS];   int nsectors;
    struct source_cfg    sources[SC_MAX_SOURCES];   int nsources;
    struct operator_cfg  operators[OP_COUNT];
    struct screening_cfg screening;
    struct carrier_cfg   carriers[SC_MAX_CARRIERS]; int ncarriers;
    struct landing_cfg   landing;
    struct funding_cfg   funding;
    struct production_cfg production;
    struct effects_cfg   effects;
    struct policy_cfg    policy;
    struct accounting_cfg accounting;
    struct testing_cfg   testing;
    /* the seeds' mechanisms (off by default): ownership.h, levels.h, contest.h, rivals.h,
     * certification.h, talent.h, outbound.h */
    struct ownership_cfg ownership;
    struct levels_cfg    levels;
    struct contest_cfg   contest;
    struct rival_cfg     rivals[SC_MAX_RIVALS];     int nrivals;
    struct assumption_cfg assumptions[SC_MAX_ASSUMPTIONS]; int nassumptions;
    struct certification_cfg certification;
    struct talent_cfg    talent;
    struct outbound_cfg  outbound;                  /* home firms going abroad (outbound.h) */
    /* derived at load time, not settings */
    double envelope[INSTR_COUNT];  /* yuan/year per capped instrument; < 0: the shared rest */
    double shared_budget;          /* yuan/year left for instruments without an envelope */
    int    carrier_sector[SC_MAX_CARRIERS][SC_MAX_SECTORS];  /* specialised in it */
    int    focus_sector[SC_MAX_SECTORS];
    int    build_carrier[SC_MAX_BUILDS];
};

extern const struct setting_table scenario_table;

/* Loads and validates a scenario file. Returns 0, or -1 with d->msg naming
 * file, line and setting. */
int scenario_load(const char *path, struct scenario *sc, struct diag *d);
/* Same, with the load's buffers from `al` (settings_load_alloc). */
int scenario_load_alloc(const char *path, struct scenario *sc, struct diag *d,
                        const struct alloc *al);
/* Checks cross-setting rules and fills derived fields (after any change). */
int scenario_finish(struct scenario *sc, const char *file, struct diag *d);
/* The resolved scenario as libconfig text (malloc'd; caller frees). */
char *scenario_print(const struct scenario *sc);

#endif
