"""test_mpi.py — the MPI build (make MPI=1) under `mpirun -np 2` and `-np 3` gives the
same bits as one process: run (with --records and a failing task), sweep,
sensitivity and run --precision; size refuses to run under mpirun.
Needs $INCUBSIM_MPI (make test builds it and installs Open MPI); without mpirun or
the MPI build its checks are reported as skipped, never passed.
Run with Debian's interpreter: /usr/bin/python3 tests/test_mpi.py"""
import os
import shutil
import subprocess
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from h5same import same  # noqa: E402
from harness import check, finish, run as one, skip, tmpdir  # noqa: E402

MPI_BIN = os.environ.get("INCUBSIM_MPI", "build-mpi/incubsim")
tmp = tmpdir()
env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0", OMPI_MCA_rmaps_base_oversubscribe="1")


def mpirun(np, *args):
    return subprocess.run(["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(np),
                           MPI_BIN, *args], capture_output=True, text=True, env=env)


if not shutil.which("mpirun") or not os.path.exists(MPI_BIN):
    skip("no mpirun or no %s: the MPI tests" % MPI_BIN)
    finish("mpi")

scen = ["scenarios/baseline.cfg", "scenarios/capital_first.cfg"]
common = ["-r", "8", "-q", "--records", "--set", "horizon=8", "--set", "testing.fail_replication=5"]
ref = os.path.join(tmp, "one.h5")
r = one("run", *scen, *common, "-j", "1", "-o", ref)
check(r.returncode == 0, "one process: %s" % r.stderr)
for np in (1, 2, 3):
    out = os.path.join(tmp, "np%d.h5" % np)
    r = mpirun(np, "run", *scen, *common, "-o", out)
    check(r.returncode == 0, "mpirun -np %d run: %s" % (np, r.stderr[-500:]))
    if r.returncode == 0:
        d = same(ref, out)
        check(not d, "mpirun -np %d = one process: %s" % (np, d))

# a task that fails partway (testing.fail_at: after it emitted rows): none of its rows
# stay under MPI either, and the file is one process's
part = ["-r", "6", "-q", "--records", "--set", "horizon=8", "--set", "testing.fail_replication=3",
        "--set", "testing.fail_at=6.5"]
ref = os.path.join(tmp, "part1.h5")
r = one("run", *scen, *part, "-j", "1", "-o", ref)
check(r.returncode == 0 and "failed" in r.stderr, "one process, a task failing at t=6.5: %s" % r.stderr)
for np in (2, 3):
    out = os.path.join(tmp, "part_np%d.h5" % np)
    r = mpirun(np, "run", *scen, *part, "-o", out)
    check(r.returncode == 0 and "failed" in r.stderr, "mpirun -np %d, a task failing at t=6.5: %s"
          % (np, r.stderr[-300:]))
    if r.returncode == 0:
        d = same(ref, out)
        check(not d, "mpirun -np %d = one process, a task failing partway: %s" % (np, d))
        with h5py.File(out, "r") as f:
            for t in ("timeseries", "projects"):
                reps = set(int(x) for x in f[t]["replication"])
                check(3 not in reps and {0, 1, 2, 4, 5} <= reps,
                      "-np %d: no /%s rows of the replication that failed partway (%s)"
                      % (np, t, sorted(reps)))


def by_rank(stderr):
    """The tasks each rank ran, from -v's line "tasks run by each MPI rank: 0: A 1: B"."""
    for line in stderr.splitlines():
        if "tasks run by each MPI rank:" in line:
            words = line.split(":", 2)[2].split()
            return [int(words[i + 1]) for i in range(0, len(words), 2)]
    return None


