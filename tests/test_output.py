"""test_output.py — the HDF5 file read back by h5py (and pandas when present):
every table of the schema, attributes, units, enums, the config fingerprint,
row counts, and agreement between /runs, /summary and /carriers.
Run with Debian's interpreter: /usr/bin/python3 tests/test_output.py"""
import csv
import hashlib
import io
import os
import subprocess
import sys
import unicodedata

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, run, tmpdir  # noqa: E402



tmp = tmpdir()
out = os.path.join(tmp, "o.h5")
reps = 3
scen = ["scenarios/baseline.cfg", "scenarios/capital_first.cfg", "tests/validation/jackson.cfg"]
r0 = run("run", *scen, "-r", str(reps), "-s", "123", "-q", "--records", "-o", out)
check(r0.returncode == 0, "run --records: exit %d %s" % (r0.returncode, r0.stderr))

f = h5py.File(out, "r")
for table in ["scenarios", "runs", "carriers", "timeseries", "projects", "summary"]:
    check(table in f, "table /%s present" % table)
    if table in f:
        check(f[table].chunks is not None and f[table].maxshape == (None,),
              "/%s is chunked and extendible" % table)
        a = f[table].attrs
        check("description" in a and all(k in a for k in ("columns", "units", "descriptions")),
              "/%s documents itself" % table)
        if "columns" in a:
            names = list(f[table].dtype.names)
            check(list(a["columns"]) == names, "/%s: one documented column per field, in order" % table)
            check(len(a["units"]) == len(names) and all(len(d) > 3 for d in a["descriptions"]),
                  "/%s: every column has a unit entry and a description" % table)
runs_units = dict(zip(f["runs"].attrs["columns"], f["runs"].attrs["units"]))
check(runs_units.get("landing_rate") == "share" and runs_units.get("tax") == "yuan (PV)"
      and runs_units.get("mean_time_to_landing") == "years" and runs_units.get("fiscal_return") == "ratio",
      "per-column units, ratios included: %s" % {k: runs_units.get(k) for k in ("landing_rate", "tax")})
# every integer a user sets reads back exactly, whatever the reader: seeds are float64, exact to 2^53
check(f["runs"].dtype["seed"] == np.float64 and f["runs"].dtype["events"] == np.float64,
      "/runs seed and events are float64 (R reads 64-bit integers over 2^31 as NA)")

for attr in ["incubsim_version", "git_commit", "created", "command_line", "master_seed",
             "gsl_version", "libconfig_version", "hdf5_version", "host"]:
    check(attr in f.attrs, "root attribute %s" % attr)
check(int(f.attrs["master_seed"]) == 123, "master_seed recorded")
check(b"--records" in f.attrs["command_line"], "command line recorded")

# /scenarios: resolved config text with its SHA-256; the text checks as a scenario
sc = f["scenarios"][:]
check(len(sc) == 3, "three scenarios")
names = [n.decode() for n in sc["name"]]
check(names == ["baseline", "capital_first", "jackson"], "scenario names %s" % names)
for row in sc:
    text = row["config"]
    text = text.decode() if isinstance(text, bytes) else text
    check(hashlib.sha256(text.encode()).hexdigest() == row["config_sha256"].decode(),
          "config_sha256 matches for %s" % row["name"])
    path = os.path.join(tmp, "resolved.cfg")
    with open(path, "w") as fh:
        fh.write(text)
    chk = run("check", path)
    check(chk.returncode == 0 and chk.stdout.split("\n", 1)[1] == text,
          "stored config re-resolves identically for %s" % row["name"])

# /runs: one row per (scenario, replication), every KPI
runs = f["runs"][:]
check(len(runs) == 3 * reps, "/runs has %d rows" % len(runs))
for col in ["scenario", "point", "replication", "seed", "wall_seconds", "sourced", "admitted",
            "rejected", "graduated_pre", "failed_pre", "accelerated", "failed_acc", "landed",
            "lost", "failed_ind", "alive_end", "landing_rate", "mean_time_to_landing", "jobs",
            "revenue", "tax", "public_spend", "cost_per_landing", "fiscal_return"]:
    check(col in runs.dtype.names, "/runs column %s" % col)
check(sorted(set(runs["replication"])) == list(range(reps)), "replications count from 0")
check(np.all(runs["point"] == 0), "point 0 without a sweep")
base = runs[runs["scenario"] == b"baseline"]
check(np.allclose(base["landing_rate"], base["landed"] / (base["sourced"] + base["in_pipeline_start"])),
      "landing_rate = landed / (sourced + in_pipeline_start): every landing's project is in it")
check(np.all(base["landing_rate"] <= 1), "landing_rate is a share")

# /carriers: one row per (run, carrier); stage is an HDF5 enum
car = f["carriers"][:]
check(len(car) == reps * (3 + 3 + 3), "/carriers: 3 carriers x 3 scenarios x %d reps, got %d" % (reps, len(car)))
stage_enum = h5py.check_enum_dtype(f["carriers"].dtype["stage"])
check(stage_enum == {"pre_incubation": 1, "acceleration": 2, "industrialisation": 3},
      "stage enum numbered from 1 (R reads it as a factor): %s" % stage_enum)

# /projects: one row per sourced project; outcome enum; totals agree with /runs
pr = f["projects"][:]
outcome = h5py.check_enum_dtype(f["projects"].dtype["outcome"])
check(outcome is not None and "production" in outcome and "rejected" in outcome, "outcome enum")
for col in ["scenario", "point", "replication", "project", "source", "sector", "quality", "t_arrive"]:
    check(col in pr.dtype.names, "/projects column %s" % col)
