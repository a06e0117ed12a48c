# Sourced by the benchmarks: builds the jar and lets the launcher write its class-data archive for
# `build-all` (the first run of each subcommand records one as it exits) on a one-package
# workspace, so that neither cost falls inside a timed leg.
#   prime_orchestrate ORCHESTRATE_COMMAND PYTHON
prime_orchestrate() {
  local orch=$1 py=$2 dir
  dir="$(mktemp -d /tmp/orchestrate-prime.XXXXXX)"
  $orch --version >/dev/null
  python3 "$(dirname "${BASH_SOURCE[0]}")/../../workspace-examples/bench/generate_workspace.py" 1 "$dir/ws" \
    --backend house >/dev/null
  $orch build-all "$dir/ws" --cache-dir "$dir/cache" --python "$py" --quiet >/dev/null 2>&1 || true
  $orch --version >/dev/null   # adopts the archive the build-all run wrote
  rm -rf "$dir"
}
