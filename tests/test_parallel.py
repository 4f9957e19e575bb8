"""test_parallel.py — the same seed gives the same bits however the tasks run:
one thread, -j 2, -j 3. /runs (but wall_seconds), /carriers, /summary, /timeseries,
/projects and /design are compared field by field.
Run with Debian's interpreter: /usr/bin/python3 tests/test_parallel.py"""
import os
import subprocess

import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import h5same  # noqa: E402
from harness import INCUBSIM, check, finish, run, tmpdir  # noqa: E402

tmp = tmpdir()


def same(a, b, what):
    d = h5same.same(a, b)
    check(not d, "%s: %s" % (what, d))


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
    check(list(f["runs"]["status"]).count(2) == 2, "both scenarios' replication 3 failed (failed = 2)")

# a task that fails partway, after emitting rows: none of its rows stay, however it ran
# (-j 1 writes rows straight to the file and must take them back)
a, b = os.path.join(tmp, "p1.h5"), os.path.join(tmp, "p2.h5")
for j, out in (("1", a), ("2", b)):
    r = run("run", *scen, "-r", "5", "-q", "-j", j, "--records", "-o", out, "--set",
            "testing.fail_replication=3", "--set", "testing.fail_at=6.5", "--set", "horizon=8")
    check(r.returncode == 0 and "failed" in r.stderr, "a task failing at t=6.5 (past the warm-up) with -j %s" % j)
same(a, b, "a task failing partway, -j 1 vs -j 2")
# ... also when every task is its own part (--checkpoint 0: the rows taken back from the part
# the failing task opened, and the parts joined)
c = os.path.join(tmp, "p3.h5")
r = run("run", *scen, "-r", "5", "-q", "-j", "1", "--checkpoint", "0", "--records", "-o", c, "--set",
        "testing.fail_replication=3", "--set", "testing.fail_at=6.5", "--set", "horizon=8")
check(r.returncode == 0 and "failed" in r.stderr, "a task failing partway, -j 1 --checkpoint 0")
same(a, c, "a task failing partway, -j 1 in one part vs a part per task")
with h5py.File(a, "r") as f:
    for t in ("timeseries", "projects"):
        reps = set(int(x) for x in f[t]["replication"])
        check(3 not in reps and {0, 1, 2, 4} <= reps,
              "-j 1: no /%s rows of the replication that failed partway (%s)" % (t, sorted(reps)))

# --precision longer than --checkpoint (a part per task asked for): the replications the rule
# adds after the first batch are kept, in one file (it failed at its end and kept nothing)
pr = os.path.join(tmp, "prec.h5")
r = run("run", "tests/validation/product.cfg", "-q", "--precision", "landing_rate=0.02", "--max-reps",
        "60", "--set", "sources.all.rate=20", "-o", pr, "--force", "--checkpoint", "0")
check(r.returncode == 0, "--precision with --checkpoint 0 completes: %s" % r.stderr.strip()[-200:])
if r.returncode == 0:
    with h5py.File(pr, "r") as f:
        n = len(f["runs"]["replication"])
    check(n > 20 and not os.path.exists(pr + ".parts"),
          "--precision with --checkpoint 0: %d runs in the file, no parts folder left" % n)

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

# ---- shards of a Slurm array, merged in any order -----------------------------------
for j in ("1", "2"):
    shards = []
    for i in range(3):
        out = os.path.join(tmp, "shard%s.%d.h5" % (j, i))
        r = run("run", *scen, "-r", "6", "-q", "-j", j, "--records", "-o", out, "--set", "horizon=8",
                "--shard", "%d/3" % i)
        check(r.returncode == 0, "shard %d/3: %s" % (i, r.stderr))
        shards.append(out)
    merged = os.path.join(tmp, "merged%s.h5" % j)
    r = run("merge", "-o", merged, shards[2], shards[0], shards[1])
    check(r.returncode == 0, "merge: %s" % r.stderr)
    same(one, merged, "three shards (-j %s) merged in another order" % j)
    with h5py.File(merged, "r") as f:
        check(f.attrs["shard"] in (b"", ""), "the merged file is whole")
merged2 = os.path.join(tmp, "merged_again.h5")
r = run("merge", "-o", merged2, shards[1], shards[2], shards[0])
same(merged, merged2, "merging twice, in other orders")
r = run("merge", "-o", os.path.join(tmp, "gap.h5"), shards[0], shards[2])
check(r.returncode == 2 and "missing tasks 4..7" in r.stderr, "a missing shard is named: %s"
      % r.stderr.strip())
other = os.path.join(tmp, "other.h5")
run("run", *scen, "-r", "6", "-q", "-o", other, "--set", "horizon=8", "--shard", "1/3", "-s", "2")
r = run("merge", "-o", os.path.join(tmp, "x.h5"), shards[0], other, shards[2])
check(r.returncode == 2 and "the seed" in r.stderr, "a part of another run is refused: %s"
      % r.stderr.strip())
run("run", scen[0], "-r", "6", "-q", "-o", other, "--force", "--set", "horizon=9", "--shard", "1/3")
r = run("merge", "-o", os.path.join(tmp, "x.h5"), shards[0], other, shards[2])
check(r.returncode == 2 and "differs" in r.stderr, "another scenario is refused: %s" % r.stderr.strip())
exp_shards = []
for i in range(2):
    out = os.path.join(tmp, "sw.%d.h5" % i)
    r = run("sweep", exp, "-q", "-o", out, "--set", "horizon=8", "--shard", "%d/2" % i)
    check(r.returncode == 0, "sweep shard %d/2: %s" % (i, r.stderr))
    exp_shards.append(out)
