/* fuzz_scenario.c — libFuzzer target: any bytes as a scenario file. What the
 * loader accepts must then run (a shortened replication) without a crash, a
 * hang or a NaN; what it refuses must say why. `make fuzz` runs it on the
 * corpus of scenarios/ and tests/bad/. */
#include "../models/model.h"
#include "../models/scenario.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct scenario *sc = malloc(sizeof *sc);
    struct run_result *res = malloc(sizeof *res);
    if (!text || !sc || !res)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    struct diag d;
    settings_defaults(&scenario_table, sc);
    int bad = settings_load_string("fuzz.cfg", text, &scenario_table, sc, &d) ||
              scenario_finish(sc, "fuzz.cfg", &d);
    if (bad) {
        if (!d.msg[0])
            abort();   /* a refusal must say why */
    } else {
        /* shortened: about 2,000 arrivals, so each input runs in milliseconds */
        double rate = 0;
        for (int i = 0; i < sc->nsources; i++)
            rate += sc->sources[i].rate +
                    (sc->sources[i].every > 0 ? (double)sc->sources[i].batch / sc->sources[i].every : 0);
        double horizon = rate > 0 ? fmin(sc->horizon, 2000.0 / rate) : sc->horizon;
        if (horizon < sc->horizon) {
            sc->horizon = horizon;
            sc->warmup = fmin(sc->warmup, horizon / 2);
        }
        sc->timeseries_step = fmax(sc->timeseries_step, sc->horizon / 100);
        if (scenario_finish(sc, "fuzz.cfg", &d) == 0) {
            int rc = model_run(sc, 0, 1, NULL, res);
            if (rc == MODEL_OK && isnan(res->kpi.sourced))
                abort();   /* a KPI that cannot be NaN */
        }
        char *again = scenario_print(sc);   /* what check prints must reload */
        struct scenario *back = malloc(sizeof *back);
        if (again && back) {
            settings_defaults(&scenario_table, back);
            if (settings_load_string("printed.cfg", again, &scenario_table, back, &d) ||
                    scenario_finish(back, "printed.cfg", &d))
                abort();
        }
        free(back);
        free(again);
    }
    free(res);
    free(sc);
    free(text);
    return 0;
}
