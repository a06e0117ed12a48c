"""orchestrate's hook runner: calls one PEP 517 hook of one build backend, in this fresh process.

Standard library only, Python >= 3.8, so that it runs under any interpreter and beside any backend.

    python orchestrate_shim.py hook HOOK_NAME CONTROL_DIR
        reads CONTROL_DIR/input.json  {"backend": "mod[:obj]", "backend_path": [...], "kwargs": {...}}
        writes CONTROL_DIR/output.json {"outcome": ..., "return_val"?, "message"?, "traceback"?, ...}
    python orchestrate_shim.py interpreter OUT_FILE
        writes to OUT_FILE a JSON description of this interpreter (identity, PEP 508 markers, supported wheel tags best first).

The outcome is one of: success, backend_unavailable, backend_invalid, hook_missing, unsupported,
exception. A process that dies or is killed writes nothing; the caller reports that from the exit
status. output.json is written to a temporary name and renamed, so it is either whole or absent.

run_hook() is the one hook-calling path: the fork server (orchestrate_forkserver.py, beside this
file) imports this module and calls it in each forked child, exactly as `hook` does here.
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


def load_backend(spec, backend_path):
    """Imports the backend object; the fork server calls it once before forking, run_hook each time."""
    module_name, _, object_path = spec.partition(":")
    module_name = module_name.strip()
    if backend_path and sys.path[:len(backend_path)] != backend_path:
        # In-tree backends come first, as PEP 517 asks (once: a forked child finds them there).
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
    backend = load_backend(control["backend"], control.get("backend_path") or [])
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


def _write_json_atomically(path, data, durable=True):
    """Whole or absent (a rename); `durable` also survives a power cut (fsync: milliseconds)."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, default=str)
        if durable:
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)


def run_hook(hook_name, control_dir):
    """Calls the hook input.json describes and writes output.json: what both hook runners run."""
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
    # Read back as soon as this process has ended, by a caller that outlives it only within this
    # run: the rename is what it needs, not a sync to disk per hook.
    _write_json_atomically(os.path.join(control_dir, "output.json"), result, durable=False)


def _full_version(info):
    version = "{0.major}.{0.minor}.{0.micro}".format(info)
    if info.releaselevel != "final":
        version += info.releaselevel[0] + str(info.serial)
    return version


# --- Wheel compatibility tags, as packaging.tags.sys_tags() computes them -----------------------
# Standard library only; ordered most specific first (the position is the preference).

_INTERPRETER_SHORT_NAMES = {"python": "py", "cpython": "cp", "pypy": "pp", "ironpython": "ip", "jython": "jy"}
_MANYLINUX_ARCHS = {"x86_64", "aarch64", "ppc64", "ppc64le", "s390x", "loongarch64", "riscv64"}
_LEGACY_MANYLINUX = {(2, 17): "manylinux2014", (2, 12): "manylinux2010", (2, 5): "manylinux1"}


def _config_var(name):
    import sysconfig

    return sysconfig.get_config_var(name)


def _normalize_platform(text):
    return text.replace(".", "_").replace("-", "_").replace(" ", "_")


def _nodot(version):
    return "".join(map(str, version))


def _is_32bit():
    import struct

    return struct.calcsize("P") == 4


class _Elf:
    """Just enough of an ELF header: class, encoding, machine, flags and the PT_INTERP path."""

    def __init__(self, path):
        import struct

        with open(path, "rb") as f:
            ident = f.read(16)
            if len(ident) < 16 or ident[:4] != b"\x7fELF":
                raise ValueError("not an ELF file")
            self.capacity, self.encoding = ident[4], ident[5]
            e_fmt, p_fmt, p_idx = {
                (1, 1): ("<HHIIIIIHHH", "<IIIIIIII", (0, 1, 4)),
                (1, 2): (">HHIIIIIHHH", ">IIIIIIII", (0, 1, 4)),
                (2, 1): ("<HHIQQQIHHH", "<IIQQQQQQ", (0, 2, 5)),
                (2, 2): (">HHIQQQIHHH", ">IIQQQQQQ", (0, 2, 5)),
            }[(self.capacity, self.encoding)]
            fields = struct.unpack(e_fmt, f.read(struct.calcsize(e_fmt)))
            self.machine, phoff, self.flags, phentsize, phnum = (
                fields[1], fields[4], fields[6], fields[8], fields[9])
            self.interpreter = None
            for index in range(phnum):
                f.seek(phoff + phentsize * index)
                raw = f.read(struct.calcsize(p_fmt))
                if len(raw) < struct.calcsize(p_fmt):
                    continue
                header = struct.unpack(p_fmt, raw)
                if header[p_idx[0]] == 3:  # PT_INTERP
                    f.seek(header[p_idx[1]])
                    self.interpreter = os.fsdecode(f.read(header[p_idx[2]])).strip("\0")
                    break


