"""orchestrate's hook runner: calls one PEP 517 hook of one build backend, in this fresh process.

Standard library only, Python >= 3.8, so that it runs under any interpreter and beside any backend.

    python orchestrate_shim.py hook HOOK_NAME CONTROL_DIR
        reads CONTROL_DIR/input.json  {"backend": "mod[:obj]", "backend_path": [...], "kwargs": {...}}
        writes CONTROL_DIR/output.json {"outcome": ..., "return_val"?, "message"?, "traceback"?, ...}
    python orchestrate_shim.py interpreter OUT_FILE
        writes to OUT_FILE a JSON description of this interpreter (identity, wheel-tag inputs, PEP 508 markers).

The outcome is one of: success, backend_unavailable, backend_invalid, hook_missing, unsupported,
exception. A process that dies or is killed writes nothing; the caller reports that from the exit
status. output.json is written to a temporary name and renamed, so it is either whole or absent.
"""

import importlib
import json
import os
import sys
import traceback

# The directory of this script must not shadow a backend's modules (a backend named `json`...).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

OPTIONAL_REQUIRES_HOOKS = {
    "get_requires_for_build_wheel",
    "get_requires_for_build_sdist",
    "get_requires_for_build_editable",
}
KNOWN_HOOKS = OPTIONAL_REQUIRES_HOOKS | {
    "prepare_metadata_for_build_wheel",
    "prepare_metadata_for_build_editable",
    "build_wheel",
    "build_sdist",
    "build_editable",
}


class _Outcome(Exception):
    """A result other than success, carried to the output file."""

    def __init__(self, outcome, message, tb=None, **extra):
        super().__init__(message)
        self.fields = dict(outcome=outcome, message=message, traceback=tb, **extra)


def _inside(path, roots):
    path = os.path.normcase(os.path.realpath(path))
    for root in roots:
        root = os.path.normcase(os.path.realpath(root))
        if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def _load_backend(spec, backend_path):
    module_name, _, object_path = spec.partition(":")
    module_name = module_name.strip()
    if backend_path:
        # In-tree backends come first, as PEP 517 asks.
        sys.path[:0] = backend_path
    try:
        obj = importlib.import_module(module_name)
    except ImportError as e:
        missing = getattr(e, "name", None)
        raise _Outcome(
            "backend_unavailable",
            "cannot import {!r}: {}".format(module_name, e),
            traceback.format_exc(),
            missing_module=missing,
            sys_path=list(sys.path),
        )
    if backend_path:
        origin = getattr(obj, "__file__", None)
        if origin is None or not _inside(origin, backend_path):
            raise _Outcome(
                "backend_invalid",
                "backend {!r} was loaded from {!r}, not from its backend-path {!r}".format(
                    module_name, origin, backend_path),
            )
    for attr in filter(None, object_path.strip().split(".")):
        try:
            obj = getattr(obj, attr)
        except AttributeError:
            raise _Outcome(
                "backend_invalid",
                "module {!r} has no attribute {!r} (build-backend {!r})".format(
                    module_name, attr, spec),
                traceback.format_exc(),
            )
    return obj


def _call_hook(hook_name, control):
    backend = _load_backend(control["backend"], control.get("backend_path") or [])
    kwargs = control.get("kwargs") or {}
    hook = getattr(backend, hook_name, None)
    if hook is None:
        if hook_name in OPTIONAL_REQUIRES_HOOKS:
            return []  # the specification's default for a missing get_requires_* hook
        raise _Outcome(
            "hook_missing",
            "backend {!r} has no hook {!r}".format(control["backend"], hook_name),
        )
    unsupported = getattr(backend, "UnsupportedOperation", None)
    try:
        return hook(**kwargs)
    except BaseException as e:  # noqa: B902 - SystemExit from a setup.py is a failure too
        tb = traceback.format_exc()
        if isinstance(unsupported, type) and isinstance(e, unsupported):
            raise _Outcome("unsupported", _describe(e), tb)
        raise _Outcome("exception", _describe(e), tb, exception_type=type(e).__name__)


def _describe(exc):
    text = str(exc)
    return "{}: {}".format(type(exc).__name__, text) if text else type(exc).__name__


def _write_json_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, default=str)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def run_hook(hook_name, control_dir):
    if hook_name not in KNOWN_HOOKS:
        sys.exit("orchestrate shim: unknown hook {!r}".format(hook_name))
    with open(os.path.join(control_dir, "input.json"), encoding="utf-8") as f:
        control = json.load(f)
    try:
        result = {"outcome": "success", "return_val": _call_hook(hook_name, control)}
    except _Outcome as o:
        result = {k: v for k, v in o.fields.items() if v is not None}
    # Make sure everything the backend printed is in the log before the result appears.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    _write_json_atomically(os.path.join(control_dir, "output.json"), result)


def _full_version(info):
    version = "{0.major}.{0.minor}.{0.micro}".format(info)
    if info.releaselevel != "final":
        version += info.releaselevel[0] + str(info.serial)
    return version


def describe_interpreter():
    import platform
    import sysconfig

    markers = {
        "implementation_name": sys.implementation.name,
        "implementation_version": _full_version(sys.implementation.version),
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }
    bundled = []
    try:
        import ensurepip

        folder = os.path.join(os.path.dirname(ensurepip.__file__), "_bundled")
        bundled = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".whl"))
    except Exception:
        pass  # Debian splits ensurepip out; the caller looks elsewhere for pip then.
    return {
        "executable": sys.executable,
        "real_executable": os.path.realpath(sys.executable),
        "base_executable": getattr(sys, "_base_executable", sys.executable),
        "prefix": sys.prefix,
        "base_prefix": getattr(sys, "base_prefix", sys.prefix),
        "version": platform.python_version(),
        "version_info": list(sys.version_info[:3]),
        "implementation": sys.implementation.name,
        "cache_tag": sys.implementation.cache_tag,
        "soabi": sysconfig.get_config_var("SOABI"),
        "platform": sysconfig.get_platform(),
        "pointer_bits": 64 if sys.maxsize > 2 ** 32 else 32,
        "has_venv": _has_module("venv"),
        "bundled_wheels": bundled,
        "markers": markers,
    }


def _has_module(name):
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        return False


def main(argv):
    if len(argv) == 3 and argv[0] == "hook":
        run_hook(argv[1], argv[2])
    elif len(argv) == 2 and argv[0] == "interpreter":
        _write_json_atomically(argv[1], describe_interpreter())
    else:
        sys.exit("usage: orchestrate_shim.py hook HOOK CONTROL_DIR | interpreter OUT_FILE")


if __name__ == "__main__":
    main(sys.argv[1:])
