"""test_decision.py — the decision table of `run` and `compare` (DESIGN.md §9), checked
against numbers recomputed here from /runs: /increments' columns and enums (values from 1),
the paired deltas and their Student-t intervals, icer = delta_cost / delta_effect,
Fieller's interval (its ends solve the quadratic), the dominance statuses by a brute-force
lower hull, the sequential rows along the frontier, the net benefit only with
--value-per-effect, --reference and its default, --cost/--effect, the printed words, and
bad options (exit 2, no file)."""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, run, tmpdir  # noqa: E402

COLUMNS = ["scenario", "reference", "against", "cost_kpi", "effect_kpi", "delta_cost",
           "delta_cost_low", "delta_cost_high", "delta_effect", "delta_effect_low",
           "delta_effect_high", "icer", "icer_low", "icer_high", "status"]
NB = ["net_benefit", "net_benefit_low", "net_benefit_high"]
SCEN = ["baseline", "no_policy", "landing_award", "enclave", "professional_operator",
        "budget_cut"]

tmp = tmpdir()
out = os.path.join(tmp, "d.h5")
r = run("run", *["scenarios/%s.cfg" % s for s in SCEN], "-r", "8", "-q", "-o", out,
        "--value-per-effect", "2e6")
check(r.returncode == 0, "run: %s" % r.stderr)


def s(x):
    return x.decode() if isinstance(x, bytes) else x


with h5py.File(out, "r") as f:
    inc = f["increments"]
    a = dict(inc.attrs)
    rows = inc[:]
    names = list(rows.dtype.names)
    check(names[:15] == COLUMNS and names[15:18] == NB,
          "/increments columns in DESIGN.md §9's order: %s" % names)
    st_enum = h5py.check_enum_dtype(rows.dtype["status"])
    check(st_enum == {"reference": 1, "frontier": 2, "dominated": 3, "extended_dominated": 4},
          "status enum from 1: %s" % st_enum)
    check(h5py.check_enum_dtype(rows.dtype["against"]) == {"reference": 1, "frontier": 2},
          "against enum")
    check(s(a["reference"]) == "no_policy", "default reference: no_policy when in the file")
    check(a["value_per_effect"] == 2e6, "value_per_effect attribute")
    check("fieller" in s(a["icer_interval_method"]), "method named")
    runs = f["runs"][:]
    cost_kpi, eff_kpi = s(a["cost_kpi"]), s(a["effect_kpi"])

byname = {}
for sc in SCEN:
    m = runs[[s(x) == sc for x in runs["scenario"]]]
    m = m[np.argsort(m["replication"])]
    byname[sc] = (m[cost_kpi].astype(float), m[eff_kpi].astype(float))

ref = "no_policy"
vs_ref = {s(x["scenario"]): x for x in rows if x["against"] == 1}
check(sorted(vs_ref) == sorted(SCEN), "one row per scenario against the reference")
check(all(s(x["reference"]) == ref for x in vs_ref.values()), "reference column")
for sc in SCEN:
    x = vs_ref[sc]
    dc = byname[sc][0] - byname[ref][0]
    de = byname[sc][1] - byname[ref][1]
    n = len(dc)
    check(abs(x["delta_cost"] - dc.mean()) <= 1e-9 * max(1, abs(dc.mean())),
          "%s: delta_cost %g vs %g" % (sc, x["delta_cost"], dc.mean()))
    check(abs(x["delta_effect"] - de.mean()) <= 1e-9 * max(1, abs(de.mean())),
          "%s: delta_effect" % sc)
    if sc == ref:
        check(x["status"] == 1 and np.isnan(x["icer"]), "the reference's own row")
        continue
    # t from the cost interval; the same t must give the effect's interval
    se_c, se_e = dc.std(ddof=1) / np.sqrt(n), de.std(ddof=1) / np.sqrt(n)
    t = (x["delta_cost_high"] - x["delta_cost"]) / se_c
    check(abs(t - 2.3646) < 1e-3, "%s: t with %d df = %g" % (sc, n - 1, t))
    check(abs((x["delta_effect_high"] - x["delta_effect"]) - t * se_e) < 1e-9 * (1 + se_e),
          "%s: effect interval" % sc)
    check(abs(x["icer"] - dc.mean() / de.mean()) <= 1e-9 * abs(x["icer"]), "%s: icer" % sc)
    vcc, vee = se_c ** 2, se_e ** 2
    vce = np.cov(dc, de, ddof=1)[0, 1] / n
    for R in (x["icer_low"], x["icer_high"]):
        fval = (dc.mean() - R * de.mean()) ** 2 - t * t * (vcc - 2 * R * vce + R * R * vee)
        check(abs(fval) < 1e-6 * dc.mean() ** 2, "%s: Fieller end %g solves the quadratic (%g)"
              % (sc, R, fval))
    check(x["icer_low"] < x["icer"] < x["icer_high"], "%s: icer inside its interval" % sc)
    nb = 2e6 * de - dc
    check(abs(x["net_benefit"] - nb.mean()) <= 1e-6 * (1 + abs(nb.mean())), "%s: net benefit" % sc)
    check(abs(x["net_benefit_high"] - x["net_benefit"] - t * nb.std(ddof=1) / np.sqrt(n))
          < 1e-6 * (1 + abs(nb.mean())), "%s: net benefit interval" % sc)

