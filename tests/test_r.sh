#!/bin/sh
# test_r.sh — the results file as R reads it (hdf5r, Debian's r-cran-hdf5r):
# every value a user sets comes back exactly (the largest seed, 2^53-1),
# names join across tables, every enum of every table is a plain factor
# (is.factor; table, summary, tapply work), every column has its unit.
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
cat > "$T/z.cfg" <<EOF2
name = "z"; scenario = "$(pwd)/scenarios/landing_award.cfg"; replications = 4;
levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; step = 2.0e5; } );
kpis = [ "landing_per_graduated" ];
target = { kpi = "landing_per_graduated"; at_least = 0.72; confidence = 0.9; tolerance = 0.01;
           max_replications = 200; };
EOF2
if ! $INCUBSIM size "$T/z.cfg" -q -o "$T/z.h5" >/dev/null 2>"$T/err"; then
    echo "FAIL size: $(cat "$T/err")"
    echo "# r: 0 passed, 1 failed"
    exit 1
fi
Rscript - "$T/r.h5" "$T/z.h5" <<'EOF' 2>&1
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
      "status reads as a factor of its names")
# Enums numbered from 1 read as plain factors: table(), summary(), tapply() and factor()
# work on them (numbered from 0, hdf5r gives a factor_ext they get wrong).
check(is.factor(runs$status) && !inherits(runs$status, "factor_ext"), "status is.factor")
check(identical(as.vector(table(runs$status)), c(4L, 0L)), "table(status) counts 4 ok, 0 failed")
check(identical(unname(summary(runs$status)), c(4L, 0L)), "summary(status) counts them")
tl <- tapply(runs$landing_rate, runs$status, mean)
check(abs(tl[["ok"]] - mean(runs$landing_rate)) < 1e-12, "tapply over status")
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
check(is.factor(p$outcome) && !inherits(p$outcome, "factor_ext"), "outcome is.factor")
to <- table(p$outcome)
check(sum(to) == nrow(p) && to[["production"]] == sum(as.character(p$outcome) == "production"),
      "table(outcome) counts every project, by name")
so <- summary(p$outcome)
check(identical(as.vector(so), as.vector(to)), "summary(outcome) agrees with table()")
tq <- tapply(p$quality, p$outcome, mean)
check(abs(tq[["production"]] - mean(p$quality[as.character(p$outcome) == "production"])) < 1e-12,
      "tapply(quality, outcome, mean)")
check(all(!is.na(factor(p$outcome))), "factor() of outcome has no NA")
check(is.factor(cr$stage) && !inherits(cr$stage, "factor_ext") &&
      identical(levels(cr$stage), c("pre_incubation", "acceleration", "industrialisation")),
      "stage is.factor with the stages in order")
ts <- table(cr$stage)
check(all(ts == nrow(cr) / 3), "table(stage): one carrier of each stage per run")
# every enum of every table, in both files (the run, a sizing): a factor, never factor_ext
z <- H5File$new(commandArgs(TRUE)[2], mode = "r")
for (h in list(f, z)) for (d in list.datasets(h)) {
  df <- h[[d]]$read()
  if (!is.data.frame(df)) next
  for (col in names(df)) check(!inherits(df[[col]], "factor_ext"),
                               paste0(d, "$", col, " is no factor_ext"))
}
zs <- z[["sizing"]]$read()
check(is.factor(zs$decision) && all(levels(zs$decision) == c("feasible", "infeasible", "undecided")),
      "sizing's decision is.factor")
check(sum(table(zs$decision)) == nrow(zs) && !any(is.na(zs$decision)), "table(decision)")
z$close_all()
s <- f[["summary"]]$read()
m <- s[s$kpi == "landing_rate" & s$scenario == "baseline", "mean"]
check(abs(m - mean(runs$landing_rate[runs$scenario == "baseline"])) < 1e-12, "/summary agrees with /runs")
f$close_all()
cat(sprintf("# r: %d passed, %d failed\n", pass, fail))
quit(status = if (fail > 0) 1 else 0)
EOF
