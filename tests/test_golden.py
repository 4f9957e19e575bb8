"""test_golden.py — a small fixed-seed run compared, bit for bit, with the numbers
stored in tests/golden/: every column of /runs (but wall_seconds) and of /carriers,
each value written as Python's repr, which reads back to the same double. Any
change that moves a result, however little, fails here and names the columns.

When a change is meant to move results, regenerate with `make golden` (which runs
this file with GOLDEN_WRITE=1) and say in the commit why the numbers moved.
Run with Debian's interpreter: /usr/bin/python3 tests/test_golden.py"""
import os
import sys

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, run, tmpdir  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
GOLDEN = os.path.join(ROOT, "tests", "golden")
# two scenarios, three replications, a short horizon: under a second
ARGS = ["run", "scenarios/baseline.cfg", "scenarios/landing_award.cfg", "-r", "3",
        "-s", "20261203", "--set", "horizon=12", "--set", "warmup=2", "-j", "1", "-q"]
SKIP_COLUMNS = {"wall_seconds"}   # the only column that is not a function of the inputs


def cell(v):
    if isinstance(v, bytes):
        return v.decode()
    if hasattr(v, "dtype") and v.dtype.kind == "f":
        return repr(float(v))
    return str(v.item() if hasattr(v, "item") else v)


def table_text(f, name):
    """The table as CSV text: a header of its columns, one line per row."""
    rows = f[name][:]
    cols = [c for c in rows.dtype.names if c not in SKIP_COLUMNS]
    lines = [",".join(cols)]
    for r in rows:
        lines.append(",".join(cell(r[c]) for c in cols))
    return lines


os.chdir(ROOT)
out = os.path.join(tmpdir(), "golden.h5")
r = run(*ARGS, "-o", out)
check(r.returncode == 0, "the golden run: exit %d %s" % (r.returncode, r.stderr))
if r.returncode != 0:
    finish("golden")
header = "# incubsim %s (regenerate: make golden)" % " ".join(ARGS)
with h5py.File(out, "r") as f:
    tables = {name: table_text(f, name) for name in ("runs", "carriers")}

if os.environ.get("GOLDEN_WRITE") == "1":
    os.makedirs(GOLDEN, exist_ok=True)
    for name, lines in tables.items():
        with open(os.path.join(GOLDEN, name + ".csv"), "w") as g:
            g.write("\n".join([header] + lines) + "\n")
        print("wrote tests/golden/%s.csv (%d rows)" % (name, len(lines) - 1))
    check(True, "golden files written")
    finish("golden")

for name, lines in tables.items():
    path = os.path.join(GOLDEN, name + ".csv")
    if not os.path.exists(path):
        check(False, "no %s: run `make golden` once" % path)
        continue
    with open(path) as g:
        want = [line.rstrip("\n") for line in g if not line.startswith("#")]
    got_cols, want_cols = lines[0].split(","), want[0].split(",")
    # a column added since (a new KPI) is no moved result: said, not failed
    added = [c for c in got_cols if c not in want_cols]
    if added:
        print("note: /%s has columns the golden file lacks (make golden adds them): %s"
              % (name, ", ".join(added)))
    lost = [c for c in want_cols if c not in got_cols]
    check(not lost, "/%s lost the stored columns %s" % (name, lost))
    check(len(want) == len(lines), "/%s: %d rows, stored %d" % (name, len(lines) - 1, len(want) - 1))
    at = {c: i for i, c in enumerate(got_cols)}
    moved = {}
    for got_line, want_line in zip(lines[1:], want[1:]):
        g = got_line.split(",")
        for c, b in zip(want_cols, want_line.split(",")):
            if c in at and g[at[c]] != b and c not in moved:
                moved[c] = (g[at[c]], b)
    check(not moved, "/%s differs from tests/golden/%s.csv in %d columns, e.g. %s; if the change "
          "is meant to move results: make golden, and say why in the commit"
          % (name, name, len(moved),
             "; ".join("%s: %s, stored %s" % (c, a, b) for c, (a, b) in list(moved.items())[:5])))
finish("golden")