# dominance by brute force on the mean deltas: an option is on the frontier when it is on
# the lower-right convex hull of (effect, cost), no other option dominates it
pts = {sc: (vs_ref[sc]["delta_effect"], vs_ref[sc]["delta_cost"]) for sc in SCEN}


def dominated(sc):
    e, c = pts[sc]
    return any(o != sc and pts[o][1] <= c and pts[o][0] >= e and pts[o] != (e, c) for o in pts)


def ext_dominated(sc):
    e, c = pts[sc]
    for p in pts:
        for q in pts:
            if dominated(p) or dominated(q):
                continue
            (e1, c1), (e2, c2) = pts[p], pts[q]
            if e1 < e < e2:
                w = (e - e1) / (e2 - e1)   # the mix of p and q with sc's effect
                if c1 + w * (c2 - c1) < c:
                    return True
    return False


want = {}
for sc in SCEN:
    want[sc] = 3 if dominated(sc) else 4 if ext_dominated(sc) else 2
for sc in SCEN:
    if sc != ref:
        check(vs_ref[sc]["status"] == want[sc], "%s: status %d, brute force %d (%s)"
              % (sc, vs_ref[sc]["status"], want[sc], pts[sc]))
front = sorted([sc for sc in SCEN if want[sc] == 2], key=lambda k: pts[k][1])
seq = [x for x in rows if x["against"] == 2]
check([(s(x["reference"]), s(x["scenario"])) for x in seq] == list(zip(front, front[1:])),
      "sequential rows: each frontier option against the next cheaper: %s vs %s"
      % ([(s(x["reference"]), s(x["scenario"])) for x in seq], front))
for x in seq:
    p, q = s(x["reference"]), s(x["scenario"])
    dc = byname[q][0] - byname[p][0]
    de = byname[q][1] - byname[p][1]
    check(abs(x["icer"] - dc.mean() / de.mean()) <= 1e-9 * abs(x["icer"]), "sequential icer")

# the printed table: the reference first, a planner's words
lines = r.stdout.splitlines()
check(lines and lines[0].startswith("Decision: each scenario against \"no_policy\""),
      "run leads with the decision table: %r" % (lines[:1],))
check("  no_policy: the reference" in r.stdout, "the reference's line")
check("per extra landing [" in r.stdout and "net benefit at 2.00e6 per landing" in r.stdout,
      "ICER and net benefit in words")
check(r.stdout.index("Decision:") < r.stdout.index("landing_rate:"), "before the KPI table")
check(max(len(ln) for ln in lines) <= 80, "80 columns")

# compare recomputes the same table from /runs
c = run("compare", out, "--value-per-effect", "2e6", "--kpi", "landed")
check(c.returncode == 0 and c.stdout.split("\n\n")[0] == r.stdout.split("\n\n")[0],
      "compare prints the run's decision table")
c2 = run("compare", out, "--reference", "baseline", "--kpi", "landed")
check(c2.returncode == 0 and "against \"baseline\"" in c2.stdout and "net benefit" not in c2.stdout,
      "compare --reference baseline, no net benefit without a value")
c3 = run("compare", out, "--csv")
check(c3.returncode == 0 and not c3.stdout.startswith("Decision"), "--csv: CSV only")

# without a value per effect: no net benefit columns; --reference and --cost/--effect
out2 = os.path.join(tmp, "e.h5")
r2 = run("run", "scenarios/baseline.cfg", "scenarios/landing_award.cfg", "-r", "4", "-q",
         "-o", out2, "--cost", "public_spend", "--effect", "landed")
check(r2.returncode == 0, "run 2: %s" % r2.stderr)
with h5py.File(out2, "r") as f:
    rows2 = f["increments"][:]
    a2 = dict(f["increments"].attrs)
check("net_benefit" not in rows2.dtype.names and "value_per_effect" not in a2,
      "no net benefit without --value-per-effect")
