#!/usr/bin/env bash
# Benchmark: the overhead of cluster mode on one machine.
#
#   ops/bench/cluster-overhead.sh [N] [ROUNDS] [SLOTS]    (defaults: 60 packages, 3 rounds, 2 slots per agent)
#
# On one machine the cores limit any gain, so this measures what the cluster costs: the same
# build-all of an N-package synthetic workspace (house backend, random build dependencies, so
# member wheels travel to agents), run locally with --jobs 2*SLOTS and over a coordinator and 2
# agents on loopback with SLOTS each (--local-jobs 0): the same total slots, the same interpreter,
# the same warm environment cache. Agents are started once, before the rounds (agents are
# long-lived); each round runs both builds with --force (all packages built). Prints the median
# wall time of each (process start to exit: the coordinator's JVM start and cluster join
# included; and the run's own wall time from the report), their ratio (goal: at most 1.15), each
# agent's utilisation from the report, and checks both builds made the same artifacts.
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

work="$(mktemp -d /tmp/orchestrate-cluster-bench.XXXXXX)"
agents=()
cleanup() {
  local pid
  for pid in "${agents[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${agents[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
ws="$work/ws"; cache="$work/cache"
python3 "$repo/workspace-examples/bench/generate_workspace.py" "$N" "$ws" --backend house --deps random >/dev/null
$ORCH --version >/dev/null   # builds the jar now, outside the timings

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
for i in 1 2; do
  port=$([ "$i" = 1 ] && echo "$P1" || echo "$P2")
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
build() {  # $1: label; the rest: options. Prints the wall time; the report goes to $work/$1.json
  local label=$1; shift
  local t0; t0=$(now)
  $ORCH build-all "$ws" --cache-dir "$cache" --python "$PY" --force --progress plain --color never \
    --report "$work/$label.json" "$@" >"$work/$label.log" 2>&1 \
    || { echo "bench: $label failed, see below" >&2; tail -30 "$work/$label.log" >&2; exit 1; }
  elapsed "$t0" "$(now)"
}
inner() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["wallTimeMillis"] / 1000)' "$1"; }
local_build() { build "$1" --jobs "$JOBS" --out "$work/out-local"; }
cluster_build() { build "$1" --cluster "$cluster" --port "$P0" --members "$members" --local-jobs 0 --out "$work/out-cluster"; }

# Warm-up: environments made, interpreter answers cached, for both.
local_build warm-local >/dev/null
cluster_build warm-cluster >/dev/null

locals=(); clusters=(); local_inner=(); cluster_inner=()
for i in $(seq 1 "$ROUNDS"); do
  locals+=("$(local_build "local-$i")"); local_inner+=("$(inner "$work/local-$i.json")")
  clusters+=("$(cluster_build "cluster-$i")"); cluster_inner+=("$(inner "$work/cluster-$i.json")")
done
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
echo "goal: cluster at most 1.15 x local"
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
