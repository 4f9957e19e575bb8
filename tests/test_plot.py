"""test_plot.py — output/plot.py makes every figure of a run and of a sweep, in PNG, PDF
and SVG, with labelled axes in the file's units and the paired differences drawn; bad
input is refused with exit status 2 (argparse) or a message."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import PY, check, finish, run, tmpdir  # noqa: E402


def plot(*args):
    return subprocess.run([PY, "output/plot.py", *args], capture_output=True, text=True)


tmp = tmpdir()
out = os.path.join(tmp, "a.h5")
r = run("run", "scenarios/baseline.cfg", "scenarios/landing_award.cfg", "scenarios/enclave.cfg",
        "-r", "3", "-q", "-o", out)
check(r.returncode == 0, "run: %s" % r.stderr)
p = plot(out, "--format", "png,pdf,svg")
check(p.returncode == 0, "plot.py on a run: %s" % p.stderr)
for fig in ("plane", "differences", "kpis", "landed", "frontier", "occupancy"):
    for fmt in ("png", "pdf", "svg"):
        path = os.path.join(tmp, "a.%s.%s" % (fig, fmt))
        check(os.path.exists(path) and os.path.getsize(path) > 2000, "%s written" % path)
svg = open(os.path.join(tmp, "a.differences.svg"), encoding="utf-8").read()
check("difference from baseline (billions of yuan (PV))" in svg or "difference from baseline (millions of yuan (PV))" in svg,
      "the forest plot's money axis is labelled in millions or billions of yuan")

# every KPI of the comparison table has its panel, in the table's unit and scale
import re  # noqa: E402
src = open("output/compare.c", encoding="utf-8").read()
m = re.search(r"compare_default_kpis\s*=\s*((?:\s*\"[^\"]*\")+)", src)
table_kpis = "".join(re.findall(r'"([^"]*)"', m.group(1))).split(",") if m else []
plot_src = open("output/plot.py", encoding="utf-8").read()
m2 = re.search(r"DEFAULT_KPIS = \(((?:\s*\"[^\"]*\")+)\)", plot_src)
plot_kpis = "".join(re.findall(r'"([^"]*)"', m2.group(1))).split(",") if m2 else []
check(len(table_kpis) >= 13 and plot_kpis == table_kpis,
      "plot.py's KPIs are the table's: %s vs %s" % (plot_kpis, table_kpis))
for k in table_kpis:
    check(("%s: " % k) in svg, "the forest plot has a panel for %s" % k)
table = run("compare", out).stdout
blocks = {}
for b in table.split("\n\n"):
    head = " ".join(b.strip().split("\n  scenario")[0].split())
    mm = re.match(r"(\w+): .*\[([^\]]*)\]$", head)
    if mm:
        blocks[mm.group(1)] = mm.group(2)
for k in ("net_fiscal", "public_spend", "tax", "cost_per_landing", "cohort_net"):
    unit = blocks.get(k)
    check(unit is not None and ("difference from baseline (%s)" % unit) in svg,
          "%s: the forest's axis in the table's unit [%s]" % (k, unit))

# one colour per scenario, by its place in /scenarios, in every figure
with __import__("h5py").File(out, "r") as f:
    names = [x.decode() for x in f["scenarios"]["name"]]
palette = ["#0072b2", "#e69f00", "#009e73"]
for fig in ("differences", "kpis", "landed", "frontier"):
    text = open(os.path.join(tmp, "a.%s.svg" % fig), encoding="utf-8").read().lower()
    check(all(c in text for c in palette[:len(names)]) or fig == "differences" and
          all(c in text for c in palette[1:len(names)]),
          "%s: each scenario in its own colour %s" % (fig, palette[:len(names)]))

# reproducible: the same file plotted twice gives the same PDF bytes
import shutil  # noqa: E402
again = os.path.join(tmp, "again")
os.makedirs(again)
shutil.copy(out, os.path.join(again, "a.h5"))
p2 = plot(os.path.join(again, "a.h5"), "--format", "pdf,svg")
check(p2.returncode == 0, "plot.py again: %s" % p2.stderr)
for fig in ("plane", "differences", "kpis", "landed", "frontier", "occupancy"):
    for fmt in ("pdf", "svg"):
        a1 = open(os.path.join(tmp, "a.%s.%s" % (fig, fmt)), "rb").read()
        a2 = open(os.path.join(again, "a.%s.%s" % (fig, fmt)), "rb").read()
        check(a1 == a2, "a.%s.%s: the same bytes in two runs" % (fig, fmt))
check(b"CreationDate" not in open(os.path.join(tmp, "a.kpis.pdf"), "rb").read(), "no creation date in a PDF")

# a page wide at most: the occupancy figure of many carriers (7.5 in, 200 dpi, tight box)
from matplotlib import image as mimg  # noqa: E402
w = mimg.imread(os.path.join(tmp, "a.occupancy.png")).shape[1]
check(w <= 8 * 200, "occupancy figure %d px wide (at most a page at 200 dpi)" % w)

# CJK scenario names render (Noto Sans CJK behind DejaVu Sans): no missing glyph
cjk = os.path.join(tmp, "cjk.cfg")
open(cjk, "w", encoding="utf-8").write('@include "%s/scenarios/landing_award.cfg"\nname = "离岸孵化器";\n'
                                       % os.getcwd())
cj = os.path.join(tmp, "cjk.h5")
r = run("run", "scenarios/baseline.cfg", cjk, "-r", "2", "-q", "-o", cj)
check(r.returncode == 0, "run with a CJK name: %s" % r.stderr)
p = plot(cj, "--format", "png")
check(p.returncode == 0 and "missing from current font" not in p.stderr,
      "CJK names drawn with a CJK font: %s" % p.stderr[-400:])
check("difference from baseline (share)" in svg, "a share's axis says so")
check("landing_award" in svg and "enclave" in svg, "each scenario is named")
kp = open(os.path.join(tmp, "a.kpis.svg"), encoding="utf-8").read()
check("landing_rate: landed / (sourced" in kp, "panel titles say what the KPI means")
check("1e9" not in kp and "1e+09" not in kp, "no offset exponent on a money axis")
occ = open(os.path.join(tmp, "a.occupancy.svg"), encoding="utf-8").read()
check("shanghai_enclave" in occ and "utilisation (share of seat-time)" in occ, "occupancy: carriers and units")

# the cost-effect plane: its frontier line goes through exactly the frontier rows of
# /increments (against the reference, status frontier, and the reference when on it)
import importlib.util  # noqa: E402
import h5py  # noqa: E402
spec = importlib.util.spec_from_file_location("plot", "output/plot.py")
plotmod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(plotmod)
pl = os.path.join(tmp, "p.h5")
r = run("run", "scenarios/no_policy.cfg", "scenarios/baseline.cfg", "scenarios/landing_award.cfg",
        "scenarios/professional_operator.cfg", "scenarios/budget_cut.cfg", "-r", "3", "-q",
        "-o", pl, "--value-per-effect", "3e6")
check(r.returncode == 0, "run for the plane: %s" % r.stderr)
with h5py.File(pl, "r") as f:
    inc = f["increments"][:]
    ref_on = plotmod.s(f["increments"].attrs["reference_status"]) == "frontier"
    want = sorted([(float(x["delta_effect"]), float(x["delta_cost"])) for x in inc
                   if x["against"] == 1 and (x["status"] == 2 or (x["status"] == 1 and ref_on))],
                  key=lambda p: p[1])
    fig = plotmod.plane_figure(f, plotmod.Docs(f))
    div = 1e6 if max(abs(x["delta_cost_high"]) for x in inc) >= 1e6 else 1.0
    lines = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == "frontier"]
    check(len(lines) == 1, "one frontier line: %d" % len(lines))
    got = [tuple(p) for p in lines[0].get_xydata()] if lines else []
    check(len(want) >= 2 and len(got) == len(want)
          and all(abs(g[0] - w[0]) < 1e-9 and abs(g[1] * div - w[1]) < 1e-3 * abs(w[1]) + 1e-6
                  for g, w in zip(got, want)),
          "the frontier line's points are the frontier rows: %s vs %s" % (got, want))
    vals = [ln for ax in fig.axes for ln in ax.get_lines() if "value per effect" in str(ln.get_label())]
    check(len(vals) == 1, "the value per effect drawn as a line")
    plotmod.plt.close(fig)
p = plot(pl, "--format", "svg")
check(p.returncode == 0 and os.path.exists(os.path.join(tmp, "p.plane.svg")), "p.plane.svg written")
psvg = open(os.path.join(tmp, "p.plane.svg"), encoding="utf-8").read()
check('id="frontier"' in psvg and "Cost-effect plane" in psvg, "the plane's SVG has the frontier")

bad = plot(out, "--format", "gif")
check(bad.returncode != 0 and "png, pdf or svg" in bad.stderr, "an unknown format is refused")
bad = plot(out, "--kpis", "nope")
check(bad.returncode != 0 and "unknown KPI" in bad.stderr, "an unknown KPI is refused")
bad = plot(os.path.join(tmp, "missing.h5"))
check(bad.returncode != 0, "a missing file is refused")

exp = os.path.join(tmp, "sweep.cfg")
open(exp, "w").write('name = "s"; scenario = "%s/scenarios/baseline.cfg"; replications = 2;\n'
                     'levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; } );\n'
                     'design = { kind = "grid"; points = 3; };\n' % os.getcwd())
sw = os.path.join(tmp, "s.h5")
r = run("sweep", exp, "-q", "-o", sw)
check(r.returncode == 0, "sweep: %s" % r.stderr)
p = plot(sw, "--format", "svg")
check(p.returncode == 0, "plot.py on a sweep: %s" % p.stderr)
ssvg = open(os.path.join(tmp, "s.sweep.svg"), encoding="utf-8").read()
check("policy.landing_award (million yuan)" in ssvg, "the lever's axis in millions of yuan")

finish("plot")
