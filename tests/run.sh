#!/bin/sh
# tests/run.sh — runs every test (C binaries given as arguments, then
# tests/test_*.sh and tests/test_*.py) and totals the "# NAME: N passed, N failed"
# line each prints. A test that crashes or prints no such line counts as one
# failure. Ends with the line CI reads: "N passed, N failed".
# Environment: INCUBSIM (binary under test), PY (Debian's python3), BUILD.
cd "$(dirname "$0")/.." || exit 2
: "${INCUBSIM:=./incubsim}" "${PY:=/usr/bin/python3}" "${BUILD:=build}"
export INCUBSIM PY BUILD
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() {
    name=$1
    shift
    "$@" >"$log" 2>&1
    rc=$?
    grep -v '^# .*: [0-9]* passed, [0-9]* failed$' "$log" | sed 's/^/    /'
    line=$(grep '^# .*: [0-9]* passed, [0-9]* failed$' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL $name: exited $rc without a result line"
        failed=$((failed + 1))
        return
    fi
    p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
    f=$(echo "$line" | sed 's/.* \([0-9]*\) failed$/\1/')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: exited $rc"
        f=1
    fi
    echo "$line"
    passed=$((passed + p))
    failed=$((failed + f))
}

for bin in "$@"; do
    run_one "$bin" "$bin"
done
for t in tests/test_*.sh; do
    [ -f "$t" ] && run_one "$t" sh "$t"
done
for t in tests/test_*.py; do
    [ -f "$t" ] && run_one "$t" "$PY" "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
