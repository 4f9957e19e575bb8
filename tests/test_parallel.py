"""test_parallel.py — the same seed gives the same bits however the tasks run:
one thread, -j 2, -j 3. /runs (but wall_seconds), /carriers, /summary, /timeseries,
/projects and /design are compared field by field.
Run with Debian's interpreter: /usr/bin/python3 tests/test_parallel.py"""
import os
import subprocess
import tempfile

import h5py

INCUBSIM = os.environ.get("INCUBSIM", "./incubsim")
passed = failed = 0
tmp = tempfile.mkdtemp()
TABLES = ["runs", "carriers", "summary", "timeseries", "projects", "design", "scenarios"]


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL", what)


def run(*args):
    return subprocess.run([INCUBSIM, *args], capture_output=True, text=True)


def same(a, b, what):
    """Every table of a in b, field by field, the same bytes (wall_seconds aside)."""
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        for t in TABLES:
            if t not in fa:
                continue
            check(t in fb, "%s: /%s in both" % (what, t))
            if t not in fb:
                continue
            x, y = fa[t][:], fb[t][:]
            check(len(x) == len(y), "%s: /%s rows %d vs %d" % (what, t, len(x), len(y)))
            if len(x) != len(y):
                continue
            for name in x.dtype.names:
                if name in ("wall_seconds",) or (t == "scenarios" and name == "config"):
                    continue
                if x[name].tobytes() != y[name].tobytes():
                    check(False, "%s: /%s column %s differs" % (what, t, name))
                    break
            else:
                check(True, "%s: /%s" % (what, t))


scen = ["scenarios/baseline.cfg", "scenarios/capital_first.cfg"]
one = os.path.join(tmp, "j1.h5")
r = run("run", *scen, "-r", "6", "-q", "-j", "1", "--records", "-o", one, "--set", "horizon=8")
check(r.returncode == 0, "run -j 1: %s" % r.stderr)
for j in ("2", "3"):
    out = os.path.join(tmp, "j%s.h5" % j)
    r = run("run", *scen, "-r", "6", "-q", "-j", j, "--records", "-o", out, "--set", "horizon=8")
    check(r.returncode == 0, "run -j %s: %s" % (j, r.stderr))
    same(one, out, "run -j 1 vs -j %s" % j)

# a failing task in the middle, with threads: recorded, the rest the same
a, b = os.path.join(tmp, "f1.h5"), os.path.join(tmp, "f2.h5")
for j, out in (("1", a), ("2", b)):
    r = run("run", *scen, "-r", "5", "-q", "-j", j, "-o", out, "--set", "testing.fail_replication=3",
            "--set", "horizon=8")
    check(r.returncode == 0 and "failed" in r.stderr, "failing task with -j %s" % j)
same(a, b, "a failing task, -j 1 vs -j 2")
with h5py.File(b, "r") as f:
    check(list(f["runs"]["status"]).count(1) == 2, "both scenarios' replication 3 failed")

# a sweep
exp = os.path.join(tmp, "sweep.cfg")
with open(exp, "w") as f:
    f.write('name = "s"; scenario = "%s"; replications = 3;\n'
            'levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; } );\n'
            'design = { kind = "lhs"; points = 5; };\n' % os.path.abspath("scenarios/baseline.cfg"))
a, b = os.path.join(tmp, "s1.h5"), os.path.join(tmp, "s2.h5")
for j, out in (("1", a), ("2", b)):
    r = run("sweep", exp, "-q", "-j", j, "-o", out, "--set", "horizon=8")
    check(r.returncode == 0, "sweep -j %s: %s" % (j, r.stderr))
same(a, b, "sweep -j 1 vs -j 2")

r = run("run", scen[0], "-j", "0")
check(r.returncode == 2 and "-j needs" in r.stderr, "-j 0 refused")

print("# parallel: %d passed, %d failed" % (passed, failed))
raise SystemExit(1 if failed else 0)
