#!/bin/sh
# test_slurm.sh — the cluster scripts (scenarios/cluster/) under a real Slurm: a
# single-node cluster on localhost (Debian's slurmctld, slurmd, slurm-client and munge;
# `make test` installs them), started here and stopped on any exit. Checked:
# - `--is-complete` (the query array.sbatch and resubmit.sh use): a shard is complete
#   only when it is a finished part of *this* run, not because its file exists;
# - a shard prints no tables, only its results line;
# - array.sbatch run outside Slurm replaces a file of another run (REPS=10 over 2
#   shards, with a 20-replication 4-shard file present: recomputed, merged = one run);
# - under Slurm: submit.sh (array + dependent merge) over an earlier run's shards, the
#   MPI script used directly (its log in the submission folder), and a shard killed
#   (scancel) then resubmit.sh (refused while the array runs; same options and
#   environment; the stale merge replaced): each merged file holds the same bits as a
#   one-process `incubsim run` of the same options (tests/h5same.py).
# Without root, the packages, or daemons that start, the Slurm checks are reported as
# skipped with the reason, never passed. Prints "# slurm: N passed, N failed[, N skipped]".
: "${PY:=/usr/bin/python3}"
. "$(dirname "$0")/harness.sh"
INCUBSIM=$(cd "$(dirname "$INCUBSIM")" && pwd)/$(basename "$INCUBSIM")
ROOT=$(pwd)
MPI_BIN=${INCUBSIM_MPI:-build-mpi/incubsim}
case $MPI_BIN in /*) ;; *) MPI_BIN=$ROOT/$MPI_BIN ;; esac
CL=$ROOT/scenarios/cluster
A=$ROOT/scenarios/baseline.cfg
B=$ROOT/scenarios/capital_first.cfg
export INCUBSIM

same() {   # same A B WHAT: the two results files hold the same bits (h5same.py)
    if d=$("$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); from h5same import same
d = same(sys.argv[2], sys.argv[3]); print("; ".join(d)); sys.exit(1 if d else 0)' \
            "$ROOT/tests" "$1" "$2" 2>&1); then ok; else bad "$3: $d"; fi
}

# ---- --is-complete: identity and slice, not existence ------------------------------------
mkdir "$T/q" && cd "$T/q" || exit 1
for i in 0 1 2 3; do
    $INCUBSIM run "$A" -r 20 -q --shard "$i/4" -o "old.$i.h5" >/dev/null 2>&1 || bad "shard $i/4"
done
expect 0 "the same run and slice is complete" -- $INCUBSIM run "$A" -r 20 --shard 1/4 -o old.1.h5 --is-complete
has "$T/out" "complete: tasks 5..10 of 20" "says which tasks"
expect 1 "REPS=10 over 2 shards: the 20-replication file is not its shard" -- \
    $INCUBSIM run "$A" -r 10 --shard 0/2 -o old.0.h5 --is-complete
has "$T/out" "another run: the replications (10, 20)" "says what differs"
expect 1 "another slice of the same run" -- $INCUBSIM run "$A" -r 20 --shard 2/4 -o old.1.h5 --is-complete
has "$T/out" "not this slice's 10..15" "names the slice"
expect 1 "another seed" -- $INCUBSIM run "$A" -r 20 -s 2 --shard 1/4 -o old.1.h5 --is-complete
expect 1 "another scenario" -- $INCUBSIM run "$A" -r 20 --set horizon=9 --shard 1/4 -o old.1.h5 --is-complete
expect 1 "no file" -- $INCUBSIM run "$A" -r 20 --shard 1/4 -o none.h5 --is-complete
has "$T/out" "not written yet" "says it is missing"
[ ! -e none.h5 ] && [ ! -e none.h5.parts ] && [ ! -e none.h5.lock ] && ok || bad "the query wrote files"
expect 2 "a scenario that does not load is bad input" -- \
    $INCUBSIM run "$T/q/nothing.cfg" -r 20 --shard 1/4 -o old.1.h5 --is-complete
expect 2 "--precision cannot be queried" -- \
    $INCUBSIM run "$A" --precision landing_rate=0.01 -o old.1.h5 --is-complete
cat >exp.cfg <<EOF
name = "s"; scenario = "$A"; replications = 2;
levers = ( { setting = "policy.landing_award"; min = 0.0; max = 2.0e6; } );
design = { kind = "grid"; points = 4; };
EOF
$INCUBSIM sweep exp.cfg -r 2 -q --shard 0/2 -o sw.0.h5 >sweep.out 2>&1 || bad "sweep shard: $(cat sweep.out)"
expect 0 "a sweep's shard is complete" -- $INCUBSIM sweep exp.cfg -r 2 --shard 0/2 -o sw.0.h5 --is-complete
expect 1 "not with another design" -- $INCUBSIM sweep exp.cfg -r 2 --shard 0/2 -o sw.0.h5 --is-complete \
    --set policy.landing_award=5
# an interrupted shard (its committed parts only) is not complete
$INCUBSIM run "$A" "$B" -r 400 -q -j 1 --shard 0/2 -o cut.0.h5 --checkpoint 0.05 >/dev/null 2>&1 &
pid=$!
n=0
while [ $n -lt 300 ] && ! ls cut.0.h5.parts/part-*.h5 >/dev/null 2>&1; do sleep 0.05; n=$((n + 1)); done
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
if [ -d cut.0.h5.parts ] && [ ! -e cut.0.h5 ]; then
    expect 1 "a killed shard's parts are not a result" -- \
        $INCUBSIM run "$A" "$B" -r 400 --shard 0/2 -o cut.0.h5 --is-complete
    has "$T/out" "--resume completes them" "points at --resume"
else
    bad "the shard to kill finished or wrote nothing in 15 s"
fi

# ---- a shard prints no tables: the results line alone ---------------------------------------
$INCUBSIM run "$A" "$B" -r 4 -q --shard 1/2 -o t.1.h5 >t.out 2>t.err
if [ "$(wc -l <t.out)" -eq 1 ] && grep -q '^results: t.1.h5 (shard 1/2, 4 runs' t.out \
        && [ ! -s t.err ]; then ok; else bad "a -q shard printed more than its results line: $(head -c 400 t.out)"; fi
[ "$(wc -l <sweep.out)" -eq 1 ] && grep -q '^results: sw.0.h5 (shard 0/2' sweep.out && ok \
    || bad "a -q sweep shard printed more than its results line: $(head -c 400 sweep.out)"
$INCUBSIM run "$A" -r 4 -q -o whole.h5 >t.out 2>&1
grep -q 'landing_rate' t.out && ok || bad "a whole run prints its table: $(head -c 300 t.out)"

# ---- array.sbatch outside Slurm: a file of another run is recomputed -----------------------
$INCUBSIM run "$A" -r 10 -s 1 -j 1 -q -o ref10.h5 >/dev/null 2>&1 || bad "one process, 10 replications"
for i in 0 1; do
    OUT=old SCENARIOS=$A REPS=10 SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=2 \
        bash "$CL/array.sbatch" >"array$i.out" 2>&1 || bad "array.sbatch shard $i: $(cat "array$i.out")"
done
has array0.out "recomputing" "shard 0 replaces the 20-replication file"
$INCUBSIM merge -o old.h5 old.0.h5 old.1.h5 >/dev/null 2>merge.err || bad "merge: $(cat merge.err)"
same ref10.h5 old.h5 "REPS=10 over 2 shards, over an earlier 20-replication 4-shard run"
OUT=old SCENARIOS=$A REPS=10 SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 \
    bash "$CL/array.sbatch" >again.out 2>&1
has again.out "old.1.h5: complete" "a finished shard of this run is kept"
# submit.sh needs shards 0..LAST; resubmit.sh needs submit.sh's record (before any sbatch)
expect 2 "submit.sh refuses an array not from 0" -- env OUT=x SCENARIOS="$A" sh "$CL/submit.sh" --array=1-4
has "$T/err" "--array must be 0-LAST" "says what it takes"
expect 2 "resubmit.sh without a record" -- env OUT=nothing sh "$CL/resubmit.sh"
has "$T/err" "no nothing.submit" "names the record"
cd "$ROOT" || exit 1

# ---- a Slurm of our own -------------------------------------------------------------------
S=$T/slurm
daemons=
stop_slurm() {
    if [ -n "$daemons" ]; then
        scancel --quiet --full --signal=KILL --user="$(id -un)" 2>/dev/null
        for f in slurmd slurmctld munged; do
            [ -f "$S/$f.pid" ] && kill "$(cat "$S/$f.pid")" 2>/dev/null
        done
        sleep 0.5
        for f in slurmd slurmctld munged; do
            [ -f "$S/$f.pid" ] && kill -KILL "$(cat "$S/$f.pid")" 2>/dev/null
        done
    fi
    rm -rf "$T"
}
trap stop_slurm EXIT
start_slurm() {   # sets $why when it cannot
    [ "$(id -u)" = 0 ] || { why="not root (the daemons run as SlurmUser=root here)"; return 1; }
    for t in munged slurmctld slurmd sbatch squeue scancel; do
        command -v $t >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] \
            || { why="$t not installed (make test installs slurmctld slurmd slurm-client munge)"; return 1; }
    done
    PATH=$PATH:/usr/sbin
    chmod 755 "$T"   # munged wants every folder above its socket searchable
    mkdir -p "$S/state" "$S/spool" && chmod 755 "$S"
    head -c 1024 /dev/urandom >"$S/munge.key" && chmod 400 "$S/munge.key"
    munged --key-file "$S/munge.key" --socket "$S/munge.sock" --pid-file "$S/munged.pid" \
        --log-file "$S/munged.log" --seed-file "$S/munged.seed" 2>"$S/munged.err" \
        || { why="munged did not start: $(head -c 200 "$S/munged.err")"; return 1; }
    daemons=1
    ports=$("$PY" -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
    set -- $ports
    host=$(hostname -s)
    mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
    cat >"$S/slurm.conf" <<EOF
ClusterName=incubsimtest
SlurmctldHost=$host
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$S/munge.sock
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$1
SlurmdPort=$2
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=600
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$S/slurm.conf"
    slurmctld -f "$S/slurm.conf" 2>"$S/ctld.err" || { why="slurmctld did not start: $(head -c 200 "$S/ctld.err")"; return 1; }
    slurmd -f "$S/slurm.conf" 2>"$S/slurmd.err" || { why="slurmd did not start: $(head -c 200 "$S/slurmd.err")"; return 1; }
    n=0
    while [ $n -lt 60 ]; do
        case $(sinfo -h -o %t 2>/dev/null) in idle*|mix*|alloc*) return 0 ;; esac
        sleep 0.5; n=$((n + 1))
    done
    why="the node never came up idle: $(sinfo 2>&1 | tail -n 1); $(tail -n 3 "$S/slurmctld.log" 2>/dev/null)"
    return 1
}
wait_jobs() {   # wait_jobs SECONDS JOB...: true when none is pending or running any more
    w_limit=$(($1 * 5)); shift
    w_n=0
    while [ $w_n -lt $w_limit ]; do
        w_left=0
        for j in "$@"; do
            [ -n "$(squeue -h -j "$j" -o %i 2>/dev/null)" ] && w_left=1
        done
        [ $w_left = 0 ] && return 0
        sleep 0.2; w_n=$((w_n + 1))
    done
    return 1
}
SLURM_CHECKS=16
if ! start_slurm; then
    skip "the Slurm checks: $why" $SLURM_CHECKS
    finish slurm
    exit $?
fi

mkdir "$T/w" && cd "$T/w" || exit 1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
$INCUBSIM run "$A" "$B" -r 8 -s 1 -j 1 -q -o ref8.h5 >/dev/null 2>&1 || bad "one process, 8 replications"

# submit.sh over an earlier run's shards (4 of them, 20 replications): recomputed; the merge
# takes shards 0 and 1 only
mkdir -p res
for i in 0 1 2 3; do
    $INCUBSIM run "$A" "$B" -r 20 -q --shard "$i/4" -o "res/a.$i.h5" >/dev/null 2>&1
done
out=$(SCENARIOS="$A $B" REPS=8 OUT=res/a sh "$CL/submit.sh" --array=0-1 --cpus-per-task=1 2>&1)
array=$(echo "$out" | sed -n 's/^array job \([0-9]*\).*/\1/p')
merge=$(echo "$out" | sed -n 's/.*merge job \([0-9]*\).*/\1/p')
if [ -n "$array" ] && [ -n "$merge" ]; then ok; else bad "submit.sh: $out"; fi
wait_jobs 120 "$array" "$merge" || bad "the array and merge did not end in 120 s: $(squeue)"
if [ -f res/a.h5 ]; then
    same ref8.h5 res/a.h5 "submit.sh: the array's shards merged"
