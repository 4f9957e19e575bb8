#!/bin/sh
# test_hardening.sh — one test (or more) per class of input or fault that once
# crashed, hung or lied: an input that passes `check` runs, or fails with exit 1
# and a clear message; bad input exits 2 naming the file and line; nothing is
# half-written. Prints "# hardening: N passed, N failed".
: "${PY:=/usr/bin/python3}"
. "$(dirname "$0")/harness.sh"
INCUBSIM=$(cd "$(dirname "$INCUBSIM")" && pwd)/$(basename "$INCUBSIM")
ROOT=$(pwd)
scenario() {   # scenario NAME TEXT: the Jackson network plus TEXT
    printf '@include "%s/tests/validation/jackson.cfg"\n%s\n' "$ROOT" "$2" >"$T/$1.cfg"
}

# ---- distribution parameters that overflow: refused at load, with file:line --------
scenario gamma 'carriers = ( { name = "pre"; duration = { dist = "gamma"; mean = 1.0; sd = 1e-300; }; } );'
expect 2 "gamma with a tiny sd" -- $INCUBSIM check "$T/gamma.cfg"
has "$T/err" "gamma.cfg:2" "names the line"
has "$T/err" "shape over 1e10" "says why"
scenario lognormal 'production = { revenue = { dist = "lognormal"; mean = 1e-300; sd = 1e300; }; };'
expect 2 "lognormal that overflows" -- $INCUBSIM check "$T/lognormal.cfg"
has "$T/err" "would overflow" "says why"
expect 2 "run refuses it too, before running" -- $INCUBSIM run "$T/lognormal.cfg" -q -o "$T/x.h5"
[ ! -e "$T/x.h5" ] && [ ! -e "$T/x.h5.parts" ] && ok || bad "a refused run left files"
scenario weibull 'production = { jobs = { dist = "weibull"; scale = 1.0; shape = 1e-3; }; };'
expect 2 "weibull that overflows" -- $INCUBSIM check "$T/weibull.cfg"
scenario beta 'sources = ( { name = "all"; quality = { dist = "beta"; a = 1e-300; b = 1.0; }; } );'
expect 2 "beta with a vanishing parameter" -- $INCUBSIM check "$T/beta.cfg"

# ---- time that cannot advance -----------------------------------------------------------
scenario every 'sources = ( { name = "all"; every = 1e-300; batch = 1; } );'
expect 2 "every = 1e-300" -- $INCUBSIM check "$T/every.cfg"
has "$T/err" "would not move the clock" "says why"
# Ctrl-C (and SIGHUP) stop a long replication within a second: the loop reads the flag
for sig in INT HUP; do
    $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o "$T/long$sig.h5" --set horizon=1e6 \
        --set warmup=0 --set timeseries_step=1000 >/dev/null 2>"$T/err" &
    pid=$!
    sleep 1
    kill -$sig $pid
    t0=$(date +%s%N)
    wait $pid
    rc=$?
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if [ $rc = 1 ] && [ $ms -lt 1500 ]; then ok; else bad "SIG$sig inside a replication: exit $rc after $ms ms"; fi
    has "$T/err" "interrupted" "SIG$sig: says it was interrupted"
    [ ! -e "$T/long$sig.h5" ] && ok || bad "SIG$sig left a results file"
done

# ---- sizes that explode: estimated before the run ---------------------------------------
expect 2 "10^9 /timeseries rows" -- $INCUBSIM run scenarios/baseline.cfg -r 2 -q -o "$T/big.h5" \
    --set horizon=1e6 --set timeseries_step=1e-3
has "$T/err" "--force" "says how to run it anyway"
has "$T/err" "estimate" "gives the estimate"
expect 0 "-v prints the estimate" -- $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -v -o "$T/v.h5"
has "$T/err" "estimate: 1 tasks" "the estimate"

# ---- special files ----------------------------------------------------------------------
expect 2 "check /dev/zero" -- timeout 10 $INCUBSIM check /dev/zero
has "$T/err" "not a regular file" "says why"
mkfifo "$T/fifo"
expect 2 "check a FIFO: refused, not read" -- timeout 10 $INCUBSIM check "$T/fifo"
printf '@include "/dev/zero"\n' >"$T/incdev.cfg"
expect 2 "@include /dev/zero" -- timeout 10 $INCUBSIM check "$T/incdev.cfg"
has "$T/err" "incdev.cfg:1" "with the include's file:line"
printf 'name = "x";\n@include "%s"\n' "$T" >"$T/incdir.cfg"
expect 2 "@include a directory" -- $INCUBSIM check "$T/incdir.cfg"
has "$T/err" "incdir.cfg:2" "with file:line"
expect 2 "an experiment that is a FIFO" -- timeout 10 $INCUBSIM sweep "$T/fifo" -o "$T/f.h5"

