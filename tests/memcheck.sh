#!/bin/sh
# memcheck.sh BIN — valgrind memcheck on one short run of each command: no invalid
# access, no leak ("definitely" or "indirectly" lost). tests/valgrind.supp holds only
# libconfig 1.5's own leak on some syntax errors. A run passes only when valgrind
# did run it to the end (its ERROR SUMMARY is there); without valgrind (make memcheck
# installs it) every run is reported as skipped, never as passed.
# Prints "# memcheck: N passed, N failed[, N skipped]" and "N passed, N failed[, N skipped]".
B=${1:-./incubsim}
. "$(dirname "$0")/harness.sh"
have_vg=1
command -v valgrind >/dev/null 2>&1 || have_vg=0
vg() {   # vg NAME ARGS...
    name=$1
    shift
    if [ $have_vg = 0 ]; then
        skip "memcheck $name: valgrind not found (make memcheck installs it)"
        return
    fi
    valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --suppressions=tests/valgrind.supp "$B" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc = 99 ]; then
        bad "memcheck $name"
        grep -A12 "^==[0-9]*== [A-Z].*\(Invalid\|uninitialised\|definitely\|indirectly\)" "$T/err" | head -40
    elif ! grep -q "ERROR SUMMARY: 0 errors" "$T/err"; then
        bad "memcheck $name: valgrind did not finish (exit $rc): $(tail -n 3 "$T/err")"
    else
        ok
    fi
}
vg run run tests/validation/jackson.cfg scenarios/baseline.cfg -r 2 -q -o "$T/r.h5" --set horizon=6 --records -j 2
vg check check scenarios/capital_first.cfg
vg bad-scenario check tests/bad/big_int.cfg
vg compare compare "$T/r.h5"
vg sweep sweep scenarios/experiments/fund_size_sweep.cfg -r 1 -q -o "$T/s.h5" --set horizon=6
cat >"$T/z.cfg" <<CFG
name = "z"; scenario = "$(pwd)/scenarios/landing_award.cfg"; replications = 3;
levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; step = 5.0e5; } );
target = { kpi = "landing_per_graduated"; at_least = 0.75; tolerance = 0.05; max_replications = 20; };
CFG
vg size size "$T/z.cfg" -q -o "$T/z.h5" --set horizon=6
cat >"$T/m.cfg" <<CFG
name = "m"; scenario = "$(pwd)/scenarios/baseline.cfg"; replications = 1;
levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; },
           { setting = "screening.threshold"; min = 0.2; max = 0.4; } );
design = { kind = "saltelli"; points = 4; bootstrap = 50; };
CFG
vg sensitivity sensitivity "$T/m.cfg" -q -o "$T/e.h5" --set horizon=6
vg merge merge -o "$T/m.h5" "$T/r.h5"
finish memcheck
st=$?
echo "$pass passed, $fail failed$([ "$skipped" -gt 0 ] && echo ", $skipped skipped")"
exit $st