check(s(a2["reference"]) == "baseline", "no no_policy: the reference is the baseline")
check(s(rows2[0]["cost_kpi"]) == "public_spend" and s(rows2[0]["effect_kpi"]) == "landed",
      "--cost / --effect recorded")

# shards merged: the same /increments as one process; merge takes the run's options
sh = [os.path.join(tmp, "sh%d.h5" % i) for i in range(3)]
for i, p in enumerate(sh):
    x = run("run", "scenarios/no_policy.cfg", "scenarios/baseline.cfg", "scenarios/enclave.cfg",
            "-r", "5", "-q", "--shard", "%d/3" % i, "-o", p)
    check(x.returncode == 0, "shard %d: %s" % (i, x.stderr))
whole = os.path.join(tmp, "whole.h5")
run("run", "scenarios/no_policy.cfg", "scenarios/baseline.cfg", "scenarios/enclave.cfg",
    "-r", "5", "-q", "-o", whole)
merged = os.path.join(tmp, "merged.h5")
m = run("merge", "-o", merged, *sh)
check(m.returncode == 0, "merge: %s" % m.stderr)
with h5py.File(whole, "r") as fw, h5py.File(merged, "r") as fm:
    check("increments" in fm and fm["increments"][:].tobytes() == fw["increments"][:].tobytes(),
          "merged shards: /increments identical to one process")
merged2 = os.path.join(tmp, "merged2.h5")
m = run("merge", "-o", merged2, "--reference", "baseline", "--value-per-effect", "1e6", *sh)
with h5py.File(merged2, "r") as fm:
    check(m.returncode == 0 and s(fm["increments"].attrs["reference"]) == "baseline"
          and "net_benefit" in fm["increments"].dtype.names, "merge --reference, --value-per-effect")

# the README's decision table is what `make run` prints (shipped scenarios, 20 replications),
# and its sentences' numbers are what the commands they name print
readme = open("README.md", encoding="utf-8").read()
start = readme.index("```\n", readme.index("`make run` leads with the **decision table**")) + 4
block = readme[start:readme.index("```", start)]
mr = os.path.join(tmp, "mr.h5")
env = dict(os.environ, INCUBSIM_SCENARIOS="scenarios")
x = run("run", "-q", "-o", mr, env=env)
check(x.returncode == 0 and x.stdout.startswith(block),
      "README's decision table is make run's (regenerate it from `incubsim run`): %s"
      % x.stdout[:len(block)])


def flat(text):
    return " ".join(text.split())


para = flat(readme[readme.index("is the only option on the frontier"):
                   readme.index("Then, for each KPI, a table like this one")])
check(para.startswith("is the only option on the frontier: 1.50e6 yuan per extra landing")
      and "enclave_network: 1.50e6 yuan per extra landing" in flat(x.stdout.split("Along")[-1])
      .replace("no_policy -> ", "").replace("+309 landings for +463e6 yuan, ", ""),
      "README's frontier sentence is make run's")
cb = flat(run("compare", mr, "--reference", "baseline", "--kpi", "landed").stdout)
for name, icer in (("landing_award", "14.7e6 yuan [13.8e6, 15.6e6]"),
                   ("capital_first", "9.37e6 [8.88e6, 9.93e6]"),
                   ("enclave", "0.76e6 [0.70e6, 0.84e6]")):
    v, ci = icer.replace(" yuan", "").split(" ", 1)
    check(icer in para and ("%s yuan per extra landing %s" % (v, ci)) in cb,
          "README's %s against the baseline (%s) is compare's" % (name, icer))
for w, icer in ((5, "5.05e6 [4.94e6, 5.16e6]"), (20, "5.10e6 [5.00e6, 5.21e6]")):
    wo = run("run", "scenarios/no_policy.cfg", "scenarios/landing_award.cfg", "-q", "-o",
             os.path.join(tmp, "w%d.h5" % w), "--set", "warmup=%d" % w, "--set",
             "horizon=%d" % (w + 10))
    v, ci = icer.split(" ", 1)
    check(icer in para and ("%s yuan per extra landing %s" % (v, ci)) in flat(wo.stdout),
          "README's ICER at warm-up %d (%s) is the command's" % (w, icer))

for args, what in ((["--reference", "nope"], "--reference"), (["--cost", "nope"], "--cost"),
                   (["--effect", "x"], "--effect"), (["--value-per-effect", "abc"],
                                                     "--value-per-effect")):
    bad = os.path.join(tmp, "bad.h5")
    b = run("run", "scenarios/baseline.cfg", "-r", "2", "-q", "-o", bad, *args)
    check(b.returncode == 2 and what in b.stderr and not os.path.exists(bad),
          "%s refused with exit 2 and no file: %d %s" % (what, b.returncode, b.stderr))
finish("decision")