# ---- the 32-bit guard: however the literal is laid out ----------------------------------
for layout in 'capacity =\n 4294967396;' 'capacity = # c\n 4294967396;' 'capacity\n = 4294967396;' \
              'capacity = /* c */ 4294967396;'; do
    printf '@include "%s/tests/validation/jackson.cfg"\ncarriers = ( { name = "pre"; %b } );\n' \
        "$ROOT" "$layout" >"$T/wrap.cfg"
    expect 2 "a 33-bit capacity laid out as '$layout'" -- $INCUBSIM check "$T/wrap.cfg"
    has "$T/err" "got 4294967396" "read as written, not wrapped to 100"
done

# ---- compare on odd files ---------------------------------------------------------------
$INCUBSIM run tests/validation/jackson.cfg -r 3 -q -o "$T/ok.h5" >/dev/null 2>&1
$PY - "$T" <<'PY'
import sys, h5py, numpy as np
t = sys.argv[1]
src = h5py.File(t + "/ok.h5", "r")["runs"][:]
names = [n for n in src.dtype.names if n != "landing_rate"]
with h5py.File(t + "/nocol.h5", "w") as f:
    f["runs"] = src[names].copy() if False else np.array([tuple(r[n] for n in names) for r in src],
                                                         dtype=[(n, src.dtype[n]) for n in names])
# crafted files: every row a new scenario and a new replication (memory was quadratic)
for n in (300, 3000):
    row = src[0]
    rows = np.repeat(np.array([row]), n)
    rows["scenario"] = [("s%d" % i).encode() for i in range(n)]
    rows["replication"] = np.arange(n)
    with h5py.File(t + "/crafted%d.h5" % n, "w") as f:
        f["runs"] = rows
PY
expect 2 "/runs without a KPI column" -- $INCUBSIM compare "$T/nocol.h5"
has "$T/err" 'no column "landing_rate"' "names the column"
# linear: 10x the rows may not cost 100 MB more (quadratic would be ~5 GB more); relative,
# so sanitizers' overhead cancels
# (GNU time reads the peak RSS: make test installs it; without it, skipped, not passed)
if [ -x /usr/bin/time ] && /usr/bin/time -f "%M" -o "$T/rss0" true 2>/dev/null; then
    /usr/bin/time -f "%M" -o "$T/rss1" $INCUBSIM compare "$T/crafted300.h5" --kpi landing_rate >/dev/null 2>&1
    /usr/bin/time -f "%M" -o "$T/rss2" $INCUBSIM compare "$T/crafted3000.h5" --kpi landing_rate >/dev/null 2>&1
    r1=$(tail -n 1 "$T/rss1"); r2=$(tail -n 1 "$T/rss2")
    case "$r1$r2" in
        ''|*[!0-9]*) bad "compare: no peak RSS read from GNU time: '$r1' '$r2'" ;;
        *) if [ "$r1" -gt 0 ] && [ $((r2 - r1)) -lt 100000 ]; then ok; else
               bad "compare: 300 -> 3,000 crafted rows took $r1 -> $r2 KiB"; fi ;;
    esac
else
    skip "no GNU time (/usr/bin/time, package time): the compare memory check"
fi
expect 2 "compare a missing file" -- $INCUBSIM compare "$T/none.h5"
expect 2 "compare a text file" -- $INCUBSIM compare "$ROOT/README.md"

# ---- output written nowhere ---------------------------------------------------------------
if [ -w /dev/full ]; then
    expect 1 "compare --csv > /dev/full" -- sh -c "$INCUBSIM compare '$T/ok.h5' --csv > /dev/full"
    has "$T/err" "cannot write the output" "says so"
    expect 1 "check > /dev/full" -- sh -c "$INCUBSIM check tests/validation/jackson.cfg > /dev/full"
    expect 1 "--help > /dev/full" -- sh -c "$INCUBSIM --help > /dev/full"
    expect 1 "run > /dev/full" -- sh -c "$INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o '$T/full.h5' > /dev/full"
else
    skip "no writable /dev/full: the output-error checks" 5
fi

# ---- names --------------------------------------------------------------------------------
scenario quote 'name = "a \"quoted\" name";'
expect 0 "a name with quotes" -- $INCUBSIM check "$T/quote.cfg"
cp "$T/out" "$T/quote2.cfg"
expect 0 "its printed form reloads" -- $INCUBSIM check "$T/quote2.cfg"
printf '@include "%s/tests/validation/jackson.cfg"\nname = "caf\351";\n' "$ROOT" >"$T/latin1.cfg"
expect 2 "Latin-1 bytes in a name" -- $INCUBSIM check "$T/latin1.cfg"
has "$T/err" "UTF-8" "says why"
scenario long "name = \"$(printf '%048d' 0)\";"
expect 2 "a 48-byte name" -- $INCUBSIM check "$T/long.cfg"
has "$T/err" "bytes" "counts bytes, and says so"
scenario cjk 'name = "离岸孵化器基线";'
expect 0 "a CJK name within 47 bytes" -- $INCUBSIM check "$T/cjk.cfg"

