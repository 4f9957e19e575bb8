# harness.sh — what the shell tests share, sourced: a scratch folder $T (removed
# on exit), counted checks, and the result line tests/run.sh totals.
: "${INCUBSIM:=./incubsim}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
expect() {   # expect RC DESCRIPTION -- COMMAND...: the exit status; output in $T/out, $T/err
    e_rc=$1; e_what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"
    e_got=$?
    if [ "$e_got" = "$e_rc" ]; then ok; else bad "$e_what: exit $e_got, want $e_rc; stderr: $(head -c 300 "$T/err")"; fi
}
has() {   # has FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then ok; else bad "$3: no \"$2\" in: $(head -c 300 "$1")"; fi
}
finish() {   # finish NAME: "# NAME: N passed, N failed"; status 1 when anything failed
    echo "# $1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
