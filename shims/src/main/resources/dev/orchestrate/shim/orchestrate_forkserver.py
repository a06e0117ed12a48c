"""orchestrate's fork server: a warm interpreter that has imported one build backend and forks once
per hook call, so that every hook starts from a pristine copy of "interpreter + backend imported".

Standard library only, Python >= 3.8, Linux and macOS (os.fork). It lives beside orchestrate_shim.py
and runs the shim's run_hook() in each child: the same hook-calling code as a fresh process.

    python orchestrate_forkserver.py CONFIG_JSON       {"backend": "mod[:obj]", "backend_path": [...],
                                                        "warm": false}

orchestrate starts it with the hook environment, an empty working directory, stdin and stdout as
pipes and stderr to the server's log. The server first moves the pipes off fds 0 and 1, so that
nothing the backend prints can corrupt the protocol: one JSON object per line.

    server -> orchestrate  {"ready": true, "pid": P}
                           {"ready": false, "kind": "import"|"threads"|"platform", "reason": R}, then exits
    orchestrate -> server  {"op": "run", "id": N, "hook": H, "control_dir": D, "cwd": C, "env": {...},
                            "log": L}
    server -> orchestrate  {"id": N, "pid": CHILD}                      forked
                           {"id": N, "code": X} | {"id": N, "signal": S} the child ended and was reaped
                           {"id": N, "error": E}                       it could not be forked
    orchestrate -> server  {"op": "kill", "id": N}                     kill the child's process group
    end of stdin           kill the children still running, reap them, exit

With "warm" (--hook-runner forkserver-warm, opt-in), the server also imports what
hooks imported lazily: each child lists the library modules it imported (only files of the
standard library and of the environment's site-packages, never of a source tree or backend-path,
never one it imported while the hook had changed the working directory or sys.path), in the order
it imported them, in CONTROL_DIR/.imported; after reaping it, the server imports those first in a
forked probe, one by one in that order, and into itself only the leading run of them whose import
left the process as it found it: no thread started, no file descriptor opened or closed, no atexit
handler registered, the same working directory, os.environ, sys.path, sys.meta_path and signal
handlers. The module that changed something is never warmed. Later children then start with them
imported, as a warm interpreter would (setuptools imports ~100 modules on its first hook call).
Without "warm" (--hook-runner forkserver), the server imports the backend and the shim only.

The server never runs a hook. A child makes itself a session and process-group leader (so that a
timeout kills everything it started), takes stdin from /dev/null, appends stdout and stderr to the
hook's log, takes the request's working directory and environment (os.environ made exactly that),
runs run_hook, then leaves as the interpreter would (non-daemon threads joined, atexit handlers
run, streams flushed) and ends with os._exit, never returning into the server's loop.
"""

import json
import os
import select
import signal
import sys

import orchestrate_shim as shim  # as it loads, the shim takes this directory off sys.path

# What importing the backend did to the environment: re-applied after a child replaces os.environ,
# since a fresh process would still see it.
_IMPORT_SET = {}
_IMPORT_UNSET = []
# Warm imports: the directories whose modules may be imported into the server (set when enabled),
# and the backend-path, whose modules never are.
_LIBRARY_ROOTS = ()
_BACKEND_PATH = []
# A warm-import probe that takes longer is killed (by SIGALRM) and its modules are never warmed.
_PROBE_SECONDS = 3


