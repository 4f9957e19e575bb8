#!/usr/bin/python3
"""plot.py — figures from an incubsim results file, written as PNG next to it.

Usage: /usr/bin/python3 output/plot.py OUT.h5 [--kpis landing_rate,cost_per_landing,...]

Figures:
  OUT.kpis.png      KPIs by scenario, mean with 95% CI bars (from /summary)
  OUT.landed.png    cumulative landed firms over time, mean and 5-95% band (/timeseries)
  OUT.frontier.png  cost per landed firm against landing rate: the policy frontier
  OUT.occupancy.png carrier utilisation and mean queue by scenario (/carriers)
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
    for path in (kpi_panel(f, base, kpis), landed_panel(f, base), frontier_panel(f, base),
                 occupancy_panel(f, base)):
        print("figure:", path)


if __name__ == "__main__":
    main()
