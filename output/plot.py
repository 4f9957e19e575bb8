#!/usr/bin/python3
"""plot.py — figures from an incubsim results file, written as PNG next to it.

Usage: /usr/bin/python3 output/plot.py OUT.h5 [--kpis landing_rate,cost_per_landing,...]

Figures of a run of scenarios:
  OUT.kpis.png      KPIs by scenario, mean with 95% CI bars (from /summary)
  OUT.landed.png    cumulative landed firms over time, mean and 5-95% band (/timeseries)
  OUT.frontier.png  cost per landed firm against landing rate: the policy frontier
  OUT.occupancy.png carrier utilisation and mean queue by scenario (/carriers)
Figures of an experiment (a file with /design):
  OUT.sweep.png     sweep: each KPI against the lever with its 95% CI band; for two
                    levers on a grid, a heat map per KPI
  OUT.sizing.png    size: each probe's mean and CI against the lever, the target and
                    the answer's interval
  OUT.sensitivity.png sensitivity: S1 and ST (or Morris mu* and sigma) per lever and KPI
Needs h5py, numpy and matplotlib (Debian: python3-h5py python3-numpy python3-matplotlib;
call /usr/bin/python3, as another python3 on PATH may lack them)."""
import argparse
import os
import sys

try:
    import h5py
    import numpy as np
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError as e:
    sys.exit("plot.py: %s; install python3-h5py python3-numpy python3-matplotlib and run "
             "with /usr/bin/python3" % e)

DEFAULT_KPIS = "landing_rate,landed,mean_time_to_landing,survival_3y,jobs,public_spend,cost_per_landing,fiscal_return"


def s(x):
    return x.decode() if isinstance(x, bytes) else x


def save(fig, base, suffix):
    """Writes the figure as BASE.SUFFIX.png and returns the path."""
    fig.tight_layout()
    path = "%s.%s.png" % (base, suffix)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def kpi_panel(f, base, kpis):
    sm = f["summary"][:]
    scen = list(dict.fromkeys(s(x) for x in sm["scenario"]))
    n = len(kpis)
    cols = 2
    rows = (n + 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(12, 2.6 * rows), squeeze=False)
    for ax, k in zip(axes.flat, kpis):
        sel = sm[sm["kpi"] == k.encode()]
        order = [next(r for r in sel if s(r["scenario"]) == sc) for sc in scen]
        mean = np.array([r["mean"] for r in order])
        lo = np.array([r["ci_low"] for r in order])
        hi = np.array([r["ci_high"] for r in order])
        err = np.vstack([mean - lo, hi - mean])
        err = np.nan_to_num(err)
        y = np.arange(len(scen))
        ax.barh(y, mean, xerr=err, color="#4c72b0", ecolor="black", capsize=3)
        ax.set_yticks(y)
        ax.set_yticklabels(scen, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(k, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle("KPIs by scenario: mean and 95% CI over replications")
    return save(fig, base, "kpis")


def landed_panel(f, base):
    ts = f["timeseries"][:]
    fig, ax = plt.subplots(figsize=(9, 5))
    for sc in dict.fromkeys(s(x) for x in ts["scenario"]):
        sel = ts[ts["scenario"] == sc.encode()]
        times = np.unique(sel["t"])
        reps = np.unique(sel["replication"])
        grid = np.full((len(reps), len(times)), np.nan)
        for i, r in enumerate(reps):
            rr = sel[sel["replication"] == r]
            grid[i, np.searchsorted(times, rr["t"])] = rr["landed_cum"]
        mean = np.nanmean(grid, axis=0)
        line, = ax.plot(times, mean, label=sc)
        if len(reps) > 1:
            ax.fill_between(times, np.nanpercentile(grid, 5, axis=0),
                            np.nanpercentile(grid, 95, axis=0), color=line.get_color(), alpha=0.15)
    ax.set_xlabel("years")
    ax.set_ylabel("landed projects since warm-up")
    ax.set_title("Cumulative landed projects: mean and 5-95% band over replications")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    return save(fig, base, "landed")


def frontier_panel(f, base):
    sm = f["summary"][:]
    fig, ax = plt.subplots(figsize=(8, 6))
    for sc in dict.fromkeys(s(x) for x in sm["scenario"]):
        lr = sm[(sm["scenario"] == sc.encode()) & (sm["kpi"] == b"landing_rate")][0]
        cp = sm[(sm["scenario"] == sc.encode()) & (sm["kpi"] == b"cost_per_landing")][0]
        ax.errorbar(lr["mean"], cp["mean"] / 1e6,
                    xerr=[[lr["mean"] - lr["ci_low"]], [lr["ci_high"] - lr["mean"]]],
                    yerr=[[(cp["mean"] - cp["ci_low"]) / 1e6], [(cp["ci_high"] - cp["mean"]) / 1e6]],
                    fmt="o", capsize=3)
        ax.annotate(sc, (lr["mean"], cp["mean"] / 1e6), textcoords="offset points", xytext=(5, 5),
                    fontsize=8)
    ax.set_xlabel("landing rate (landed / sourced)")
    ax.set_ylabel("public cost per landed project (million yuan)")
    ax.set_title("Policy frontier: lower right is better")
    ax.grid(alpha=0.3)
    return save(fig, base, "frontier")


def occupancy_panel(f, base):
    car = f["carriers"][:]
    labels, util, queue = [], [], []
    for sc in dict.fromkeys(s(x) for x in car["scenario"]):
        for c in dict.fromkeys(s(x) for x in car[car["scenario"] == sc.encode()]["carrier"]):
            sel = car[(car["scenario"] == sc.encode()) & (car["carrier"] == c.encode())]
            labels.append("%s / %s" % (sc, c))
            util.append(np.nanmean(sel["utilisation"]))
            queue.append(np.nanmean(sel["mean_queue"]))
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, max(4, 0.25 * len(labels))), sharey=True)
    y = np.arange(len(labels))
    a.barh(y, util, color="#55a868")
    a.set_yticks(y)
    a.set_yticklabels(labels, fontsize=7)
    a.invert_yaxis()
    a.set_xlabel("utilisation (share of seat-time)")
    a.set_xlim(0, 1)
    b.barh(y, queue, color="#c44e52")
    b.set_xlabel("mean queue (projects)")
    fig.suptitle("Carrier occupancy after the warm-up (mean over replications)")
    return save(fig, base, "occupancy")