# ---- CSV: awkward names survive (RFC 4180) ------------------------------------------------
scenario awk1 'name = "a, \"b\"";'
scenario awk2 'name = "plain";'
$INCUBSIM run "$T/awk1.cfg" "$T/awk2.cfg" -r 2 -q -o "$T/awk.h5" --set horizon=30 --set warmup=5 >/dev/null 2>&1
expect 0 "compare --csv with a comma and quotes in a name" -- $INCUBSIM compare "$T/awk.h5" --csv --kpi landed
$PY - "$T/out" <<'PY' && ok || bad "the CSV does not parse back into its columns"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert all(len(r) == len(rows[0]) for r in rows), [len(r) for r in rows]
assert 'a, "b"' in [r[0] for r in rows[1:]], rows
PY

# ---- output paths: checked before running ------------------------------------------------
expect 2 "-o a directory" -- $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o "$T" --force
expect 2 "-o empty" -- $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o ""
cp tests/validation/jackson.cfg "$T/in.cfg"
expect 2 "-o the input, --force" -- $INCUBSIM run "$T/in.cfg" -r 1 -q -o "$T/in.cfg" --force
cmp -s "$T/in.cfg" tests/validation/jackson.cfg && ok || bad "the input was overwritten"
expect 2 "-o a FIFO, --force" -- timeout 10 $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o "$T/fifo" --force
[ -p "$T/fifo" ] && ok || bad "the FIFO was replaced"
if [ "$(id -u)" = 0 ]; then
    expect 2 "-o /dev/null --force (as root)" -- $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o /dev/null --force
    [ -c /dev/null ] && ok || bad "/dev/null is no longer a device"
else
    skip "not root: -o /dev/null --force" 2
fi
expect 2 "merge -o one of its parts" -- $INCUBSIM merge -o "$T/ok.h5" "$T/ok.h5" --force

# ---- leftovers: a killed run's parts are dealt with explicitly ---------------------------
mkdir -p "$T/left.h5.parts"
: >"$T/left.h5.parts/part-000000000000.h5.part"
expect 2 "parts of an interrupted run: told what to do" -- $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o "$T/left.h5"
has "$T/err" "--resume" "offers --resume"
expect 0 "--force starts over" -- $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o "$T/left.h5" --force
[ ! -e "$T/left.h5.parts" ] && ok || bad "the parts were left"

# ---- the scenario folder -----------------------------------------------------------------
mkdir -p "$T/none" "$T/many"
expect 2 "an empty scenario folder" -- env INCUBSIM_SCENARIOS="$T/none" $INCUBSIM run -q -o "$T/e.h5"
has "$T/err" "holds no scenario" "says so"
i=0
while [ $i -le 4096 ]; do : >"$T/many/s$i.cfg"; i=$((i + 1)); done
expect 2 "a folder of 4,097 scenarios" -- env INCUBSIM_SCENARIOS="$T/many" $INCUBSIM run -q -o "$T/m.h5"
has "$T/err" "4097 scenarios" "says how many, not a silent cut"

# ---- smaller ones --------------------------------------------------------------------------
expect 2 "-s ' -1'" -- $INCUBSIM run tests/validation/jackson.cfg -s " -1" -q -o "$T/s.h5"
expect 2 "a --kpi list over 2 KB" -- $INCUBSIM compare "$T/ok.h5" --kpi "$(printf 'landed,%.0s' $(seq 400))landed"
has "$T/err" "longer than" "says it is too long"
printf '/* @include "/nonexistent.cfg"\n@include "/nonexistent.cfg" */\n@include "%s/tests/validation/jackson.cfg"\n' "$ROOT" >"$T/cominc.cfg"
expect 0 "@include inside a block comment is a comment" -- $INCUBSIM check "$T/cominc.cfg"
printf '@include "%s/tests/validation/jackson.cfg" extra\n' "$ROOT" >"$T/trail.cfg"
expect 2 "text after an @include" -- $INCUBSIM check "$T/trail.cfg"
has "$T/err" "trail.cfg:1" "with file:line"
scenario huge 'policy = { budget_per_year = 99999999999999999999; };'
expect 2 "an integer over 64 bits" -- $INCUBSIM check "$T/huge.cfg"
has "$T/err" "99999999999999999999" "printed as written"

finish hardening
