# Sourced by the benchmarks: builds the jar and lets the launcher write its class-data archive for
# a kind of build-all on a one-package workspace, so that neither cost falls inside a timed leg.
# The launcher keeps one archive per kind of launch and writes it in the first run of that kind (it
# is adopted, after a test map, by the launch after; see ops/bin/orchestrate): `build-all` for a
# local build, `build-all-cluster` for a coordinator's (--cluster). A benchmark's untimed warm-up
# would write it too, but then the first timed launch would pay for the adoption.
#   prime_orchestrate ORCHESTRATE_COMMAND PYTHON                  a local build-all
#   prime_orchestrate_cluster ORCHESTRATE_COMMAND PYTHON [PORT]   a coordinator's build-all
prime_orchestrate() {
  local orch=$1 py=$2 dir
  dir="$(mktemp -d /tmp/orchestrate-prime.XXXXXX)"
  $orch --version >/dev/null
  python3 "$(dirname "${BASH_SOURCE[0]}")/../../workspace-examples/bench/generate_workspace.py" 1 "$dir/ws" \
    --backend house >/dev/null
  $orch build-all "$dir/ws" --cache-dir "$dir/cache" --python "$py" --quiet >/dev/null 2>&1 \
    || echo "prime: the priming build-all failed; its class-data archive may be written in a timed run" >&2
  $orch --version >/dev/null   # adopts the archive the build-all run wrote
  rm -rf "$dir"
}

# A coordinator alone in a cluster of its own (a name of its own; its only member itself, on PORT,
# else a free loopback port below the ephemeral range) that builds the package itself
# (--local-jobs 1): it loads Hazelcast, the coordinator and the local executor. What only talking
# to agents loads is not in the archive, as before the kinds were split.
prime_orchestrate_cluster() {
  local orch=$1 py=$2 port=${3:-} dir
  dir="$(mktemp -d /tmp/orchestrate-prime.XXXXXX)"
  $orch --version >/dev/null
  [ -n "$port" ] || port=$(python3 -c '
import random, socket
while True:
    p = random.randrange(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()')
  python3 "$(dirname "${BASH_SOURCE[0]}")/../../workspace-examples/bench/generate_workspace.py" 1 "$dir/ws" \
    --backend house >/dev/null
  $orch build-all "$dir/ws" --cache-dir "$dir/cache" --python "$py" --quiet \
    --cluster "prime-$$-$RANDOM" --port "$port" --members "127.0.0.1:$port" --local-jobs 1 >/dev/null 2>&1 \
    || echo "prime: the priming coordinator failed; its class-data archive may be written in a timed run" >&2
  $orch --version >/dev/null   # adopts the archive the coordinator wrote
  rm -rf "$dir"
}
