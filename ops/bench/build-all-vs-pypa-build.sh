#!/usr/bin/env bash
# Benchmark: `orchestrate build-all` against `python -m build` run on each package (2 at a time),
# on the same synthetic setuptools workspace, the same interpreter and the same offline wheels.
#
#   ops/bench/build-all-vs-pypa-build.sh [N] [ROUNDS]     (defaults: 20 packages, 1 round)
#
# Prints the wall time of each contender and the ratio. Both build sdist + wheel (the wheel from
# the sdist), both in isolated environments. orchestrate is measured cold (empty cache: it creates
# its environments) and warm (environments cached, as on a developer's machine or a CI cache);
# both with --force, so that every package is really built (never restored from the state store).
# Needs Debian's python3-build and python3-wheel-whl (installed with apt-get when missing).
set -euo pipefail
N=${1:-20}
ROUNDS=${2:-1}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
PY=/usr/bin/python3   # the interpreter Debian's python3-build runs under; orchestrate uses it too

need=()
$PY -c "import build" 2>/dev/null || need+=(python3-build)
$PY -c "import ensurepip, venv" 2>/dev/null || need+=(python3-venv)
ls /usr/share/python-wheels/wheel-*.whl >/dev/null 2>&1 || need+=(python3-wheel-whl)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

work="$(mktemp -d /tmp/orchestrate-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
wheels="$work/wheels"; mkdir -p "$wheels"
# setuptools from a CPython ensurepip bundle (Debian's own setuptools wheel is patched for Debian
# only), wheel from Debian.
bundled=$(python3 -c 'import ensurepip,os;print(os.path.join(os.path.dirname(ensurepip.__file__),"_bundled"))')
cp "$bundled"/setuptools-*.whl "$wheels"/ 2>/dev/null || cp /usr/share/python-wheels/setuptools-*.whl "$wheels"/
cp /usr/share/python-wheels/wheel-*.whl "$wheels"/

python3 "$repo/workspace-examples/bench/generate_workspace.py" "$N" "$work/ws" --backend setuptools --deps none >/dev/null
. "$here/prime.sh"; prime_orchestrate "$repo/ops/bin/orchestrate" "$PY"   # jar and class-data archive, outside the timings

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

pypa_build() {
  rm -rf "$work/pypa-dist"; mkdir -p "$work/pypa-dist"
  local t0; t0=$(now)
  # pip inside `build`'s isolated environments: offline, from the same wheels.
  find "$work/ws/packages" -mindepth 1 -maxdepth 1 -type d | sort |
    PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels" PIP_DISABLE_PIP_VERSION_CHECK=1 \
    xargs -P 2 -I{} $PY -m build --outdir "$work/pypa-dist" {} >"$work/pypa.log" 2>&1
  elapsed "$t0" "$(now)"
}

orchestrate() {  # $1: cache dir; --force: the warm run must build, not restore from the state store
  rm -rf "$work/ws/dist"
  local t0; t0=$(now)
  "$repo/ops/bin/orchestrate" build-all "$work/ws" --python $PY --find-links "$wheels" \
    --cache-dir "$1" --jobs 2 --force >"$work/orchestrate.log" 2>&1
  elapsed "$t0" "$(now)"
}

echo "workspace: $N setuptools packages (sdist + wheel each); interpreter $($PY --version); $(nproc) cores"
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$work/cache"
  cold=$(orchestrate "$work/cache")
  warm=$(orchestrate "$work/cache")
  pypa=$(pypa_build)
  built=$(ls "$work/ws/dist" | wc -l); pbuilt=$(ls "$work/pypa-dist" | wc -l)
  if [ "$built" -ne $((2 * N)) ] || [ "$pbuilt" -ne $((2 * N)) ]; then
    echo "round $round: incomplete build (orchestrate $built files, build $pbuilt files; logs in $work)" >&2
    trap - EXIT; exit 1
  fi
  awk -v n="$N" -v r="$round" -v p="$pypa" -v c="$cold" -v w="$warm" 'BEGIN {
    printf "round %d: python -m build x%s (2 parallel) %6.2fs | orchestrate cold %6.2fs (%.1fx faster) | warm %6.2fs (%.1fx faster)\n",
      r, n, p, c, p / c, w, p / w }'
done
