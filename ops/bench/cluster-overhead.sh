#!/usr/bin/env bash
# Benchmark: the overhead of cluster mode on one machine.
#
#   ops/bench/cluster-overhead.sh [N] [ROUNDS] [SLOTS]    (defaults: 60 packages, 3 rounds, 2 slots per agent)
#
# On one machine the cores limit any gain, so this measures what the cluster costs: the same
# build-all of an N-package synthetic workspace (house backend, random build dependencies, so
# member wheels travel to agents), run locally with --jobs 2*SLOTS and over a coordinator and 2
# agents on loopback with SLOTS each (--local-jobs 0).
#
# Fairness: the same total slots, the same interpreter, the same environment cache, made warm by
# one untimed build of each leg first (the agents' JVMs are warmed by it as well). Agents are
# started once, before the timed region: they are long-lived services, started before a build as
# a CI fleet's agents are, and their start is not part of any one build. What each build starts
# counts on both legs alike: the timed region is process start to exit of `build-all`, so the
# local leg's JVM start counts, and so do the coordinator's JVM start and its cluster join. The
# rounds are interleaved, alternating which leg goes first; every build runs with --force (all
# packages built). Prints the median of each leg (and each round's pair), the run's own wall
# time from the report, the CPU time of each leg (the build-all process tree, plus what the
# agents' JVMs and their hooks used meanwhile: idle agents during a local build count too), the
# ratio (goal: at most 1.15), each agent's utilisation from the report, and checks both legs made
# the same artifacts. KEEP=1 keeps the work dir (logs, reports) for a look afterwards.
# ORCHESTRATE=<command> runs another build of orchestrate (default: ops/bin/orchestrate).
set -euo pipefail
N=${1:-60}
ROUNDS=${2:-3}
SLOTS=${3:-2}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ORCH=${ORCHESTRATE:-"$repo/ops/bin/orchestrate"}
PY=$(python3 -c 'import sys; print(sys.executable)')   # the real interpreter, not a pyenv shim
JOBS=$((2 * SLOTS))
# The agents' JVM flags, as ops/cluster/local-cluster.sh starts them (see there).
AGENT_JAVA_OPTS=${ORCHESTRATE_AGENT_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}

work="$(mktemp -d /tmp/orchestrate-cluster-bench.XXXXXX)"
agents=()
cleanup() {
  local pid
  for pid in "${agents[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${agents[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${KEEP:-}" ]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
ws="$work/ws"; cache="$work/cache"
python3 "$repo/workspace-examples/bench/generate_workspace.py" "$N" "$ws" --backend house --deps random >/dev/null

# Ports below the ephemeral range: a port from bind(0) may meanwhile go to an outgoing connection.
read -r P0 P1 P2 < <(python3 -c '
import random, socket
ports = []
while len(ports) < 3:
    p = random.randrange(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); ports.append(p)
    except OSError:
        pass
    finally:
        s.close()
print(*ports)')
cluster="bench-$$"
members="127.0.0.1:$P0,127.0.0.1:$P1,127.0.0.1:$P2"

# The jar, and the launcher's class-data archives, made outside the timings. The launcher keeps
# one per kind of launch: the local leg maps `build-all`'s (written by a local run), the
# coordinator `build-all-cluster`'s (written by a coordinator: Hazelcast and all), so neither leg
# depends on which kind of build-all ran first on this checkout. Primed as every benchmark primes
# (prime.sh), on the coordinator's port before it is taken.
. "$here/prime.sh"
prime_orchestrate "$ORCH" "$PY"
prime_orchestrate_cluster "$ORCH" "$PY" "$P0"
for i in 1 2; do
  port=$([ "$i" = 1 ] && echo "$P1" || echo "$P2")
  ORCHESTRATE_JAVA_OPTS="$AGENT_JAVA_OPTS ${ORCHESTRATE_JAVA_OPTS:-}" \
  $ORCH agent --cluster "$cluster" --port "$port" --members "$members" --name "bench-$i" \
    --workspace "$work" --cache-dir "$cache" --slots "$SLOTS" --python "$PY" >"$work/agent-$i.log" 2>&1 &
  agents+=("$!")
done
for i in 1 2; do
  deadline=$((SECONDS + 180))
  until grep -q "ready" "$work/agent-$i.log" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "bench: agent $i did not start" >&2; cat "$work/agent-$i.log" >&2; exit 1; }
    sleep 0.2
  done
done

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m }'; }
# CPU seconds (user + system, with reaped children: the hooks' Python processes) of the agents.
agents_cpu() {
  local pid total=0
  for pid in "${agents[@]}"; do
    total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print t + ($12 + $13 + $14 + $15) / hz }' "/proc/$pid/stat")
  done
  echo "$total"
}
build() {  # $1: label; the rest: options. Prints the wall time; the report goes to $work/$1.json,
  # the CPU seconds of the build-all process tree and of the agents to $work/$1.cpu
  local label=$1; shift
  local t0 a0 a1 t1; t0=$(now); a0=$(agents_cpu)
  /usr/bin/time -f "%U %S" -o "$work/$label.time" \
    $ORCH build-all "$ws" --cache-dir "$cache" --python "$PY" --force --progress plain --color never \
    --report "$work/$label.json" "$@" >"$work/$label.log" 2>&1 \
    || { echo "bench: $label failed, see below" >&2; tail -30 "$work/$label.log" >&2; exit 1; }
  t1=$(now); a1=$(agents_cpu)
  awk -v a0="$a0" -v a1="$a1" '{ printf "%.2f %.2f\n", $1 + $2, a1 - a0 }' "$work/$label.time" >"$work/$label.cpu"
  elapsed "$t0" "$t1"
}
inner() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["wallTimeMillis"] / 1000)' "$1"; }
local_build() { build "$1" --jobs "$JOBS" --out "$work/out-local"; }
cluster_build() { build "$1" --cluster "$cluster" --port "$P0" --members "$members" --local-jobs 0 --out "$work/out-cluster"; }

