#!/usr/bin/env bash
# Benchmark: incremental builds on a synthetic workspace (house backend, offline).
#
#   ops/bench/incremental.sh [N] [ROUNDS]        (defaults: 200 packages, 5 rounds of each no-op/edit)
#
# Prints, in one run on the same workspace and cache:
#   - the full build (cold cache) and a forced full build (environments cached: --force),
#   - the no-op build right after (JVM start included) and its share of the full build,
#   - the rebuild after editing one leaf package (and how many packages it built: must be 1),
#   - in `orchestrate watch`, the time from saving a file to the start of its rebuild.
# ORCHESTRATE=<command> runs another build of orchestrate (default: ops/bin/orchestrate).
set -euo pipefail
N=${1:-200}
ROUNDS=${2:-5}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ORCH=${ORCHESTRATE:-"$repo/ops/bin/orchestrate"}
PY=$(python3 -c 'import sys; print(sys.executable)')   # the real interpreter, not a pyenv shim

work="$(mktemp -d /tmp/orchestrate-incremental.XXXXXX)"
watch_pid=""
cleanup() {
  if [ -n "$watch_pid" ]; then kill -TERM "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
ws="$work/ws"; cache="$work/cache"
python3 "$repo/workspace-examples/bench/generate_workspace.py" "$N" "$ws" --backend house >/dev/null
. "$here/prime.sh"; prime_orchestrate "$ORCH" "$PY"   # jar and class-data archive, outside the timings

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
build() {  # $1: label; the rest: extra options. Prints the wall time; the report goes to $work/$1.json
  local label=$1; shift
  local t0; t0=$(now)
  $ORCH build-all "$ws" --cache-dir "$cache" --python "$PY" --jobs 2 --progress plain --color never \
    --report "$work/$label.json" "$@" >"$work/$label.log" 2>&1 || { echo "bench: $label failed, see below" >&2; tail -20 "$work/$label.log" >&2; exit 1; }
  elapsed "$t0" "$(now)"
}
count() {  # $1: report, $2: status
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for p in r["packages"] if p["status"]==sys.argv[2]))' "$1" "$2"
}
median() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m }'; }

members=$((N + 1))   # the packages and house-backend
echo "workspace: $N packages + house-backend (house backend, no build dependencies between packages); $($PY --version); $(nproc) cores"

full=$(build full)
[ "$(count "$work/full.json" built)" -eq "$members" ] || { echo "bench: the full build did not build $members packages" >&2; exit 1; }
forced=$(build forced --force)

noops=()
for i in $(seq 1 "$ROUNDS"); do
  noops+=("$(build noop)")
  [ "$(count "$work/noop.json" up-to-date)" -eq "$members" ] || { echo "bench: the no-op run built something" >&2; tail "$work/noop.log" >&2; exit 1; }
done
noop=$(printf '%s\n' "${noops[@]}" | median)

leafs=()
for i in $(seq 1 "$ROUNDS"); do
  leaf=$(printf 'pkg-%04d' $(( (i * 37) % N + 1 )))
  echo "# edit $i" >> "$ws/packages/$leaf/src/${leaf//-/_}/core.py"
  leafs+=("$(build leaf)")
  built=$(count "$work/leaf.json" built)
  [ "$built" -eq 1 ] || { echo "bench: editing $leaf rebuilt $built packages, not 1" >&2; exit 1; }
done
leaf_time=$(printf '%s\n' "${leafs[@]}" | median)

# Watch mode: the time from a file's save to the line announcing its package's rebuild (-v).
$ORCH watch "$ws" --cache-dir "$cache" --python "$PY" --jobs 2 --progress plain --color never -v \
  >"$work/watch.log" 2>&1 &
watch_pid=$!
latencies=$("$PY" - "$work/watch.log" "$ws" "$ROUNDS" "$N" <<'PYEOF'
import os, sys, time
log, ws, rounds, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def text():
    with open(log, encoding="utf-8", errors="replace") as f:
        return f.read()
def wait_for(predicate, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        if predicate(text()):
            return
        time.sleep(0.002)
    sys.exit("bench: watch did not get there; log:\n" + text()[-3000:])
wait_for(lambda t: "waiting for changes" in t)
for i in range(1, rounds + 1):
    leaf = "pkg-%04d" % ((i * 53) % n + 1)
    marker = "building " + leaf
    before = text().count(marker)
    waiting = text().count("waiting for changes")
    path = os.path.join(ws, "packages", leaf, "src", leaf.replace("-", "_"), "core.py")
    t0 = time.time()
    with open(path, "a") as f:
        f.write("# watch edit %d\n" % i)
    wait_for(lambda t: t.count(marker) > before, 60)
    print("%.3f" % (time.time() - t0))
    wait_for(lambda t: t.count("waiting for changes") > waiting, 120)
PYEOF
)
kill -TERM "$watch_pid"; wait "$watch_pid" 2>/dev/null || true; watch_pid=""
watch_latency=$(printf '%s\n' $latencies | median)

awk -v n="$N" -v full="$full" -v forced="$forced" -v noop="$noop" -v leaf="$leaf_time" \
    -v wl="$watch_latency" -v rounds="$ROUNDS" -v noops="${noops[*]}" -v lat="$(echo $latencies)" 'BEGIN {
  printf "full build (cold cache)        %7.2fs\n", full
  printf "full build (--force, warm)     %7.2fs\n", forced
  printf "no-op build, median of %d       %7.3fs  = %.2f%% of the cold full build, %.2f%% of the warm one  (runs: %s)\n", rounds, noop, 100 * noop / full, 100 * noop / forced, noops
  printf "one leaf edited, median of %d   %7.3fs  (1 package built each time)\n", rounds, leaf
  printf "watch: save -> rebuild start   %7.3fs  median of %d  (each: %s)\n", wl, rounds, lat
}'
