"""test_inputs.py — what the binary accepts from its user, checked at the edge:

- experiment files are read by the settings engine: every field as its type says (an
  integer field refuses 2.5, a real field takes 3), unknown keys with "did you mean",
  messages naming file:line and the path --set spells (levers.landing.base.max,
  carriers.pre.capacity), @include as in a scenario;
- --set takes one scalar: nothing after it reaches libconfig (no `a=1; b=2` injection);
- a sweep whose points all fail exits non-zero and says so; a partial failure says how
  many and which.
Run with Debian's interpreter: INCUBSIM=./incubsim /usr/bin/python3 tests/test_inputs.py"""
import os
import re
import shutil
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, run, tmpdir  # noqa: E402

ROOT = os.getcwd()
PRODUCT = os.path.join(ROOT, "tests/validation/product.cfg")
tmp = tmpdir()
QUICK = ["--set", "sources.all.rate=20", "--set", "horizon=2", "--set", "warmup=0"]


def experiment(name, text):
    path = os.path.join(tmp, name + ".cfg")
    with open(path, "w") as f:
        f.write(text)
    return path


def head(body, scenario=PRODUCT):
    return 'name = "t";\nscenario = "%s";\n%s' % (scenario, body)


LEVER = 'levers = ( { setting = "landing.base"; min = 0.3; max = 0.9; } );\n'


def refused(cmd, text, message, what):
    """The experiment is refused before anything runs: exit 2, one line naming file:line."""
    e = experiment("x", text)
    out = os.path.join(tmp, "x.h5")
    r = run(cmd, e, "-q", "-o", out, *QUICK)
    err = r.stderr.strip()
    check(r.returncode == 2 and message in err and len(err.splitlines()) == 1
          and not os.path.exists(out), "%s: exit %d, wanted %r in: %s" % (what, r.returncode,
                                                                          message, err))


# ---- every field as its type says -------------------------------------------------------
refused("sweep", head("replications = 2.5;\n" + LEVER),
        "x.cfg:3: replications: must be an integer, got 2.5", "an integer field given 2.5")
refused("sweep", head(LEVER + 'design = { kind = "grid"; points = 3.5; };\n'),
        "x.cfg:4: design.points: must be an integer, got 3.5", "design.points given 3.5")
refused("size", head('levers = ( { setting = "landing.base"; min = 0.3; max = 0.9; } );\n'
                     'target = { kpi = "landing_rate"; at_least = 0.5; tolerance = 0.01; '
                     'max_replications = 1e5; };\n'),
        "x.cfg:4: target.max_replications: must be an integer", "max_replications given 1e5")
refused("sweep", head('levers = ( { setting = "carriers.pre.capacity"; min = 10; max = 20.5; } );\n'),
        "x.cfg:3: levers.carriers.pre.capacity.max: carriers.pre.capacity is an integer setting",
        "an integer setting's lever given 20.5")
refused("sweep", head('levers = ( { setting = "landing.base"; min = 0.3; max = 0.9; stpe = 0.1; } );\n'),
        'x.cfg:3: levers.landing.base.stpe: unknown setting (did you mean "step"?)',
        "a lever's unknown key: did you mean")
refused("sweep", head(LEVER + "desing = { points = 3; };\n"),
        'x.cfg:4: desing: unknown setting (did you mean "design"?)', "a top-level typo")
refused("sweep", head('levers = ( { setting = "landing.bse"; min = 0.3; max = 0.9; } );\n'),
        'x.cfg:3: levers.landing.bse.setting: landing.bse: no setting "bse" in landing '
        '(did you mean "base"?)', "a lever's unknown setting, at its line")
refused("sweep", head('levers = ( { setting = "landing.base"; min = 0.3; max = 0.9; },\n'
                      '           { setting = "landing.base"; min = 0.4; max = 0.8; } );\n'),
        "x.cfg:4: levers.landing.base: given twice in this list (also on line 3)",
        "a lever given twice")
refused("sweep", head(LEVER + 'kpis = [ "landing_rat" ];\n'),
        'x.cfg:4: kpis: unknown KPI "landing_rat"', "an unknown KPI")
refused("sweep", head(LEVER + 'design = { kind = "morris"; };\n'),
        'x.cfg:4: design.kind: "morris": sweep takes grid, lhs or sobol', "a design for another command")
