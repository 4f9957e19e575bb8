# harness.sh — what the shell tests share, sourced: a scratch folder $T (removed
# on exit, however the test ends), counted checks (ok, bad, skip: a check that
# cannot run here is skipped, never passed), and the result line tests/run.sh totals.
: "${INCUBSIM:=./incubsim}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
pass=0
fail=0
skipped=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
skip() { skipped=$((skipped + ${2:-1})); echo "SKIP $1"; }   # skip WHY [HOW-MANY]
need() {   # need TOOL WHY [HOW-MANY]: true when TOOL is on PATH, else those checks are skipped
    command -v "$1" >/dev/null 2>&1 && return 0
    skip "$1 not found: $2" "${3:-1}"
    return 1
}
expect() {   # expect RC DESCRIPTION -- COMMAND...: the exit status; output in $T/out, $T/err
    e_rc=$1; e_what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"
    e_got=$?
    if [ "$e_got" = "$e_rc" ]; then ok; else bad "$e_what: exit $e_got, want $e_rc; stderr: $(head -c 300 "$T/err")"; fi
}
has() {   # has FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then ok; else bad "$3: no \"$2\" in: $(head -c 300 "$1")"; fi
}
finish() {   # finish NAME: "# NAME: N passed, N failed[, N skipped]"; status 1 when anything failed
    if [ "$skipped" -gt 0 ]; then
        echo "# $1: $pass passed, $fail failed, $skipped skipped"
    else
        echo "# $1: $pass passed, $fail failed"
    fi
    [ "$fail" -eq 0 ]
}