# Warm-up: environments made, interpreter answers cached, for both.
local_build warm-local >/dev/null
cluster_build warm-cluster >/dev/null

locals=(); clusters=(); local_inner=(); cluster_inner=()
load0=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq 1 "$ROUNDS"); do
  # Interleaved, and alternating which leg goes first, so that drift in the machine's load
  # (other users, page cache, thermal) falls on both legs alike.
  if [ $((i % 2)) = 1 ]; then
    locals+=("$(local_build "local-$i")"); clusters+=("$(cluster_build "cluster-$i")")
  else
    clusters+=("$(cluster_build "cluster-$i")"); locals+=("$(local_build "local-$i")")
  fi
  local_inner+=("$(inner "$work/local-$i.json")"); cluster_inner+=("$(inner "$work/cluster-$i.json")")
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
l=$(printf '%s\n' "${locals[@]}" | median)
c=$(printf '%s\n' "${clusters[@]}" | median)
li=$(printf '%s\n' "${local_inner[@]}" | median)
ci=$(printf '%s\n' "${cluster_inner[@]}" | median)

same=$(cd "$work" && python3 - <<'PYEOF'
import hashlib, os
def shas(d):
    return {f: hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest() for f in os.listdir(d) if not f.startswith(".")}
a, b = shas("out-local"), shas("out-cluster")
print("identical (%d files)" % len(a) if a == b else "DIFFERENT: %d local, %d cluster, %d differ" % (len(a), len(b), sum(1 for f in a if b.get(f) != a[f])))
PYEOF
)

echo "workspace: $N packages + house-backend (house backend, random build dependencies); $($PY --version); $(nproc) cores"
echo "local:   build-all --jobs $JOBS"
echo "cluster: coordinator (--local-jobs 0) + 2 agents x $SLOTS slots on loopback"
printf '%-38s %10s %10s %8s\n' "median of $ROUNDS rounds (--force)" "local" "cluster" "ratio"
printf '%-38s %9.2fs %9.2fs %8.3f\n' "wall time, process start to exit" "$l" "$c" "$(awk -v a="$l" -v b="$c" 'BEGIN { print b / a }')"
printf '%-38s %9.2fs %9.2fs %8.3f\n' "wall time of the run (report)" "$li" "$ci" "$(awk -v a="$li" -v b="$ci" 'BEGIN { print b / a }')"
cpu_median() {  # $1: local or cluster; $2: field (1: build-all process tree, 2: agents)
  for i in $(seq 1 "$ROUNDS"); do cut -d' ' -f"$2" "$work/$1-$i.cpu"; done | median
}
lc=$(cpu_median local 1); la=$(cpu_median local 2); cc=$(cpu_median cluster 1); ca=$(cpu_median cluster 2)
printf '%-38s %9.2fs %9.2fs %8.3f\n' "CPU time, build-all + agents" "$(awk -v a="$lc" -v b="$la" 'BEGIN { print a + b }')" \
  "$(awk -v a="$cc" -v b="$ca" 'BEGIN { print a + b }')" "$(awk -v a="$lc" -v b="$la" -v c="$cc" -v d="$ca" 'BEGIN { print (c + d) / (a + b) }')"
printf '%-38s %9.2fs %9.2fs\n' "  of which the agents (and their hooks)" "$la" "$ca"
echo "goal: cluster at most 1.15 x local"
echo "each round (wall, process start to exit; the leg run first is marked *):"
for i in $(seq 1 "$ROUNDS"); do
  a=${locals[$((i - 1))]}; b=${clusters[$((i - 1))]}
  printf '  round %-3s local %7.2fs%s cluster %7.2fs%s ratio %.3f\n' "$i" "$a" "$([ $((i % 2)) = 1 ] && echo '*' || echo ' ')" \
    "$b" "$([ $((i % 2)) = 0 ] && echo '*' || echo ' ')" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
done
echo "load average before / after the rounds: $load0 / $load1 (the machine is shared: compare legs within a run)"
echo "artifacts: $same"
echo "per-agent utilisation (from the report of each cluster round: busy slot time / (slots x run wall time)):"
for i in $(seq 1 "$ROUNDS"); do
  python3 - "$work/cluster-$i.json" "$i" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
parts = ["%s %d pkgs %.0f%%" % (e["id"], e["packages"], 100 * e["utilisation"]) for e in r["executors"]]
print("  round %s: %s" % (sys.argv[2], ", ".join(parts)))
PYEOF
done
