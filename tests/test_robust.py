"""test_robust.py — `incubsim size --robust P` through the command line, on a network whose
answer is known in closed form.

The Jackson network (tests/validation/jackson.cfg) with its first carrier made a loss system
(queue_limit = 0: a project that finds the c seats full is turned away): projects arrive at
rate lambda, stay 0.5 years, so the share turned away is Erlang B(c, 0.5 lambda) and the
balked count over the window of T years has mean lambda T B(c, 0.5 lambda), rising in lambda
and falling in c. With lambda uncertain, U(80, 120), the smallest c whose balked mean stays
<= the target in a share >= P of lambda's draws is the smallest c that meets it at lambda's
P-quantile, 80 + 40 P. The test computes that c (Erlang B's recursion) for P = 0.5 and 0.9 and
checks that size --robust finds it (within one seat: each draw's mean carries the noise of
its replications), that 0.9 asks for more seats than 0.5, that the probes share the draws
(common random numbers across probes), the same bits with -j 1 and -j 2, that compare and
report reprint the answer, a posterior concentrated at one lambda gives that lambda's answer
whatever P, and the refusals.
Run with Debian's interpreter: /usr/bin/python3 tests/test_robust.py"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, run, tmpdir  # noqa: E402
from h5same import same  # noqa: E402

ROOT = os.getcwd()
tmp = tmpdir()
SPAN = 50.0          # horizon 60, warm-up 10
TARGET = 100.0       # balked projects over the window, at most
LO, HI = 80.0, 120.0


def write(name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def erlang_b(a, c):
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def closed_form(lam):
    """The smallest c with lam T B(c, 0.5 lam) <= TARGET."""
    for c in range(1, 400):
        if lam * SPAN * erlang_b(0.5 * lam, c) <= TARGET:
            return c
    return None


LOSS = """@include "%s"
name = "jackson_loss";
horizon = 60.0;
warmup = 10.0;
carriers = (
  { name = "pre"; stage = "pre_incubation"; capacity = 60; queue_limit = 0;
    duration = { dist = "exponential"; mean = 0.5; }; success = { base = 0.4; }; } );
%s
""" % (os.path.join(ROOT, "tests/validation/jackson.cfg"), "%s")
ASSUME = ('assumptions = ( { setting = "sources.all.rate"; source = "argued: the test\'s known '
          'answer"; dist = "uniform"; min = %g; max = %g; } );' % (LO, HI))
scen = write("loss.cfg", LOSS % ASSUME)
bare = write("bare.cfg", LOSS % "")


def experiment(name, scenario, extra=""):
    return write(name, """