def _library_roots():
    import sysconfig

    paths = sysconfig.get_paths()
    roots = {os.path.realpath(paths[k]) for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    return tuple(sorted(r + os.sep for r in roots))


def _imported_library_modules(before, excluded):
    """Modules imported since `before` whose files lie under the library roots, not under `excluded`,
    in the order they were imported (sys.modules keeps it): a module may count on its predecessors."""
    names = []
    for name, module in list(sys.modules.items()):
        if name in before or module is None:
            continue
        path = getattr(module, "__file__", None)
        if not isinstance(path, str):
            continue
        real = os.path.realpath(path)
        if real.startswith(_LIBRARY_ROOTS) and not real.startswith(excluded):
            names.append(name)
    return names


def _fingerprint():
    """What an import must leave as it found it to be warmed into the server."""
    import signal as _signal

    threading = sys.modules.get("threading")
    handlers = []
    for number in range(1, getattr(_signal, "NSIG", 65)):
        try:
            handlers.append(_signal.getsignal(number))
        except (OSError, ValueError):
            handlers.append(None)
    fd_dir = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    atexit = sys.modules.get("atexit")
    exit_handlers = atexit._ncallbacks() if atexit is not None and hasattr(atexit, "_ncallbacks") else -1
    return (threading.active_count() if threading is not None else 1, sorted(os.listdir(fd_dir)),
            os.getcwd(), dict(os.environ), list(sys.path), list(sys.meta_path), list(sys.path_hooks),
            handlers, exit_handlers)


def _warm_import(names, check):
    """Imports `names` in order (a module that fails to import is just not warmed). With `check`,
    stops at the first import that changed the process (_fingerprint) and returns its index;
    len(names) when all were clean."""
    import importlib

    before = _fingerprint() if check else None
    for index, name in enumerate(names):
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: B902 - a module that does not import again is just not warmed
            pass
        if check:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            if _fingerprint() != before:
                return index
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    return len(names)


def _write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]


def _send(fd, message):
    _write_all(fd, (json.dumps(message) + "\n").encode("utf-8"))


def _describe(exc):
    text = str(exc)
    return "{}: {}".format(type(exc).__name__, text) if text else type(exc).__name__


def _preload(config):
    """Imports the backend once, in the neutral working directory; says whether forking it is safe."""
    if not hasattr(os, "fork") or not sys.platform.startswith(("linux", "darwin")):
        return {"ready": False, "kind": "platform",
                "reason": "os.fork is not available on {}".format(sys.platform)}
    before = dict(os.environ)
    try:
        shim.load_backend(config["backend"], config.get("backend_path") or [])
    except BaseException as e:  # noqa: B902 - whatever it is, a fresh process reports it per hook
        return {"ready": False, "kind": "import", "reason": "importing the backend failed: " + _describe(e)}
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        names = sorted(t.name for t in threading.enumerate() if t is not threading.current_thread())
        return {"ready": False, "kind": "threads",
                "reason": "importing the backend started threads ({}); a forked copy would hold them "
                          "half-way".format(", ".join(names))}
    after = dict(os.environ)
    _IMPORT_SET.update((k, v) for k, v in after.items() if before.get(k) != v)
    _IMPORT_UNSET.extend(k for k in before if k not in after)
    if config.get("warm"):
        global _LIBRARY_ROOTS
        _LIBRARY_ROOTS = _library_roots()
    return {"ready": True, "pid": os.getpid()}


def _kill_group(pid):
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass  # already gone, or (before its setsid) not a group leader yet: os.kill gets it


