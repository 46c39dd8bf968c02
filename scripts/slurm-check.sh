#!/bin/bash
# Brings up a single-node Slurm on this machine (Debian's slurm-wlm + munge, started by hand: there is
# no systemd), runs a small sweep through `simulate slurm --submit` as a 4-task array plus a merge job,
# kills one task mid-run with `scancel --signal=KILL`, checks that the merge job fails and names what is
# missing, resubmits (only the killed task's shard goes), and compares the merged results with a
# single-machine run byte for byte (the report without its timings); then runs a shard under a time
# limit shorter than its work, so Slurm's pre-timeout USR1 stops it and it requeues itself until done,
# and compares those results too. Needs root. `make slurm-check`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/simulate-slurm.XXXXXX)
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell} OPENBLAS_NUM_THREADS=1
say() { printf '\n== %s\n' "$*"; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    say "installing slurm-wlm and munge"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null
fi
swift build -q
SIMULATE="$(swift build --show-bin-path)/simulate"

say "starting munge and a single-node Slurm in $WORK/slurm"
mkdir -p /run/munge && chown munge:munge /run/munge
[ -f /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
pgrep -x munged >/dev/null || runuser -u munge -- munged
NODE=$(hostname -s)
CPUS=$(nproc)
S="$WORK/slurm"
mkdir -p "$S/state" "$S/spool" "$S/log"
cat > "$S/slurm.conf" <<CONF
ClusterName=simulate-check
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ReturnToService=2
MaxArraySize=1001
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=4000 State=UNKNOWN
PartitionName=check Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$S/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
stop() {
    [ -f "$S/slurmd.pid" ] && kill "$(cat "$S/slurmd.pid")" 2>/dev/null || true
    [ -f "$S/slurmctld.pid" ] && kill "$(cat "$S/slurmctld.pid")" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 1; done
sinfo

SWEEP=(relu2 --seeds 8 --set training.steps=1500 --set probes.every=500)
# The time-limit phase: about 25 s per run in a debug build, so one shard of 8 outlasts a 3-minute limit.
TIMEOUT_SEEDS=${TIMEOUT_SEEDS:-8} TIMEOUT_STEPS=${TIMEOUT_STEPS:-2000}
OUT="$WORK/cluster/relu2"
wait_idle() { for _ in $(seq 900); do [ -z "$(squeue -h)" ] && return 0; sleep 1; done; echo "jobs did not finish"; squeue; exit 1; }

say "submitting: simulate slurm ${SWEEP[*]} --runs-per-task 2 --submit"
"$SIMULATE" slurm "${SWEEP[@]}" --runs-per-task 2 --time 0:20:00 --out "$OUT" --submit | tee "$WORK/submit1.txt"
ARRAY=$(sed -n 's/^submitted array \([0-9]*\).*/\1/p' "$WORK/submit1.txt")
squeue
say "killing task ${ARRAY}_1 once it runs"
for _ in $(seq 300); do squeue -h -j "${ARRAY}_1" -o %T 2>/dev/null | grep -q RUNNING && break; sleep 0.5; done
sleep 2
scancel --signal=KILL "${ARRAY}_1"
echo "scancel --signal=KILL ${ARRAY}_1"
wait_idle
LOGS="$WORK/cluster/.simulate-cache/sweeps/relu2/slurm/logs"
echo "merge job's log:"; cat "$LOGS"/merge_*.out
grep -q "the sweep is incomplete" "$LOGS"/merge_*.out || { echo "FAIL: the merge after the kill did not report the sweep incomplete"; exit 1; }
[ ! -e "$OUT" ] || { echo "FAIL: an incomplete merge wrote $OUT"; exit 1; }
"$SIMULATE" status "$OUT"

say "resubmitting the same command: only what is missing"
"$SIMULATE" slurm "${SWEEP[@]}" --runs-per-task 2 --time 0:20:00 --out "$OUT" --submit | tee "$WORK/submit2.txt"
grep -q -- "--array=1)" "$WORK/submit2.txt" || { echo "FAIL: the resubmission was not the killed shard alone"; exit 1; }
wait_idle
"$SIMULATE" status "$OUT"
[ -f "$OUT/report.md" ] || { echo "FAIL: the second merge wrote no report"; cat "$LOGS"/merge_*.out; exit 1; }

say "the same sweep on one machine, then byte for byte"
"$SIMULATE" run "${SWEEP[@]}" --quiet --out "$WORK/single/relu2" >/dev/null
for f in metrics.csv summary.csv aggregate.csv neurons.csv reliability.csv scenario.resolved.json; do
    cmp "$WORK/single/relu2/$f" "$OUT/$f"
    echo "identical: $f"
done
timeless() { sed -E -e '/^\*Provenance:\*/d' -e 's/ [0-9]+ of [0-9]+ runs were reused from the run cache\. Reproduce with `[^`]*`\.//' -e 's/^(\| `[^|]*\|[^|]*\|).*/\1/' "$1"; }
diff <(timeless "$WORK/single/relu2/report.md") <(timeless "$OUT/report.md")
echo "identical: report.md (but for timings and the command)"

# A time limit shorter than the work: Slurm's USR1 warning (--signal=B:USR1@S) reaches the batch shell,
# which stops simulate (its finished runs are cached, the run in progress is abandoned) and requeues the
# task; each attempt adds runs to the cache until the shard is done, then the merge job writes the results.
TSWEEP=(relu2 --seeds "$TIMEOUT_SEEDS" --set training.steps="$TIMEOUT_STEPS" --set probes.every=1000)
TOUT="$WORK/cluster/timeout"
say "a 3-minute time limit on a shard that needs longer: simulate slurm ${TSWEEP[*]} --shards 1 --time 0:03:00 --warning-seconds 60"
"$SIMULATE" slurm "${TSWEEP[@]}" --shards 1 --time 0:03:00 --warning-seconds 60 --out "$TOUT" --submit | tee "$WORK/submit3.txt"
TARRAY=$(sed -n 's/^submitted array \([0-9]*\).*/\1/p' "$WORK/submit3.txt")
wait_idle
TLOGS="$WORK/cluster/.simulate-cache/sweeps/timeout/slurm/logs"
echo "the task's log (appended across attempts):"; cat "$TLOGS/${TARRAY}_0.out"
ATTEMPTS=$(grep -c "interrupted by SIGUSR1" "$TLOGS/${TARRAY}_0.out" || true)
[ "$ATTEMPTS" -ge 1 ] || { echo "FAIL: the task was never warned before its time limit"; exit 1; }
echo "warned and requeued $ATTEMPTS time(s)"
echo "merge job's log:"; cat "$TLOGS"/merge_*.out
"$SIMULATE" status "$TOUT"
[ -f "$TOUT/report.md" ] || { echo "FAIL: the merge after the requeues wrote no report"; exit 1; }
"$SIMULATE" run "${TSWEEP[@]}" --quiet --out "$WORK/single/timeout" >/dev/null
for f in metrics.csv summary.csv aggregate.csv neurons.csv reliability.csv scenario.resolved.json; do
    cmp "$WORK/single/timeout/$f" "$TOUT/$f"
    echo "identical across requeues: $f"
done
diff <(timeless "$WORK/single/timeout/report.md") <(timeless "$TOUT/report.md")
echo "identical across requeues: report.md (but for timings and the command)"
say "slurm-check passed ($WORK)"
