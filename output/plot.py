#!/usr/bin/python3
"""plot.py — figures for a paper from an incubsim results file, written next to it.

Usage: /usr/bin/python3 output/plot.py OUT.h5 [--kpis K1,K2,...] [--format png,pdf,svg]

Figures of a run of scenarios:
  OUT.differences   the main result: each scenario's paired difference from the baseline
                    with its 95% CI (a forest plot; filled where the CI excludes 0)
  OUT.kpis          each KPI by scenario: mean and 95% CI (dots, not bars from zero)
  OUT.landed        cumulative landed projects over time, mean and 5-95% band
  OUT.plane         the decision: each scenario's paired increment in effect (x) and cost
                    (y) against the reference with 95% CI crosses (/increments), the
                    cost-effect frontier drawn through its options, and the value per
                    effect as a line when one was given
  OUT.frontier      public cost per landed project against the landing rate
  OUT.occupancy     carrier utilisation and mean queue, scenario by carrier (heat maps)
Figures of an experiment (a file with /design):
  OUT.sweep         each KPI against the lever with its 95% CI band; for two levers on a
                    grid, a heat map per KPI
  OUT.sizing        size: each probe's mean and CI against the lever, the target and the
                    answer's interval
  OUT.sensitivity   S1 and ST (or Morris mu* and sigma) per lever and KPI
Figures of psa (a file with /psa):
  OUT.cloud         the cost-effect plane: each option's increments against the reference,
                    one dot per draw of the assumptions, the mean as a cross
  OUT.ceac          the acceptability curves: the probability each option has the highest
                    net benefit, against the value of one unit of effect
  OUT.evppi         EVPPI bars: which unknown is worth researching first, in yuan, at the
                    value per effect where the choice is least sure (largest EVPI)
Figures of calibrate (a file with /posterior):
  OUT.posterior     each assumption's prior (its draws in wave 1) against the posterior
Axes carry the units the file records for each column (money scaled to millions or
billions of yuan); titles say what a KPI means. --format takes one or more of png (the
default, 200 dpi), pdf and svg (vector, for a paper).
Needs h5py, numpy and matplotlib (Debian: python3-h5py python3-numpy python3-matplotlib;
call /usr/bin/python3, as another python3 on PATH may lack them)."""
import argparse
import os
import sys
import textwrap

try:
    import h5py
    import numpy as np
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.font_manager
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter
except ImportError as e:
    sys.exit("plot.py: %s; install python3-h5py python3-numpy python3-matplotlib and run "
             "with /usr/bin/python3" % e)

# The KPIs of the comparison table (output/compare.c: compare_default_kpis), so every KPI
# the table prints has its figure (tests/test_plot.py checks the two lists agree).
DEFAULT_KPIS = ("landing_rate,landed,mean_time_to_landing,leakage,survival_3y,jobs,tax,"
                "public_spend,cost_per_landing,fiscal_return,net_fiscal,cohort_cost_per_landing,"
                "cohort_net")
FORMATS = ("png", "pdf", "svg")
BLUE, RED, GREEN, GREY = "#3b6ea8", "#b8403a", "#4f8f4f", "#8c8c8c"

# One colour per scenario, by its place in /scenarios, in every figure, the same as
# `incubsim report`'s (output/svg.c: svg_colour): Okabe-Ito, then more.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
           "#882255", "#44AA99", "#999933", "#332288", "#AA4499", "#117733", "#888888")


def scenario_colours(f):
    """{scenario name: colour} from the order of /scenarios."""
    names = [s(n) for n in f["scenarios"]["name"]] if "scenarios" in f else []
    return {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}


# CJK scenario names: Noto Sans CJK (Debian's fonts-noto-cjk, in make deps) behind
# DejaVu Sans, through matplotlib's font fallback; the files are added by path, so a font
# cache made before the package was installed does not hide them.
CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
_families = ["DejaVu Sans"]
for _path in CJK_FONTS:
    if os.path.exists(_path):
        try:
            matplotlib.font_manager.fontManager.addfont(_path)
            _name = matplotlib.font_manager.FontProperties(fname=_path).get_name()
            if _name not in _families:
                _families.append(_name)
        except (OSError, RuntimeError):
            pass
plt.rcParams["font.family"] = _families

# Same file, same bytes: no creation date in PDFs and SVGs, a fixed salt for SVG ids.
plt.rcParams["svg.hashsalt"] = "incubsim"
METADATA = {"pdf": {"CreationDate": None, "ModDate": None}, "svg": {"Date": None},
            "png": {"Software": None}}