class _Server:
    def __init__(self, requests, replies):
        self.requests = requests
        self.replies = replies
        self.children = {}  # pid -> request id
        self.pids = {}  # request id -> pid
        self.controls = {}  # request id -> control dir, where a warm child lists its imports
        self.cold = set()  # modules a probe could not import safely: never tried again
        # SIGCHLD wakes select() through a pipe, so that a child is reaped as soon as it ends.
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)

    def serve(self):
        try:
            self._loop()
        except BrokenPipeError:
            pass  # orchestrate is gone
        self._stop()

    def _loop(self):
        pending = b""
        while True:
            readable = select.select([self.requests, self.wake_r], [], [])[0]
            if self.wake_r in readable:
                try:
                    while os.read(self.wake_r, 512):
                        pass
                except BlockingIOError:
                    pass
                self._reap()
            if self.requests in readable:
                chunk = os.read(self.requests, 1 << 16)
                if not chunk:
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    if line.strip():
                        self._handle(json.loads(line.decode("utf-8")))

    def _handle(self, message):
        op = message.get("op")
        if op == "run":
            self._fork(message)
        elif op == "kill":
            pid = self.pids.get(message["id"])
            if pid is not None:
                _kill_group(pid)

    def _fork(self, request):
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # or the child would write the server's buffered output into its log
        try:
            pid = os.fork()
        except OSError as e:
            _send(self.replies, {"id": request["id"], "error": "cannot fork: {}".format(e)})
            return
        if pid == 0:
            _child(request, (self.requests, self.replies, self.wake_r, self.wake_w))  # never returns
        self.children[pid] = request["id"]
        self.pids[request["id"]] = pid
        self.controls[request["id"]] = request["control_dir"]
        _send(self.replies, {"id": request["id"], "pid": pid})

    def _reap(self):
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            # What the hook left behind in its process group goes with it, as with a fresh process.
            _kill_group(pid)
            request_id = self.children.pop(pid, None)
            if request_id is None:
                continue
            self.pids.pop(request_id, None)
            control = self.controls.pop(request_id, None)
            if os.WIFSIGNALED(status):
                _send(self.replies, {"id": request_id, "signal": os.WTERMSIG(status)})
            else:
                _send(self.replies, {"id": request_id, "code": os.WEXITSTATUS(status)})
            if _LIBRARY_ROOTS and control is not None:
                self._warm(control)  # after the reply: the caller is not kept waiting

    def _warm(self, control):
        """Imports what the child listed, as far as a forked probe shows the imports leave no trace."""
        try:
            with open(os.path.join(control, ".imported"), encoding="utf-8") as f:
                listed = json.load(f)
        except (OSError, ValueError):
            return
        names = [n for n in listed if isinstance(n, str) and n not in sys.modules and n not in self.cold]
        if not names:
            return
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        answer_r, answer_w = os.pipe()
        probe = os.fork()
        if probe == 0:
            try:
                os.close(answer_r)
                signal.set_wakeup_fd(-1)
                for fd in (self.requests, self.replies, self.wake_r, self.wake_w):
                    os.close(fd)
                # The server waits for the probe, not serving requests: an import that hangs ends it.
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.alarm(_PROBE_SECONDS)
                clean = _warm_import(names, check=True)
                _write_all(answer_w, str(clean).encode("ascii"))
            finally:
                os._exit(0)
        os.close(answer_w)
        answer = b""
        while True:
            try:
                chunk = os.read(answer_r, 64)
            except InterruptedError:
                continue
            if not chunk:
                break
            answer += chunk
        os.close(answer_r)
        while True:
            try:
                _, status = os.waitpid(probe, 0)
                break
            except InterruptedError:
                continue
        try:
            clean = int(answer) if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else -1
        except ValueError:
            clean = -1
        if clean < 0:  # the probe died: none of them
            self.cold.update(names)
            return
        if clean < len(names):
            self.cold.add(names[clean])  # it changed the process: never warmed; the rest next time
        if clean:
            _warm_import(names[:clean], check=False)

    def _stop(self):
        """orchestrate has gone (or asked us to stop): nothing may outlive it."""
        for pid in list(self.children):
            _kill_group(pid)
        for pid in list(self.children):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _child(request, server_fds):
    code = 70  # the child failed before the hook could run (EX_SOFTWARE)
    try:
        os.setsid()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in server_fds:
            os.close(fd)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        os.chdir(request["cwd"])
        _replace_environ(request["env"])
        sys.argv[:] = [shim.__file__, "hook", request["hook"], request["control_dir"]]
        before = set(sys.modules) if _LIBRARY_ROOTS else None
        context = _ImportContext() if _LIBRARY_ROOTS else None
        code = _run_as_main(shim.run_hook, request["hook"], request["control_dir"])
        if before is not None:
            _list_imports(request, before, context)
    except BaseException:  # noqa: B902 - nothing may escape into the server's loop
        try:
            sys.excepthook(*sys.exc_info())
            sys.stderr.flush()
        except BaseException:  # noqa: B902
            pass
    finally:
        os._exit(code)


