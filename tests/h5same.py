"""h5same.py — the comparison the parallel tests share: two results files hold the
same bits in every table, field by field, wall-clock columns aside."""
import h5py

TABLES = ["runs", "carriers", "summary", "timeseries", "projects", "design", "scenarios",
          "sensitivity", "psa", "ceac", "evppi", "posterior", "increments"]


def same(a, b):
    """Returns the differences between files a and b, as a list of words (empty: none)."""
    diffs = []
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        for t in TABLES:
            if t not in fa and t not in fb:
                continue
            if t not in fa or t not in fb:
                diffs.append("/%s in one file only" % t)
                continue
            x, y = fa[t][:], fb[t][:]
            if len(x) != len(y):
                diffs.append("/%s rows %d vs %d" % (t, len(x), len(y)))
                continue
            for name in x.dtype.names:
                if name == "wall_seconds" or (t == "scenarios" and name == "config"):
                    continue
                if x[name].tobytes() != y[name].tobytes():
                    diffs.append("/%s column %s" % (t, name))
    return diffs
