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
echo "   driver, as \`run -r 400\` and as a 2-point \`sweep\` (best of 5, interleaved)"
cat > "$T/ov.cfg" <<CFG
name = "overhead"; scenario = "$(pwd)/scenarios/baseline.cfg"; replications = 200;
levers = ( { setting = "policy.landing_award"; min = 5.0e5; max = 5.0e5; } );
design = { kind = "grid"; points = 2; };
CFG
for i in 1 2 3 4 5; do
    "$B" bare scenarios/baseline.cfg 400 | awk '{ print "bare", $7 }'
    "$B" driver scenarios/baseline.cfg 400 | awk '{ print "driver", $7 }'
    s=$(date +%s.%N); $INCUBSIM run scenarios/baseline.cfg -r 400 -q -o "$T/r.h5" --force >/dev/null
    e=$(date +%s.%N); echo "run $s $e" | awk '{ printf "run %.3f\n", $3 - $2 }'
    s=$(date +%s.%N); $INCUBSIM sweep "$T/ov.cfg" -q -o "$T/s.h5" --force >/dev/null
    e=$(date +%s.%N); echo "sweep $s $e" | awk '{ printf "sweep %.3f\n", $3 - $2 }'
done | awk '{ if (!($1 in b) || $2 < b[$1]) b[$1] = $2 }
    END { printf "bare %.3f s, driver %.3f s (%+.1f%%), run %.3f s (%+.1f%%), sweep %.3f s (%+.1f%%)\n",
          b["bare"], b["driver"], 100 * (b["driver"] / b["bare"] - 1), b["run"],
          100 * (b["run"] / b["bare"] - 1), b["sweep"], 100 * (b["sweep"] / b["bare"] - 1) }'
echo "== size against a full grid at its resolution (scenarios/experiments/landing_award_sizing.cfg)"
$INCUBSIM size scenarios/experiments/landing_award_sizing.cfg -q -o "$T/z.h5" --force >/dev/null
/usr/bin/python3 - "$T/z.h5" <<'PY' 2>/dev/null || echo "(needs python3-h5py)"
import sys, h5py
z = h5py.File(sys.argv[1])["sizing"]
n = z["n"]
grid = 41 * int(n.max())   # 0..2e6 in steps of 5e4, each with the replications the hardest probe used
print("size: %d probes, %d replications; a full grid of 41 points at %d each: %d (%.0fx)"
      % (len(n), n.sum(), n.max(), grid, grid / n.sum()))
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
echo "   2,000,000 arrivals; ../shared/bench/r1_baseline.c, or INCUBSIM_REFERENCE=DIR):"
echo "   whole processes, interleaved, 7 each; incubsim writes its results file"
REF=${INCUBSIM_REFERENCE:-../shared/bench}
if [ -f "$REF/r1_baseline.c" ] && [ -f "$REF/r1s_2m.cfg" ] && cc -O2 -o "$T/r1_baseline" "$REF/r1_baseline.c" -lm; then
    for i in 1 2 3 4 5 6 7; do
        s=$(date +%s%N); "$T/r1_baseline" 2000000 12345 40 20 >/dev/null; e=$(date +%s%N)
        echo "C $(( (e - s) / 1000 ))"
        s=$(date +%s%N); $INCUBSIM run "$REF/r1s_2m.cfg" -r 1 -s 5 -j 1 -q -o "$T/r1s.h5" --force >/dev/null
        e=$(date +%s%N); echo "incubsim $(( (e - s) / 1000 ))"
    done | sort -k1,1 -k2,2n | awk '{ v[$1] = v[$1] " " $2; n[$1]++ }
        END { for (p in v) { split(v[p], a, " "); min[p] = a[1]; med[p] = a[int((n[p] + 1) / 2)] }
              printf "C program: min %.3f s, median %.3f s\n", min["C"] / 1e6, med["C"] / 1e6
              printf "incubsim:  min %.3f s, median %.3f s\n", min["incubsim"] / 1e6, med["incubsim"] / 1e6
              printf "incubsim / C: %.2f (min), %.2f (median); below 1.00 is faster\n",
                     min["incubsim"] / min["C"], med["incubsim"] / med["C"] }'
else
    echo "(no reference program at $REF: skipped)"
fi