plt.rcParams.update({"font.size": 9, "axes.titlesize": 9.5, "axes.labelsize": 9,
                     "legend.fontsize": 8, "xtick.labelsize": 8.5, "ytick.labelsize": 8.5,
                     "axes.spines.top": False, "axes.spines.right": False,
                     "svg.fonttype": "none", "pdf.fonttype": 42})


def s(x):
    return x.decode() if isinstance(x, bytes) else x


class Docs:
    """Each column's unit and meaning, as the file records them (attributes columns,
    units, descriptions of each table); empty for a file written before they were."""

    def __init__(self, f):
        self.unit, self.doc = {}, {}
        for table in ("runs", "carriers", "timeseries"):
            if table in f and "columns" in f[table].attrs:
                a = f[table].attrs
                for c, u, d in zip(a["columns"], a["units"], a["descriptions"]):
                    self.unit.setdefault(s(c), s(u))
                    self.doc.setdefault(s(c), s(d))

    def title(self, kpi, width=52):
        d = self.doc.get(kpi, "")
        return "\n".join(textwrap.wrap("%s: %s" % (kpi, d) if d else kpi, width))


def money_scale(unit, values):
    """(divisor, axis unit): yuan shown in millions or billions, never as 1e9."""
    v = np.asarray(values, dtype=float)
    top = np.nanmax(np.abs(v)) if np.isfinite(v).any() else 0
    if "yuan" in unit and top >= 1e9:
        return 1e9, "billion " + unit
    if "yuan" in unit and top >= 1e6:
        return 1e6, "million " + unit
    return 1.0, unit


def table_scale(f, kpi, unit):
    """(divisor, axis unit) of a KPI as `incubsim compare` prints it (output/numfmt.c): the
    largest magnitude of every mean, interval and paired difference of the KPI picks
    billions or millions, whatever the unit, so a figure reads in the table's unit."""
    rows = summary_rows(f, kpi)
    v = np.concatenate([rows[c] for c in ("mean", "ci_low", "ci_high", "diff_mean",
                                          "diff_ci_low", "diff_ci_high")
                        if c in rows.dtype.names]) if len(rows) else np.array([])
    v = v[np.isfinite(v)]
    top = np.max(np.abs(v)) if len(v) else 0
    if top >= 1e15 or not top >= 1e6:
        return 1.0, unit
    div, word = (1e9, "billions") if top >= 1e9 else (1e6, "millions")
    return div, "%s of %s" % (word, unit) if unit else word


MONEY_WORDS = ("award", "budget", "ticket", "amount", "cost", "value_per_year", "revenue")


def lever_scale(lever, values):
    """A lever's axis: settings that are money (by their name) in millions or billions."""
    return money_scale("yuan" if any(w in lever.split(".")[-1] for w in MONEY_WORDS) else "", values)


def axis_label(name, unit):
    return "%s (%s)" % (name, unit) if unit else name


def plain_ticks(ax, axis="x"):
    fmt = FuncFormatter(lambda v, _: "%g" % round(v, 10))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def label_points(ax, points):
    """Names beside points, moved down a line while they would overprint one
    already placed (close in both axes, relative to the data's spread)."""
    xs = np.array([p[1] for p in points], dtype=float)
    ys = np.array([p[2] for p in points], dtype=float)
    xr = np.ptp(xs[np.isfinite(xs)]) or 1.0 if np.isfinite(xs).any() else 1.0
    yr = np.ptp(ys[np.isfinite(ys)]) or 1.0 if np.isfinite(ys).any() else 1.0
    placed = []
    for name, x, y in sorted(points, key=lambda p: -p[2]):
        dy = 4
        while any(abs(x - px) / xr < 0.15 and abs(y - py) / yr + abs(dy - pdy) / 200 < 0.05
                  for px, py, pdy in placed):
            dy -= 11
        placed.append((x, y, dy))
        ax.annotate(name, (x, y), textcoords="offset points", xytext=(5, dy), fontsize=8)


def finish(fig):
    """tight_layout that leaves the suptitle its own line."""
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / fig.get_figheight()))


def save(fig, base, suffix, formats):
    """Writes BASE.SUFFIX.FMT for each format; returns the paths."""
    paths = []
    for fmt in formats:
        path = "%s.%s.%s" % (base, suffix, fmt)
        fig.savefig(path, dpi=200 if fmt == "png" else None, bbox_inches="tight",
                    metadata=METADATA[fmt])
        paths.append(path)
    plt.close(fig)
    return paths


def summary_rows(f, kpi):
    sm = f["summary"][:]
    return sm[sm["kpi"] == kpi.encode()]