# every rank computes its share (a count of tasks, not a time): rank 0 runs tasks between
# messages, the workers run chunks. Dynamic balancing follows the load of a shared
# machine, so a share is "at least a quarter" with two ranks, and best of three tries.
fair = ["-r", "150", "-q", "-v"]
total = 2 * 150
ref = os.path.join(tmp, "fair1.h5")
r = one("run", *scen, *fair, "-j", "1", "-o", ref)
check(r.returncode == 0, "one process, 300 tasks: %s" % r.stderr)
for np, least in ((2, total // 4), (3, 1)):
    out = os.path.join(tmp, "fair_np%d.h5" % np)
    counts = None
    for attempt in range(3):
        r = mpirun(np, "run", *scen, *fair, "-o", out, "--force")
        counts = by_rank(r.stderr)
        if r.returncode != 0 or not counts or min(counts) >= least:
            break
    check(r.returncode == 0 and counts is not None and len(counts) == np and sum(counts) == total,
          "-np %d -v: the tasks each rank ran add up to %d: %s" % (np, total, counts))
    check(counts is not None and min(counts) >= least,
          "-np %d: every rank ran at least %d of %d tasks: %s" % (np, least, total, counts))
    check(r.stderr.count("estimate:") == 1, "-np %d -v: the estimate printed once, by rank 0" % np)
    if r.returncode == 0:
        d = same(ref, out)
        check(not d, "mpirun -np %d = one process, 300 tasks: %s" % (np, d))

# ranks started with another run are refused, not recorded as rank 0's (MPMD: one
# command line per rank)
for what, other in (("seed", ["-s", "5"]), ("--set", ["--set", "policy.landing_award=1"]),
                    ("scenario", ["--set", "horizon=9"]), ("replications", ["-r", "9"])):
    out = os.path.join(tmp, "odd.h5")
    line = ["run", *scen, *common, "-o", out]
    r = subprocess.run(["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "1", MPI_BIN,
                        *line, ":", "-np", "1", MPI_BIN, *line, *other],
                       capture_output=True, text=True, env=env)
    check(r.returncode != 0 and "rank 1 was started with another run" in r.stderr
          and not os.path.exists(out),
          "a rank with another %s is refused: exit %d %s" % (what, r.returncode, r.stderr[-300:]))

exp = os.path.join(tmp, "sweep.cfg")
with open(exp, "w") as f:
    f.write('name = "s"; scenario = "%s"; replications = 3;\n'
            'levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; } );\n'
            'design = { kind = "grid"; points = 4; };\n' % os.path.abspath("scenarios/baseline.cfg"))
a, b = os.path.join(tmp, "s1.h5"), os.path.join(tmp, "s2.h5")
r = one("sweep", exp, "-q", "-j", "1", "-o", a, "--set", "horizon=8")
r2 = mpirun(2, "sweep", exp, "-q", "-o", b, "--set", "horizon=8")
check(r.returncode == 0 and r2.returncode == 0, "sweep: %s %s" % (r.stderr, r2.stderr[-300:]))
if r2.returncode == 0:
    d = same(a, b)
    check(not d, "sweep under mpirun -np 2 = one process: %s" % d)

sens = os.path.join(tmp, "sens.cfg")
with open(sens, "w") as f:
    f.write('name = "m"; scenario = "%s"; replications = 2;\n'
            'levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; },\n'
            '           { setting = "screening.threshold"; min = 0.2; max = 0.4; } );\n'
            'design = { kind = "morris"; points = 4; };\n' % os.path.abspath("scenarios/baseline.cfg"))
a, b = os.path.join(tmp, "m1.h5"), os.path.join(tmp, "m2.h5")
r = one("sensitivity", sens, "-q", "-j", "1", "-o", a, "--set", "horizon=8")
r2 = mpirun(3, "sensitivity", sens, "-q", "-o", b, "--set", "horizon=8")
check(r.returncode == 0 and r2.returncode == 0, "sensitivity: %s %s" % (r.stderr, r2.stderr[-300:]))
if r2.returncode == 0:
    d = same(a, b)
    check(not d, "sensitivity under mpirun -np 3 = one process (with /sensitivity): %s" % d)

a, b = os.path.join(tmp, "p1.h5"), os.path.join(tmp, "p2.h5")
prec = ["--precision", "landing_rate=0.004", "--max-reps", "80", "--set", "horizon=8", "-q"]
r = one("run", *scen, *prec, "-j", "1", "-o", a)
r2 = mpirun(2, "run", *scen, *prec, "-o", b)
check(r.returncode == 0 and r2.returncode == 0, "precision: %s %s" % (r.stderr, r2.stderr[-300:]))
if r2.returncode == 0:
    d = same(a, b)
    check(not d, "--precision under mpirun -np 2 = one process: %s" % d)

# mpi.sbatch as Slurm would run it (2 tasks)
stem = os.path.join(tmp, "slurm", "mpi")
e = dict(env, INCUBSIM=os.path.abspath(MPI_BIN), OUT=stem, EXPERIMENT=exp, REPS="3",
         SLURM_NTASKS="2", OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
r = subprocess.run(["bash", "scenarios/cluster/mpi.sbatch"], env=e, capture_output=True, text=True)
check(r.returncode == 0, "mpi.sbatch: %s" % r.stderr[-400:])
ref = os.path.join(tmp, "s_ref.h5")
one("sweep", exp, "-q", "-j", "1", "-r", "3", "-o", ref)
if r.returncode == 0:
    d = same(ref, stem + ".h5")
    check(not d, "mpi.sbatch = one process: %s" % d)

r = mpirun(2, "size", "scenarios/experiments/landing_award_sizing.cfg", "-q", "-o",
           os.path.join(tmp, "z.h5"))
check(r.returncode != 0 and "not under mpirun" in r.stderr, "size under mpirun refused")

finish("mpi")
