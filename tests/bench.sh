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
echo "== the all-exponential network of DESIGN.md §5, 2,000,000 arrivals, statistics on"
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
