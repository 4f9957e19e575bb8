#!/bin/sh
# test_readers.sh — the readers installed with the program: output/incubsim_read.py
# (pandas) and output/incubsim.R (read_incubsim, hdf5r) return a results file's tables
# decoded (strings as text, enums as categoricals / factors) with every column's unit
# attached, the same values as the file. Prints "# readers: N passed, N failed".
. "$(dirname "$0")/harness.sh"
: "${PY:=/usr/bin/python3}"
if ! $INCUBSIM run scenarios/baseline.cfg scenarios/landing_award.cfg -r 2 --records -q \
        -o "$T/r.h5" >/dev/null 2>"$T/err"; then
    bad "run: $(cat "$T/err")"
    finish readers
    exit 1
fi

PYTHONPATH=output "$PY" - "$T/r.h5" >"$T/py.out" 2>&1 <<'EOF2'
import sys
import h5py
import numpy as np
import pandas as pd
import incubsim_read as ir
path = sys.argv[1]
def check(ok, what):
    print(("ok " if ok else "FAIL ") + what)
runs = ir.read(path)
raw = h5py.File(path, "r")["runs"][:]
check(isinstance(runs, pd.DataFrame) and len(runs) == len(raw) == 4, "runs: 4 rows")
check(list(runs.columns) == list(raw.dtype.names), "every column, in the file's order")
check(runs["scenario"].tolist() == [s.decode() for s in raw["scenario"]], "names decoded to str")
check(str(runs["status"].dtype) == "category" and list(runs["status"].cat.categories) == ["ok", "failed"]
      and (runs["status"] == "ok").all(), "status: a Categorical of its names")
check(runs.attrs["units"]["net_fiscal"] == "yuan (PV)" and runs.attrs["units"]["landing_rate"] == "share",
      "units attached by column")
check(ir.unit(runs, "tax") == "yuan (PV)" and runs["tax"].attrs["unit"] == "yuan (PV)", "unit() and Series.attrs")
check(runs.attrs["descriptions"]["landing_rate"].startswith("landed"), "descriptions attached")
check(np.array_equal(runs["net_fiscal"].to_numpy(), raw["net_fiscal"]), "numbers as stored")
p = ir.read(path, "projects")
check(str(p["outcome"].dtype) == "category" and "production" in p["outcome"].cat.categories
      and (p["outcome"] == "production").sum() > 0, "outcome: a Categorical")
check(p.groupby("outcome")["quality"].mean().notna().any(), "groupby on an enum works")
c = ir.read(path, "carriers")
check(list(c["stage"].cat.categories) == ["pre_incubation", "acceleration", "industrialisation"],
      "stage: the stages in order")
check("runs" in ir.tables(path) and "summary" in ir.tables(path), "tables() lists them")
check(ir.root(path)["master_seed"] == 1.0, "root() gives provenance")
try:
    ir.read(path, "nosuch")
    check(False, "an unknown table is refused")
except KeyError as e:
    check("nosuch" in str(e), "an unknown table is refused, by name")
EOF2
n_ok=$(grep -c '^ok ' "$T/py.out"); n_bad=$(grep -c -v '^ok ' "$T/py.out")
pass=$((pass + n_ok)); fail=$((fail + n_bad)); grep -v '^ok ' "$T/py.out"
[ "$n_ok" -ge 14 ] && ok || bad "python reader: only $n_ok checks ran"

if command -v Rscript >/dev/null 2>&1; then
    Rscript - "$T/r.h5" >"$T/r.out" 2>&1 <<'EOF2'
suppressMessages(library(hdf5r))
source("output/incubsim.R")
path <- commandArgs(TRUE)[1]
check <- function(ok, what) cat(if (isTRUE(ok)) "ok " else "FAIL ", what, "\n", sep = "")
runs <- read_incubsim(path)
check(nrow(runs) == 4, "runs: 4 rows")
check(is.factor(runs$status) && identical(levels(runs$status), c("ok", "failed")), "status is a factor")
check(identical(as.vector(table(runs$status)), c(4L, 0L)), "table(status)")
check(attr(runs$net_fiscal, "units") == "yuan (PV)" && attr(runs, "units")[["landing_rate"]] == "share",
      "units attached to columns and frame")
check(startsWith(attr(runs$landing_rate, "description"), "landed"), "descriptions attached")
check(is.character(runs$scenario) && all(runs$scenario %in% c("baseline", "landing_award")), "names as text")
m <- tapply(runs$landing_rate, runs$scenario, mean)
check(length(m) == 2 && all(is.finite(m)), "tapply by scenario")
p <- read_incubsim(path, "projects")
check(is.factor(p$outcome) && sum(p$outcome == "production") > 0, "outcome is a factor")
check("runs" %in% incubsim_tables(path), "incubsim_tables lists them")
e <- tryCatch(read_incubsim(path, "nosuch"), error = function(e) conditionMessage(e))
check(is.character(e) && grepl("nosuch", e), "an unknown table is refused, by name")
EOF2
    n_ok=$(grep -c '^ok ' "$T/r.out"); n_bad=$(grep -c -v '^ok ' "$T/r.out")
    pass=$((pass + n_ok)); fail=$((fail + n_bad)); grep -v '^ok ' "$T/r.out"
    [ "$n_ok" -ge 10 ] && ok || bad "R reader: only $n_ok checks ran"
else
    echo "SKIP R reader: Rscript not found (make deps installs r-cran-hdf5r); not counted as passed"
fi
finish readers