r = run("merge", "-o", os.path.join(tmp, "swm.h5"), *exp_shards[::-1])
check(r.returncode == 0, "merge sweep shards: %s" % r.stderr)
same(a, os.path.join(tmp, "swm.h5"), "sweep: two shards merged")
for cmd, extra in (("size", []), ("run", ["--precision", "landing_rate=0.01"])):
    r = run(cmd, exp if cmd == "size" else scen[0], "--shard", "0/2", "-q", *extra)
    check(r.returncode == 2, "%s cannot be sharded: %s" % (cmd, r.stderr.strip()))

# ---- resume after a kill ------------------------------------------------------------------
import signal
import time
full = os.path.join(tmp, "full.h5")
r = run("run", *scen, "-r", "40", "-q", "-o", full, "--set", "horizon=30")
check(r.returncode == 0, "the uninterrupted run")
killed = os.path.join(tmp, "killed.h5")
parts = os.path.join(tmp, "killed.h5.parts")
cmd = [INCUBSIM, "run", *scen, "-r", "40", "-q", "-o", killed, "--set", "horizon=30",
       "--checkpoint", "0", "-j", "2"]


def kill_after_parts(command, sig, want):
    """Starts the command, waits until `want` parts are committed, then kills it."""
    p = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(500):
        if os.path.isdir(parts) and len([n for n in os.listdir(parts) if n.endswith(".h5")]) >= want:
            break
        if p.poll() is not None:
            break
        time.sleep(0.01)
    p.send_signal(sig)
    p.wait()


for sig, want in ((signal.SIGKILL, 5), (signal.SIGTERM, 20)):
    if os.path.exists(killed):
        os.unlink(killed)
    kill_after_parts(cmd, sig, want)
    check(not os.path.exists(killed), "%s: no file under the final name" % sig.name)
    committed = len([n for n in os.listdir(parts) if n.endswith(".h5")]) if os.path.isdir(parts) else 0
    check(0 < committed < 80, "%s: killed with %d of 80 tasks committed" % (sig.name, committed))
    r = run(*cmd[1:])
    check(r.returncode == 2 and "--resume" in r.stderr, "without --resume: told to resume (%s)"
          % r.stderr.strip())
    r = run(*cmd[1:], "--resume")
    check(r.returncode == 0, "%s then --resume: %s" % (sig.name, r.stderr))
    print("    %s with %d of 80 tasks committed, then resumed" % (sig.name, committed))
    same(full, killed, "killed by %s and resumed" % sig.name)
    check(not os.path.exists(parts), "the parts are removed once joined")
r = run(*cmd[1:], "--resume")
check(r.returncode == 2 and "nothing to resume" in r.stderr, "resume of a complete run")
# one part (the file it becomes, never closed in between) and 80 (joined) make the same file
many = os.path.join(tmp, "many.h5")
r = run(*cmd[1:cmd.index("-o") + 1], many, *cmd[cmd.index("-o") + 2:])
check(r.returncode == 0 and not os.path.exists(many + ".parts"), "80 parts joined: %s" % r.stderr)
same(full, many, "one part or 80")
with h5py.File(full, "r") as a, h5py.File(many, "r") as b:
    check(sorted(a.attrs) == sorted(b.attrs), "the same root attributes, one part or 80")
    for k in ("task_first", "task_end", "task_total", "shard"):
        check(a.attrs[k] == b.attrs[k], "%s: %r, one part or 80 (%r)" % (k, a.attrs[k], b.attrs[k]))
    check(a.attrs["task_end"] == 80 and a.attrs["shard"] in (b"", ""), "the whole range, no shard")
# a changed scenario is refused, naming what changed
kill_after_parts(cmd + ["--force"], signal.SIGKILL, 3)
changed = [c if c != "horizon=30" else "horizon=31" for c in cmd] + ["--resume"]
r = run(*changed[1:])
check(r.returncode == 2 and 'scenario "baseline" changed' in r.stderr,
      "--resume with another scenario refused, naming it: %s" % r.stderr.strip())
r = run(*cmd[1:], "--resume", "-s", "5")
check(r.returncode == 2 and "the seed" in r.stderr, "--resume with another seed refused")
r = run(*cmd[1:], "--force", "--resume")
check(r.returncode == 0, "and the same command resumes: %s" % r.stderr.strip())
same(full, killed, "killed, refused twice, resumed")

# ---- the Slurm scripts, run as Slurm would run them -----------------------------------
stem = os.path.join(tmp, "slurm", "fund")
script_env = dict(os.environ, INCUBSIM=os.path.abspath(INCUBSIM), OUT=stem, EXPERIMENT=exp,
                  REPS="3", SLURM_ARRAY_TASK_COUNT="3", SLURM_CPUS_PER_TASK="2")
for i in (2, 0, 1):
    e = dict(script_env, SLURM_ARRAY_TASK_ID=str(i))
    r = subprocess.run(["bash", "scenarios/cluster/array.sbatch"], env=e, capture_output=True,
                       text=True)
    check(r.returncode == 0, "array.sbatch shard %d: %s" % (i, r.stderr))
r = subprocess.run(["bash", "scenarios/cluster/merge.sbatch"], env=script_env, capture_output=True,
                   text=True)
check(r.returncode == 0 and os.path.exists(stem + ".txt"), "merge.sbatch: %s" % r.stderr)
ref = os.path.join(tmp, "fund_one.h5")
run("sweep", exp, "-q", "-j", "1", "-r", "3", "-o", ref)
same(ref, stem + ".h5", "array.sbatch x 3 + merge.sbatch = one process")

r = run("run", scen[0], "-j", "0")
check(r.returncode == 2 and "-j needs" in r.stderr, "-j 0 refused")

finish("parallel")
