#!/bin/sh
# test_r.sh — the results file as R reads it (hdf5r, Debian's r-cran-hdf5r):
# every value a user sets comes back exactly (the largest seed, 2^53-1),
# names join across tables, enums are factors, every column has its unit.
# Prints "# r: N passed, N failed".
: "${INCUBSIM:=./incubsim}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! command -v Rscript >/dev/null 2>&1; then
    echo "FAIL Rscript not found (make deps installs r-cran-hdf5r)"
    echo "# r: 0 passed, 1 failed"
    exit 1
fi
if ! $INCUBSIM run scenarios/baseline.cfg scenarios/landing_award.cfg -r 2 -s 9007199254740991 \
        --records -q -o "$T/r.h5" >/dev/null 2>"$T/err"; then
    echo "FAIL run: $(cat "$T/err")"
    echo "# r: 0 passed, 1 failed"
    exit 1
fi
Rscript - "$T/r.h5" <<'EOF' 2>&1
suppressMessages(library(hdf5r))
pass <- 0; fail <- 0
check <- function(ok, what) {
  if (isTRUE(ok)) pass <<- pass + 1 else { fail <<- fail + 1; cat("FAIL", what, "\n") }
}
f <- H5File$new(commandArgs(TRUE)[1], mode = "r")
runs <- f[["runs"]]$read()
check(nrow(runs) == 4, "4 rows in /runs")
check(sprintf("%.0f", runs$seed[1]) == "9007199254740991", "the seed 2^53-1 reads back exactly")
check(sprintf("%.0f", h5attr(f, "master_seed")) == "9007199254740991", "master_seed reads back exactly")
check(is.numeric(runs$events) && all(runs$events > 1000), "event counts are numbers")
check(identical(levels(runs$status), c("ok", "failed")) && all(as.character(runs$status) == "ok"),
      "status reads as a factor (hdf5r: factor_ext) of its names")
check(all(runs$scenario %in% c("baseline", "landing_award")), "scenario names are strings")
a <- h5attributes(f[["runs"]])
check(identical(a$columns, names(runs)), "one documented column per field, in order")
u <- setNames(a$units, a$columns)
check(u[["landing_rate"]] == "share" && u[["tax"]] == "yuan (PV)", "per-column units")
check(all(nchar(a$descriptions) > 3), "every column described")
p <- f[["projects"]]$read()
cr <- f[["carriers"]]$read()
reached <- p[p$carrier_acc != "", ]
j <- merge(reached, cr, by.x = c("scenario", "replication", "carrier_acc"),
           by.y = c("scenario", "replication", "carrier"))
check(nrow(reached) > 0 && nrow(j) == nrow(reached), "/projects joins /carriers on carrier names")
check("production" %in% levels(p$outcome) && "production" %in% as.character(p$outcome),
      "outcome reads as a factor of its names")
s <- f[["summary"]]$read()
m <- s[s$kpi == "landing_rate" & s$scenario == "baseline", "mean"]
check(abs(m - mean(runs$landing_rate[runs$scenario == "baseline"])) < 1e-12, "/summary agrees with /runs")
f$close_all()
cat(sprintf("# r: %d passed, %d failed\n", pass, fail))
quit(status = if (fail > 0) 1 else 0)
EOF