check(set(pr["scenario"]) == {b"baseline", b"capital_first", b"jackson"},
      "/projects scenario holds names: %s" % set(pr["scenario"]))
check({b"overseas_talent", b"roadshows"} <= set(pr["source"]), "/projects source holds names")
car = f["carriers"][:]
check(set(pr["carrier_pre"]) - {b""} <= set(car["carrier"]) and b"" in set(pr["carrier_acc"]),
      "/projects carrier_* hold /carriers' names (empty: never reached)")
j = runs[(runs["scenario"] == b"jackson")]
jp = pr[pr["scenario"] == b"jackson"]
check(np.all(jp["carrier_pre"] == b"pre"), "jackson's projects all went through 'pre'")
try:
    import pandas
    joined = pandas.DataFrame(pr).merge(pandas.DataFrame(car), left_on=["scenario", "replication", "carrier_acc"],
                                        right_on=["scenario", "replication", "carrier"])
    check(len(joined) == np.sum(pr["carrier_acc"] != b""), "/projects joins /carriers on the carrier's name")
except ImportError:
    pass
warm = 20.0
for r in range(reps):
    n_after = np.sum((jp["replication"] == r) & (jp["t_arrive"] >= warm))
    check(n_after == j[j["replication"] == r]["sourced"][0],
          "rep %d: projects arriving after warm-up (%d) = sourced" % (r, n_after))
check(np.all(np.isnan(jp["t_land"][jp["outcome"] == outcome["failed_pre"]])), "never-landed have NaN t_land")

# /timeseries: sampled every timeseries_step from the warm-up
ts = f["timeseries"][:]
b0 = ts[(ts["scenario"] == b"baseline") & (ts["replication"] == 0)]
check(len(b0) == 21 and b0["t"][0] == 5.0 and b0["t"][-1] == 15.0, "baseline samples 5..15 by 0.5: %d" % len(b0))
check(np.all(np.diff(b0["landed_cum"]) >= 0), "cumulative landed never falls")

# /summary agrees with /runs
sm = f["summary"][:]
row = sm[(sm["scenario"] == b"baseline") & (sm["kpi"] == b"landed")][0]
check(abs(row["mean"] - base["landed"].mean()) < 1e-9 and row["n"] == reps, "summary mean matches /runs")
cf = sm[(sm["scenario"] == b"capital_first") & (sm["kpi"] == b"landed")][0]
diff = runs[runs["scenario"] == b"capital_first"]["landed"] - base["landed"]
check(abs(cf["diff_mean"] - diff.mean()) < 1e-9, "paired difference matches /runs")

try:
    import pandas
    df = pandas.DataFrame(f["runs"][:])
    check(len(df) == 3 * reps and "landing_rate" in df.columns, "pandas reads /runs")
except ImportError:
    print("note: pandas not installed; h5py + numpy checked")

# the terminal table: 80 columns by display width, names whole (CJK aligned, a
# long name on its own line), one number format per column, CSV that parses back
def width(line):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in line)
tmp = tmpdir()
names = ["jackson", "深圳前海科技飞地", "a_long_scenario_name_for_the_enclave_network", 'comma, "quote"']
files = []
for i, nm in enumerate(names):
    text = open("tests/validation/jackson.cfg").read().replace('name = "jackson";', 'name = "%s";' % nm.replace('"', '\\"'))
    text = text.replace("horizon = 400.0;", "horizon = 40.0;")
    fn = os.path.join(tmp, "s%d.cfg" % i)
    open(fn, "w", encoding="utf-8").write(text)
    files.append(fn)
t = run("run", *files, "-r", "3", "-q", "-o", os.path.join(tmp, "t.h5"),
        "--kpi", "landing_rate,tax,public_spend,landed")
check(t.returncode == 0, "table run: %s" % t.stderr)
lines = t.stdout.splitlines()
check(max(width(l) for l in lines) <= 80, "the table fits 80 columns: %d" % max(width(l) for l in lines))
for nm in names[:3]:
    check(any(l.strip().startswith(nm) for l in lines), "name %s printed whole" % nm)
rows = [l for l in lines if l.startswith("  ") and "±" in l and "CI" not in l]   # the table's rows
edges = {width(l[:l.index(" ", l.index("±"))]) if " " in l[l.index("±"):] else width(l) for l in rows}
check(len(edges) == 1, "the ± column lines up by display width (CJK included): %s" % edges)
block = t.stdout.split("\nlanding_rate:")[1].split("\n\n")[0].splitlines()[2:]
means = [l.split()[-4] if "(baseline)" not in l else l.split()[-3] for l in block if "±" in l]
check(len({len(m.split(".")[1]) if "." in m else 0 for m in means}) == 1, "one format per column: %s" % means)
c = run("compare", os.path.join(tmp, "t.h5"), "--csv")
parsed = list(csv.DictReader(io.StringIO(c.stdout)))
check({r["scenario"] for r in parsed} == set(names), "the CSV parses back every name: %s" % {r["scenario"] for r in parsed})

# h5dump -H shows the schema
dump = subprocess.run(["h5dump", "-H", out], capture_output=True, text=True)
check(dump.returncode == 0, "h5dump -H runs")
for needle in ['DATASET "runs"', 'DATASET "projects"', "H5T_ENUM", 'ATTRIBUTE "master_seed"',
               "H5T_CSET_UTF8"]:
    check(needle in dump.stdout, "h5dump shows %s" % needle)

finish("output")
