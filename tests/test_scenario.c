/* test_scenario.c — loading: defaults, types, includes and merging, the
 * resolved text reading back to the same scenario, every shipped file. */
#include "test.h"
#include "../models/scenario.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* Projects a scenario's sources bring a year: Poisson rates and events' batches. */
static double intake(const struct scenario *sc)
{
    double n = 0;
    for (int i = 0; i < sc->nsources; i++)
        n += sc->sources[i].rate +
             (sc->sources[i].every > 0 ? sc->sources[i].batch / sc->sources[i].every : 0);
    return n;
}

int main(void)
{
    struct scenario *sc = malloc(sizeof *sc), *again = malloc(sizeof *again);
    struct diag d;

    int rc = scenario_load("tests/validation/jackson.cfg", sc, &d);
    CHECK(rc == 0, "jackson loads: %s", rc ? d.msg : "");
    CHECK(sc->ncarriers == 3 && sc->nsources == 1 && sc->nsectors == 1, "counts %d %d %d",
          sc->ncarriers, sc->nsources, sc->nsectors);
    CHECK(sc->carriers[0].capacity == 60 && sc->carriers[2].stage == STAGE_IND, "carriers as written");
    CHECK(sc->carriers[1].queue_limit == -1, "queue_limit defaults to -1 (unbounded)");
    CHECK(sc->landing.hub_share == 0.6 && sc->landing.fit_weight == 0, "landing defaults");
    CHECK(sc->operators[OP_GOVERNMENT].screening_noise == 0, "screening noise defaults to 0");
    CHECK(sc->policy.budget_per_year == -1, "no budget cap by default");

    /* the resolved text reads back to the same scenario, bit for bit */
    char *text = scenario_print(sc);
    settings_defaults(&scenario_table, again);
    rc = settings_load_string("resolved", text, &scenario_table, again, &d) ||
         scenario_finish(again, "resolved", &d);
    CHECK(rc == 0, "resolved text loads: %s", rc ? d.msg : "");
    char *text2 = scenario_print(again);
    CHECK(strcmp(text, text2) == 0, "printing the reloaded scenario gives the same text");
    CHECK(memcmp(sc, again, sizeof *sc) == 0, "the reloaded scenario is the same bytes");
    free(text);
    free(text2);

    /* integers where reals are expected; includes; merging lists by name */
    write_file("/tmp/incubsim_t_base.cfg",
        "name = \"b\"; horizon = 10;\n"
        "sources = ( { name = \"s\"; rate = 100; } );\n"
        "carriers = (\n"
        "  { name = \"p\"; stage = \"pre_incubation\"; capacity = 5;\n"
        "    duration = { dist = \"exponential\"; mean = 1; }; success = { base = 1; }; },\n"
        "  { name = \"a\"; stage = \"acceleration\"; capacity = 5;\n"
        "    duration = { dist = \"fixed\"; value = 1; }; success = { base = 1; }; },\n"
        "  { name = \"i\"; stage = \"industrialisation\"; capacity = 5;\n"
        "    duration = { dist = \"fixed\"; value = 1; }; success = { base = 1; }; } );\n");
    write_file("/tmp/incubsim_t_variant.cfg",
        "@include \"incubsim_t_base.cfg\"\n"
        "name = \"v\";\n"
        "carriers = ( { name = \"p\"; capacity = 9; duration = { mean = 2.5; }; },\n"
        "             { name = \"a\"; remove = true; },\n"
        "             { name = \"a2\"; stage = \"acceleration\"; capacity = 3;\n"
        "               duration = { dist = \"gamma\"; mean = 1; sd = 0.5; }; success = { base = 0.5; }; } );\n");
    rc = scenario_load("/tmp/incubsim_t_variant.cfg", sc, &d);
    CHECK(rc == 0, "variant loads: %s", rc ? d.msg : "");
    CHECK(strcmp(sc->name, "v") == 0, "the including file overrides: name %s", sc->name);
    CHECK(sc->horizon == 10.0 && sc->sources[0].rate == 100.0, "integers accepted as reals");
    CHECK(sc->ncarriers == 3, "merged carriers: %d", sc->ncarriers);
    CHECK(sc->carriers[0].capacity == 9 && sc->carriers[0].duration.a == 2.5 &&
          sc->carriers[0].duration.kind == DIST_EXPONENTIAL, "merged by name, key by key");
    CHECK(strcmp(sc->carriers[2].name, "a2") == 0 && strcmp(sc->carriers[1].name, "i") == 0,
          "removed one, appended one: %s %s", sc->carriers[1].name, sc->carriers[2].name);

    /* integer literals libconfig 1.5 would wrap at 32 bits read as written,
     * wherever they stand: alone, after a comment, two on a line, in hex */
    write_file("/tmp/incubsim_t_big.cfg",
        "@include \"incubsim_t_base.cfg\"\npolicy = { budget_per_year = 3000000000; };\n");
    rc = scenario_load("/tmp/incubsim_t_big.cfg", sc, &d);
    CHECK(rc == 0 && sc->policy.budget_per_year == 3e9, "3000000000 reads as 3e9: %s",
          rc ? d.msg : "");
    write_file("/tmp/incubsim_t_big.cfg",
        "@include \"incubsim_t_base.cfg\"\npolicy = { budget_per_year = 3000000000L; };\n");
    rc = scenario_load("/tmp/incubsim_t_big.cfg", sc, &d);
    CHECK(rc == 0 && sc->policy.budget_per_year == 3e9, "an L suffix is fine: %s", rc ? d.msg : "");
    write_file("/tmp/incubsim_t_big.cfg",
        "@include \"incubsim_t_base.cfg\"\n"
        "carriers = ( { name = \"p\"; capacity = 100; }, { name = \"a\"; capacity = 40; } );\n");
    rc = scenario_load("/tmp/incubsim_t_big.cfg", sc, &d);
    CHECK(rc == 0 && sc->carriers[0].capacity == 100 && sc->carriers[1].capacity == 40,
          "two integers of one name on a line load: %s", rc ? d.msg : "");
    write_file("/tmp/incubsim_t_big.cfg",
        "@include \"incubsim_t_base.cfg\"\n"
        "policy = { budget_per_year = # \"3000000000\" in a comment\n 0x100000000; };\n");
    rc = scenario_load("/tmp/incubsim_t_big.cfg", sc, &d);
    CHECK(rc == 0 && sc->policy.budget_per_year == 4294967296.0, "hex on the next line: %s %.17g",
          rc ? d.msg : "", sc->policy.budget_per_year);
    write_file("/tmp/incubsim_t_big.cfg",
        "@include \"incubsim_t_base.cfg\"\n"
        "carriers = ( { name = \"p\"; capacity = /* 1 */\n  4294967396; } );\n");
    rc = scenario_load("/tmp/incubsim_t_big.cfg", sc, &d);
    CHECK(rc != 0 && strstr(d.msg, "got 4294967396"), "a wrapped capacity is judged as written: %s",
          d.msg);

    /* every shipped scenario loads: the default comparison's, and the seeds' */
    static const char *const dirs[] = { "scenarios", "scenarios/seeds" };
    int n = 0, nseeds = 0;
    for (int k = 0; k < 2; k++) {
        DIR *dir = opendir(dirs[k]);
        struct dirent *e;
        while (dir && (e = readdir(dir)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
                continue;
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dirs[k], e->d_name);
            rc = scenario_load(path, sc, &d);
            CHECK(rc == 0, "%s loads: %s", path, rc ? d.msg : "");
            *(k ? &nseeds : &n) += 1;
        }
        if (dir)
            closedir(dir);
    }
    CHECK(n >= 10, "found %d shipped scenarios", n);
    CHECK(nseeds >= 4, "found %d seed scenarios", nseeds);

    /* enclave_network_matched is what its comment says: enclave's intake and
     * seats per stage, split among the network's cities in the network's
     * proportions; its sites as the network's */
    struct scenario *en = malloc(sizeof *en), *net = malloc(sizeof *net);
    CHECK(scenario_load("scenarios/enclave.cfg", en, &d) == 0 &&
          scenario_load("scenarios/enclave_network.cfg", net, &d) == 0 &&
          scenario_load("scenarios/enclave_network_matched.cfg", sc, &d) == 0, "%s", d.msg);
    double in_en, in_net, in_m;
    long seats_en[STAGE_COUNT] = { 0 }, seats_m[STAGE_COUNT] = { 0 };
    in_en = intake(en);
    in_m = intake(sc);
    in_net = intake(net);
    CHECK(fabs(in_m - in_en) <= 1e-9, "matched: enclave's intake (%.3f a year, %.3f; the "
          "network's %.3f)", in_m, in_en, in_net);
    CHECK(in_net > in_en + 200, "the network's own intake is larger: %.1f", in_net);
    for (int i = 0; i < en->ncarriers; i++)
        seats_en[en->carriers[i].stage] += en->carriers[i].capacity;
    for (int i = 0; i < sc->ncarriers; i++)
        seats_m[sc->carriers[i].stage] += sc->carriers[i].capacity;
    for (int st = 0; st < STAGE_COUNT; st++)
        CHECK(seats_m[st] == seats_en[st], "matched: stage %d seats %ld, enclave's %ld", st,
              seats_m[st], seats_en[st]);
    /* each city's share of the cities' intake is the network's */
    double city_m = 0, city_net = 0;
    for (int i = 0; i < sc->nsources; i++)
        city_m += sc->sources[i].city[0] ? sc->sources[i].rate : 0;
    for (int j = 0; j < net->nsources; j++)
        city_net += net->sources[j].city[0] ? net->sources[j].rate : 0;
    int cities = 0;
    for (int i = 0; i < sc->nsources; i++)
        for (int j = 0; j < net->nsources; j++)
            if (sc->sources[i].city[0] && strcmp(sc->sources[i].city, net->sources[j].city) == 0) {
                cities++;
                CHECK(fabs(sc->sources[i].rate / city_m - net->sources[j].rate / city_net) < 1e-12,
                      "%s's share of the cities' intake as the network's", sc->sources[i].city);
            }
    CHECK(cities == 3, "three cities matched: %d", cities);
    /* the sites themselves (city, sectors, rent, fixed cost) are the network's */
    for (int i = 0; i < sc->ncarriers; i++)
        for (int j = 0; j < net->ncarriers; j++)
            if (strcmp(sc->carriers[i].name, net->carriers[j].name) == 0)
                CHECK(strcmp(sc->carriers[i].city, net->carriers[j].city) == 0 &&
                      sc->carriers[i].nsectors == net->carriers[j].nsectors &&
                      sc->carriers[i].cost_per_seat == net->carriers[j].cost_per_seat &&
                      sc->carriers[i].site_cost == net->carriers[j].site_cost,
                      "%s: the network's site", sc->carriers[i].name);
    free(en);
    free(net);
    free(sc);
    free(again);
    TEST_END("scenario");
}
