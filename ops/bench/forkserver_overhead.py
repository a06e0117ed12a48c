#!/usr/bin/env python3
"""Per-hook overhead of the fork server, against a fresh process per hook.

    forkserver_overhead.py [--python PY] [--calls N] [--fresh-calls M]

Talks to orchestrate's own scripts (shims/src/main/resources/dev/orchestrate/shim/) the way the Java
side does: input.json in a control directory, one line-JSON request per call, output.json read back.
The backends' hooks do no work; each returns the monotonic clock at its start and its end, so
that "overhead" is the time from sending the request (or spawning the process) to having the
result in hand, minus the hook's own time. Run twice: with a backend that imports nothing, and
with one that imports setuptools.build_meta first (what the fork server saves). Prints medians of
wall time and, since wall time on a busy machine is mostly waiting for a core, the CPU time per
call (server and children for the fork server, the processes for fresh; Linux /proc, a mean).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, os.pardir, os.pardir, "shims", "src", "main", "resources", "dev",
                       "orchestrate", "shim")
SHIM = os.path.abspath(os.path.join(SCRIPTS, "orchestrate_shim.py"))
SERVER = os.path.abspath(os.path.join(SCRIPTS, "orchestrate_forkserver.py"))

HOOK = """
import time

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    start = time.monotonic_ns()
    return [start, time.monotonic_ns()]
"""


def write_input(control, backend, tree):
    os.makedirs(control, exist_ok=True)
    with open(os.path.join(control, "input.json"), "w") as f:
        json.dump({"backend": backend, "backend_path": [tree],
                   "kwargs": {"wheel_directory": tree, "config_settings": {}}}, f)


def hook_time(control):
    with open(os.path.join(control, "output.json")) as f:
        out = json.load(f)
    if out.get("outcome") != "success":
        raise SystemExit("the hook failed: %s" % out)
    start, end = out["return_val"]
    return end - start


def env_for(tree):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONNOUSERSITE"] = "1"
    return env


def process_cpu(pid):
    """CPU seconds of a process and its reaped children (Linux), or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def children_cpu():
    t = os.times()
    return t.children_user + t.children_system


def forkserver(python, work, backend, tree, calls):
    env = env_for(tree)
    cwd = os.path.join(work, "server-" + backend)
    os.makedirs(cwd)
    config = json.dumps({"backend": backend, "backend_path": [tree]})
    with open(os.path.join(work, "server-%s.log" % backend), "ab") as log:
        server = subprocess.Popen([python, SERVER, config], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=log, cwd=cwd, env=env)
    ready = json.loads(server.stdout.readline())
    if not ready.get("ready"):
        raise SystemExit("the fork server is not ready: %s" % ready)
    overheads = []
    cpu_before = process_cpu(server.pid)
    for n in range(calls):
        control = os.path.join(work, "fs-%s-%d" % (backend, n))
        write_input(control, backend, tree)
        request = {"op": "run", "id": n, "hook": "build_wheel", "control_dir": control, "cwd": tree,
                   "env": env, "log": control + ".log"}
        t0 = time.monotonic_ns()
        server.stdin.write((json.dumps(request) + "\n").encode())
        server.stdin.flush()
        while True:
            reply = json.loads(server.stdout.readline())
            if "code" in reply or "signal" in reply or "error" in reply:
                break
        if reply.get("code") != 0:
            raise SystemExit("the child ended with %s" % reply)
        own = hook_time(control)
        overheads.append((time.monotonic_ns() - t0 - own) / 1e6)
    cpu_after = process_cpu(server.pid)
    server.stdin.close()
    server.wait()
    cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) * 1000 / calls
    return overheads, cpu


def fresh(python, work, backend, tree, calls):
    env = env_for(tree)
    overheads = []
    cpu_before = children_cpu()
    for n in range(calls):
        control = os.path.join(work, "fresh-%s-%d" % (backend, n))
        write_input(control, backend, tree)
        t0 = time.monotonic_ns()
        with open(control + ".log", "ab") as log:
            code = subprocess.call([python, SHIM, "hook", "build_wheel", control], cwd=tree, env=env,
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        if code != 0:
            raise SystemExit("the fresh hook process exited with %d" % code)
        own = hook_time(control)
        overheads.append((time.monotonic_ns() - t0 - own) / 1e6)
    return overheads, (children_cpu() - cpu_before) * 1000 / calls


def summary(values, cpu):
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
    cpu = "" if cpu is None else ", CPU %.1f ms" % cpu
    return "median %6.2f ms (p90 %6.2f ms, n=%d%s)" % (statistics.median(values), p90, len(values), cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--fresh-calls", type=int, default=30)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="forkserver-overhead-")
    try:
        tree = os.path.join(work, "tree")
        os.makedirs(tree)
        with open(os.path.join(tree, "noop_backend.py"), "w") as f:
            f.write(HOOK)
        with open(os.path.join(tree, "setuptools_noop_backend.py"), "w") as f:
            f.write("import setuptools.build_meta  # what a real backend costs to import\n" + HOOK)
        backends = ["noop_backend"]
        if subprocess.call([args.python, "-c", "import setuptools.build_meta"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) == 0:
            backends.append("setuptools_noop_backend")
        for backend in backends:
            forked, forked_cpu = forkserver(args.python, work, backend, tree, args.calls)
            spawned, spawned_cpu = fresh(args.python, work, backend, tree, args.fresh_calls)
            print("per-hook overhead, %-24s forkserver %s | fresh process %s | %5.1fx" % (
                backend + ":", summary(forked, forked_cpu), summary(spawned, spawned_cpu),
                statistics.median(spawned) / statistics.median(forked)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