def grid_of(n, cols=2, w=5.2, h=None):
    cols = min(cols, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(w * cols, h * rows), squeeze=False)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    return fig, list(axes.flat)[:n]


def kpi_panel(f, docs, base, kpis, formats):
    scen = list(dict.fromkeys(s(x) for x in f["summary"]["scenario"]))
    colour = scenario_colours(f)
    fig, axes = grid_of(len(kpis), h=0.9 + 0.24 * len(scen))
    baseline = s(f.attrs.get("summary_baseline", b""))
    for ax, k in zip(axes, kpis):
        sel = summary_rows(f, k)
        row = {s(r["scenario"]): r for r in sel}
        mean = np.array([row[c]["mean"] for c in scen])
        lo = np.array([row[c]["ci_low"] for c in scen])
        hi = np.array([row[c]["ci_high"] for c in scen])
        div, unit = table_scale(f, k, docs.unit.get(k, ""))
        y = np.arange(len(scen))
        for i, c in enumerate(scen):
            ax.errorbar(mean[i] / div, y[i], xerr=np.nan_to_num([[mean[i] - lo[i]], [hi[i] - mean[i]]]) / div,
                        fmt="o", color=colour.get(c, BLUE), capsize=2.5, ms=4)
        if baseline in row:
            ax.axvline(row[baseline]["mean"] / div, color=GREY, lw=0.8, ls="--")
        ax.set_yticks(y)
        ax.set_yticklabels(scen)
        ax.invert_yaxis()
        ax.set_title(docs.title(k), loc="left")
        ax.set_xlabel(unit or "value")
        plain_ticks(ax)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("KPIs by scenario: mean and 95%% CI over %d replications (dashed: %s)"
                 % (int(f.attrs.get("replications", 0)), baseline or "no baseline"), fontsize=10)
    finish(fig)
    return save(fig, base, "kpis", formats)


def differences_panel(f, docs, base, kpis, formats):
    """The forest plot: what each policy changes, with its uncertainty."""
    baseline = s(f.attrs.get("summary_baseline", b""))
    sm = f["summary"][:]
    others = [c for c in dict.fromkeys(s(x) for x in sm["scenario"]) if c != baseline]
    if not baseline or not others:
        return []
    colour = scenario_colours(f)
    cols = np.array([colour.get(c, BLUE) for c in others])
    fig, axes = grid_of(len(kpis), h=0.9 + 0.24 * len(others))
    for ax, k in zip(axes, kpis):
        row = {s(r["scenario"]): r for r in summary_rows(f, k)}
        d = np.array([row[c]["diff_mean"] for c in others])
        lo = np.array([row[c]["diff_ci_low"] for c in others])
        hi = np.array([row[c]["diff_ci_high"] for c in others])
        div, unit = table_scale(f, k, docs.unit.get(k, ""))
        y = np.arange(len(others))
        sig = (lo > 0) | (hi < 0)
        ax.axvline(0, color="black", lw=0.8)
        for i in range(len(others)):
            ax.errorbar(d[i] / div, y[i], xerr=np.nan_to_num([[d[i] - lo[i]], [hi[i] - d[i]]]) / div,
                        fmt="none", ecolor=cols[i], capsize=2.5)
        ax.scatter(d[sig] / div, y[sig], color=cols[sig], s=22, zorder=3, label="CI excludes 0")
        ax.scatter(d[~sig] / div, y[~sig], facecolor="white", edgecolor=cols[~sig], s=22,
                   zorder=3, label="CI includes 0")
        ax.set_yticks(y)
        ax.set_yticklabels(others)
        ax.invert_yaxis()
        ax.set_title(docs.title(k), loc="left")
        ax.set_xlabel("difference from %s%s" % (baseline, " (%s)" % unit if unit else ""))
        plain_ticks(ax)
        ax.grid(axis="x", alpha=0.3)
    from matplotlib.lines import Line2D   # the legend in black: the colours are the scenarios'
    axes[0].legend(handles=[Line2D([], [], marker="o", ls="", color="black", label="CI excludes 0"),
                            Line2D([], [], marker="o", ls="", mfc="white", mec="black",
                                   label="CI includes 0")], loc="best", frameon=False)
    fig.suptitle("Effect of each scenario against %s: paired difference (same replications, "
                 "common random numbers) with its 95%% CI" % baseline, fontsize=10)
    finish(fig)
    return save(fig, base, "differences", formats)


