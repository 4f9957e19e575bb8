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
