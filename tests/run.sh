#!/bin/sh
# tests/run.sh — runs every test (C binaries given as arguments, then
# tests/test_*.sh and tests/test_*.py) and totals the
# "# NAME: N passed, N failed[, N skipped]" line each prints. A test that crashes
# or prints no such line counts as one failure; a skipped check (its tool is
# missing here) is counted apart, never as passed. Ends with the line CI reads:
# "N passed, N failed", followed by ", N skipped" when any were.
# TEST_JOBS=N (default 1) runs N tests at once; each test's output is still
# printed whole and in the same order, so the report does not depend on N.
# TEST_TIMES=1 ends with each test's CPU time (user + sys, GNU time), costliest first.
# Environment: INCUBSIM (binary under test), PY (Debian's python3), BUILD, TEST_JOBS,
# TEST_TIMES.
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")/.." || exit 2
: "${INCUBSIM:=./incubsim}" "${PY:=/usr/bin/python3}" "${BUILD:=build}" "${TEST_JOBS:=1}"
export INCUBSIM PY BUILD
RESULT='^# .*: [0-9][0-9]* passed, [0-9][0-9]* failed\(, [0-9][0-9]* skipped\)\{0,1\}$'

# run.sh --one DIR N COMMAND...: one test, its output in DIR/N.log, its status in DIR/N.rc
if [ "${1:-}" = --one ]; then
    dir=$2 n=$3
    shift 3
    if [ "${TEST_TIMES:-0}" = 1 ] && [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%U %S %e" -o "$dir/$n.cpu" "$@" >"$dir/$n.log" 2>&1
    else
        "$@" >"$dir/$n.log" 2>&1
    fi
    echo $? >"$dir/$n.rc.new"
    mv "$dir/$n.rc.new" "$dir/$n.rc"
    exit 0
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# the list: one line per test, "N COMMAND ARGS" (no spaces in test paths)
n=0
for bin in "$@"; do
    n=$((n + 1)); echo "$n $bin"
done >"$dir/list"
for t in tests/test_*.sh; do
    [ -f "$t" ] && { n=$((n + 1)); echo "$n sh $t"; }
done >>"$dir/list"
for t in tests/test_*.py; do
    [ -f "$t" ] && { n=$((n + 1)); echo "$n $PY $t"; }
done >>"$dir/list"

# xargs -P keeps TEST_JOBS running (in the foreground, so Ctrl-C stops the tests);
# each line is "N COMMAND ARGS". The reports are printed in list order by report(),
# each as soon as it and those before it are done.
report() {
    passed=0
    failed=0
    skipped=0
    while read -r i name rest; do
        [ -n "$rest" ] && name=$rest
        log=$dir/$i.log
        while [ ! -f "$dir/$i.rc" ] && [ ! -f "$dir/done" ]; do sleep 0.1; done
        rc=$(cat "$dir/$i.rc" 2>/dev/null || echo 127)
        [ -f "$log" ] || : >"$log"
        grep -v "$RESULT" "$log" | sed 's/^/    /'
        line=$(grep "$RESULT" "$log" | tail -n 1)
        if [ -z "$line" ]; then
            echo "FAIL $name: exited $rc without a result line"
            failed=$((failed + 1))
            continue
        fi
        p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
        f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
        s=0
        case $line in *skipped) s=$(echo "$line" | sed 's/.* \([0-9]*\) skipped$/\1/') ;; esac
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
            echo "FAIL $name: exited $rc"
            f=1
        fi
        echo "$line"
        passed=$((passed + p))
        failed=$((failed + f))
        skipped=$((skipped + s))
    done <"$dir/list"
    echo "$passed $failed $skipped" >"$dir/total"
}
report &
rpid=$!
trap 'kill "$rpid" 2>/dev/null; exit 1' INT TERM HUP
xargs -P "$TEST_JOBS" -L 1 sh "$self" --one "$dir" <"$dir/list"
: >"$dir/done"
wait "$rpid"
read -r passed failed skipped <"$dir/total" || { echo "0 passed, 1 failed"; exit 1; }
if [ "${TEST_TIMES:-0}" = 1 ]; then
    echo "CPU seconds (user + sys) and wall seconds per test:"
    while read -r i name rest; do
        [ -n "$rest" ] && name=$rest
        [ -f "$dir/$i.cpu" ] && awk -v n="$name" 'END { printf "  %8.2f %8.2f  %s\n", $1 + $2, $3, n }' "$dir/$i.cpu"
    done <"$dir/list" | sort -rn
fi
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
