"""test_answers.py — `compare` reprints what an experiment answered, as the command printed
it: a sizing file gives the answer, its interval, the status and every probe (the same text
`size` printed); a sensitivity file its indices, not the per-point means; every line of a
sweep's, a sizing's and a sensitivity's reprint fits 80 columns (levers of long names, five
levers)."""
import os
import re
import sys
import tempfile

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, run  # noqa: E402

tmp = tempfile.mkdtemp()
here = os.getcwd()


def wide(text):
    return [l for l in text.splitlines() if len(l) > 80]


def block(text, start, end):
    """The lines of text from the one starting with `start` to the one containing `end`."""
    lines = text.splitlines()
    i = next(k for k, l in enumerate(lines) if l.startswith(start))
    j = next(k for k in range(i, len(lines)) if end in lines[k])
    return "\n".join(lines[i:j + 1])


# ---- a sizing: compare prints what size printed --------------------------------------
with open(os.path.join(tmp, "size.cfg"), "w") as f:
    f.write('name = "z"; scenario = "%s/scenarios/landing_award.cfg"; replications = 6;\n'
            'levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; step = 1.0e5; } );\n'
            'kpis = [ "landing_per_graduated" ];\n'
            'target = { kpi = "landing_per_graduated"; at_least = 0.72; confidence = 0.9;\n'
            '           tolerance = 0.01; max_replications = 400; };\n' % here)
sz = os.path.join(tmp, "size.h5")
r = run("size", os.path.join(tmp, "size.cfg"), "-q", "-o", sz)
check(r.returncode == 0, "size: %s" % r.stderr)
said = block(r.stdout, "size: the smallest", "with the lever.")
c = run("compare", sz)
check(c.returncode == 0, "compare on a sizing: %s" % c.stderr)
check(said in c.stdout, "compare reprints the sizing as size printed it:\n%s\n---\n%s"
      % (said, c.stdout[:1500]))
with h5py.File(sz) as f:
    a = dict(f["sizing"].attrs)
    nprobe = f["sizing"].shape[0]
status = a["status"].decode() if isinstance(a["status"], bytes) else a["status"]
check(("status: %s" % status) in c.stdout, "the status from the file (%s)" % status)
if status == "met":
    check("answer: policy.landing_award = %.6g" % float(a["answer"]) in c.stdout, "the answer")
    check("(the threshold lies in (%.6g, %.6g])" % (float(a["answer_low"]), float(a["answer_high"]))
          in c.stdout, "the answer's interval")
probe_lines = [l for l in c.stdout.splitlines() if l.rstrip().endswith(("feasible", "undecided"))]
check(len(probe_lines) == nprobe, "every probe: %d lines, %d probes" % (len(probe_lines), nprobe))
check(not wide(c.stdout), "the sizing reprint fits 80 columns: %s" % wide(c.stdout))
k = run("compare", sz, "--kpi", "landing_per_graduated")
check(k.returncode == 0 and "point" in k.stdout and "status:" not in k.stdout,
      "--kpi still gives the per-point means")

# ---- a sensitivity: the indices, in 80 columns ----------------------------------------
long_lever = "carriers.sv_offshore.duration.mean"
with open(os.path.join(tmp, "sens.cfg"), "w") as f:
    f.write('name = "x"; scenario = "%s/scenarios/capital_first.cfg"; replications = 2;\n'
            'levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; },\n'
            '           { setting = "screening.threshold"; min = 0.2; max = 0.45; },\n'
            '           { setting = "%s"; min = 0.5; max = 1.0; } );\n'
            'design = { kind = "saltelli"; points = 8; bootstrap = 50; };\n'
            'kpis = [ "landing_rate", "net_fiscal" ];\n' % (here, long_lever))
se = os.path.join(tmp, "sens.h5")
r = run("sensitivity", os.path.join(tmp, "sens.cfg"), "-q", "-o", se)
check(r.returncode == 0, "sensitivity: %s" % r.stderr)
c = run("compare", se)
check(c.returncode == 0, "compare on a sensitivity: %s" % c.stderr)
rows = [l.split() for l in c.stdout.splitlines() if l.strip().split()[:1] and
        any(w in ("S1", "ST") for w in l.split()[1:2] + l.split()[:1])]
with h5py.File(se) as f:
    nrows = f["sensitivity"].shape[0]
    s1 = [(r_["lever"].decode(), r_["value"]) for r_ in f["sensitivity"][:]
          if r_["kpi"] == b"landing_rate" and r_["measure"] == b"S1"]
check(nrows == 2 * 3 * 2, "12 index rows in the file (%d)" % nrows)
idx = [l for l in c.stdout.splitlines() if re.match(r"^\s+(\S+\s+)?(S1|ST)\s+-?[\d.]", l)]
check(len(idx) == nrows, "one line per index: %d lines, %d rows" % (len(idx), nrows))
check(len(c.stdout.splitlines()) < 40, "not the per-point means: %d lines" % len(c.stdout.splitlines()))
check("landing_rate" in c.stdout and "net_fiscal" in c.stdout, "each KPI's block")
check(long_lever in c.stdout, "a long lever's name in full")
check(all(("%.3g" % v) in c.stdout for _, v in s1), "S1 values as in the file")
check(not wide(c.stdout), "the indices fit 80 columns: %s" % wide(c.stdout))
check(not wide(r.stdout), "sensitivity's own print fits 80 columns: %s" % wide(r.stdout))
v = run("compare", se, "--csv")
check(v.returncode == 0 and v.stdout.startswith("point,"), "--csv still gives every point")

# ---- a sweep of five levers: 80 columns ------------------------------------------------
with open(os.path.join(tmp, "sweep.cfg"), "w") as f:
    f.write('name = "w"; scenario = "%s/scenarios/capital_first.cfg"; replications = 2;\n'
            'levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; },\n'
            '  { setting = "policy.guidance_fund.budget"; min = 0.0; max = 2.0e9; },\n'
            '  { setting = "policy.vouchers.amount"; min = 0.0; max = 1.0e5; },\n'
            '  { setting = "screening.threshold"; min = 0.2; max = 0.45; },\n'
            '  { setting = "carriers.sv_offshore.capacity"; min = 120; max = 220; } );\n'
            'design = { kind = "lhs"; points = 6; };\nkpis = [ "landing_rate" ];\n' % here)
sw = os.path.join(tmp, "sweep.h5")
r = run("sweep", os.path.join(tmp, "sweep.cfg"), "-q", "-o", sw)
check(r.returncode == 0, "sweep: %s" % r.stderr)
c = run("compare", sw)
check(c.returncode == 0 and "x5 = carriers.sv_offshore.capacity" in c.stdout, "compare on a sweep")
check(not wide(c.stdout), "a five-lever sweep fits 80 columns: %s" % wide(c.stdout))
check(not [l for l in wide(r.stdout) if not l.startswith("figures:")],
      "sweep's own print fits 80 columns (but the figures' command, paths): %s" % wide(r.stdout))
finish("answers")