else
    bad "no merged file; logs: $(cat logs/* 2>/dev/null | head -c 600)"
fi
[ -f "logs/incubsim_${array}_0.out" ] && [ -f "logs/incubsim_${array}_1.out" ] \
    && [ -f "logs/incubsim-merge_$merge.out" ] && ok || bad "submit.sh's logs: $(ls logs)"
has "logs/incubsim_${array}_0.out" "recomputing" "the shard of another run is recomputed"
if grep -q landing_rate logs/incubsim_"${array}"_*.out; then bad "a shard's log holds a table"; else ok; fi
has res/a.txt "landing_rate" "the merge job writes the comparison"
has res/a.submit "SHARDS=2" "the submission is recorded"

# mpi.sbatch used directly, from a folder with no logs/: its log in the submission folder
if [ -x "$MPI_BIN" ] && command -v mpirun >/dev/null 2>&1; then
    mkdir "$T/m" && cd "$T/m" || exit 1
    # Open MPI's own allocations are not ours to report (as in test_mpi.py)
    job=$(SCENARIOS="$A $B" REPS=8 OUT=res/m INCUBSIM=$MPI_BIN ASAN_OPTIONS=detect_leaks=0 \
          sbatch --parsable --ntasks=2 \
          --mem-per-cpu=200M "$CL/mpi.sbatch")
    job=${job%%;*}
    wait_jobs 120 "$job" || bad "the MPI job did not end in 120 s"
    [ -f "incubsim-mpi_$job.out" ] && ok || bad "mpi.sbatch wrote no log here: $(ls)"
    if [ -f res/m.h5 ]; then
        same "$T/w/ref8.h5" res/m.h5 "mpi.sbatch (2 ranks)"
    else
        bad "mpi.sbatch wrote no file: $(head -c 600 "incubsim-mpi_$job.out")"
    fi
    cd "$T/w" || exit 1