def landed_panel(f, docs, base, formats):
    ts = f["timeseries"][:]
    scen = list(dict.fromkeys(s(x) for x in ts["scenario"]))
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    colour = scenario_colours(f)
    for i, sc in enumerate(scen):
        sel = ts[ts["scenario"] == sc.encode()]
        times = np.unique(sel["t"])
        reps = np.unique(sel["replication"])
        grid = np.full((len(reps), len(times)), np.nan)
        for j, r in enumerate(reps):
            rr = sel[sel["replication"] == r]
            grid[j, np.searchsorted(times, rr["t"])] = rr["landed_cum"]
        line, = ax.plot(times, np.nanmean(grid, axis=0), label=sc, color=colour.get(sc, BLUE), lw=1.4)
        if len(reps) > 1:
            ax.fill_between(times, np.nanpercentile(grid, 5, axis=0),
                            np.nanpercentile(grid, 95, axis=0), color=line.get_color(), alpha=0.12)
    ax.set_xlabel("time (years from the start of the run)")
    ax.set_ylabel("projects landed at home since the warm-up")
    ax.set_title("Cumulative landings: mean and 5-95% band over replications", loc="left")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    finish(fig)
    return save(fig, base, "landed", formats)


STATUS_STYLE = {1: ("reference", "k", "s"), 2: ("on the frontier", BLUE, "o"),
                3: ("dominated", RED, "x"), 4: ("extended-dominated", GREY, "D")}


def frontier_points(inc):
    """The frontier's (delta_effect, delta_cost) in cost order, from /increments' rows
    against the reference: the frontier options, and the reference when it is on it."""
    ref_on = s(inc.attrs.get("reference_status", b"frontier")) == "frontier"
    rows = [r for r in inc[:] if r["against"] == 1
            and (r["status"] == 2 or (r["status"] == 1 and ref_on))]
    rows.sort(key=lambda r: r["delta_cost"])
    return [(float(r["delta_effect"]), float(r["delta_cost"])) for r in rows]


def plane_figure(f, docs):
    """The cost-effect plane of /increments; the frontier line has gid "frontier"."""
    inc = f["increments"]
    a = inc.attrs
    rows = [r for r in inc[:] if r["against"] == 1]
    cost_kpi, eff_kpi = s(a["cost_kpi"]), s(a["effect_kpi"])
    div, unit = money_scale(s(a.get("cost_unit", b"")),
                            [r[c] for r in rows for c in ("delta_cost_low", "delta_cost_high")])
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.axhline(0, color=GREY, lw=0.6)
    ax.axvline(0, color=GREY, lw=0.6)
    seen = set()
    for r in rows:
        label, color, marker = STATUS_STYLE.get(int(r["status"]), ("?", GREY, "o"))
        x, y = r["delta_effect"], r["delta_cost"] / div
        xe = [[x - r["delta_effect_low"]], [r["delta_effect_high"] - x]]
        ye = [[y - r["delta_cost_low"] / div], [r["delta_cost_high"] / div - y]]
        ok = np.isfinite(xe).all() and np.isfinite(ye).all()
        ax.errorbar(x, y, xerr=xe if ok else None, yerr=ye if ok else None, fmt=marker,
                    color=color, ecolor=color, elinewidth=0.8, capsize=2.5, ms=5,
                    label=None if label in seen else label)
        seen.add(label)
    pts = frontier_points(inc)
    if len(pts) > 1:
        ax.plot([p[0] for p in pts], [p[1] / div for p in pts], "-", color=BLUE, lw=1.2,
                zorder=0, gid="frontier", label="frontier")
    if "value_per_effect" in a:
        lam = float(a["value_per_effect"])
        xs = np.array(ax.get_xlim())
        ax.plot(xs, lam * xs / div, "--", color=GREEN, lw=0.9,
                label="value per effect: %g per unit" % lam)
        ax.set_xlim(*xs)
    label_points(ax, [(s(r["scenario"]), r["delta_effect"], r["delta_cost"] / div) for r in rows])
    eu = s(a.get("effect_unit", b""))
    ax.set_xlabel(axis_label("difference in %s from %s" % (eff_kpi, s(a["reference"])), eu))
    ax.set_ylabel(axis_label("difference in %s" % cost_kpi, unit))
    ax.set_title("Cost-effect plane: paired increments against %s with 95%% CIs; the line is "
                 "the frontier\n(right and down is better; steeper costs more per unit of "
                 "effect)" % s(a["reference"]), loc="left")
    plain_ticks(ax, "y")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    finish(fig)
    return fig


def plane_panel(f, docs, base, formats):
    if "increments" not in f or len(f["increments"]) == 0:
        return []
    return save(plane_figure(f, docs), base, "plane", formats)


