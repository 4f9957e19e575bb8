#!/bin/sh
# tests/bench.sh — `make bench`: throughput on one core, not a test. Each
# figure is the best of 5 runs (this machine's timings wander by up to 30%).
: "${INCUBSIM:=./incubsim}" "${BUILD:=build}"
B=$BUILD/tests/bench
best() {   # best MODE ARGS...: the run with the highest rate of 5
    for i in 1 2 3 4 5; do "$B" "$@"; done | awk '
        { match($0, /[0-9.]+ M (events|holds)\/s/); r = substr($0, RSTART, RLENGTH) + 0;
          if (r > best) { best = r; line = $0 } } END { print line }'
}
echo "== event queue: hold model (pop the earliest, push it back later)"
best hold 100000 10000000
echo "== the all-exponential stable core (tests/validation/jackson.cfg), 2,000,000 arrivals, statistics on"
best model tests/validation/jackson.cfg 2000000
echo "== the full model: scenarios/baseline.cfg, 2,000,000 arrivals"
best model scenarios/baseline.cfg 2000000
echo "== memory flat in the horizon: baseline, 200,000 vs 2,000,000 arrivals (peak RSS)"
"$B" model scenarios/baseline.cfg 200000 | sed 's/.*peak RSS/200k arrivals: peak RSS/'
"$B" model scenarios/baseline.cfg 2000000 | sed 's/.*peak RSS/2M arrivals:   peak RSS/'
echo "== output cost: baseline, 400 replications, with and without --records (best of 3)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
t() {   # t ARGS...: the shortest wall time of 3 runs, in seconds
    for i in 1 2 3; do
        s=$(date +%s.%N); "$@" --force >/dev/null; e=$(date +%s.%N); echo "$s $e" | awk '{ printf "%.3f\n", $2 - $1 }'
    done | sort -n | head -n 1
}
plain=$(t $INCUBSIM run scenarios/baseline.cfg -r 400 -q -o "$T/a.h5")
rec=$(t $INCUBSIM run scenarios/baseline.cfg -r 400 -q -o "$T/b.h5" --records)
rows=$(/usr/bin/python3 -c "import h5py; print(h5py.File('$T/b.h5')['projects'].shape[0])" 2>/dev/null || echo "?")
echo "run: ${plain} s; with --records: ${rec} s ($rows project rows, $(du -k "$T/b.h5" | cut -f1) KiB)"
echo "$plain $rec" | awk '{ printf "--records costs %.0f%% of the run\n", 100 * ($2 - $1) / $1 }'
echo "== the experiment layer: the same 400 baseline replications bare, through the task"
echo "   driver, as \`run -r 400 -j 1\` and as a 2-point \`sweep -j 1\`: one thread each (best of 5, interleaved)"
cat > "$T/ov.cfg" <<CFG
name = "overhead"; scenario = "$(pwd)/scenarios/baseline.cfg"; replications = 200;
levers = ( { setting = "policy.landing_award"; min = 5.0e5; max = 5.0e5; } );
design = { kind = "grid"; points = 2; };
CFG
for i in 1 2 3 4 5; do
    "$B" bare scenarios/baseline.cfg 400 | awk '{ print "bare", $7 }'
    "$B" driver scenarios/baseline.cfg 400 | awk '{ print "driver", $7 }'
    s=$(date +%s.%N); $INCUBSIM run scenarios/baseline.cfg -r 400 -q -j 1 -o "$T/r.h5" --force >/dev/null
    e=$(date +%s.%N); echo "run $s $e" | awk '{ printf "run %.3f\n", $3 - $2 }'
    s=$(date +%s.%N); $INCUBSIM sweep "$T/ov.cfg" -q -j 1 -o "$T/s.h5" --force >/dev/null
    e=$(date +%s.%N); echo "sweep $s $e" | awk '{ printf "sweep %.3f\n", $3 - $2 }'
done | awk '{ if (!($1 in b) || $2 < b[$1]) b[$1] = $2 }
    END { printf "bare %.3f s, driver %.3f s (%+.1f%%), run %.3f s (%+.1f%%), sweep %.3f s (%+.1f%%)\n",
          b["bare"], b["driver"], 100 * (b["driver"] / b["bare"] - 1), b["run"],
          100 * (b["run"] / b["bare"] - 1), b["sweep"], 100 * (b["sweep"] / b["bare"] - 1) }'
echo "== size against a grid at its resolution (scenarios/experiments/landing_award_sizing.cfg):"
echo "   replications used, against a 41-point grid (0..2e6 by 5e4) run at the first stage's"
echo "   replications at every point: the least a grid could spend, and it would still leave"
echo "   the points near the answer undecided"
$INCUBSIM size scenarios/experiments/landing_award_sizing.cfg -q -o "$T/z.h5" --force >/dev/null
/usr/bin/python3 - "$T/z.h5" <<'PY' 2>/dev/null || echo "(needs python3-h5py)"
import sys, h5py
z = h5py.File(sys.argv[1])["sizing"]
n = z["n"]
first = int(n.min())   # every probe starts with the experiment's first stage
grid = 41 * first
print("size: %d probes, %d replications; a 41-point grid at %d each: %d (size uses %.2fx the grid's)"
      % (len(n), n.sum(), first, grid, n.sum() / grid))