def design_of(f):
    """The lever names and the (npoints, nlevers) array of their values."""
    d = f["design"][:]
    levers = [n for n in d.dtype.names if n != "point"]
    return levers, np.column_stack([d[n] for n in levers]) if levers else np.zeros((len(d), 0))


def point_stats(f, kpi, npoints):
    sm = f["summary"][:]
    sel = sm[sm["kpi"] == kpi.encode()]
    mean, lo, hi = (np.full(npoints, np.nan) for _ in range(3))
    mean[sel["point"]] = sel["mean"]
    lo[sel["point"]] = sel["ci_low"]
    hi[sel["point"]] = sel["ci_high"]
    return mean, lo, hi


def sweep_panel(f, base, kpis):
    levers, x = design_of(f)
    n = len(kpis)
    cols = 2 if n > 1 else 1
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(6.5 * cols, 4.2 * rows), squeeze=False)
    grid2 = False
    if len(levers) >= 2:
        u0, u1 = np.unique(x[:, 0]), np.unique(x[:, 1])
        grid2 = len(u0) * len(u1) == len(x) and len(levers) == 2
    for ax, k in zip(axes.flat, kpis):
        mean, lo, hi = point_stats(f, k, len(x))
        if len(levers) == 1:
            order = np.argsort(x[:, 0])
            ax.plot(x[order, 0], mean[order], "o-", color="#4c72b0")
            ax.fill_between(x[order, 0], lo[order], hi[order], color="#4c72b0", alpha=0.2,
                            label="95% CI")
            ax.set_xlabel(levers[0])
            ax.legend(fontsize=8)
        elif grid2:
            z = np.full((len(u1), len(u0)), np.nan)
            z[np.searchsorted(u1, x[:, 1]), np.searchsorted(u0, x[:, 0])] = mean
            im = ax.imshow(z, origin="lower", aspect="auto", cmap="viridis",
                           extent=(-0.5, len(u0) - 0.5, -0.5, len(u1) - 0.5))
            ax.set_xticks(range(len(u0)))
            ax.set_xticklabels(["%.3g" % v for v in u0], fontsize=7)
            ax.set_yticks(range(len(u1)))
            ax.set_yticklabels(["%.3g" % v for v in u1], fontsize=7)
            ax.set_xlabel(levers[0])
            ax.set_ylabel(levers[1])
            fig.colorbar(im, ax=ax)
        else:   # a scattered design: the KPI against the first lever, coloured by the second
            sc = ax.scatter(x[:, 0], mean, c=x[:, 1], s=12, cmap="viridis")
            ax.set_xlabel(levers[0])
            fig.colorbar(sc, ax=ax, label=levers[1])
        ax.set_title(k, fontsize=10)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle("Sweep: mean over replications (common random numbers across points)")
    return save(fig, base, "sweep")


