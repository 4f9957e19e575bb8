"""test_psa_shards.py — `psa` over shards: each shard runs its slice of the (option, draw,
replication) tasks (`psa --shard I/N`), `incubsim merge` joins them, and `psa --analyse
MERGED.h5` computes /psa, /increments, /ceac and /evppi from the merged runs: the file must
equal a one-process psa bit for bit (every table, and the attributes of the analysis tables),
and print the same answer. Also: a whole psa file analysed again is itself; the refusals
(one shard alone, another seed, --analyse with --shard, a missing file) are one line, exit 2,
and write nothing.
Run with Debian's interpreter: /usr/bin/python3 tests/test_psa_shards.py"""
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, run, tmpdir  # noqa: E402
from h5same import same  # noqa: E402

ROOT = os.getcwd()
tmp = tmpdir()
exp = os.path.join(tmp, "psa.cfg")
with open(exp, "w") as f:
    f.write("""
name = "psa_shards";
scenarios = [ "%s", "%s" ];
replications = 2;
draws = 8;
value_per_effect = [ 0.0, 2.0e7 ];
""" % (os.path.join(ROOT, "scenarios/baseline.cfg"), os.path.join(ROOT, "scenarios/capital_first.cfg")))
ANALYSIS = ["psa", "increments", "ceac", "evppi", "summary", "design"]


def p(name):
    return os.path.join(tmp, name)


def answer(stdout):
    """What psa printed, but the results line (its path and seconds)."""
    return stdout[:stdout.index("\nresults:")]


def identical(a, b, what):
    d = same(a, b)
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        for t in ANALYSIS:
            if t not in fa or t not in fb:
                d.append("/%s missing" % t)
                continue
            ka, kb = set(fa[t].attrs), set(fb[t].attrs)
            d += ["/%s attribute %s" % (t, k) for k in ka | kb
                  if k not in ka or k not in kb or not np.array_equal(fa[t].attrs[k], fb[t].attrs[k])]
            if fa[t][:].tobytes() != fb[t][:].tobytes():
                d.append("/%s bytes" % t)
    check(not d, "%s: the same bits (%s)" % (what, d))


whole = run("psa", exp, "-o", p("whole.h5"), "-q", "-j", "2", "--value-per-effect", "1e7")
check(whole.returncode == 0, "one-process psa: %s" % whole.stderr)
for k in range(3):
    r = run("psa", exp, "--shard", "%d/3" % k, "-o", p("sh%d.h5" % k), "-q", "-j", "1")
    check(r.returncode == 0 and "shard %d/3" % k in r.stdout and "--analyse" in r.stdout,
          "psa --shard %d/3: %s %s" % (k, r.stdout, r.stderr))
    with h5py.File(p("sh%d.h5" % k), "r") as f:
        check("runs" in f and "psa" not in f and "evppi" not in f,
              "a shard holds its runs, not the analysis")
m = run("merge", "-o", p("merged.h5"), p("sh2.h5"), p("sh0.h5"), p("sh1.h5"))
check(m.returncode == 0, "merge of psa shards: %s" % m.stderr)
a = run("psa", exp, "--analyse", p("merged.h5"), "-o", p("analysed.h5"), "-q",
        "--value-per-effect", "1e7")
check(a.returncode == 0, "psa --analyse: %s" % a.stderr)
identical(p("whole.h5"), p("analysed.h5"), "shards merged and analysed vs one process")
check(answer(whole.stdout) == answer(a.stdout),
      "the same answer printed:\n%s\n---\n%s" % (whole.stdout, a.stdout))
with h5py.File(p("analysed.h5"), "r") as f:
    check(f.attrs["task_first"] == 0 and f.attrs["task_end"] == 32, "the analysed file's range")

# a whole psa file analysed again: itself (e.g. to re-read it with another --reference)
again = run("psa", exp, "--analyse", p("whole.h5"), "-o", p("again.h5"), "-q",
            "--value-per-effect", "1e7")
check(again.returncode == 0, "psa --analyse of a whole psa file: %s" % again.stderr)
identical(p("whole.h5"), p("again.h5"), "a whole psa analysed again")


def refused(args, words, what):
    out = p("refused.h5")
    r = run("psa", exp, *args, "-o", out, "-q")
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("Try ")]
    check(r.returncode == 2 and len(lines) == 1 and words in r.stderr and not os.path.exists(out)
          and not os.path.exists(out + ".part"), "%s: exit %d, %s" % (what, r.returncode, r.stderr))


refused(("--analyse", p("sh1.h5")), "holds tasks 10..20 of the run's 32: join every shard",
        "one shard alone")
refused(("--analyse", p("merged.h5"), "-s", "7"), "the seed (7, 1) differs", "another seed")
refused(("--analyse", p("merged.h5"), "-r", "3"), "the replications", "other replications")
refused(("--analyse", p("merged.h5"), "--shard", "0/2"), "--analyse runs nothing",
        "--analyse with --shard")
refused(("--analyse", p("nothing.h5")), "nothing.h5", "a missing file")
h = run("psa", "--help")
check("--analyse FILE" in h.stdout and "--shard I/N" in h.stdout, "psa --help teaches both")

finish("test_psa_shards")