def frontier_panel(f, docs, base, formats):
    sm = f["summary"][:]
    scen = list(dict.fromkeys(s(x) for x in sm["scenario"]))
    lr = {s(r["scenario"]): r for r in summary_rows(f, "landing_rate")}
    cp = {s(r["scenario"]): r for r in summary_rows(f, "cost_per_landing")}
    div, unit = table_scale(f, "cost_per_landing", docs.unit.get("cost_per_landing", "yuan"))
    colour = scenario_colours(f)
    fig, ax = plt.subplots(figsize=(7, 5))
    for c in scen:
        ax.errorbar(lr[c]["mean"], cp[c]["mean"] / div,
                    xerr=[[lr[c]["mean"] - lr[c]["ci_low"]], [lr[c]["ci_high"] - lr[c]["mean"]]],
                    yerr=[[(cp[c]["mean"] - cp[c]["ci_low"]) / div],
                          [(cp[c]["ci_high"] - cp[c]["mean"]) / div]],
                    fmt="o", color=colour.get(c, BLUE), ecolor=colour.get(c, GREY), capsize=2.5, ms=4)
    label_points(ax, [(c, lr[c]["mean"], cp[c]["mean"] / div) for c in scen])
    ax.set_xlabel("landing rate (share of sourced projects that land at home)")
    ax.set_ylabel("public cost per landed project (%s)" % unit)
    ax.set_title("Cost against reach, mean and 95% CI: lower right is better", loc="left")
    plain_ticks(ax, "y")
    ax.grid(alpha=0.3)
    finish(fig)
    return save(fig, base, "frontier", formats)


def occupancy_panel(f, docs, base, formats):
    car = f["carriers"][:]
    scen = list(dict.fromkeys(s(x) for x in car["scenario"]))
    carriers = list(dict.fromkeys(s(x) for x in car["carrier"]))
    util = np.full((len(scen), len(carriers)), np.nan)
    queue = np.full_like(util, np.nan)
    for i, sc in enumerate(scen):
        for j, c in enumerate(carriers):
            sel = car[(car["scenario"] == sc.encode()) & (car["carrier"] == c.encode())]
            if len(sel):
                util[i, j] = np.nanmean(sel["utilisation"])
                queue[i, j] = np.nanmean(sel["mean_queue"])
    # at most a page wide (7.5 in): many carriers narrow their columns, not widen the page
    fig, axes = plt.subplots(1, 2, figsize=(min(7.5, 2.2 + 1.5 * len(carriers)),
                                            1.6 + 0.36 * len(scen)), squeeze=False)
    for ax, z, title, fmt, cmap in ((axes[0, 0], util, "utilisation (share of seat-time)", "%.2f",
                                     "Greens"),
                                    (axes[0, 1], queue, "mean queue (projects waiting)", "%.1f",
                                     "Reds")):
        im = ax.imshow(z, aspect="auto", cmap=cmap, vmin=0, vmax=1 if z is util else None)
        for i in range(z.shape[0]):
            for j in range(z.shape[1]):
                if np.isfinite(z[i, j]):
                    ax.text(j, i, fmt % z[i, j], ha="center", va="center", fontsize=7.5,
                            color="white" if im.norm(z[i, j]) > 0.6 else "black")
        ax.set_xticks(range(len(carriers)))
        ax.set_xticklabels(carriers, rotation=35, ha="right")
        ax.set_yticks(range(len(scen)))
        ax.set_yticklabels(scen if ax is axes[0, 0] else [""] * len(scen))
        ax.tick_params(length=0)
        ax.set_title(title, loc="left")
        ax.spines[:].set_visible(False)
    fig.suptitle("Carriers after the warm-up, mean over replications (blank: not in the "
                 "scenario)", fontsize=10)
    finish(fig)
    return save(fig, base, "occupancy", formats)


def design_of(f):
    """The lever names and the (npoints, nlevers) array of their values."""
    d = f["design"][:]
    levers = [n for n in d.dtype.names if n != "point"]
    return levers, np.column_stack([d[n] for n in levers]) if levers else np.zeros((len(d), 0))


def point_stats(f, kpi, npoints):
    sel = summary_rows(f, kpi)
    mean, lo, hi = (np.full(npoints, np.nan) for _ in range(3))
    mean[sel["point"]] = sel["mean"]
    lo[sel["point"]] = sel["ci_low"]
    hi[sel["point"]] = sel["ci_high"]
    return mean, lo, hi


