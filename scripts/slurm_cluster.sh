#!/usr/bin/env bash
# A single-node Slurm cluster on loopback, for tests and for trying the slurm
# sweep engine on one machine (../shared/TOOLCHAIN.md, "Slurm on one machine").
#
#   scripts/slurm_cluster.sh start DIR   # state, spool, logs, munge key and socket under DIR
#   scripts/slurm_cluster.sh stop DIR    # cancel its jobs, then stop the daemons it started
#
# `start` writes DIR/slurm.conf, starts munged, slurmctld and slurmd (each under
# setsid, PIDs in DIR/pids), waits until the node is idle and prints
# `SLURM_CONF=DIR/slurm.conf`: every client command (sbatch, squeue, scontrol,
# scancel, sinfo) must run with it set, or it falls back to a DNS lookup that
# leaves the machine. On failure it stops what it started, prints one line
# saying why on stderr and exits 1 (2 when Slurm or munge is not installed).
# `stop` stops only the PIDs listed in DIR/pids. Needs root (slurmd launches
# jobs as their user). Ports are picked free on 127.0.0.1.
set -euo pipefail

die() { echo "slurm_cluster: $*" >&2; exit "${2:-1}"; }

cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start|stop DIR"
case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac

export SLURM_CONF="$dir/slurm.conf"

stop_cluster() {
  [ -f "$dir/pids" ] || return 0
  if [ -f "$SLURM_CONF" ] && command -v squeue >/dev/null; then
    # Jobs first, so no slurmstepd outlives the daemons.
    timeout 5 scancel --quiet --full --user "$(id -un)" 2>/dev/null || true
    for _ in $(seq 1 60); do
      [ -z "$(timeout 3 squeue -h -o %i 2>/dev/null || true)" ] && break
      sleep 0.25
    done
  fi
  # Reverse start order: slurmd, slurmctld, munged.
  local pids
  pids="$(tac "$dir/pids" | awk '{print $2}')"
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    local alive=0
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
  rm -f "$dir/pids"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_daemon() { # NAME CMD...: run detached, record "NAME PID"
  local name="$1"
  shift
  setsid "$@" >"$dir/log/$name.out" 2>&1 </dev/null &
  echo "$name $!" >>"$dir/pids"
}

fail() { # stop what was started, then die with the reason and the daemons' last log lines
  echo "slurm_cluster: $1" >&2
  tail -n 3 "$dir"/log/*.log "$dir"/log/*.out 2>/dev/null | sed 's/^/  /' >&2 || true
  stop_cluster
  exit 1
}

case "$cmd" in
stop)
  stop_cluster
  ;;
start)
  for b in munged slurmctld slurmd sbatch squeue scontrol python3; do
    command -v "$b" >/dev/null || die "$b is not installed (bash scripts/setup.sh installs slurm-wlm and munge)" 2
  done
  [ "$(id -u)" = 0 ] || die "needs root (slurmd launches jobs as their user)"
  [ -f "$dir/pids" ] && die "$dir/pids exists: a cluster is already running there (stop it first)"
  mkdir -p "$dir"/{munge,state,spool,log}
  chmod 700 "$dir/munge"
  [ -f "$dir/munge/munge.key" ] || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  cpus="$(nproc)"
  mem_mb=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 * 9 / 10)) # a margin, or the node is invalid
  ctld_port="$(free_port)"
  d_port="$(free_port)"
  while [ "$d_port" = "$ctld_port" ]; do d_port="$(free_port)"; done
  cat >"$SLURM_CONF" <<EOF
# Written by scripts/slurm_cluster.sh: a single-node test cluster on loopback.
ClusterName=harnesslab
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket,cred_expire=5
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/slurmd-%n
SlurmctldPidFile=$dir/state/slurmctld.pid
SlurmdPidFile=$dir/spool/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
KillWait=5
MinJobAge=600
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,sched_interval=1,bf_interval=1
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  : >"$dir/pids"
  start_daemon munged munged --foreground --force --origin=127.0.0.1 \
    --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
  for _ in $(seq 1 40); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.1; done
  [ -S "$dir/munge/munge.socket" ] || fail "munged did not open its socket"
  start_daemon slurmctld slurmctld -D -i -f "$SLURM_CONF"
  start_daemon slurmd slurmd -D -N localhost -f "$SLURM_CONF"
  for _ in $(seq 1 120); do
    state="$(timeout 3 sinfo -h -n localhost -o %T 2>/dev/null || true)"
    [ "$state" = idle ] && break
    sleep 0.25
  done
  [ "${state:-}" = idle ] || fail "the node did not become idle within 30 s (state '${state:-none}')"
  echo "SLURM_CONF=$SLURM_CONF"
  ;;
*)
  die "unknown command '$cmd' (use start or stop)"
  ;;
esac
