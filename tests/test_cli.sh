#!/bin/sh
# test_cli.sh — the command line: help, exit codes, bad input, output safety,
# compare. Prints "# cli: N passed, N failed".
. "$(dirname "$0")/harness.sh"

expect 0 "--help" -- $INCUBSIM --help
has "$T/out" "Examples:" "--help teaches"
has "$T/out" "incubsim run" "--help shows run"
expect 0 "--version" -- $INCUBSIM --version
has "$T/out" "HDF5 1.10" "--version names HDF5"
has "$T/out" "GSL" "--version names GSL"
has "$T/out" "libconfig" "--version names libconfig"
for c in run check compare sweep size sensitivity merge kpis schema; do
    expect 0 "$c --help" -- $INCUBSIM $c --help
    has "$T/out" "Usage: incubsim $c" "$c --help"
done

# kpis and schema: the references, printed by the program that writes the files
expect 0 "kpis" -- $INCUBSIM kpis
has "$T/out" "landing_rate             share" "kpis gives landing_rate's unit"
has "$T/out" "yuan (PV)" "kpis gives money's unit"
has "$T/out" "cohort_fiscal_return" "kpis lists the last KPI"
n=$(awk 'length > 80' "$T/out" | wc -l)
if [ "$n" -eq 0 ]; then ok; else bad "kpis: $n lines over 80 columns"; fi
expect 2 "kpis takes no file" -- $INCUBSIM kpis x
expect 0 "schema" -- $INCUBSIM schema
if cmp -s "$T/out" output/SCHEMA.md; then ok; else
    bad "output/SCHEMA.md differs from what 'incubsim schema' prints (regenerate it)"; fi
has "$T/out" "## /projects" "schema covers /projects"
expect 2 "a seed past 2^53-1" -- $INCUBSIM run -s 9007199254740992
has "$T/err" "2^53-1" "says why"

# make install: the binary, its manual and what its help points at
# (the binary under test, never remade: other tests may be running it)
if make -s install PREFIX="$T/prefix" BIN="${INCUBSIM#./}" -o "${INCUBSIM#./}" >"$T/inst" 2>&1; then ok
else bad "make install: $(head -c 300 "$T/inst")"; fi
for f in bin/incubsim share/man/man1/incubsim.1 share/incubsim/plot.py share/doc/incubsim/SCHEMA.md \
         share/doc/incubsim/README.md share/incubsim/scenarios/baseline.cfg \
         share/incubsim/scenarios/experiments/sensitivity.cfg share/incubsim/scenarios/seeds/tianjin.cfg; do
    if [ -s "$T/prefix/$f" ]; then ok; else bad "make install left no $f"; fi
done
if need man "the man page checks (make test installs man-db)" 3; then
    if MANWIDTH=80 man --warnings -l "$T/prefix/share/man/man1/incubsim.1" >"$T/man" 2>"$T/manerr" \
            && [ ! -s "$T/manerr" ]; then ok; else bad "the man page renders with warnings: $(head -c 300 "$T/manerr")"; fi
    has "$T/man" "EXPERIMENT FILES" "the man page documents experiment files"
    has "$T/man" "landing_rate" "the man page lists the KPIs"
fi
for c in --help "sweep --help" "size --help"; do
    $T/prefix/bin/incubsim $c >"$T/out" 2>&1
    for p in $(grep -o "$T/prefix/[^ ,]*" "$T/out" | sed 's/[.]$//'); do
        if [ -e "$p" ]; then ok; else bad "installed 'incubsim $c' points at $p, which is not installed"; fi
    done
    if grep -q "$T/prefix/share" "$T/out"; then ok; else bad "installed 'incubsim $c' names no installed file"; fi
done