refused("sweep", head(LEVER + 'design = { kind = "grd"; };\n'),
        'x.cfg:4: design.kind: must be one of "grid"', "an unknown design kind")
refused("size", head(LEVER + 'design = { points = 3; };\n'
                     'target = { kpi = "landing_rate"; at_least = 0.5; tolerance = 0.01; };\n'),
        "x.cfg:4: design: size takes no design", "size given a design")
refused("size", head(LEVER + 'target = { kpi = "landing_rate"; at_least = 0.5; };\n'),
        "x.cfg:4: target.tolerance: missing required setting", "a target without its tolerance")
refused("size", head(LEVER + 'target = { kpi = "landing_rate"; at_least = 0.5; at_most = 0.6; '
                     'tolerance = 0.01; };\n'),
        "x.cfg:4: target: give exactly one of at_least and at_most", "a target with both bounds")
refused("size", head(LEVER), "x.cfg: (top level): size needs a target", "size without a target")
refused("sweep", head(""), "levers: a list of at least one", "no levers")
refused("sweep", 'scenario = "%s";\n%s' % (PRODUCT, LEVER), "x.cfg: name: missing required",
        "no name")
refused("sweep", head('levers = ( { setting = "landing.base"; min = 0.9; max = 0.3; } );\n'),
        "x.cfg:3: levers.landing.base.max: must be above min", "max below min")
refused("sweep", head('levers = ( { setting = "landing.base"; min = 0.3; max = 1.5; } );\n'),
        "x.cfg:3: levers.landing.base.max: outside landing.base's range [0, 1], got 1.5",
        "a lever beyond its setting's bounds")
refused("sweep", head('levers = ( { setting = "carriers.nope.capacity"; min = 1; max = 5; } );\n'),
        'levers.carriers.nope.capacity: carriers has no element named "nope"',
        "a lever on a missing element")
refused("sweep", head(LEVER + "replications = 3000000000;\n"),
        "x.cfg:4: replications: must be an integer in [1, 100000000], got 3000000000",
        "a 64-bit literal read as written, not wrapped")

# accepted: a real field given an integer literal; @include as in a scenario
base = experiment("base", head('levers = ( { setting = "landing.base"; min = 0; max = 1; } );\n'
                               'design = { kind = "grid"; points = 3; };\nreplications = 1;\n'))
e = experiment("inc", '@include "base.cfg"\nkpis = [ "landing_rate" ];\n'
               'levers = ( { setting = "landing.base"; min = 0; max = 1; } );\n')
out = os.path.join(tmp, "inc.h5")
r = run("sweep", e, "-q", "-o", out, *QUICK)
check(r.returncode == 0, "integer literals for a real lever, @include: exit %d %s"
      % (r.returncode, r.stderr))
if r.returncode == 0:
    with h5py.File(out, "r") as f:
        d = f["design"][:]
        check(list(d["landing.base"]) == [0.0, 0.5, 1.0], "the included design and lever: %s"
              % list(d["landing.base"]))
        check(len(f["runs"]) == 3, "replications from the included file: 3 runs")

# scenario files name list elements by their name too
r = run("check", PRODUCT, "--set", "carriers.pre.capacity=2.5")
check(r.returncode == 2 and "carriers.pre.capacity: must be an integer, got 2.5" in r.stderr,
      "--set names an element by its name: %s" % r.stderr.strip())

# ---- --set: one scalar, nothing after it ---------------------------------------------------
def horizon(stdout):
    m = re.search(r"^horizon = ([0-9.e+-]+);", stdout, re.M)
    return float(m.group(1)) if m else None


for value in ('landing.base=0.5; horizon = 3.0', 'landing.base=0.5\nhorizon = 3.0',
              'landing.base=0.5 horizon', 'name="x"; horizon = 3.0; s="y"',
              'landing.base=0.5 # a comment', 'landing.base=inf', 'landing.base=',
              'carriers.pre.capacity=1;horizon=3.0'):
    r = run("check", PRODUCT, "--set", value)
    check(r.returncode == 2 and "the value must be one number" in r.stderr
          and len(r.stderr.strip().splitlines()) == 1,
          "--set %r refused in one line: exit %d %s" % (value, r.returncode, r.stderr.strip()))