name = "robust_loss";
scenario = "%s";
replications = 8;
levers = ( { setting = "carriers.pre.capacity"; min = 30; max = 90; } );
target = { kpi = "balked"; at_most = %g; tolerance = 5.0; };
draws = 64;
%s
""" % (scenario, TARGET, extra))


exp = experiment("robust.cfg", scen)


def robust(p, out, *extra, e=exp):
    r = run("size", e, "--robust", str(p), "-o", out, "-q", "--force", *extra)
    check(r.returncode == 0, "size --robust %s: exit %d %s" % (p, r.returncode, r.stderr))
    with h5py.File(out, "r") as f:
        a = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f["sizing"].attrs.items()}
        return a, f["sizing"][:], f["design"][:], r.stdout


# ---- the closed form, and what size --robust answers ---------------------------------
want = {p: closed_form(LO + (HI - LO) * p) for p in (0.5, 0.9)}
check(want[0.9] > want[0.5] + 3, "the closed forms differ: %s" % want)
got = {}
for p in (0.5, 0.9):
    out = os.path.join(tmp, "r%g.h5" % p)
    a, probes, design, stdout = robust(p, out, "-j", "2")
    got[p] = a["answer"]
    check(a["status"] == "met" and abs(a["answer"] - want[p]) <= 1,
          "P %g: answer %s, closed form (Erlang B at lambda = %g) %d" %
          (p, a["answer"], LO + (HI - LO) * p, want[p]))
    check(a["robust"] == p and a["draws"] == 64 and a["replications_per_draw"] == 8 and
          a["assumptions"] == "prior" and "Wilson" in a["robust_rule"],
          "P %g: the attributes robust, draws, replications_per_draw, assumptions, robust_rule" % p)
    check(a["answer_boot_low"] <= a["answer"] <= a["answer_boot_high"],
          "P %g: the bootstrap interval [%g, %g] holds the answer" %
          (p, a["answer_boot_low"], a["answer_boot_high"]))
    # the share: >= P at the answer and every probe above it, < P below it
    ok = all((row["share"] >= p) == (row["value"] >= a["answer"]) for row in probes)
    check(ok, "P %g: share >= P exactly at the probes >= the answer" % p)
    at = probes[probes["value"] == a["answer"]][0]
    check(at["share"] == a["share_at_answer"] and at["share_low"] <= at["share"] <= at["share_high"],
          "P %g: share at the answer %g, Wilson [%g, %g]" %
          (p, at["share"], at["share_low"], at["share_high"]))
    # the draws: /design holds probes x draws rows, the lever then the assumption; the
    # same 64 values of the rate at every probe (common random numbers across probes)
    names = design.dtype.names
    check(names == ("point", "carriers.pre.capacity", "sources.all.rate"),
          "P %g: /design columns %s" % (p, names))
    check(len(design) == 64 * len(probes), "P %g: %d design rows for %d probes" %
          (p, len(design), len(probes)))
    rates = design["sources.all.rate"].reshape(len(probes), 64)
    check(np.all(rates == rates[0]), "P %g: the same draws at every probe" % p)
    check(np.all(design["carriers.pre.capacity"].reshape(len(probes), 64).T == probes["value"]),
          "P %g: each probe's 64 points at its value" % p)
    u = np.sort((rates[0] - LO) / (HI - LO))
    check(np.max(np.abs(u - (np.arange(64) + 0.5) / 64)) < 2.0 / 64,
          "P %g: the draws fill the prior evenly (quasi-random)" % p)
    check("size --robust %g" % p in stdout and "share of draws meeting the target" in stdout,
          "P %g: size prints the robust answer" % p)
    if p == 0.9:
        said = stdout[:stdout.index("\nresults:")]
        c = run("compare", out)
        check(c.returncode == 0 and said.strip() in c.stdout,
              "compare reprints the robust answer as size printed it:\n%s\n---\n%s" %
              (said, c.stdout))
        wide = [ln for ln in c.stdout.splitlines() if len(ln) > 80]
        check(not wide, "the reprint fits 80 columns: %s" % wide)
        html = os.path.join(tmp, "r.html")
        rr = run("report", out, "-o", html, "--force")
        check(rr.returncode == 0 and "Robust: the target is met in at least 90% of 64 draws"
              in open(html).read(), "report says the robust answer: %s" % rr.stderr)
        page = open(html).read() if rr.returncode == 0 else ""
        check("share of draws meeting the target</text>" in page and ">P 0.9</text>" in page,
              "report's probe figure plots what the robust rule decided on: the share against P")
check(got[0.9] > got[0.5], "P 0.9 asks for more seats than P 0.5: %s" % got)

# ---- the same bits with -j 1 ---------------------------------------------------------
a1, p1, _, _ = robust(0.9, os.path.join(tmp, "j1.h5"), "-j", "1")
d = same(os.path.join(tmp, "r0.9.h5"), os.path.join(tmp, "j1.h5"))
with h5py.File(os.path.join(tmp, "r0.9.h5"), "r") as f, \
        h5py.File(os.path.join(tmp, "j1.h5"), "r") as g:
    d += [] if f["sizing"][:].tobytes() == g["sizing"][:].tobytes() else ["/sizing"]
    d += [k for k in f["sizing"].attrs if k != "replications" and
          not np.array_equal(f["sizing"].attrs[k], g["sizing"].attrs[k])]
check(not d, "-j 1 and -j 2: the same bits (%s)" % d)

# ---- a posterior concentrated at one rate: that rate's answer, whatever P -------------
post = os.path.join(tmp, "post.h5")
with h5py.File(post, "w") as f:
    dt = np.dtype([("sources.all.rate", "<f8"), ("weight", "<f8")])
    f.create_dataset("posterior", data=np.array([(100.0, 1.0)] * 5, dtype=dt))
pexp = experiment("post.cfg", scen, 'posterior = "%s";' % post)
for p in (0.2, 0.9):
    a, _, design, stdout = robust(p, os.path.join(tmp, "post%g.h5" % p), "-j", "2", e=pexp)
    check(np.all(design["sources.all.rate"] == 100.0) and a["assumptions"] == post,
          "posterior: every draw at its one rate")
    check(abs(a["answer"] - closed_form(100.0)) <= 1,
          "posterior at rate 100, P %g: answer %s, closed form %d" %
          (p, a["answer"], closed_form(100.0)))
    check(("posterior %s" % post).replace(" ", "")[:20] in stdout.replace("\n", "").replace(" ", ""),
          "size names the posterior it drew from")

# ---- refusals: one line, exit 2, no file -----------------------------------------------
def refused(args, words, what):
    out = os.path.join(tmp, "refused.h5")
    r = run("size", *args, "-o", out, "-q")
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("Try ")]
    check(r.returncode == 2 and len(lines) == 1 and words in r.stderr and not os.path.exists(out),
          "%s: exit %d, %s" % (what, r.returncode, r.stderr))


for bad in ("0", "1", "1.5", "-0.2", "abc", ""):
    refused((exp, "--robust", bad), "--robust needs a probability P with 0 < P < 1",
            "--robust %r" % bad)
refused((experiment("bare_exp.cfg", bare), "--robust", "0.9"), "declare no assumptions",
        "no assumptions")
clash = write("clash.cfg", LOSS % ASSUME.replace(
    ");", ', { setting = "carriers.pre.capacity"; source = "unsourced"; dist = "uniform"; '
    'min = 40.0; max = 80.0; } );'))
refused((experiment("clash_exp.cfg", clash), "--robust", "0.9"), "is also one of the scenario's "
        "assumptions", "the lever is an assumption")
r = run("sweep", exp, "--robust", "0.9", "-o", os.path.join(tmp, "s.h5"), "-q")
check(r.returncode == 2 and "--robust does not apply to `sweep`" in r.stderr,
      "--robust is size's: %s" % r.stderr)
h = run("size", "--help")
check("--robust P" in h.stdout and "share of draws" in h.stdout, "size --help teaches --robust")

# ---- the README's worked example is the shipped command's output ----------------------------
out = os.path.join(tmp, "shipped.h5")
r = run("size", os.path.join(ROOT, "scenarios/experiments/robust_sizing.cfg"), "--robust", "0.5",
        "-o", out, "-q", "-j", "2")
check(r.returncode == 0, "the shipped robust sizing: %s" % r.stderr)
with h5py.File(out, "r") as f:
    a = dict(f["sizing"].attrs)
readme = " ".join(open(os.path.join(ROOT, "README.md"), encoding="utf-8").read().split())
row = "| 0.5 | %.2fe6, in (%.2fe6, %.2fe6] | %.3f | [%.2fe6, %.1fe6] |" % (
    a["answer"] / 1e6, a["answer_low"] / 1e6, a["answer_high"] / 1e6, a["share_at_answer"],
    a["answer_boot_low"] / 1e6, a["answer_boot_high"] / 1e6)
check(row in readme, "README's robust sizing at P = 0.5 is the command's: %s" % row)

finish("test_robust")