PY
echo "== parallel: baseline, 400 replications: wall and CPU for -j 1, -j 2 (best of 3, interleaved)"
for i in 1 2 3; do
    for j in 1 2; do
        /usr/bin/time -f "j$j %e %U %S" $INCUBSIM run scenarios/baseline.cfg -r 400 -q -o "$T/j.h5" --force -j $j >/dev/null
    done
done 2>&1 | awk '{ c = $3 + $4; if (!($1 in w) || $2 < w[$1]) { w[$1] = $2; cpu[$1] = c } }
    END { printf "-j 1: %.2f s wall, %.2f s CPU; -j 2: %.2f s wall, %.2f s CPU: %.2fx the replications/s\n",
          w["j1"], cpu["j1"], w["j2"], cpu["j2"], w["j1"] / w["j2"] }'
MPIB=${INCUBSIM_MPI:-build-mpi/incubsim}
if command -v mpirun >/dev/null 2>&1 && [ -x "$MPIB" ]; then
    echo "== MPI ($MPIB): the time inside the run (start-up aside), 1000 baseline replications"
    for np in 1 2 3; do
        printf "mpirun -np %s: " $np
        mpirun --allow-run-as-root --oversubscribe -np $np "$MPIB" run scenarios/baseline.cfg -r 1000 -q \
            -o "$T/m.h5" --force -j 1 | tail -n 1
    done
    echo "== the farm's ceiling: 100,000 tasks of ~8 us (Jackson over 0.05 years), -np 1 and -np 3"
    for np in 1 3; do
        printf "mpirun -np %s: " $np
        mpirun --allow-run-as-root --oversubscribe -np $np "$MPIB" run tests/validation/jackson.cfg -r 100000 \
            -q -o "$T/m.h5" --force -j 1 --set horizon=0.05 --set warmup=0 | tail -n 1
    done
else
    echo "(no mpirun or $MPIB: make MPI=1 BUILD=build-mpi BIN=build-mpi/incubsim build-mpi/incubsim)"
fi
echo "== the whole program against a hand-written C program of the same network (R1s,"
echo "   2,000,000 arrivals; ../shared/bench/r1_baseline.c, or INCUBSIM_REFERENCE=DIR)"
REF=${INCUBSIM_REFERENCE:-../shared/bench}
if [ -f "$REF/r1_baseline.c" ] && [ -f "$REF/r1s_2m.cfg" ] && cc -O2 -o "$T/r1_baseline" "$REF/r1_baseline.c" -lm; then
    C_CMD="$T/r1_baseline 2000000 12345 40 20"
    I_CMD="$INCUBSIM run $REF/r1s_2m.cfg -r 1 -s 5 -j 1 -q -o $T/r1s.h5 --force"
    echo "   C:        $C_CMD"
    echo "   incubsim: $I_CMD"
    echo "   time: CPU seconds (user + sys) of whole processes, 11 interleaved pairs (C then"
    echo "   incubsim); the figure is the median of the 11 per-pair ratios incubsim / C"
    for i in 1 2 3 4 5 6 7 8 9 10 11; do
        /usr/bin/time -f "%U %S" -o "$T/tc" $C_CMD >/dev/null
        /usr/bin/time -f "%U %S" -o "$T/ti" $I_CMD >/dev/null
        echo "$(cat "$T/tc") $(cat "$T/ti")"
    done | awk '{ c = $1 + $2; m = $3 + $4; r[NR] = (c > 0 ? m / c : 0); cs[NR] = c; ms[NR] = m }
        END { n = NR
              for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
                  if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
                  if (cs[j] < cs[i]) { t = cs[i]; cs[i] = cs[j]; cs[j] = t }
                  if (ms[j] < ms[i]) { t = ms[i]; ms[i] = ms[j]; ms[j] = t } }
              h = int((n + 1) / 2)
              printf "CPU time, median of pairs: C %.3f s, incubsim %.3f s\n", cs[h], ms[h]
              printf "time ratio incubsim / C: median %.3f of %d pairs (range %.3f..%.3f); below 1 is faster\n",
                     r[h], n, r[1], r[n] }'
    if command -v valgrind >/dev/null 2>&1; then
        # Instructions do not drift with the machine: the same binary and input give the
        # same count. 200,000 arrivals (a tenth of the horizon) keeps callgrind short;
        # start-up is in both counts, as in the timed runs.
        echo "   instructions (valgrind --tool=callgrind, 200,000 arrivals, whole process):"
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$T/r1_baseline" 200000 12345 40 20 \
            2>"$T/cgc" >/dev/null
        valgrind --tool=callgrind --callgrind-out-file=/dev/null $INCUBSIM run "$REF/r1s_2m.cfg" -r 1 -s 5 -j 1 -q \
            -o "$T/r1c.h5" --force --set horizon=2000 2>"$T/cgi" >/dev/null
        ci=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$T/cgc")
        ii=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$T/cgi")
        echo "$ci $ii" | awk '{ printf "C %.1f M, incubsim %.1f M instructions: ratio %.3f (target <= 1.1)\n",
                                 $1 / 1e6, $2 / 1e6, $2 / $1 }'
    else
        echo "(no valgrind: instruction counts skipped; make deps installs it)"
    fi
else
    echo "(no reference program at $REF: skipped)"
fi