def sizing_panel(f, base):
    z = f["sizing"]
    a = {k: s(v) if isinstance(v, (bytes, str)) else v for k, v in z.attrs.items()}
    p = z[:]
    fig, ax = plt.subplots(figsize=(8, 5))
    colours = {0: "#55a868", 1: "#c44e52", 2: "#8172b2"}
    names = {0: "feasible", 1: "infeasible", 2: "undecided"}
    for code in (0, 1, 2):
        sel = p[p["decision"] == code]
        if len(sel):
            ax.errorbar(sel["value"], sel["mean"], yerr=[sel["mean"] - sel["ci_low"],
                        sel["ci_high"] - sel["mean"]], fmt="o", capsize=3, color=colours[code],
                        label=names[code])
    for i, r in enumerate(p):
        ax.annotate("%d (n=%d)" % (i, r["n"]), (r["value"], r["mean"]), fontsize=7,
                    textcoords="offset points", xytext=(4, 4))
    t, tol = float(a["target"]), float(a["tolerance"])
    ax.axhline(t, color="black", lw=1, label="target")
    ax.axhspan(t - tol, t + tol, color="grey", alpha=0.2, label="tolerance")
    if np.isfinite(a["answer"]):
        ax.axvspan(a["answer_low"], a["answer_high"], color="#dd8452", alpha=0.3,
                   label="answer interval")
    ax.set_xlabel(a["lever"])
    ax.set_ylabel(a["kpi"])
    ax.set_title("size: %s, answer %.4g (%s)" % (a["status"], a["answer"], a["direction"]))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return save(fig, base, "sizing")


def sensitivity_panel(f, base):
    t = f["sensitivity"][:]
    kpis = list(dict.fromkeys(s(x) for x in t["kpi"]))
    fig, axes = plt.subplots(len(kpis), 1, figsize=(9, 2.8 + 0.5 * len(np.unique(t["lever"]))
                             * len(kpis)), squeeze=False)
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
        ax.set_yticklabels(levers, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(k, fontsize=10)
        ax.set_xlabel("share of the KPI's variance" if "S1" in measures else
                      "elementary effect (KPI units per unit of the lever's range)", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("Sensitivity: indices with 95% bootstrap intervals")
    return save(fig, base, "sensitivity")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", help="an incubsim results file (.h5)")
    ap.add_argument("--kpis", default=DEFAULT_KPIS, help="comma-separated KPIs for the KPI figure")
    a = ap.parse_args()
    try:
        f = h5py.File(a.results, "r")
    except OSError as e:
        sys.exit("plot.py: %s: %s" % (a.results, e))
    for t in ("summary", "timeseries", "carriers"):
        if t not in f:
            sys.exit("plot.py: %s has no /%s table (not an incubsim results file?)" % (a.results, t))
    known = set(s(x) for x in f["summary"]["kpi"])
    kpis = [k for k in a.kpis.split(",") if k]
    unknown = [k for k in kpis if k not in known]
    if unknown:
        sys.exit("plot.py: unknown KPI %s" % ", ".join(unknown))
    base = os.path.splitext(a.results)[0]
    if "design" in f:
        figures = []
        if "sizing" in f:
            figures.append(sizing_panel(f, base))
        elif "sensitivity" in f:
            figures.append(sensitivity_panel(f, base))
        else:
            figures.append(sweep_panel(f, base, kpis if a.kpis != DEFAULT_KPIS else
                                       ["landing_rate", "net_fiscal", "cost_per_landing",
                                        "public_spend"]))
        for path in figures:
            print("figure:", path)
        return
    for path in (kpi_panel(f, base, kpis), landed_panel(f, base), frontier_panel(f, base),
                 occupancy_panel(f, base)):
        print("figure:", path)


if __name__ == "__main__":
    main()
