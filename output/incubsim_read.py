"""incubsim_read — an incubsim results file's tables as pandas data frames, decoded, with
their units attached.

    import incubsim_read as ir
    runs = ir.read("results/run.h5")              # /runs
    runs.attrs["units"]["net_fiscal"]              # 'yuan (PV)'
    runs["status"]                                 # a Categorical: ok, failed
    ir.unit(runs, "tax")                           # 'yuan (PV)'
    ir.tables("results/run.h5")                    # ['carriers', 'increments', 'runs', ...]

Strings (fixed-width UTF-8, NUL-padded in the file) come back as str; HDF5 enums as pandas
Categoricals of their names, in the file's order; each column's unit and meaning, which the
file carries as the table's `units` and `descriptions` attributes, go into
`frame.attrs["units"]`, `frame.attrs["descriptions"]` (dicts by column) and each column's
`Series.attrs["unit"]`; the table's own attributes (a sizing's answer, the ICER's method) into
`frame.attrs["table"]`. Installed by `make install` (PREFIX/lib/python3/dist-packages); needs
h5py, numpy and pandas (Debian: python3-h5py python3-pandas).
"""
import h5py
import numpy as np
import pandas as pd

__all__ = ["read", "tables", "unit", "root"]


def _text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace").rstrip("\0")
    if isinstance(v, np.ndarray):
        return [_text(x) for x in v.tolist()]
    if isinstance(v, np.generic):
        return v.item()
    return v


def tables(path):
    """The names of the file's tables (one-dimensional compound datasets), sorted."""
    with h5py.File(path, "r") as f:
        return sorted(k for k, d in f.items()
                      if isinstance(d, h5py.Dataset) and d.dtype.names and d.ndim == 1)


def root(path):
    """The file's root attributes (provenance: command line, version, seed ...) as a dict."""
    with h5py.File(path, "r") as f:
        return {k: _text(v) for k, v in f.attrs.items()}


def read(path, table="runs"):
    """Table `table` of the results file at `path` as a decoded pandas.DataFrame with units."""
    with h5py.File(path, "r") as f:
        if table not in f:
            raise KeyError("%s has no table /%s (it has: %s)" % (path, table,
                           ", ".join(k for k in f.keys())))
        d = f[table]
        if not isinstance(d, h5py.Dataset) or not d.dtype.names:
            raise ValueError("/%s of %s is not a table" % (table, path))
        data = d[:]
        attrs = {k: _text(v) for k, v in d.attrs.items()}
        enums = {name: h5py.check_enum_dtype(d.dtype[name]) for name in d.dtype.names}
    cols = {}
    for name in data.dtype.names:
        v = data[name]
        enum = enums.get(name)
        if enum:
            names = [k for k, _ in sorted(enum.items(), key=lambda kv: kv[1])]
            by_code = {code: k for k, code in enum.items()}
            cols[name] = pd.Categorical([by_code.get(int(x)) for x in v], categories=names)
        elif v.dtype.kind == "S":
            cols[name] = [x.decode("utf-8", "replace").rstrip("\0") for x in v]
        elif v.dtype.kind == "O":
            cols[name] = [_text(x) for x in v]
        else:
            cols[name] = v
    frame = pd.DataFrame(cols, columns=list(data.dtype.names))
    names = attrs.get("columns") or []
    units = dict(zip(names, attrs.get("units") or []))
    docs = dict(zip(names, attrs.get("descriptions") or []))
    frame.attrs["units"] = {c: units.get(c, "") for c in frame.columns}
    frame.attrs["descriptions"] = {c: docs.get(c, "") for c in frame.columns}
    frame.attrs["description"] = attrs.get("description", "")
    frame.attrs["table"] = {k: v for k, v in attrs.items()
                            if k not in ("columns", "units", "descriptions", "description")}
    for c in frame.columns:
        frame[c].attrs["unit"] = frame.attrs["units"][c]
    return frame


def unit(frame, column):
    """The unit of a column of a frame `read` returned ('' when the file names none)."""
    return frame.attrs.get("units", {}).get(column, "")


if __name__ == "__main__":
    import sys
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python3 -m incubsim_read RESULTS.h5 [TABLE]   (TABLE default runs)")
    fr = read(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else "runs")
    print(fr.head(20).to_string())
    print("\nunits:", ", ".join("%s [%s]" % (c, u) for c, u in fr.attrs["units"].items() if u))
