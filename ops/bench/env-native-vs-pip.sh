#!/usr/bin/env bash
# Benchmark: making one build environment (setuptools + wheel from a find-links directory) with
# pip and with orchestrate's native installer, side by side in one run:
#
#   ops/bench/env-native-vs-pip.sh [ROUNDS]        (default: 5 rounds, medians printed)
#
#   python -m venv --without-pip                  the floor: an empty virtual environment
#   python -m venv + pip install                  what pypa/build does for every build
#   venv --without-pip + pip from its own wheel   orchestrate's previous installer
#   native, cold                                  empty store: resolve, unpack, byte-compile, link
#   native, warm                                  wheels already unpacked and compiled
#   existing environment found by key             inside the running process
#
# All on the real interpreter behind `python3` (pyenv shims resolved), offline: setuptools from
# its ensurepip bundle, wheel from Debian's python3-wheel-whl. The Java side is
# ops/bench/EnvBench.java, run against the orchestrate jar (built first, outside the timings).
set -euo pipefail
ROUNDS=${1:-5}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
PY=$(python3 -c 'import sys; print(sys.executable)')

ls /usr/share/python-wheels/wheel-*.whl >/dev/null 2>&1 || {
  echo "bench: installing python3-wheel-whl" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-wheel-whl >/dev/null
}

work="$(mktemp -d /tmp/orchestrate-env-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
wheels="$work/wheels"; mkdir -p "$wheels"
bundled=$($PY -c 'import ensurepip,os;print(os.path.join(os.path.dirname(ensurepip.__file__),"_bundled"))')
cp "$bundled"/setuptools-*.whl "$wheels"/
cp /usr/share/python-wheels/wheel-*.whl "$wheels"/

"$repo/ops/bin/orchestrate" --version >/dev/null   # builds the jar now, outside the timings
jar="$repo/orchestrator/target/orchestrate.jar"
java -cp "$jar" "$here/EnvBench.java" "$PY" "$wheels" "$work/run" "$ROUNDS"