def sweep_panel(f, docs, base, kpis, formats):
    levers, x = design_of(f)
    fig, axes = grid_of(len(kpis), w=5.4, h=3.9)
    grid2 = False
    if len(levers) >= 2:
        u0, u1 = np.unique(x[:, 0]), np.unique(x[:, 1])
        grid2 = len(u0) * len(u1) == len(x) and len(levers) == 2
    xdiv, xunit = lever_scale(levers[0], x[:, 0])
    ydiv, yunit = lever_scale(levers[1], x[:, 1]) if len(levers) > 1 else (1.0, "")
    for ax, k in zip(axes, kpis):
        mean, lo, hi = point_stats(f, k, len(x))
        div, unit = table_scale(f, k, docs.unit.get(k, ""))
        if len(levers) == 1:
            order = np.argsort(x[:, 0])
            ax.plot(x[order, 0] / xdiv, mean[order] / div, "o-", color=BLUE, ms=3.5)
            ax.fill_between(x[order, 0] / xdiv, lo[order] / div, hi[order] / div, color=BLUE,
                            alpha=0.2, label="95% CI")
            ax.set_xlabel(axis_label(levers[0], xunit))
            ax.set_ylabel(unit or "value")
            ax.legend(frameon=False)
            plain_ticks(ax)
            plain_ticks(ax, "y")
        elif grid2:
            z = np.full((len(u1), len(u0)), np.nan)
            z[np.searchsorted(u1, x[:, 1]), np.searchsorted(u0, x[:, 0])] = mean / div
            im = ax.imshow(z, origin="lower", aspect="auto", cmap="viridis")
            ax.set_xticks(range(len(u0)))
            ax.set_xticklabels(["%g" % (v / xdiv) for v in u0], rotation=30, ha="right")
            ax.set_yticks(range(len(u1)))
            ax.set_yticklabels(["%g" % (v / ydiv) for v in u1])
            ax.set_xlabel(axis_label(levers[0], xunit))
            ax.set_ylabel(axis_label(levers[1], yunit))
            fig.colorbar(im, ax=ax, label=unit or "value")
            ax.grid(False)
        else:   # a scattered design: the KPI against the first lever, coloured by the second
            sc = ax.scatter(x[:, 0] / xdiv, mean / div, c=x[:, 1], s=12, cmap="viridis")
            ax.set_xlabel(axis_label(levers[0], xunit))
            ax.set_ylabel(unit or "value")
            fig.colorbar(sc, ax=ax, label=levers[1])
        ax.set_title(docs.title(k, 48), loc="left")
        if not grid2:
            ax.grid(alpha=0.3)
    fig.suptitle("Sweep: mean over replications at each design point (common random numbers "
                 "across points)", fontsize=10)
    finish(fig)
    return save(fig, base, "sweep", formats)


def sizing_panel(f, docs, base, formats):
    z = f["sizing"]
    a = {k: s(v) if isinstance(v, (bytes, str)) else v for k, v in z.attrs.items()}
    p = z[:]
    unit = docs.unit.get(a["kpi"], "")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    codes = h5py.check_enum_dtype(z.dtype["decision"])   # the file's own numbering (from 1)
    colours = {"feasible": GREEN, "infeasible": RED, "undecided": GREY}
    names = {code: name for name, code in codes.items()}
    colours = {code: colours[name] for name, code in codes.items()}
    xdiv, xunit = lever_scale(a["lever"], p["value"])
    for code in sorted(names):
        sel = p[p["decision"] == code]
        if len(sel):
            ax.errorbar(sel["value"] / xdiv, sel["mean"], yerr=[sel["mean"] - sel["ci_low"],
                        sel["ci_high"] - sel["mean"]], fmt="o", capsize=3, color=colours[code],
                        label=names[code])
    label_points(ax, [("probe %d, n=%d" % (i, r["n"]), r["value"] / xdiv, r["mean"])
                      for i, r in enumerate(p)])
    t, tol = float(a["target"]), float(a["tolerance"])
    ax.axhline(t, color="black", lw=1, label="target")
    ax.axhspan(t - tol, t + tol, color=GREY, alpha=0.2, label="tolerance")
    if np.isfinite(a["answer"]):
        ax.axvspan(a["answer_low"] / xdiv, a["answer_high"] / xdiv, color="#dd8452", alpha=0.3,
                   label="answer interval")
    ax.set_xlabel(axis_label(a["lever"], xunit))
    ax.set_ylabel(axis_label(a["kpi"], unit))
    ax.set_title("Smallest %s with %s %s %g: %s, answer %g%s" % (
        a["lever"], a["kpi"], ">=" if a["direction"] == "at_least" else "<=", t, a["status"],
        a["answer"] / xdiv, " " + xunit if xunit else ""), loc="left")
    plain_ticks(ax)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, loc="lower right")
    finish(fig)
    return save(fig, base, "sizing", formats)