else
    skip "no MPI build ($MPI_BIN) or mpirun: mpi.sbatch" 2
fi

# a shard killed, then resubmit.sh: refused while the array runs, then only that shard
# again with the recorded options (its job name) and environment, resuming its parts
$INCUBSIM run "$A" "$B" -r 300 -s 3 -j 1 -q -o ref300.h5 >/dev/null 2>&1 || bad "one process, 300"
out=$(SCENARIOS="$A $B" REPS=300 SEED=3 CHECKPOINT=0.1 OUT=res/k sh "$CL/submit.sh" \
      --array=0-1%1 --cpus-per-task=1 --job-name=incubsim-k 2>&1)
array=$(echo "$out" | sed -n 's/^array job \([0-9]*\).*/\1/p')
merge=$(echo "$out" | sed -n 's/.*merge job \([0-9]*\).*/\1/p')
OUT=res/k sh "$CL/resubmit.sh" >re.out 2>&1
rc=$?
if [ $rc = 1 ] && grep -q "still has" re.out; then ok; else bad "resubmit.sh while the array runs: exit $rc: $(cat re.out)"; fi
n=0
while [ $n -lt 600 ] && ! ls res/k.1.h5.parts/part-*.h5 >/dev/null 2>&1 && [ ! -e res/k.1.h5 ]; do
    sleep 0.1; n=$((n + 1))
