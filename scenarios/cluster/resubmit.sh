#!/bin/sh
# resubmit.sh ARRAY_JOB_ID [N] — resubmits only the shards of an array job that did not
# complete (failed, timed out, cancelled, node failure), then the merge again. N is the
# array's size (the shard count), needed because the new array is smaller; default: the
# size sacct reports. Each resubmitted shard resumes from what it had committed.
set -eu
job=${1:?usage: resubmit.sh ARRAY_JOB_ID [SHARD_COUNT]}
: "${OUT:?set OUT as for submit.sh}"
here=$(dirname "$0")
n=${2:-$(sacct -j "$job" -X -n -o JobID | grep -c "^${job}_[0-9]")}
failed=$(sacct -j "$job" -X -n -o JobID,State | awk -v j="$job" '
    $1 ~ "^" j "_[0-9]+$" && $2 != "COMPLETED" { sub(".*_", "", $1); print $1 }' | paste -sd, -)
if [ -z "$failed" ]; then
    echo "every shard of $job completed"; exit 0
fi
echo "resubmitting shards $failed of $n"
array=$(SHARDS=$n sbatch --parsable --export=ALL,SHARDS="$n" --array="$failed" "$here/array.sbatch")
merge=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" "$here/merge.sbatch")
echo "array job $array; merge job $merge"