def sensitivity_panel(f, docs, base, formats):
    t = f["sensitivity"][:]
    kpis = list(dict.fromkeys(s(x) for x in t["kpi"]))
    nlev = len(np.unique(t["lever"]))
    fig, axes = plt.subplots(len(kpis), 1, figsize=(8, (1.2 + 0.45 * nlev) * len(kpis)),
                             squeeze=False)
    for ax, k in zip(axes.flat, kpis):
        sel = t[t["kpi"] == k.encode()]
        levers = list(dict.fromkeys(s(x) for x in sel["lever"]))
        measures = [m for m in ("S1", "ST", "mu_star", "sigma")
                    if m.encode() in set(sel["measure"])]
        y = np.arange(len(levers))
        h = 0.8 / len(measures)
        for i, m in enumerate(measures):
            r = [sel[(sel["lever"] == lv.encode()) & (sel["measure"] == m.encode())][0]
                 for lv in levers]
            v = np.array([q["value"] for q in r])
            err = np.nan_to_num(np.vstack([v - [q["ci_low"] for q in r],
                                           [q["ci_high"] for q in r] - v]))
            ax.barh(y + i * h, v, height=h, xerr=np.abs(err), capsize=2, label=m)
        ax.set_yticks(y + 0.4 - h / 2)
        ax.set_yticklabels(levers)
        ax.invert_yaxis()
        ax.set_title(docs.title(k, 80), loc="left")
        ax.set_xlabel("share of the KPI's variance" if "S1" in measures else
                      "elementary effect (%s per unit of the lever's range)"
                      % (docs.unit.get(k) or "KPI units"))
        ax.grid(axis="x", alpha=0.3)
        ax.legend(frameon=False)
    fig.suptitle("Sensitivity: indices with 95% bootstrap intervals", fontsize=10)
    finish(fig)
    return save(fig, base, "sensitivity", formats)


def strs(col):
    return np.array([s(x) for x in col])


def psa_panels(f, base, formats):
    p = f["psa"][:]
    cost_kpi = s(f["ceac"].attrs.get("cost_kpi", b"cohort_cost"))
    effect_kpi = s(f["ceac"].attrs.get("effect_kpi", b"cohort_landed"))
    scen = strs(p["scenario"])
    options = list(dict.fromkeys(scen))
    ref = "no_policy" if "no_policy" in options else options[0]
    draws = np.unique(p["draw"])
    by = {o: p[scen == o] for o in options}
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    paths = []
    # the cost-effect plane, one dot per draw
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    for i, o in enumerate(x for x in options if x != ref):
        de = by[o][effect_kpi] - by[ref][effect_kpi]
        dc = (by[o][cost_kpi] - by[ref][cost_kpi]) / 1e6
        c = colors[i % len(colors)]
        ax.scatter(de, dc, s=7, alpha=0.45, color=c, linewidths=0)
        ax.scatter([np.nanmean(de)], [np.nanmean(dc)], marker="x", s=60, color=c, label=o)
    ax.axhline(0, color=GREY, lw=0.6)
    ax.axvline(0, color=GREY, lw=0.6)
    ax.set_xlabel("extra %s against %s (per draw: mean over its replications)" % (effect_kpi, ref))
    ax.set_ylabel("extra %s (million yuan, PV)" % cost_kpi)
    ax.legend(frameon=False, fontsize=7.5, ncol=2)
    ax.set_title("Cost-effect plane: %d draws of the assumptions; x = mean" % len(draws), loc="left")
    finish(fig)
    paths += save(fig, base, "cloud", formats)
    # acceptability curves
    c = f["ceac"][:]
    cs = strs(c["scenario"])
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for i, o in enumerate(options):
        sel = c[cs == o]
        ax.plot(sel["value_per_effect"] / 1e6, sel["probability_best"], label=o,
                color=colors[i % len(colors)], lw=1.4)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("value of one extra %s (million yuan)" % effect_kpi)
    ax.set_ylabel("probability of the highest net benefit")
    ax.set_title("Acceptability curves over what we don't know", loc="left")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize=7.5, ncol=2)
    finish(fig)
    paths += save(fig, base, "ceac", formats)
    # EVPPI bars at the lambda where the choice is least sure
    e = f["evppi"][:]
    st = strs(e["setting"])
    evpi = e[st == "(all: EVPI)"]
    lam = evpi["value_per_effect"][int(np.argmax(evpi["evppi"]))]
    sel = e[(e["value_per_effect"] == lam) & (st != "(all: EVPI)")]
    order = np.argsort(sel["evppi"])[::-1][:15][::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.8 + 0.3 * len(order)))
    ax.barh(np.arange(len(order)), sel["evppi"][order] / 1e6, color=BLUE)
    ax.set_yticks(np.arange(len(order)))
    ax.set_yticklabels(strs(sel["setting"][order]))
    ax.set_xlabel("EVPPI (million yuan): expected gain from knowing it before choosing")
    ax.set_title("Which unknown to research first, at %.3g million yuan per %s (EVPI %.3g M)"
                 % (lam / 1e6, effect_kpi, evpi["evppi"].max() / 1e6), loc="left")
    ax.grid(axis="x", alpha=0.3)
    finish(fig)
    paths += save(fig, base, "evppi", formats)
    return paths