r = run("check", PRODUCT, "--set", 'name=x"; horizon = 3.0; y="')
check(r.returncode == 0 and horizon(r.stdout) == 6.0 and 'name = "x\\"; horizon' in r.stdout,
      "an unquoted string value is one string, whatever it holds (horizon %s)"
      % horizon(r.stdout))
for value, shown in (("landing.base=5e-1", "base = 0.5;"), ("carriers.pre.capacity=0x10", "capacity = 16;"),
                     ('name="a\\"b"', 'name = "a\\"b";'), ("policy.landing_award=1e6", "landing_award = 1000000.0;"),
                     ("landing.base= 0.25 ", "base = 0.25;"), ("name=plain", 'name = "plain";')):
    r = run("check", PRODUCT, "--set", value)
    check(r.returncode == 0 and shown in r.stdout, "--set %r accepted: %s %s"
          % (value, shown, r.stderr.strip()))
e = experiment("setx", head(LEVER + 'design = { kind = "grid"; points = 2; };\n'))
r = run("sweep", e, "-q", "-o", os.path.join(tmp, "setx.h5"), "--set", "horizon=2; warmup = 1.0")
check(r.returncode == 2 and "the value must be one number" in r.stderr
      and not os.path.exists(os.path.join(tmp, "setx.h5")), "sweep --set: the same rule")

# ---- a sweep whose points fail ------------------------------------------------------------
BASE = ["--set", "sources.all.rate=10", "--set", "horizon=10", "--set", "warmup=0"]
e = experiment("allbad", head('replications = 2;\n'
                              'levers = ( { setting = "horizon"; min = 2.0; max = 4.0; },\n'
                              '           { setting = "warmup"; min = 5.0; max = 6.0; } );\n'
                              'design = { kind = "grid"; points = 3; };\n'))
out = os.path.join(tmp, "allbad.h5")
r = run("sweep", e, "-q", "-o", out, *BASE)
check(r.returncode == 2 and "every one of the 9 design points is an invalid combination" in r.stderr
      and "warmup must be shorter than horizon" in r.stderr and "allbad.cfg" in r.stderr
      and not os.path.exists(out), "every point invalid: exit %d, %s" % (r.returncode, r.stderr.strip()))
e = experiment("somebad", head('replications = 2;\n'
                               'levers = ( { setting = "horizon"; min = 2.0; max = 6.0; },\n'
                               '           { setting = "warmup"; min = 3.0; max = 5.0; } );\n'
                               'design = { kind = "grid"; points = 3; };\n'))
out = os.path.join(tmp, "somebad.h5")
r = run("sweep", e, "-q", "-o", out, *BASE)
check(r.returncode == 0 and "5 of the 9 design points are invalid combinations" in r.stderr
      and "points 0, 1, 2, 4, 5;" in r.stderr,
      "some points invalid: how many and which: exit %d, %s" % (r.returncode, r.stderr.strip()))
if os.path.exists(out):
    with h5py.File(out, "r") as f:
        st = f["runs"]["status"]
        failed = h5py.check_enum_dtype(f["runs"].dtype["status"])["failed"]   # enums from 1
        check(int((st == failed).sum()) == 10, "their 10 runs recorded as failed")
e = experiment("runfail", head('replications = 1;\n' + LEVER + 'design = { kind = "grid"; points = 3; };\n'))
out = os.path.join(tmp, "runfail.h5")
r = run("sweep", e, "-q", "-o", out, *BASE, "--set", "testing.fail_replication=0")
check(r.returncode != 0 and "every run of the sweep failed (3 of 3)" in r.stderr,
      "every run failing: exit %d, %s" % (r.returncode, r.stderr.strip()[-300:]))

# ---- compare on a crafted /design: a clear error, quickly, never a crash ------------------
import numpy as np  # noqa: E402

e = experiment("small", head(LEVER + 'design = { kind = "grid"; points = 3; };\nreplications = 1;\n'))
good = os.path.join(tmp, "small.h5")
r = run("sweep", e, "-q", "-o", good, *QUICK)
check(r.returncode == 0, "a small sweep to craft from: %s" % r.stderr.strip())


