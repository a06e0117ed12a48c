"""Reproducible sdist (tar.gz) and wheel (zip) writers.

Same inputs give byte-identical archives: entries are sorted, every timestamp
is SOURCE_DATE_EPOCH (or a fixed constant), owners are 0/root-less, and file
modes are normalised to 0644 / 0755 (executable bit kept).
"""

import base64
import gzip
import hashlib
import io
import os
import tarfile
import time
import zipfile

# 1980-01-01T00:00:00Z, the earliest time a zip file can represent.
_ZIP_EPOCH = 315532800


def source_date_epoch():
    """SOURCE_DATE_EPOCH if set and valid (clamped for zip), else the 1980 constant."""
    try:
        return max(int(os.environ.get("SOURCE_DATE_EPOCH", "")), _ZIP_EPOCH)
    except ValueError:
        return _ZIP_EPOCH


def _mode(executable):
    return 0o755 if executable else 0o644


def _publish(data, directory, basename):
    """Write via a temporary name so a half-written archive is never visible."""
    target = os.path.join(directory, basename)
    partial = target + ".partial"
    with open(partial, "wb") as handle:
        handle.write(data)
    os.replace(partial, target)
    return basename


def write_sdist(directory, basename, entries):
    """entries: sorted (archive path, bytes, executable) tuples."""
    epoch = source_date_epoch()
    buffer = io.BytesIO()
    # filename="" and a fixed mtime keep the gzip header free of variable data.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=epoch) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for path, data, executable in entries:
                info = tarfile.TarInfo(path)
                info.size = len(data)
                info.mtime = epoch
                info.mode = _mode(executable)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                tar.addfile(info, io.BytesIO(data))
    return _publish(buffer.getvalue(), directory, basename)


def _record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def write_wheel(directory, basename, entries, dist_info):
    """entries: sorted (archive path, bytes, executable); RECORD is added here."""
    date_time = time.gmtime(source_date_epoch())[:6]
    record_path = dist_info + "/RECORD"
    record = "".join("%s,%s,%d\n" % (path, _record_hash(data), len(data)) for path, data, _ in entries)
    record += record_path + ",,\n"  # RECORD cannot contain its own hash
    entries = list(entries) + [(record_path, record.encode("utf-8"), False)]

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data, executable in entries:
            info = zipfile.ZipInfo(path, date_time=date_time)
            info.create_system = 3  # Unix, so external_attr means the same everywhere
            info.external_attr = (0o100000 | _mode(executable)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return _publish(buffer.getvalue(), directory, basename)
