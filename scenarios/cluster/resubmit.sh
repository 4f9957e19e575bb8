#!/bin/sh
# resubmit.sh [ARRAY_JOB_ID] — after an array of submit.sh stopped with shards unfinished
# (failed, timed out, cancelled, a node lost): resubmits only those shards, with the
# options and environment of the submission (recorded by submit.sh in $OUT.submit), and
# replaces the merge that is left pending (afterok can no longer hold) with one chained on
# the new array.
#   OUT=results/fund sh scenarios/cluster/resubmit.sh
# A shard is unfinished unless $OUT.I.h5 is a finished part of this run (incubsim
# --is-complete: identity, not file existence), so no accounting (sacct) is needed. Each
# resubmitted shard resumes from its committed parts. It refuses while a job of the
# submission (ARRAY_JOB_ID, default every array it recorded) is pending or running
# (squeue): wait for it, or scancel it first. Exit 0 when resubmitted or nothing was left
# to do, 1 when refused, 2 on bad input.
set -eu
: "${OUT:?set OUT as for submit.sh: its record OUT.submit is read}"
here=$(cd "$(dirname "$0")" && pwd)
rec=$OUT.submit
if [ ! -r "$rec" ]; then
    echo "resubmit.sh: no $rec: submit.sh records a submission there; submit with it" >&2
    exit 2
fi
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
unset EXPERIMENT SCENARIOS REPS SEED CHECKPOINT
case $rec in /*) . "$rec" ;; *) . "./$rec" ;; esac
cd "$WORKDIR"
INCUBSIM=${INCUBSIM:-incubsim}
for job in ${1:-$ARRAY_JOBS}; do
    running=$(squeue -h -j "$job" -o %i 2>/dev/null | wc -l)
    if [ "$running" -gt 0 ]; then
        echo "resubmit.sh: array job $job still has $running task(s) pending or running" \
             "(squeue -j $job); wait for them or scancel $job, then resubmit" >&2
        exit 1
    fi
done
if [ -n "${EXPERIMENT:-}" ]; then
    set -- sweep "$EXPERIMENT"
else
    set -- run $SCENARIOS
fi
missing=
i=0
while [ "$i" -lt "$SHARDS" ]; do
    status=0
    "$INCUBSIM" "$@" ${REPS:+-r "$REPS"} -s "${SEED:-1}" --shard "$i/$SHARDS" \
        -o "$OUT.$i.h5" --is-complete >/dev/null || status=$?
    case $status in
        0) ;;
        1) missing=${missing:+$missing,}$i ;;
        *) echo "resubmit.sh: shard $i: $INCUBSIM refused the recorded command" >&2; exit 2 ;;
    esac
    i=$((i + 1))
done
# the old merge waits on an array that can no longer succeed (or on nothing): replaced
if [ -n "$(squeue -h -j "$MERGE_JOB" -t PENDING -o %i 2>/dev/null)" ]; then
    scancel "$MERGE_JOB"
    echo "cancelled the pending merge job $MERGE_JOB"
fi
dep=
array=
if [ -n "$missing" ]; then
    eval "set -- $SBATCH_OPTS"
    array=$(sbatch --parsable --export=ALL --output="logs/%x_%A_%a.out" \
            --array="$missing$THROTTLE" "$@" "$here/array.sbatch")
    array=${array%%;*}
    dep=--dependency=afterok:$array
    echo "resubmitted shards $missing of $SHARDS: array job $array"
elif [ -e "$OUT.h5" ]; then
    echo "every shard of $OUT is complete, and so is the merge: $OUT.h5"
    exit 0
else
    echo "every shard of $OUT is complete"
fi
mkdir -p logs
merge=$(sbatch --parsable --export=ALL --output="logs/%x_%j.out" $dep "$here/merge.sbatch")
merge=${merge%%;*}
echo "merge job $merge"
sed -e "s/^ARRAY_JOBS=.*/ARRAY_JOBS='${ARRAY_JOBS}${array:+ $array}'/" -e "s/^MERGE_JOB=.*/MERGE_JOB=$merge/" \
    "$rec" >"$rec.new"
mv "$rec.new" "$rec"
