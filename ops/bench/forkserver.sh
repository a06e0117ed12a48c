#!/usr/bin/env bash
# Benchmark: hooks in fresh processes against hooks forked from a warm fork server, and both
# against `python -m build`, on one synthetic setuptools workspace, in one run:
#
#   ops/bench/forkserver.sh [N] [ROUNDS]     (default: 40 packages, 3 rounds)
#
#   1. `python -m build` on each package, 2 at a time (sdist, then the wheel from it), once;
#   2. ROUNDS rounds of three legs, interleaved (the order rotates from round to round, so that a
#      slow spell of the shared machine does not land on one leg only):
#        `orchestrate build-all --hook-runner fresh`,
#        `orchestrate build-all --hook-runner forkserver` (library modules warmed in the server),
#        `orchestrate build-all --hook-runner forkserver-cold` (servers import the backend only);
#      all with the environment cache already warm (an untimed run fills it first) and --force, so
#      that they differ only in how hooks run.
# Reported: the median wall and CPU (user + sys of orchestrate and everything it started) of each
# leg over the rounds, with min-max; ratios of the medians, and the median of the ratios taken
# within each round (robust to drift: both legs of a ratio ran minutes apart at most).
# All on /usr/bin/python3 (Debian's python3-build runs there) with the same offline wheels:
# setuptools from a CPython ensurepip bundle, wheel from Debian.
# Then the per-hook overhead of the fork server: fork to result, minus the hook's own time, with
# hooks that do nothing (ops/bench/forkserver_overhead.py), and as orchestrate sees it end to end
# (no-op get_requires_* hooks of house-backend in an N-package workspace).
#
# ORCHESTRATE_JAR=path/to/orchestrate.jar runs that jar instead of ops/bin/orchestrate.
# Needs Debian's python3-build, python3-venv and python3-wheel-whl (apt-get installs them if missing).
# Run it under the shared lock: flock /tmp/bench.lock ops/bench/forkserver.sh 40 3
set -euo pipefail
N=${1:-40}
ROUNDS=${2:-3}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
PY=/usr/bin/python3

need=()
$PY -c "import build" 2>/dev/null || need+=(python3-build)
$PY -c "import ensurepip, venv" 2>/dev/null || need+=(python3-venv)
ls /usr/share/python-wheels/wheel-*.whl >/dev/null 2>&1 || need+=(python3-wheel-whl)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

orchestrate() {
  if [ -n "${ORCHESTRATE_JAR:-}" ]; then
    java --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
      --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
      --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED \
      --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED -jar "$ORCHESTRATE_JAR" "$@"
  else
    "$repo/ops/bin/orchestrate" "$@"
  fi
}

work="$(mktemp -d /tmp/orchestrate-forkserver-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
wheels="$work/wheels"; mkdir -p "$wheels"
bundled=$(python3 -c 'import ensurepip,os;print(os.path.join(os.path.dirname(ensurepip.__file__),"_bundled"))')
cp "$bundled"/setuptools-*.whl "$wheels"/
cp /usr/share/python-wheels/wheel-*.whl "$wheels"/

python3 "$repo/workspace-examples/bench/generate_workspace.py" "$N" "$work/ws" --backend setuptools --deps none >/dev/null
python3 "$repo/workspace-examples/bench/generate_workspace.py" "$N" "$work/house" --backend house --deps none >/dev/null
if [ -n "${ORCHESTRATE_JAR:-}" ]; then
  orchestrate --version >/dev/null
else
  . "$here/prime.sh"; prime_orchestrate "$repo/ops/bin/orchestrate" "$PY"   # jar and class-data archive, outside the timings
fi
# Incremental builds would skip unchanged packages on the second run: force real builds.
force=()
if orchestrate build-all --help 2>&1 | grep -q -- '--force'; then force=(--force); fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# CPU seconds (user + system) of every finished child of this shell so far: on a busy shared
# machine wall time is mostly waiting for a core, CPU time is what each contender costs.
# `times` must run in the shell that waited for the children (not in a $(...) subshell).
cpu_now() {
  times >"$work/.times"
  CPU=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, "m"); s += t[1] * 60 + t[2] } } END { printf "%.2f", s }' "$work/.times")
}

build_all() {  # $1: workspace, $2: runner, $3: report; prints the wall time, writes $3.cpu
  rm -rf "$1/dist"
  cpu_now; local c0=$CPU
  local t0; t0=$(now)
  if ! orchestrate build-all "$1" --python $PY --find-links "$wheels" --cache-dir "$work/cache" \
      --jobs 2 --hook-runner "$2" --report "$3" "${force[@]}" >"$3.log" 2>&1; then
    echo "bench: orchestrate build-all --hook-runner $2 failed; see $3.log (kept: $work)" >&2
    trap - EXIT; exit 1
  fi
  elapsed "$t0" "$(now)"
  cpu_now; elapsed "$c0" "$CPU" >"$3.cpu"
}

check() {  # $1: report, $2: runner: everything built, by that runner, in warm environments
  $PY - "$1" "$2" "$N" <<'EOF'
import json, sys
report, runner, n = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
s = report["summary"]
problems = []
if s["built"] != n: problems.append("%d of %d built" % (s["built"], n))
if s["environmentsCreated"]: problems.append("%d environments created (cache not warm)" % s["environmentsCreated"])
runners = {h.get("runner") for p in report["packages"] for h in p["hooks"]}
if runners != {runner}: problems.append("hooks ran with %s" % sorted(map(str, runners)))
if problems: sys.exit("bench: %s: %s" % (sys.argv[1], "; ".join(problems)))
EOF
}

