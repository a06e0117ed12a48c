#!/usr/bin/env bash
# A build cluster on this machine, on loopback: N agents, and coordinators that build over them.
#
#   ops/cluster/local-cluster.sh start [N] [agent options...]   start N agents (default 2), wait until ready
#   ops/cluster/local-cluster.sh build ROOT [build-all options...]   a coordinator: build-all ROOT on them
#   ops/cluster/local-cluster.sh status                             the agents and where their logs are
#   ops/cluster/local-cluster.sh stop                               stop them (SIGTERM: each deregisters)
#
# Agent options go to every agent (`orchestrate agent --help`): --slots N (default: cores / N),
# --workspace DIR (default: the current directory; a coordinator's ROOT must be under it, or the
# agents' checkout of the same tree), --cache-dir DIR, --python PATH, -f DIR...
#
# Environment: ORCHESTRATE_CLUSTER_RUN (state: pids, logs; default /tmp/orchestrate-cluster-$USER),
# ORCHESTRATE_CLUSTER (name; default local-$USER), ORCHESTRATE_CLUSTER_BASE_PORT (default 5701:
# coordinators take the first COORDINATORS ports, agents the next ones), COORDINATORS (coordinator
# ports reserved in the member list, default 2: two builds at once), ORCHESTRATE=<command> to run
# another build of orchestrate (default ops/bin/orchestrate).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ORCH=${ORCHESTRATE:-"$repo/ops/bin/orchestrate"}
user=${USER:-$(id -un)}
run=${ORCHESTRATE_CLUSTER_RUN:-/tmp/orchestrate-cluster-$user}
env_file="$run/cluster.env"
# An agent's Java side only orchestrates (its builds run in Python), beside those builds on the
# same cores: the quick compiler alone (C2's compilations cost more CPU than they save) and the
# serial collector. ORCHESTRATE_AGENT_JAVA_OPTS replaces them.
AGENT_JAVA_OPTS=${ORCHESTRATE_AGENT_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

port_free() {  # $1: port on 127.0.0.1
  python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
}

start() {
  local n=2
  if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then n=$1; shift; fi
  [ "$n" -ge 1 ] || usage
  if [ -f "$env_file" ] && [ -n "$(alive)" ]; then
    echo "local-cluster: agents already run (see: $0 status; stop them first)" >&2; exit 1
  fi
  mkdir -p "$run"
  rm -f "$run"/agent-*.pid
  local name=${ORCHESTRATE_CLUSTER:-local-$user} base=${ORCHESTRATE_CLUSTER_BASE_PORT:-5701}
  local coordinators=${COORDINATORS:-2} members="" p
  for p in $(seq "$base" $((base + coordinators + n - 1))); do
    port_free "$p" || { echo "local-cluster: port $p is taken; set ORCHESTRATE_CLUSTER_BASE_PORT" >&2; exit 1; }
    members="$members${members:+,}127.0.0.1:$p"
  done
  local slots=()
  [[ " $* " == *" --slots "* ]] || slots=(--slots $(( $(nproc) / n > 0 ? $(nproc) / n : 1 )))
  printf 'CLUSTER=%q\nMEMBERS=%q\nBASE=%q\nCOORDINATORS=%q\nAGENTS=%q\n' "$name" "$members" "$base" \
    "$coordinators" "$n" > "$env_file"
  $ORCH --version >/dev/null   # builds the jar once, before the agents start
  local i port
  for i in $(seq 1 "$n"); do
    port=$((base + coordinators + i - 1))
    ORCHESTRATE_JAVA_OPTS="$AGENT_JAVA_OPTS ${ORCHESTRATE_JAVA_OPTS:-}" \
      nohup $ORCH agent --cluster "$name" --port "$port" --members "$members" --host 127.0.0.1 \
      --name "agent-$i" "${slots[@]}" "$@" >"$run/agent-$i.log" 2>&1 &
    echo $! > "$run/agent-$i.pid"
  done
  for i in $(seq 1 "$n"); do
    local deadline=$((SECONDS + 180))
    until grep -q "agent agent-$i ready" "$run/agent-$i.log" 2>/dev/null; do
      if ! kill -0 "$(cat "$run/agent-$i.pid")" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
        echo "local-cluster: agent-$i did not start:" >&2; tail -20 "$run/agent-$i.log" >&2; stop; exit 1
      fi
      sleep 0.2
    done
    grep "agent agent-$i ready" "$run/agent-$i.log"
  done
  echo "cluster \`$name\` ready: $n agent(s); build with: $0 build ROOT [options]"
}

alive() {
  local f
  for f in "$run"/agent-*.pid; do
    [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && echo "$f"
  done
  return 0
}

build() {
  [ $# -ge 1 ] || usage
  [ -f "$env_file" ] || { echo "local-cluster: no cluster; start one: $0 start [N]" >&2; exit 1; }
  # shellcheck disable=SC1090
  source "$env_file"
  local p
  for p in $(seq "$BASE" $((BASE + COORDINATORS - 1))); do
    if port_free "$p"; then
      exec $ORCH build-all "$@" --cluster "$CLUSTER" --port "$p" --members "$MEMBERS" --host 127.0.0.1
    fi
  done
  echo "local-cluster: all $COORDINATORS coordinator ports are taken (COORDINATORS=... at start)" >&2
  exit 1
}

status() {
  [ -f "$env_file" ] || { echo "no cluster"; return 0; }
  # shellcheck disable=SC1090
  source "$env_file"
  echo "cluster \`$CLUSTER\`, members $MEMBERS"
  local f
  for f in "$run"/agent-*.pid; do
    [ -f "$f" ] || continue
    local id; id=$(basename "$f" .pid)
    if kill -0 "$(cat "$f")" 2>/dev/null; then state=running; else state=stopped; fi
    echo "  $id (pid $(cat "$f")): $state, log $run/$id.log"
  done
}

stop() {
  local f pids=()
  for f in "$run"/agent-*.pid; do
    [ -f "$f" ] || continue
    local pid; pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" && pids+=("$pid"); fi
    rm -f "$f"
  done
  local deadline=$((SECONDS + 30)) pid
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done
  echo "local-cluster: stopped ${#pids[@]} agent(s)"
}

command=${1:-}; [ $# -gt 0 ] && shift
case "$command" in
  start) start "$@" ;;
  build) build "$@" ;;
  status) status ;;
  stop) stop ;;
  *) usage ;;
esac