def _elf(path):
    try:
        return _Elf(path)
    except Exception:  # unreadable, not ELF, truncated: no ELF facts
        return None


def _glibc_version():
    version = None
    try:
        version = os.confstr("CS_GNU_LIBC_VERSION").rsplit()[1]
    except (AttributeError, OSError, ValueError, IndexError):
        try:
            import ctypes

            libc_version = ctypes.CDLL(None).gnu_get_libc_version
            libc_version.restype = ctypes.c_char_p
            version = libc_version()
            if not isinstance(version, str):
                version = version.decode("ascii")
        except Exception:
            version = None
    if not version:
        return (-1, -1)
    import re

    m = re.match(r"([0-9]+)\.([0-9]+)", version)
    return (int(m.group(1)), int(m.group(2))) if m else (-1, -1)


def _manylinux_compatible(arch, version, glibc):
    if glibc < version:
        return False
    try:
        import _manylinux  # A distributor's override (PEP 600).
    except ImportError:
        return True
    if hasattr(_manylinux, "manylinux_compatible"):
        result = _manylinux.manylinux_compatible(version[0], version[1], arch)
        return True if result is None else bool(result)
    legacy = {(2, 5): "manylinux1_compatible", (2, 12): "manylinux2010_compatible",
              (2, 17): "manylinux2014_compatible"}.get(version)
    if legacy and hasattr(_manylinux, legacy):
        return bool(getattr(_manylinux, legacy))
    return True


def _manylinux_platforms(archs):
    elf = _elf(sys.executable)
    if "armv7l" in archs:
        ok = (elf is not None and elf.capacity == 1 and elf.encoding == 1 and elf.machine == 40
              and elf.flags & 0xFF000000 == 0x05000000 and elf.flags & 0x400 == 0x400)
    elif "i686" in archs:
        ok = elf is not None and elf.capacity == 1 and elf.encoding == 1 and elf.machine == 3
    else:
        ok = any(arch in _MANYLINUX_ARCHS for arch in archs)
    if not ok:
        return
    too_old = (2, 4) if set(archs) & {"x86_64", "i686"} else (2, 16)
    glibc = _glibc_version()
    # Compatibility holds across glibc major versions; 50 stands for the unknown last minor.
    maxima = [glibc] + [(major, 50) for major in range(glibc[0] - 1, 1, -1)]
    for arch in archs:
        for major, top in maxima:
            lowest = too_old[1] if major == too_old[0] else -1
            for minor in range(top, lowest, -1):
                if _manylinux_compatible(arch, (major, minor), glibc):
                    yield "manylinux_{}_{}_{}".format(major, minor, arch)
                    legacy = _LEGACY_MANYLINUX.get((major, minor))
                    if legacy:
                        yield "{}_{}".format(legacy, arch)


def _musl_version():
    import re
    import subprocess

    elf = _elf(sys.executable)
    if elf is None or not elf.interpreter or "musl" not in elf.interpreter:
        return None
    try:
        stderr = subprocess.run([elf.interpreter], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, universal_newlines=True).stderr
    except OSError:
        return None
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if len(lines) < 2 or not lines[0].startswith("musl"):
        return None
    m = re.match(r"Version (\d+)\.(\d+)", lines[1])
    return (int(m.group(1)), int(m.group(2))) if m else None