echo "workspace: $N setuptools packages (sdist + wheel each); $PY ($($PY --version 2>&1)); $(nproc) cores; $ROUNDS rounds"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
build_all "$work/ws" fresh "$work/warmup.json" >/dev/null   # fills the environment cache

legs=(fresh forkserver forkserver-cold)
: >"$work/rounds.tsv"
for ((r = 0; r < ROUNDS; r++)); do
  line="round $((r + 1)):"
  for ((i = 0; i < 3; i++)); do
    leg=${legs[$(((i + r) % 3))]}
    report="$work/$leg-$r.json"
    wall=$(build_all "$work/ws" "$leg" "$report")
    # forkserver-cold reports its hooks as forkserver ones: same runner, colder servers.
    check "$report" "${leg%-cold}"
    [ "$(ls "$work/ws/dist" | wc -l)" -eq $((2 * N)) ] || { echo "bench: $leg run incomplete" >&2; exit 1; }
    printf '%s\t%s\t%s\t%s\n' "$r" "$leg" "$wall" "$(cat "$report.cpu")" >>"$work/rounds.tsv"
    line="$line  $leg ${wall}s (cpu $(cat "$report.cpu")s)"
  done
  echo "$line"
done

mkdir -p "$work/pypa-dist"
cpu_now; c0=$CPU
t0=$(now)
find "$work/ws/packages" -mindepth 1 -maxdepth 1 -type d | sort |
  PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels" PIP_DISABLE_PIP_VERSION_CHECK=1 \
  xargs -P 2 -I{} $PY -m build --outdir "$work/pypa-dist" {} >"$work/pypa.log" 2>&1
pypa=$(elapsed "$t0" "$(now)")
cpu_now; pypa_cpu=$(elapsed "$c0" "$CPU")
[ "$(ls "$work/pypa-dist" | wc -l)" -eq $((2 * N)) ] || { echo "bench: python -m build incomplete; see $work/pypa.log" >&2; trap - EXIT; exit 1; }
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

$PY - "$work/rounds.tsv" "$N" "$pypa" "$pypa_cpu" <<'EOF'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
n, pypa, pypa_cpu = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
legs = ["fresh", "forkserver", "forkserver-cold"]
wall = {leg: {int(r): float(w) for r, l, w, c in rows if l == leg} for leg in legs}
cpu = {leg: {int(r): float(c) for r, l, w, c in rows if l == leg} for leg in legs}
med = lambda d: statistics.median(d.values())
def span(d):
    return "%.2f-%.2f" % (min(d.values()), max(d.values()))
print("%-52s %8s %13s %8s %13s" % ("median of %d rounds" % len(wall["fresh"]), "wall", "(min-max)", "CPU", "(min-max)"))
print("%-52s %7.2fs %13s %7.2fs %13s" % ("python -m build x%d (2 at a time, once)" % n, pypa, "", pypa_cpu, ""))
for leg in legs:
    print("%-52s %7.2fs %13s %7.2fs %13s" % ("orchestrate build-all --hook-runner " + leg, med(wall[leg]), span(wall[leg]),
                                          med(cpu[leg]), span(cpu[leg])))
print()
goals = {}
for leg in legs[1:]:
    within = statistics.median(wall["fresh"][r] / wall[leg][r] for r in wall[leg])
    within_cpu = statistics.median(cpu["fresh"][r] / cpu[leg][r] for r in cpu[leg])
    vs_fresh, vs_pypa = med(wall["fresh"]) / med(wall[leg]), pypa / med(wall[leg])
    goals[leg] = (vs_fresh, within, vs_pypa)
    print("%-16s wall: %4.1fx faster than fresh (median of per-round ratios %4.1fx), %5.1fx faster than python -m build;"
          " CPU: %4.1fx less than fresh (per-round %4.1fx), %5.1fx less than python -m build"
          % (leg, vs_fresh, within, vs_pypa, med(cpu["fresh"]) / med(cpu[leg]), within_cpu, pypa_cpu / med(cpu[leg])))
print("%-16s wall: %5.1fx faster than python -m build; CPU %5.1fx less" % ("fresh", pypa / med(wall["fresh"]), pypa_cpu / med(cpu["fresh"])))
verdict = lambda ok: "met" if ok else "NOT MET"
for leg, (vs_fresh, within, vs_pypa) in goals.items():
    print("goals (%s): >= 3x fresh: %.1fx (per-round %.1fx) %s; >= 15x python -m build: %.1fx %s"
          % (leg, vs_fresh, within, verdict(vs_fresh >= 3 and within >= 3), vs_pypa, verdict(vs_pypa >= 15)))
EOF

$PY "$here/forkserver_overhead.py" --python $PY
# End to end, through orchestrate: house-backend's get_requires_* hooks do nothing.
build_all "$work/house" forkserver "$work/house-warmup.json" >/dev/null
build_all "$work/house" forkserver "$work/house.json" >/dev/null
$PY - "$work/house.json" <<'EOF'
import json, statistics, sys
report = json.load(open(sys.argv[1]))
times = [h["durationMillis"] for p in report["packages"] for h in p["hooks"]
         if h["hook"].startswith("get_requires") and h["runner"] == "forkserver"]
times.sort()
print("per-hook time as orchestrate sees it, no-op hooks (house-backend get_requires_*, forkserver): "
      "median %.0f ms (p90 %.0f ms, n=%d)" % (statistics.median(times), times[int(len(times) * 0.9)], len(times)))
EOF