def posterior_panel(f, base, formats):
    t = f["posterior"][:]
    names = [n for n in t.dtype.names if n not in ("weight", "implausibility", "wave")]
    prior = f["design"][:] if "design" in f else None
    fig, axes = grid_of(len(names), cols=3, w=3.4, h=2.4)
    for ax, n in zip(axes, names):
        if prior is not None and n in prior.dtype.names:
            ax.hist(prior[n], bins=20, color=GREY, alpha=0.6, density=True, label="drawn (all waves)")
        ax.hist(t[n], bins=20, color=BLUE, alpha=0.8, density=True, weights=t["weight"],
                label="posterior")
        ax.set_title(n, fontsize=8, loc="left")
        ax.tick_params(labelsize=7)
    axes[0].legend(frameon=False, fontsize=7)
    cut = f["posterior"].attrs.get("cut", 3.0)
    fig.suptitle("Calibration: what was drawn against what survived the cut (implausibility "
                 "<= %g)" % cut, fontsize=10)
    finish(fig)
    return save(fig, base, "posterior", formats)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", help="an incubsim results file (.h5)")
    ap.add_argument("--kpis", default=DEFAULT_KPIS, help="comma-separated KPIs for the KPI figures")
    ap.add_argument("--format", default="png", help="png, pdf, svg, or several: png,pdf")
    a = ap.parse_args()
    formats = [x for x in a.format.split(",") if x]
    bad = [x for x in formats if x not in FORMATS]
    if bad or not formats:
        sys.exit("plot.py: --format takes png, pdf or svg (comma-separated), got %s" % a.format)
    if os.path.isdir(a.results):
        sys.exit("plot.py: %s: a folder, not a results file" % a.results)
    try:
        f = h5py.File(a.results, "r")
    except OSError as e:
        sys.exit("plot.py: %s: %s" % (a.results, str(e).splitlines()[0]))
    for t in ("summary", "timeseries", "carriers"):
        if t not in f:
            sys.exit("plot.py: %s has no /%s table (not an incubsim results file?)" % (a.results, t))
    known = set(s(x) for x in f["summary"]["kpi"])
    kpis = [k for k in a.kpis.split(",") if k]
    unknown = [k for k in kpis if k not in known]
    if unknown:
        sys.exit("plot.py: unknown KPI %s" % ", ".join(unknown))
    docs = Docs(f)
    base = os.path.splitext(a.results)[0]
    if "psa" in f:
        paths = psa_panels(f, base, formats)
    elif "posterior" in f:
        paths = posterior_panel(f, base, formats)
    elif "design" in f:
        if "sizing" in f:
            paths = sizing_panel(f, docs, base, formats)
        elif "sensitivity" in f:
            paths = sensitivity_panel(f, docs, base, formats)
        else:
            paths = sweep_panel(f, docs, base, kpis if a.kpis != DEFAULT_KPIS else
                                ["landing_rate", "net_fiscal", "cost_per_landing", "public_spend"],
                                formats)
    else:
        paths = (plane_panel(f, docs, base, formats)
                 + differences_panel(f, docs, base, kpis, formats) + kpi_panel(f, docs, base, kpis, formats)
                 + landed_panel(f, docs, base, formats) + frontier_panel(f, docs, base, formats)
                 + occupancy_panel(f, docs, base, formats))
    for path in paths:
        print("figure:", path)


if __name__ == "__main__":
    # bad input ends with one line and a non-zero exit, never a traceback: a file that
    # is HDF5 but not as incubsim writes it (a missing column, a table of another shape)
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("plot.py: interrupted")
    except BrokenPipeError:
        sys.exit(1)
    except (OSError, KeyError, ValueError, TypeError, IndexError, AttributeError,
            LookupError, ArithmeticError) as e:
        where = next((x for x in sys.argv[1:] if not x.startswith("-")), "the results file")
        sys.exit("plot.py: %s: cannot be plotted (not as incubsim writes it?): %s: %s"
                 % (where, type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