expect 2 "no command" -- $INCUBSIM
expect 2 "unknown command" -- $INCUBSIM frobnicate
has "$T/err" "unknown command" "says so"
expect 2 "unknown option" -- $INCUBSIM run --frob
expect 2 "-r 0" -- $INCUBSIM run -r 0
expect 2 "-r abc" -- $INCUBSIM run -r abc
expect 2 "-s -1" -- $INCUBSIM run -s -1
expect 2 "-o without a value" -- $INCUBSIM run -o

# check: the resolved text is itself a valid scenario that resolves the same
expect 0 "check jackson" -- $INCUBSIM check tests/validation/jackson.cfg
has "$T/out" 'name = "jackson";' "check prints the scenario"
has "$T/out" "hub_share = 0.6;" "check fills defaults"
cp "$T/out" "$T/resolved.cfg"
expect 0 "check the resolved text" -- $INCUBSIM check "$T/resolved.cfg"
tail -n +2 "$T/out" >"$T/a"; tail -n +2 "$T/resolved.cfg" >"$T/b"
if cmp -s "$T/a" "$T/b"; then ok; else bad "resolving twice changes the text"; fi
expect 2 "check a missing file" -- $INCUBSIM check "$T/nope.cfg"
has "$T/err" "nope.cfg: cannot open" "names the missing file"

