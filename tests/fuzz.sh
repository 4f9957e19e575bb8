#!/bin/sh
# fuzz.sh SECONDS — runs each libFuzzer target (built by `make fuzz`) for SECONDS on a
# corpus seeded from scenarios/, tests/bad/, scenarios/experiments/ and tests/fuzz_corpus/
# (past findings, kept as regression inputs); a crash or a leak fails, and its input is
# kept in build-fuzz/ to join tests/fuzz_corpus/ once fixed.
# LSan's suppressions (tests/lsan.supp) match function names, so they need
# llvm-symbolizer (package llvm, which make fuzz installs): without it, or without a
# target, that target is reported as skipped, never as passed.
# Prints "# fuzz: N passed, N failed[, N skipped]" and "N passed, N failed[, N skipped]".
secs=${1:-60}
pass=0
fail=0
skipped=0
for t in scenario experiment; do
    if [ ! -x "build-fuzz/fuzz_$t" ] || ! command -v llvm-symbolizer >/dev/null 2>&1; then
        skipped=$((skipped + 1))
        echo "SKIP fuzz_$t: no build-fuzz/fuzz_$t or no llvm-symbolizer (make fuzz builds and installs them)"
        continue
    fi
    corpus=build-fuzz/corpus_$t
    mkdir -p "$corpus"
    if [ $t = scenario ]; then
        cp scenarios/*.cfg tests/bad/*.cfg tests/validation/*.cfg "$corpus"/ 2>/dev/null
        cp tests/fuzz_corpus/scenario/* "$corpus"/ 2>/dev/null
    else
        cp scenarios/experiments/*.cfg tests/fuzz_corpus/experiment/* "$corpus"/ 2>/dev/null
    fi
    # inputs include files relative to the current folder: run from scenarios/
    if (cd scenarios && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=../tests/lsan.supp "../build-fuzz/fuzz_$t" -max_total_time="$secs" \
            -timeout=10 -rss_limit_mb=2048 -max_len=8192 -artifact_prefix=../build-fuzz/crash_$t- \
            -close_fd_mask=2 "../$corpus" >"../build-fuzz/fuzz_$t.log" 2>&1); then
        pass=$((pass + 1))
        echo "fuzz_$t: $(grep -o 'Done [0-9]* runs' "build-fuzz/fuzz_$t.log" | tail -n 1) in ${secs} s, no finding"
    else
        fail=$((fail + 1))
        echo "FAIL fuzz_$t: a finding; see build-fuzz/fuzz_$t.log and build-fuzz/crash_$t-*"
        tail -n 30 "build-fuzz/fuzz_$t.log"
    fi
done
sk=
[ "$skipped" -gt 0 ] && sk=", $skipped skipped"
echo "# fuzz: $pass passed, $fail failed$sk"
echo "$pass passed, $fail failed$sk"
[ "$fail" = 0 ]