def _replace_environ(env):
    """os.environ becomes the request's environment (as importing the backend left it), changing
    only what differs: the server runs under the same variables, so usually nothing is touched,
    and every variable rewritten would cost the child copies of the server's pages."""
    target = dict(env)
    target.update(_IMPORT_SET)
    for key in _IMPORT_UNSET:
        target.pop(key, None)
    for key in [k for k in os.environ if k not in target]:
        del os.environ[key]
    for key, value in target.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


class _ImportContext:
    """Watches a warm child's imports: a module imported while the hook had changed the working
    directory or sys.path may have been found elsewhere, or have read other files, than the server
    would in its own state: such a module is never listed. (os.environ is not watched: setuptools
    sets PLAT before it imports its commands, which would leave nothing to warm; a library that
    reads at import a variable the hook set just before is the case this does not catch.)
    The "import" audit event comes with every import statement, not with importlib.import_module
    of the top module nor with a submodule loaded by `from package import submodule`; so when the
    hook ends with one of them still changed, only modules seen imported while both were as they
    started are listed."""

    def __init__(self):
        self.cwd = os.getcwd()
        self.path = list(sys.path)
        self.tainted = set()
        self.clean = set()
        sys.addaudithook(self._audit)  # invisible to the hook, gone with the child

    def changed(self):
        try:
            return os.getcwd() != self.cwd or sys.path != self.path
        except Exception:  # a deleted working directory, a sys.path that is no list...
            return True

    def _audit(self, event, args):
        try:
            if event == "import" and args[0] not in sys.modules:
                (self.tainted if self.changed() else self.clean).add(args[0])
        except Exception:  # an audit hook must never fail the operation it watches
            pass

    def listable(self, names):
        if self.changed():
            return [n for n in names if n in self.clean and n not in self.tainted]
        return [n for n in names if n not in self.tainted]


def _list_imports(request, before, context):
    """Tells the server (CONTROL_DIR/.imported) which library modules this hook imported."""
    try:
        excluded = tuple(os.path.realpath(p) + os.sep for p in [request["cwd"]] + _BACKEND_PATH)
        names = context.listable(_imported_library_modules(before, excluded))
        if names:
            with open(os.path.join(request["control_dir"], ".imported"), "w", encoding="utf-8") as f:
                json.dump(names, f)
    except BaseException:  # noqa: B902 - warming is an optimisation; the hook's result stands
        pass


def _run_as_main(function, *args):
    """Runs function as a script's main code and exits the way the interpreter would; the exit code."""
    try:
        function(*args)
        code = 0
    except SystemExit as e:
        code = _system_exit_code(e)
    except BaseException:  # noqa: B902 - an uncaught exception: traceback, exit code 1
        sys.excepthook(*sys.exc_info())
        code = 1
    # As the interpreter's own shutdown: wait for non-daemon threads, then atexit handlers.
    threading = sys.modules.get("threading")
    if threading is not None:
        shutdown = getattr(threading, "_shutdown", None)
        try:
            if shutdown is not None:
                shutdown()
            else:
                me = threading.current_thread()
                for thread in threading.enumerate():
                    if thread is not me and not thread.daemon:
                        thread.join()
        except BaseException:  # noqa: B902 - as at interpreter exit: reported, the exit goes on
            sys.excepthook(*sys.exc_info())
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    return code


def _system_exit_code(exc):
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except Exception:
        pass
    return 1


def main(argv):
    if len(argv) != 1:
        sys.exit("usage: orchestrate_forkserver.py CONFIG_JSON")
    config = json.loads(argv[0])
    _BACKEND_PATH.extend(config.get("backend_path") or [])
    requests = os.dup(0)
    replies = os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)  # what the backend prints while it is imported goes to the server's log
    ready = _preload(config)
    _send(replies, ready)
    if ready["ready"]:
        _Server(requests, replies).serve()


if __name__ == "__main__":
    main(sys.argv[1:])