def _linux_platforms():
    import sysconfig

    linux = _normalize_platform(sysconfig.get_platform())
    if not linux.startswith("linux_"):
        yield linux
        return
    if _is_32bit():
        linux = {"linux_x86_64": "linux_i686", "linux_aarch64": "linux_armv8l"}.get(linux, linux)
    arch = linux.split("_", 1)[1]
    archs = ["armv8l", "armv7l"] if arch == "armv8l" else [arch]
    for tag in _manylinux_platforms(archs):
        yield tag
    musl = _musl_version()
    if musl is not None:
        for arch_ in archs:
            for minor in range(musl[1], -1, -1):
                yield "musllinux_{}_{}_{}".format(musl[0], minor, arch_)
    for arch_ in archs:
        yield "linux_" + arch_


def _mac_binary_formats(version, arch):
    formats = [arch]
    if arch == "x86_64":
        if version < (10, 4):
            return []
        formats.extend(["intel", "fat64", "fat32"])
    elif arch == "i386":
        if version < (10, 4):
            return []
        formats.extend(["intel", "fat32", "fat"])
    elif arch == "ppc64":
        if version > (10, 5) or version < (10, 4):
            return []
        formats.append("fat64")
    elif arch == "ppc":
        if version > (10, 6):
            return []
        formats.extend(["fat32", "fat"])
    if arch in {"arm64", "x86_64"}:
        formats.append("universal2")
    if arch in {"x86_64", "i386", "ppc64", "ppc", "intel"}:
        formats.append("universal")
    return formats


def _mac_platforms():
    import platform
    import subprocess

    release, _, machine = platform.mac_ver()
    version = tuple(map(int, release.split(".")[:2]))
    if version == (10, 16):
        # Built against an older SDK, Python reports 10.16 instead of the real version.
        release = subprocess.run(
            [sys.executable, "-sS", "-c", "import platform; print(platform.mac_ver()[0])"],
            check=True, env={"SYSTEM_VERSION_COMPAT": "0"}, stdout=subprocess.PIPE,
            universal_newlines=True).stdout
        version = tuple(map(int, release.split(".")[:2]))
    arch = machine
    if _is_32bit():
        arch = "ppc" if machine.startswith("ppc") else "i386"
    if (10, 0) <= version < (11, 0):
        for minor in range(version[1], -1, -1):
            for fmt in _mac_binary_formats((10, minor), arch):
                yield "macosx_10_{}_{}".format(minor, fmt)
    if version >= (11, 0):
        for major in range(version[0], 10, -1):
            for fmt in _mac_binary_formats((major, 0), arch):
                yield "macosx_{}_0_{}".format(major, fmt)
        # 11+ runs binaries made for 10.x on x86_64; arm64 only as part of universal2.
        for minor in range(16, 3, -1):
            formats = _mac_binary_formats((10, minor), arch) if arch == "x86_64" else ["universal2"]
            for fmt in formats:
                yield "macosx_10_{}_{}".format(minor, fmt)


def _ios_platforms():
    import platform

    version = tuple(map(int, platform.ios_ver()[1].split(".")[:2]))
    multiarch = sys.implementation._multiarch.replace("-", "_")
    if version[0] < 12:
        return
    for minor in range(version[1], -1, -1):
        yield "ios_{}_{}_{}".format(version[0], minor, multiarch)
    for major in range(version[0] - 1, 11, -1):
        for minor in range(9, -1, -1):
            yield "ios_{}_{}_{}".format(major, minor, multiarch)


def _android_platforms():
    import platform
    import sysconfig

    abi = _normalize_platform(sysconfig.get_platform().split("-")[-1])
    for level in range(platform.android_ver().api_level, 15, -1):
        yield "android_{}_{}".format(level, abi)


def _platform_tags():
    import platform
    import sysconfig

    system = platform.system()
    if system == "Darwin":
        return list(_mac_platforms())
    if system == "iOS":
        return list(_ios_platforms())
    if system == "Android":
        return list(_android_platforms())
    if system == "Linux":
        return list(_linux_platforms())
    generic = [_normalize_platform(sysconfig.get_platform())]  # win_amd64, freebsd_14_0_amd64...
    if system == "Emscripten" and _config_var("PYEMSCRIPTEN_PLATFORM_VERSION"):
        generic.insert(0, "pyemscripten_{}_wasm32".format(_config_var("PYEMSCRIPTEN_PLATFORM_VERSION")))
    return generic


