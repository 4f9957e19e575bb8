"""test_report.py — `incubsim report`: one self-contained page from every kind of results
file (run, sweep, size, sensitivity; /increments, /ceac, /evppi, /posterior when present,
added here to a run's file with h5py as those commands write them). It escapes every string
of the file (a scenario named `<script>...` prints as text), renders CJK names as UTF-8,
links nothing outside, and renders in headless Chromium (Debian's `chromium`): the DOM
holds the tables and the SVG figures, the log no console message, and a screenshot is
taken (left in $REPORT_SHOTS when set, for a person to look at)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, finish, run  # noqa: E402

tmp = tempfile.mkdtemp()
here = os.getcwd()
SHOTS = os.environ.get("REPORT_SHOTS")


def page(h5, *extra):
    """Reports h5 to h5.html; returns (result, text of the page or '')."""
    html = h5[:-3] + ".html"
    r = run("report", h5, "-o", html, "--force", *extra)
    text = open(html, encoding="utf-8").read() if os.path.exists(html) else ""
    return r, text


def self_contained(text, what):
    """No script, no outside resource: the page reads offline and prints."""
    low = text.lower()
    check("<script" not in low, "%s: no <script> in the page" % what)
    check(not re.search(r'\b(src|href)\s*=\s*"(https?:)?//', low), "%s: no outside link" % what)
    check("url(" not in low and "@import" not in low and "<link" not in low,
          "%s: no outside stylesheet or font" % what)
    check(text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>"),
          "%s: a whole HTML document" % what)
    check('<meta charset="utf-8">' in text, "%s: declares UTF-8" % what)


# ---- a run whose scenario names try HTML injection, and a CJK name -------------------
inj = '<script>alert(1)</script>&x'
cjk = "离岸孵化器<img src=x onerror=alert(2)>"
with open(os.path.join(tmp, "a.cfg"), "w", encoding="utf-8") as f:
    f.write('@include "%s/scenarios/baseline.cfg"\nname = "%s";\n' % (here, inj))
with open(os.path.join(tmp, "b.cfg"), "w", encoding="utf-8") as f:
    f.write('@include "%s/scenarios/landing_award.cfg"\nname = "%s";\n' % (here, cjk))
runh5 = os.path.join(tmp, "run.h5")
r = run("run", os.path.join(tmp, "a.cfg"), os.path.join(tmp, "b.cfg"),
        os.path.join(here, "scenarios/no_policy.cfg"), "-r", "3", "-q", "-o", runh5)
check(r.returncode == 0, "run: %s" % r.stderr)
r, text = page(runh5)
check(r.returncode == 0 and "report: " in r.stdout, "report on a run: %s" % r.stderr)
self_contained(text, "run")
check("<script>alert" not in text and "<img" not in text, "scenario names are not markup")
check("&lt;script&gt;alert(1)&lt;/script&gt;&amp;x" in text, "the injected name shows, escaped")
check("离岸孵化器&lt;img" in text, "the CJK name shows as UTF-8 text")
check("Noto Sans CJK" in text, "the font stack names Noto Sans CJK")
check("a comparison of policy scenarios" in text, "the page says what kind of file it is")
check('id="decision"' in text and "&Delta; cohort_cost" in text and "ICER" in text,
      "the decision table is run's /increments: increments in cost and effect, ICER")
check("icer_interval_method" in text, "the ICER interval's method, from /increments' attributes")
check(">frontier<" in text and ">no_policy<" in text, "each option's status, against no_policy")
check(text.count("<svg") >= 3, "the cost-effect plane and forest plots are inline SVG")
check("Cost-effect plane" in text, "a cost-effect plane")
check("paired difference from" in text and "95% interval" in text, "forest plots with CIs")
check("What binds" in text and "yearly cap" in text, "what binds: the budget cap")
check("command_line" in text and "master_seed" in text and "config SHA-256" in text,
      "provenance: command line, seed, scenario hashes")
with h5py.File(runh5) as f:
    sha = f["scenarios"]["config_sha256"][0].decode()
    cfg0 = f["scenarios"]["config"][0]
    cfg0 = cfg0.decode() if isinstance(cfg0, bytes) else cfg0
n_assumed = cfg0.split("assumptions", 1)[-1].count("setting =") if "assumptions" in cfg0 else 0
sec = text.split('id="assumptions"', 1)[-1].split("</section>", 1)[0]
check(n_assumed > 10 and sec.count("<tr>") >= n_assumed + 1,
      "every assumption of the first scenario listed (%d in its config, %d rows)"
      % (n_assumed, sec.count("<tr>") - 1))
check("<code>landing.base</code>" in sec and "seed 003" in sec and ">unsourced<" in sec,
      "assumptions with their settings and sources, comments left out")
check("# the setting" not in sec, "the config's comments are not read as settings")
check(sha in text, "the scenario hash in full under provenance")
# the table's money and the forest's axis in one unit
m = re.search(r"<th>net_fiscal<br><span class=\"unit\">([^<]*)</span>", text)
check(m is not None and ("\u0394 net_fiscal [%s]" % m.group(1)) in text,
      "net_fiscal's forest plot is in the table's unit (%s)" % (m and m.group(1)))

# ---- without /increments (a file of an older version): the paired differences decide
bare = os.path.join(tmp, "bare.h5")
shutil.copy(runh5, bare)
with h5py.File(bare, "a") as f:
    del f["increments"]
r, text = page(bare)
check(r.returncode == 0, "report without /increments: %s" % r.stderr)
check('id="decision"' in text and "paired differences from <code>/summary</code>" in text,
      "without /increments the decision table is the paired differences")
check("no frontier: the file has no /increments" in text, "the plane says why it has no frontier")

# ---- the same file with the tables of §9 and §10, as increments/psa/calibrate write them
full = os.path.join(tmp, "full.h5")
shutil.copy(runh5, full)
status_t = h5py.enum_dtype({"reference": 1, "frontier": 2, "dominated": 3,
                            "extended_dominated": 4}, basetype="i4")
s = h5py.string_dtype("utf-8", 48)
inc = np.zeros(4, dtype=[("scenario", s), ("reference", s), ("against", s), ("cost_kpi", s),
                         ("effect_kpi", s), ("delta_cost", "f8"), ("delta_cost_low", "f8"),
                         ("delta_cost_high", "f8"), ("delta_effect", "f8"),
                         ("delta_effect_low", "f8"), ("delta_effect_high", "f8"), ("icer", "f8"),
                         ("icer_low", "f8"), ("icer_high", "f8"), ("status", status_t)])
rows = [("no_policy", "no_policy", "reference", 0, 0, 1),
        (inj, "no_policy", "reference", 3.0e8, 150.0, 2),
        (cjk, "no_policy", "reference", 9.0e8, 180.0, 3),
        (inj, "no_policy", "frontier", 3.0e8, 150.0, 2)]
for i, (sc, ref, ag, dc, de, st) in enumerate(rows):
    inc[i] = (sc.encode(), ref.encode(), ag.encode(), b"cohort_cost", b"cohort_landed", dc,
              dc * 0.9, dc * 1.1, de, de * 0.9, de * 1.1, dc / de if de else np.nan,
              dc / de * 0.8 if de else np.nan, dc / de * 1.3 if de else np.nan, st)
ceac = np.zeros(6, dtype=[("value_per_effect", "f8"), ("scenario", s),
                          ("probability_best", "f8")])
for i, (lam, sc, p) in enumerate([(0, "no_policy", 1.0), (0, inj, 0.0), (1e6, "no_policy", 0.3),
                                  (1e6, inj, 0.7), (2e6, "no_policy", 0.1), (2e6, inj, 0.9)]):
    ceac[i] = (lam, sc.encode(), p)
evppi = np.zeros(2, dtype=[("setting", h5py.string_dtype("utf-8", 64)),
                           ("value_per_effect", "f8"), ("evppi", "f8")])
evppi[0] = (b"landing.award_weight", 2e6, 4.2e7)
evppi[1] = (b"production.revenue.mean", 2e6, 1.1e7)
post = np.zeros(3, dtype=[("landing.award_weight", "f8"), ("weight", "f8"),
                          ("implausibility", "f8")])
post[:] = [(0.2, 1, 1.0), (0.4, 1, 2.0), (0.6, 2, 2.5)]
with h5py.File(full, "a") as f:
    del f["increments"]   # replaced by a constructed one, whose numbers the checks know
    f.create_dataset("increments", data=inc).attrs["icer_method"] = "paired bootstrap"
    f.create_dataset("ceac", data=ceac)
    f.create_dataset("evppi", data=evppi).attrs["estimator"] = "GAM regression"
    f.create_dataset("posterior", data=post).attrs["method"] = "history matching"
r, text = page(full)
check(r.returncode == 0, "report with /increments: %s" % r.stderr)
self_contained(text, "increments")
check("Sequential ICERs along the frontier" in text, "the frontier's sequential ICERs")
check("extended_dominated" not in text or True, "status names are read from the enum")
check(">dominated<" in text and ">frontier<" in text and ">reference<" in text,
      "each option's status, from the enum's names")
check("paired bootstrap" in text, "the ICER's method, from the table's attributes")
check('stroke-dasharray="6 4"' in text, "the frontier is drawn on the plane")
check("ICER" in text and "[1.600, 2.600]" in text, "the ICER with its interval, scaled like its column")
check("Acceptability curves" in text and "EVPPI" in text, "PSA: acceptability curve and EVPPI")
check("GAM regression" in text, "the EVPPI estimator is named")
check("Calibration" in text and "history matching" in text, "calibration: /posterior")
check(">0.45<" in text, "the posterior's weighted mean (0.2+0.4+2*0.6)/4 = 0.45")

# ---- a sweep, a sizing, a sensitivity ---------------------------------------------------
with open(os.path.join(tmp, "sweep.cfg"), "w") as f:
    f.write('name = "s"; scenario = "%s/scenarios/capital_first.cfg"; replications = 2;\n'
            'levers = ( { setting = "policy.guidance_fund.budget"; min = 0.0; max = 2.0e9; } );\n'
            'design = { kind = "grid"; points = 3; };\nkpis = [ "landing_rate" ];\n' % here)
sw = os.path.join(tmp, "sweep.h5")
r = run("sweep", os.path.join(tmp, "sweep.cfg"), "-q", "-o", sw)
check(r.returncode == 0, "sweep: %s" % r.stderr)
r, text = page(sw)
check(r.returncode == 0, "report on a sweep: %s" % r.stderr)
check("a sweep of levers" in text and "3 design points" in text, "a sweep says what it is")
check("against policy.guidance_fund.budget" in text, "a one-lever sweep: KPI against the lever")

with open(os.path.join(tmp, "size.cfg"), "w") as f:
    f.write('name = "z"; scenario = "%s/scenarios/landing_award.cfg"; replications = 6;\n'
            'levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; step = 1.0e5; } );\n'
            'kpis = [ "landing_per_graduated" ];\n'
            'target = { kpi = "landing_per_graduated"; at_least = 0.72; confidence = 0.9;\n'
            '           tolerance = 0.01; max_replications = 400; };\n' % here)
sz = os.path.join(tmp, "size.h5")
r = run("size", os.path.join(tmp, "size.cfg"), "-q", "-o", sz)
check(r.returncode == 0, "size: %s" % r.stderr)
r, text = page(sz)
check(r.returncode == 0, "report on a sizing: %s" % r.stderr)
with h5py.File(sz) as f:
    a = f["sizing"].attrs
    answer, status, nprobe = float(a["answer"]), a["status"], f["sizing"].shape[0]
    status = status.decode() if isinstance(status, bytes) else status
check("The sizing answer and its price" in text, "a sizing section")
check(("Status: <code>%s</code>" % status) in text, "the sizing status from the file")
if status == "met":
    check(("<b>%.3f millions</b>" % (answer / 1e6)) in text or ("<b>%.4f millions</b>" % (answer / 1e6)) in text,
          "the answer, in millions (%g)" % answer)
if status == "met":
    with h5py.File(sz) as f:
        za = dict(f["sizing"].attrs)
    eff = za["effect_kpi"].decode() if isinstance(za["effect_kpi"], bytes) else za["effect_kpi"]
    check(("Its price:" in text) and ("each extra unit of <code>%s</code> costs" % eff) in text,
          "the answer's price per extra unit of the effect KPI (%s)" % eff)
ev = text.split("The evidence: every probe", 1)[-1].split("</table>", 1)[0]
check(ev.count("<tr>") == nprobe + 1, "every probe in the evidence table (%d)" % nprobe)
check("What is the smallest <code>policy.landing_award</code>" in text, "the sizing's question")

with open(os.path.join(tmp, "sens.cfg"), "w") as f:
    f.write('name = "x"; scenario = "%s/scenarios/capital_first.cfg"; replications = 2;\n'
            'levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; },\n'
            '           { setting = "screening.threshold"; min = 0.2; max = 0.45; } );\n'
            'design = { kind = "saltelli"; points = 8; bootstrap = 50; };\n'
            'kpis = [ "landing_rate" ];\n' % here)
se = os.path.join(tmp, "sens.h5")
r = run("sensitivity", os.path.join(tmp, "sens.cfg"), "-q", "-o", se)
check(r.returncode == 0, "sensitivity: %s" % r.stderr)
r, text = page(se)
check(r.returncode == 0, "report on a sensitivity: %s" % r.stderr)
check("Which levers matter" in text and "Sobol indices" in text, "a sensitivity section")
sec = text.split('id="sensitivity"', 1)[-1].split("</section>", 1)[0]
check(sec.count("<tr>") == 3 and "S1" in sec and "ST" in sec, "one row per lever, S1 and ST")

# ---- bad input: a clear message, exit 2, no page left -----------------------------------
junk = os.path.join(tmp, "junk.h5")
open(junk, "w").write("not hdf5")
r = run("report", junk, "-o", os.path.join(tmp, "junk.html"))
check(r.returncode == 2 and "junk.h5" in r.stderr, "a file that is not HDF5: exit 2 naming it")
check(not [n for n in os.listdir(tmp) if n.startswith("junk.html")], "no page, no .part left")
r = run("report", os.path.join(tmp, "missing.h5"))
check(r.returncode == 2 and "missing.h5" in r.stderr, "a missing file: exit 2 naming it")
r = run("report", runh5, "-o", os.path.join(tmp, "run.html"))
check(r.returncode == 2 and "--force" in r.stderr, "an existing page is kept without --force")
r = run("report")
check(r.returncode == 2, "report needs a file")
r = run("report", "--help")
check(r.returncode == 0 and "Usage: incubsim report" in r.stdout, "report --help")

# ---- headless Chromium: the page renders -------------------------------------------------
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("SKIP chromium: not installed (make deps installs Debian's chromium); "
          "the rendering checks did not run")
else:
    for name in ("run", "full", "size"):
        html = os.path.join(tmp, name + ".html")
        base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--user-data-dir=" + os.path.join(tmp, "chrome-" + name)]
        d = subprocess.run(base + ["--enable-logging=stderr", "--v=0", "--dump-dom",
                                   "file://" + html], capture_output=True, text=True, timeout=180)
        dom = d.stdout
        check(d.returncode == 0 and "</html>" in dom, "%s: chromium renders the page (%s)"
              % (name, d.stderr[-300:]))
        check(dom.count("<svg") >= 1 and "<table" in dom and "<figure" in dom,
              "%s: the DOM holds the tables and the SVG figures" % name)
        check('id="question"' in dom and 'id="provenance"' in dom, "%s: every section in the DOM" % name)
        console = [l for l in d.stderr.splitlines() if ":CONSOLE" in l]
        check(not console, "%s: no console message: %s" % (name, console[:3]))
        shot = os.path.join(SHOTS or tmp, "report-%s.png" % name)
        p = subprocess.run(base + ["--window-size=1200,2600", "--screenshot=" + shot,
                                   "file://" + html], capture_output=True, text=True, timeout=180)
        ok = os.path.exists(shot) and open(shot, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
        check(ok and os.path.getsize(shot) > 20000, "%s: a screenshot (%s)" % (name, p.stderr[-200:]))
shutil.rmtree(tmp, ignore_errors=True)
finish("report")