# every broken scenario: exit 2, its message, and no output written
for f in tests/bad/*.cfg; do
    want=$(head -n 1 "$f" | sed 's/^# expect: //')
    expect 2 "$f" -- $INCUBSIM check "$f"
    has "$T/err" "$want" "$f message"
    expect 2 "run $f" -- $INCUBSIM run "$f" -r 1 -q -o "$T/bad.h5"
    if [ ! -e "$T/bad.h5" ] && [ ! -e "$T/bad.h5.part" ]; then ok; else bad "$f left output"; fi
done

# a run writes the file, and only under its final name when complete
expect 0 "run" -- $INCUBSIM run tests/validation/jackson.cfg -r 3 -q -o "$T/r.h5"
if [ -s "$T/r.h5" ] && [ ! -e "$T/r.h5.part" ]; then ok; else bad "run left no file or a .part"; fi
has "$T/out" "landing_rate" "run prints the comparison"
sum=$(cksum <"$T/r.h5")
expect 1 "refuses to overwrite" -- $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o "$T/r.h5"
has "$T/err" "--force" "says how to overwrite"
if [ "$(cksum <"$T/r.h5")" = "$sum" ]; then ok; else bad "the refused run changed the file"; fi
expect 0 "overwrites with --force" -- $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o "$T/r.h5" --force
expect 1 "unwritable folder" -- $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o /proc/incubsim-test.h5
has "$T/err" "cannot create /proc/incubsim-test.h5." "names the file it cannot create (the lock, its first)"
expect 1 "missing folder" -- $INCUBSIM run tests/validation/jackson.cfg -r 1 -q -o "$T/no/such/dir.h5"
has "$T/err" "No such file or directory" "says why"

# a full disk: exit 1, a message, no file (needs root to mount a tiny tmpfs)
mkdir -p "$T/tiny"
if mount -t tmpfs -o size=256k tmpfs "$T/tiny" 2>/dev/null; then
    expect 1 "full disk" -- $INCUBSIM run scenarios/baseline.cfg -r 20 -q --records -o "$T/tiny/full.h5"
    has "$T/err" "no space left on device" "says the disk is full"
    if [ -z "$(ls -A "$T/tiny")" ]; then ok; else bad "full disk left $(ls "$T/tiny")"; fi
    umount "$T/tiny"
else
    skip "cannot mount a tmpfs here (needs root): the full-disk checks" 3
fi

# killed runs leave nothing under the final name; SIGTERM cleans up its .part too
wait_for() {   # wait_for FILE: until a run has created it (at most 10 s)
    for i in $(seq 50); do [ -e "$1" ] && return 0; sleep 0.2; done
    return 1
}
$INCUBSIM run tests/validation/jackson.cfg -r 100000 -q -o "$T/killed.h5" >/dev/null 2>&1 &
pid=$!
wait_for "$T/killed.h5.parts" || bad "the run never started writing"
sleep 0.3
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
if [ ! -e "$T/killed.h5" ]; then ok; else bad "SIGKILL left $T/killed.h5"; fi
$INCUBSIM run tests/validation/jackson.cfg -r 100000 -q -o "$T/term.h5" >/dev/null 2>"$T/err" &
pid=$!
wait_for "$T/term.h5.parts" || bad "the run never started writing"
sleep 0.3
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
if [ $rc = 1 ] && [ ! -e "$T/term.h5" ] && [ ! -e "$T/term.h5.part" ] &&
   [ -z "$(ls "$T/term.h5.parts" 2>/dev/null | grep '\.part$')" ]; then ok; else bad "SIGTERM: exit $rc, files: $(ls "$T")"; fi
has "$T/err" "interrupted" "says it was interrupted"

# compare: identical scenarios differ by exactly 0; a real difference is marked
sed 's/^name = "jackson";/name = "twin";/' tests/validation/jackson.cfg >"$T/twin.cfg"
expect 0 "run twins" -- $INCUBSIM run tests/validation/jackson.cfg "$T/twin.cfg" -r 4 -q -o "$T/twins.h5"
expect 0 "compare --csv" -- $INCUBSIM compare "$T/twins.h5" --csv --kpi landed,landing_rate,mean_time_to_landing
if awk -F, 'NR > 1 && $1 == "twin" { if ($10 != 0 || $11 != 0 || $12 != 0 || $13 != 0) bad = 1; n++ }
            END { exit (bad || n != 3) }' "$T/out"; then ok; else bad "twin differences not exactly 0: $(cat "$T/out")"; fi
expect 0 "run a policy pair" -- $INCUBSIM run scenarios/baseline.cfg scenarios/landing_award.cfg -r 10 -q -o "$T/pair.h5"
expect 0 "compare the pair" -- $INCUBSIM compare "$T/pair.h5" --kpi landing_rate --csv
if awk -F, '$1 == "landing_award" && $3 == "landing_rate" && $10 > 0 && $11 > 0 && $13 == 1 { f = 1 } END { exit !f }' "$T/out"; then ok; else bad "award's landing-rate gain not found: $(cat "$T/out")"; fi
expect 0 "compare as a table" -- $INCUBSIM compare "$T/pair.h5" --baseline landing_award
has "$T/out" "(baseline)" "marks the baseline"
if awk 'length > 100 { exit 1 }' "$T/out"; then ok; else bad "table wider than 100 columns"; fi
expect 2 "compare: unknown KPI" -- $INCUBSIM compare "$T/pair.h5" --kpi landing_rat
has "$T/err" "unknown KPI" "says which"
 expect 2 "run: unknown KPI, before running" -- $INCUBSIM run tests/validation/jackson.cfg -q -o "$T/kpi.h5" --kpi nope
if [ ! -e "$T/kpi.h5" ]; then ok; else bad "a run with a bad --kpi wrote a file"; fi
expect 2 "compare: a run option" -- $INCUBSIM compare "$T/pair.h5" -r 5
expect 2 "compare: unknown baseline" -- $INCUBSIM compare "$T/pair.h5" --baseline nope
expect 2 "compare: missing file" -- $INCUBSIM compare "$T/none.h5"
echo "not hdf5" >"$T/fake.h5"
expect 2 "compare: not HDF5" -- $INCUBSIM compare "$T/fake.h5"
has "$T/err" "not an HDF5 file" "says so"

# with no scenario, run uses the shipped ones, baseline first
expect 0 "run the shipped scenarios" -- $INCUBSIM run -r 2 -q -o "$T/shipped.h5"
n=$(grep -c "^  [a-z_]" "$T/out")
if [ "$n" -ge 100 ]; then ok; else bad "expected >= 10 scenarios x 10 KPIs, got $n rows"; fi
has "$T/out" 'paired difference from "baseline"' "baseline is the reference"

finish cli
