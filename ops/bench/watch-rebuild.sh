#!/usr/bin/env bash
# Benchmark: how long `orchestrate watch` takes to rebuild one edited setuptools package, from the
# save to the end of its cycle, with each hook runner, side by side in one run:
#
#   ops/bench/watch-rebuild.sh [N] [EDITS]       (defaults: 10 packages, 7 edits per leg)
#
# Legs: `--hook-runner fresh` (a fresh interpreter per hook) and `--hook-runner forkserver` (whose
# servers outlive a cycle in watch mode: a rebuild forks from a server that imported setuptools
# already). With ORCHESTRATE_BEFORE=<command> (another build of orchestrate, e.g. `java -jar
# old.jar`) a third leg runs forkserver with it, to compare with a build that started its servers
# anew every cycle. Each leg starts watch, waits for the initial build, then edits one package
# EDITS times (a different one each time) and waits for each cycle's end; medians are printed.
# Offline: setuptools from the interpreter's ensurepip bundle, wheel from Debian's python3-wheel-whl.
# Run it under the shared lock: flock /tmp/bench.lock ops/bench/watch-rebuild.sh
set -euo pipefail
N=${1:-10}
EDITS=${2:-7}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ORCH="$repo/ops/bin/orchestrate"
PY=/usr/bin/python3

ls /usr/share/python-wheels/wheel-*.whl >/dev/null 2>&1 || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-wheel-whl >/dev/null; }

work="$(mktemp -d /tmp/orchestrate-watch-bench.XXXXXX)"
watch_pid=""
cleanup() {
  if [ -n "$watch_pid" ]; then kill -TERM "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
wheels="$work/wheels"; mkdir -p "$wheels"
bundled=$(python3 -c 'import ensurepip,os;print(os.path.join(os.path.dirname(ensurepip.__file__),"_bundled"))')
cp "$bundled"/setuptools-*.whl /usr/share/python-wheels/wheel-*.whl "$wheels"/
python3 "$repo/workspace-examples/bench/generate_workspace.py" "$N" "$work/ws" --backend setuptools --deps none >/dev/null
. "$here/prime.sh"; prime_orchestrate "$ORCH" "$PY"   # jar and class-data archives, outside the timings
$ORCH build-all "$work/ws" --cache-dir "$work/cache" --python "$PY" --find-links "$wheels" --quiet \
  || { echo "bench: the first build failed" >&2; exit 1; }   # environments made, outside the timings

leg() {  # $1: label, $2: runner, the rest: the orchestrate command. Prints the cycle times.
  local label=$1 runner=$2; shift 2
  "$@" watch "$work/ws" --cache-dir "$work/cache" --python "$PY" --find-links "$wheels" --jobs 2 \
    --hook-runner "$runner" --progress plain --color never -v >"$work/$label.log" 2>&1 &
  watch_pid=$!
  "$PY" - "$work/$label.log" "$work/ws" "$EDITS" "$N" "$label" <<'PYEOF'
import os, re, sys, time
log, ws, edits, n, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
def text():
    with open(log, encoding="utf-8", errors="replace") as f:
        return f.read()
def wait_for(predicate, timeout=300):
    end = time.time() + timeout
    while time.time() < end:
        if predicate(text()):
            return
        time.sleep(0.002)
    sys.exit("bench: %s: watch did not get there; log:\n%s" % (label, text()[-3000:]))
wait_for(lambda t: "waiting for changes" in t)
for i in range(1, edits + 1):
    leaf = "pkg-%04d" % ((i * 7 + {"fresh": 0, "forkserver": 1}.get(label, 2)) % n + 1)
    done = len(re.findall(r"cycle \d+ (ok|FAILED):", text()))
    path = os.path.join(ws, "packages", leaf, "src", leaf.replace("-", "_"), "core.py")
    t0 = time.time()
    with open(path, "a") as f:
        f.write("# %s edit %d\n" % (label, i))
    wait_for(lambda t: len(re.findall(r"cycle \d+ (ok|FAILED):", t)) > done)
    line = re.findall(r"cycle \d+ (?:ok|FAILED):.*", text())[-1]
    if "FAILED" in line or " 1 built" not in line:
        sys.exit("bench: %s: the cycle did not rebuild exactly one package: %s" % (label, line))
    print("%.3f" % (time.time() - t0))
    wait_for(lambda t: t.count("waiting for changes") > i)
PYEOF
  kill -TERM "$watch_pid"; wait "$watch_pid" 2>/dev/null || true; watch_pid=""
}

median() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m }'; }
echo "workspace: $N setuptools packages; $($PY --version); $(nproc) cores; $EDITS edits per leg"
fresh=$(leg fresh fresh $ORCH)
kept=$(leg forkserver forkserver $ORCH)
echo "fresh:       save -> cycle end, median $(echo "$fresh" | median)s  (each: $(echo $fresh))"
echo "forkserver:  save -> cycle end, median $(echo "$kept" | median)s  (each: $(echo $kept))"
if [ -n "${ORCHESTRATE_BEFORE:-}" ]; then
  before=$(leg before forkserver $ORCHESTRATE_BEFORE)
  echo "forkserver (ORCHESTRATE_BEFORE): median $(echo "$before" | median)s  (each: $(echo $before))"
fi