def _cpython_abis(py_version):
    from importlib.machinery import EXTENSION_SUFFIXES

    abis = []
    version = _nodot(py_version[:2])
    threading = debug = pymalloc = ""
    with_debug = _config_var("Py_DEBUG")
    has_ext = "_d.pyd" in EXTENSION_SUFFIXES
    if with_debug or (with_debug is None and (hasattr(sys, "gettotalrefcount") or has_ext)):
        debug = "d"
    if py_version >= (3, 13) and _config_var("Py_GIL_DISABLED"):
        threading = "t"
    if py_version < (3, 8):
        with_pymalloc = _config_var("WITH_PYMALLOC")
        if with_pymalloc or with_pymalloc is None:
            pymalloc = "m"
    elif debug:
        abis.append("cp{}{}".format(version, threading))  # Debug builds load normal extensions too.
    abis.insert(0, "cp{}{}{}{}".format(version, threading, debug, pymalloc))
    return abis


def _generic_abis():
    ext_suffix = _config_var("EXT_SUFFIX")
    if not isinstance(ext_suffix, str) or not ext_suffix.startswith("."):
        return []
    parts = ext_suffix.split(".")
    if len(parts) < 3:
        return _cpython_abis(sys.version_info[:2])
    soabi = parts[1]
    if soabi.startswith("cpython"):
        abi = "cp" + soabi.split("-")[1]
    elif soabi.startswith("cp"):
        abi = soabi.split("-")[0]
    elif soabi.startswith("pypy"):
        abi = "-".join(soabi.split("-")[:2])
    elif soabi.startswith("graalpy"):
        abi = "-".join(soabi.split("-")[:3])
    elif soabi:
        abi = soabi
    else:
        return []
    return [_normalize_platform(abi)]


def _py_range(py_version):
    yield "py" + _nodot(py_version[:2])
    yield "py{}".format(py_version[0])
    for minor in range(py_version[1] - 1, -1, -1):
        yield "py" + _nodot((py_version[0], minor))


def wheel_tags():
    """Every interpreter-abi-platform tag this interpreter installs, the best match first."""
    py_version = tuple(sys.version_info[:2])
    name = _INTERPRETER_SHORT_NAMES.get(sys.implementation.name, sys.implementation.name)
    nodot = str(_config_var("py_version_nodot") or _nodot(py_version))
    platforms = _platform_tags()
    tags = []
    if name == "cp":
        interpreter = "cp" + _nodot(py_version)
        abis = [abi for abi in _cpython_abis(py_version) if abi not in ("abi3", "none")]
        threaded = bool(abis) and "t" in abis[0][len("cp" + _nodot(py_version)):]
        stable = "abi3t" if threaded else "abi3"  # PEP 803: free-threaded builds use abi3t
        tags += ["{}-{}-{}".format(interpreter, abi, p) for abi in abis for p in platforms]
        tags += ["{}-{}-{}".format(interpreter, stable, p) for p in platforms]
        tags += ["{}-none-{}".format(interpreter, p) for p in platforms]
        for minor in range(py_version[1] - 1, 1, -1):
            tags += ["cp{}-{}-{}".format(_nodot((py_version[0], minor)), stable, p) for p in platforms]
        compatible = "cp" + nodot
    else:
        interpreter = name + nodot
        abis = _generic_abis()
        if "none" not in abis:
            abis.append("none")
        tags += ["{}-{}-{}".format(interpreter, abi, p) for abi in abis for p in platforms]
        compatible = "pp3" if name == "pp" else None
    tags += ["{}-none-{}".format(py, p) for py in _py_range(py_version) for p in platforms]
    if compatible:
        tags.append(compatible + "-none-any")
    tags += [py + "-none-any" for py in _py_range(py_version)]
    seen = set()
    return [t.lower() for t in tags if not (t.lower() in seen or seen.add(t.lower()))]


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
        "tags": wheel_tags(),
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