def crafted(name, make):
    path = os.path.join(tmp, name + ".h5")
    shutil.copy(good, path)
    with h5py.File(path, "a", libver="latest") as f:   # latest: room for 2,000 columns
        del f["design"]
        make(f)
    return path


def two_d(f):
    f.create_dataset("design", data=np.zeros((3, 4), dtype=[("point", "<u4"), ("x", "<f8")]))


def wide(f):
    dt = np.dtype([("point", "<u4")] + [("l%d" % i, "<f8") for i in range(2000)])
    f.create_dataset("design", data=np.zeros(2000, dtype=dt))


def huge(f):
    dt = np.dtype([("point", "<u4"), ("landing.base", "<f8")])
    f.create_dataset("design", shape=(2 ** 40,), maxshape=(None,), chunks=(1024,), dtype=dt)


def flat(f):
    f.create_dataset("design", data=np.zeros(3))


def text(f):
    f.create_dataset("design", data=np.zeros(3, dtype=[("point", "<u4"), ("x", "S8")]))


def none(f):
    f.create_dataset("design", data=np.zeros(3, dtype=[("point", "<u4")]))


for name, make, message in (("two_d", two_d, "not a one-dimensional table"),
                            ("wide", wide, "has 2000 lever columns"),
                            ("huge", huge, "claims 1099511627776 points"),
                            ("flat", flat, "not a one-dimensional table"),
                            ("text", text, "column 2 is not a named number"),
                            ("none", none, "has 0 lever columns")):
    path = crafted(name, make)
    r = run("compare", path, timeout=60)
    check(r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1,
          "compare on a crafted /design (%s): exit %d, %s" % (name, r.returncode, r.stderr.strip()[:300]))
path = crafted("runs2d", lambda f: (f.__delitem__("runs"),
                                    f.create_dataset("runs", data=np.zeros((2, 2)))))
r = run("compare", path, timeout=60)
check(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1,
      "compare on a 2-D /runs: exit %d, %s" % (r.returncode, r.stderr.strip()[:300]))
r = run("compare", good)
check(r.returncode == 0 and "landing.base" in r.stdout, "compare still reads a real sweep")

# ---- size and --precision at their edges ----------------------------------------------------
def size_exp(name, lever, target):
    return experiment(name, head("replications = 10;\nlevers = ( %s );\ntarget = %s;\n"
                                 % (lever, target)))


SMALL = ["--set", "sources.all.rate=50", "--set", "carriers.pre.queue_limit=0"]
e = size_exp("intsize", '{ setting = "carriers.pre.capacity"; min = 1; max = 100; }',
             '{ kpi = "balked"; at_most = 5.0; tolerance = 1.0; }')
out = os.path.join(tmp, "intsize.h5")
r = run("size", e, "-q", "-o", out, *SMALL)
check(r.returncode == 0, "size on an integer lever: exit %d %s" % (r.returncode, r.stderr.strip()))
if r.returncode == 0:
    with h5py.File(out, "r") as f:
        a = dict(f["sizing"].attrs)
        probes = f["sizing"][:]
        values = sorted(float(v) for v in probes["value"])
    check(a["answer"] == round(a["answer"]) and a["answer_high"] - a["answer_low"] == 1,
          "an integer lever bisected on integers: answer %r in (%r, %r]"
          % (a["answer"], a["answer_low"], a["answer_high"]))
    check(all(v == round(v) for v in values) and a["answer"] in values,
          "every probe an integer, the answer among them: %s" % values)
e = size_exp("nansize", '{ setting = "landing.base"; min = 0.0; max = 0.5; }',
             '{ kpi = "cost_per_landing"; at_most = 1.0e6; tolerance = 1.0e4; }')
out = os.path.join(tmp, "nansize.h5")
r = run("size", e, "-q", "-o", out, "--set", "sources.all.rate=20", "--set", "landing.base=0",
        "--set", "landing.hub_share=1", timeout=120)
check(r.returncode == 2 and "cost_per_landing is NaN" in r.stderr and "in 10 of the 10" in r.stderr,
      "size on a KPI NaN everywhere stops at once: exit %d, %s" % (r.returncode, r.stderr.strip()))
out = os.path.join(tmp, "const.h5")
r = run("run", PRODUCT, "-q", "-o", out, "--precision", "spend_grant=0.01", "--max-reps", "500",
        "--set", "sources.all.rate=20")
