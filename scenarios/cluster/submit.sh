#!/bin/sh
# submit.sh — submits array.sbatch and, after it, merge.sbatch; prints both job ids.
#   EXPERIMENT=... REPS=... OUT=results/fund sh scenarios/cluster/submit.sh [sbatch options]
# Extra options go to the array (e.g. --array=0-199%40 for 200 shards, 40 at a time).
# Resubmitting only the failed shards:  sh scenarios/cluster/resubmit.sh ARRAY_JOB_ID
set -eu
: "${OUT:?set OUT, the stem of the results}"
here=$(dirname "$0")
mkdir -p logs
array=$(sbatch --parsable --export=ALL "$@" "$here/array.sbatch")
merge=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" "$here/merge.sbatch")
echo "array job $array; merge job $merge (runs when every shard succeeded)"
