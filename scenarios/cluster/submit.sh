#!/bin/sh
# submit.sh [sbatch options] — submits array.sbatch and, after it, merge.sbatch; prints
# both job ids.
#   EXPERIMENT=... REPS=... OUT=results/fund sh scenarios/cluster/submit.sh --array=0-99%20
# (SCENARIOS="a.cfg b.cfg" instead of EXPERIMENT for `run`; SEED, INCUBSIM, CHECKPOINT
# too.) The options go to the array (--array=0-N%T: N+1 shards, T at a time; --time,
# --cpus-per-task, --partition, ...). Logs: logs/<job name>_<array job>_<shard>.out and
# logs/incubsim-merge_<job>.out, in this folder (made here: Slurm opens a log before the
# job's script runs, so a missing folder would lose it).
# It records the submission in $OUT.submit (the variables above, PATH, LD_LIBRARY_PATH,
# the shard count, the sbatch options, this folder and the job ids), which resubmit.sh
# reads: `OUT=results/fund sh scenarios/cluster/resubmit.sh` reruns what did not finish
# with the same options and environment, and replaces the pending merge.
set -eu
: "${OUT:?set OUT, the stem of the results}"
here=$(cd "$(dirname "$0")" && pwd)
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# the array's range: from the options, else array.sbatch's own #SBATCH line
spec=$(sed -n 's/^#SBATCH --array=//p' "$here/array.sbatch")
opts=
next=
for a in "$@"; do
    if [ -n "$next" ]; then spec=$a; next=; continue; fi
    case $a in
        --array=*) spec=${a#--array=} ;;
        --array|-a) next=1 ;;
        -a*) spec=${a#-a} ;;
        *) opts="$opts $(quote "$a")" ;;
    esac
done
range=${spec%%%*}
throttle=
[ "$range" = "$spec" ] || throttle=%${spec#*%}
case $range in
    0-*) last=${range#0-} ;;
    0) last=0 ;;
    *) last=x ;;
esac
case $last in
    ''|*[!0-9]*)
        echo "submit.sh: --array must be 0-LAST[%THROTTLE] (shards 0..LAST), got \"$spec\"" >&2
        exit 2 ;;
esac
SHARDS=$((last + 1))
export SHARDS
mkdir -p logs "$(dirname "$OUT")"
eval "set -- $opts"
array=$(sbatch --parsable --export=ALL --output="logs/%x_%A_%a.out" --array="$range$throttle" \
        "$@" "$here/array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --export=ALL --output="logs/%x_%j.out" \
        --dependency=afterok:"$array" "$here/merge.sbatch")
merge=${merge%%;*}
{
    echo "# $OUT.submit: written by submit.sh $(date -u +%Y-%m-%dT%H:%M:%SZ), read by resubmit.sh"
    for v in OUT EXPERIMENT SCENARIOS REPS SEED INCUBSIM CHECKPOINT PATH LD_LIBRARY_PATH; do
        eval "set=\${$v+1} val=\${$v-}"
        [ -n "$set" ] && echo "$v=$(quote "$val"); export $v"
    done
    echo "SHARDS=$SHARDS; export SHARDS"
    echo "THROTTLE=$(quote "$throttle")"
    echo "SBATCH_OPTS=$(quote "$opts")"
    echo "WORKDIR=$(quote "$PWD")"
    echo "ARRAY_JOBS='$array'"
    echo "MERGE_JOB=$merge"
} >"$OUT.submit.new"
mv "$OUT.submit.new" "$OUT.submit"
echo "array job $array ($SHARDS shards); merge job $merge (runs when every shard succeeded)"
echo "submission recorded in $OUT.submit (resubmit.sh reads it)"