done
scancel "${array}_1"
wait_jobs 60 "$array" || bad "the array did not end after scancel"
if [ -e res/k.1.h5 ] || [ ! -d res/k.1.h5.parts ]; then
    bad "shard 1 was not caught running with committed parts (it finished or never committed)"
fi
[ -n "$(squeue -h -j "$merge" -o %i)" ] && ok || bad "the merge should wait (afterok) after a cancelled shard"
out=$(env -u SCENARIOS -u REPS -u SEED -u CHECKPOINT OUT=res/k sh "$CL/resubmit.sh" 2>&1)
new=$(echo "$out" | sed -n 's/.*array job \([0-9]*\).*/\1/p')
merge2=$(echo "$out" | sed -n 's/^merge job \([0-9]*\).*/\1/p')
if echo "$out" | grep -q "resubmitted shards 1 of 2" && echo "$out" | grep -q "cancelled the pending merge job $merge"; then
    ok; else bad "resubmit.sh: $out"; fi
wait_jobs 120 "$new" "$merge2" || bad "the resubmitted shard and merge did not end in 120 s"
[ -z "$(squeue -h -j "$merge" -o %i)" ] && ok || bad "the old merge is still queued"
has "logs/incubsim-k_${new}_1.out" "resuming from the committed tasks" "the resubmitted shard keeps the job name and resumes"
if [ -f res/k.h5 ]; then
    same ref300.h5 res/k.h5 "a killed shard resubmitted, then merged"
else
    bad "no merged file after resubmit.sh: $(cat logs/incubsim-merge_"$merge2".out 2>/dev/null | head -c 600)"
fi
out=$(OUT=res/k sh "$CL/resubmit.sh" 2>&1)
echo "$out" | grep -q "every shard of res/k is complete, and so is the merge" && ok \
    || bad "resubmit.sh with nothing left: $out"
finish slurm
