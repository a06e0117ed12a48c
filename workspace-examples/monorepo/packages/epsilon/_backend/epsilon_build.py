"""A deliberately tiny, project-specific PEP 517 backend for epsilon.

It packages ./epsilon into a pure-Python wheel and ships itself (_backend/)
in the sdist so the sdist can be built again.  Archives are reproducible.
"""

import base64
import gzip
import hashlib
import io
import os
import re
import tarfile
import zipfile

EPOCH = 315532800  # 1980-01-01: fixed timestamps make the archives reproducible
PACKAGE = "epsilon"


def _name_version():
    # The [project] table here is trivial, so a regex avoids needing tomllib
    # (3.11+); the name is already in normalised form, so file names can use it.
    with open("pyproject.toml", encoding="utf-8") as handle:
        text = handle.read()
    return tuple(re.search(r'^%s = "([^"]+)"' % key, text, re.M).group(1) for key in ("name", "version"))


def _files(*roots):
    found = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            found += [os.path.join(dirpath, f).replace(os.sep, "/") for f in filenames if not f.endswith(".pyc")]
    return sorted(found)


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


def _metadata(name, version):
    return ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version)).encode()


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_sdist(sdist_directory, config_settings=None):
    name, version = _name_version()
    print("epsilon_build: building sdist for %s %s" % (name, version))
    top = "%s-%s" % (name, version)
    entries = [(p, _read(p)) for p in ["pyproject.toml"] + _files(PACKAGE, "_backend")]
    entries.append(("PKG-INFO", _metadata(name, version)))
    # gzip.GzipFile with filename="" and a fixed mtime: "w:gz" would stamp both into the header.
    with open(os.path.join(sdist_directory, top + ".tar.gz"), "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=EPOCH) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, data in sorted(entries):
            info = tarfile.TarInfo("%s/%s" % (top, path))
            info.size, info.mtime, info.mode = len(data), EPOCH, 0o644
            tar.addfile(info, io.BytesIO(data))
    return top + ".tar.gz"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name, version = _name_version()
    print("epsilon_build: building wheel for %s %s" % (name, version))
    dist_info = "%s-%s.dist-info" % (name, version)
    entries = [(p, _read(p)) for p in _files(PACKAGE)]
    entries.append((dist_info + "/METADATA", _metadata(name, version)))
    entries.append((dist_info + "/WHEEL", b"Wheel-Version: 1.0\nGenerator: epsilon_build\n"
                                          b"Root-Is-Purelib: true\nTag: py3-none-any\n"))
    record = "".join("%s,sha256=%s,%d\n" % (p, base64.urlsafe_b64encode(hashlib.sha256(d).digest())
                                             .rstrip(b"=").decode(), len(d)) for p, d in entries)
    entries.append((dist_info + "/RECORD", (record + dist_info + "/RECORD,,\n").encode()))
    basename = "%s-%s-py3-none-any.whl" % (name, version)
    with zipfile.ZipFile(os.path.join(wheel_directory, basename), "w", zipfile.ZIP_DEFLATED) as whl:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr, info.compress_type = 0o100644 << 16, zipfile.ZIP_DEFLATED
            whl.writestr(info, data)
    return basename