if r.returncode == 0:
    with h5py.File(out, "r") as f:
        n = len(f["runs"])
check(r.returncode == 0 and n <= 31, "--precision on a constant KPI stops after the look-ahead "
      "(20 + 11 runs), not at --max-reps: exit %d, %s runs" % (r.returncode, n if r.returncode == 0 else "?"))

# ---- landing_rate is a share, even in a window shorter than the pipeline ---------------------
out = os.path.join(tmp, "short.h5")
r = run("run", PRODUCT, "-r", "40", "-q", "-o", out, "--set", "sources.all.rate=20",
        "--set", "warmup=5", "--set", "horizon=5.1")
check(r.returncode == 0, "a 0.1-year window: %s" % r.stderr.strip())
if r.returncode == 0:
    with h5py.File(out, "r") as f:
        runs = f["runs"][:]
    lr = runs["landing_rate"]
    check(np.nanmax(lr) <= 1, "landing_rate <= 1 in a 0.1-year window: max %g" % np.nanmax(lr))
    check(np.any((runs["landed"] > runs["sourced"]) & (runs["sourced"] > 0)),
          "the case that broke it: more landings than arrivals in the window")
    ok = ~np.isnan(lr)
    np.seterr(divide="ignore", invalid="ignore")
    check(np.allclose(lr[ok], (runs["landed"] / (runs["sourced"] + runs["in_pipeline_start"]))[ok]),
          "landing_rate = landed / (sourced + in_pipeline_start)")

# ---- shipped scripts: bad input ends with one line and a non-zero exit, no traceback ------
import subprocess  # noqa: E402

PY = "/usr/bin/python3"


def one_line_refusal(r, what):
    """Non-zero, no traceback, and the refusal is one line (a library's warning may precede it)."""
    err = r.stderr.strip()
    last = err.splitlines()[-1] if err else ""
    mine = [x for x in err.splitlines() if x.startswith(("plot.py:", "incubsim:")) or "OUT" in x]
    check(r.returncode != 0 and "Traceback" not in err and len(mine) <= 1 and last,
          "%s: exit %d, one line: %s" % (what, r.returncode, err[-400:]))


def plot(path):
    return subprocess.run([PY, "output/plot.py", path, "--format", "png"], capture_output=True,
                          text=True, timeout=300)


if os.path.exists(good):
    def no_kpi_column(f):
        s_ = f["summary"][:]
        del f["summary"]
        names = [n for n in s_.dtype.names if n != "kpi"]
        f.create_dataset("summary", data=s_[names])
    def summary_2d(f):
        del f["summary"]
        f.create_dataset("summary", data=np.zeros((3, 3)))
    def design_text(f):
        f.create_dataset("design", data=np.zeros(3, dtype=[("point", "<u4"), ("x", "S8")]))
    def timeseries_floats(f):
        del f["timeseries"]
        f.create_dataset("timeseries", data=np.zeros(5))
    for name, make in (("nokpi", no_kpi_column), ("sum2d", summary_2d), ("dtext", design_text),
                       ("tsfloat", timeseries_floats)):
        path = crafted("plot_" + name, make)
        one_line_refusal(plot(path), "plot.py on a crafted file (%s)" % name)
    notes = os.path.join(tmp, "notes.txt")
    with open(notes, "w") as f:
        f.write("not hdf5\n")
    one_line_refusal(plot(notes), "plot.py on a text file")
    one_line_refusal(plot(tmp), "plot.py on a folder")
    one_line_refusal(plot(os.path.join(tmp, "missing.h5")), "plot.py on a missing file")
env = {k: v for k, v in os.environ.items() if k not in ("OUT", "EXPERIMENT")}
for script, args in (("submit.sh", []), ("resubmit.sh", []), ("resubmit.sh", ["123"])):
    r = subprocess.run(["sh", "scenarios/cluster/" + script, *args], capture_output=True, text=True,
                       env=env, cwd=tmp if False else None, timeout=60)
    one_line_refusal(r, "scenarios/cluster/%s %s without OUT" % (script, " ".join(args)))

shutil.rmtree(tmp, ignore_errors=True)
finish("inputs")
