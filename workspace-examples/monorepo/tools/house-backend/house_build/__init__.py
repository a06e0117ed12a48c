"""house-backend: a small, standard-library-only PEP 517 build backend.

Projects describe themselves with a static ``[project]`` table and optional
``[tool.house]`` options::

    [tool.house]
    packages = ["mypkg"]     # top-level packages/modules, looked up in src/ then
                             # the project root; default: the normalised name
    include = ["tests"]      # extra paths for the sdist only
    sdist = false            # build_sdist raises UnsupportedOperation

Config settings (``--config-setting`` / ``config_settings``):

    house.build-number=N     # build tag: name-ver-N-py3-none-any.whl
    house.stamp=TEXT         # writes TEXT to <first package>/_build_stamp.txt in the wheel

Other keys are ignored (unknown ``house.*`` keys with a warning on stderr).
All archives are reproducible; see ``_archives``.
"""

import os
import re
import sys

from . import _archives
from ._project import BuildError, Project

__version__ = "1.2.0"

_TAG = "py3-none-any"


class UnsupportedOperation(Exception):
    """PEP 517: the backend cannot build this artifact; the frontend should fall back
    (for ``build_sdist``: build the wheel straight from the source tree)."""


def _say(message):
    # Frontends capture hook output; one line per artifact keeps logs readable.
    print("house-backend: " + message, flush=True)


def _settings(config_settings):
    """The house.* config settings this backend understands, as strings."""
    known = {}
    for key, value in (config_settings or {}).items():
        if isinstance(value, list):  # some frontends pass repeated keys as lists: last wins
            value = value[-1] if value else ""
        if key in ("house.build-number", "house.stamp"):
            known[key] = str(value)
        elif key.startswith("house."):
            print("house-backend: warning: ignoring unknown config setting %r" % key, file=sys.stderr)
    build_number = known.get("house.build-number")
    # A wheel build tag must start with a digit and cannot contain '-'.
    if build_number is not None and not re.fullmatch(r"[0-9]+[A-Za-z0-9_]*", build_number):
        raise BuildError("house.build-number must be digits (optionally followed by letters), got %r"
                         % build_number)
    return known


def _project():
    # PEP 517: hooks run with the project's source tree as the working directory.
    return Project(os.getcwd())


def _dist_info(project):
    return "%s-%s.dist-info" % (project.dist_name, project.version)


def _wheel_file(settings):
    lines = ["Wheel-Version: 1.0", "Generator: house-backend %s" % __version__,
             "Root-Is-Purelib: true", "Tag: " + _TAG]
    if "house.build-number" in settings:
        lines.append("Build: " + settings["house.build-number"])
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- PEP 517 hooks ---------------------------------------------------------

def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    if not project.sdist_enabled:
        raise UnsupportedOperation("house-backend: sdists are disabled for this project "
                                   "(%s: [tool.house] sdist = false)" % project.name)
    _say("building sdist for %s %s" % (project.name, project.version))
    top = "%s-%s" % (project.dist_name, project.version)
    entries = [("%s/%s" % (top, path),) + project.read(path) for path in project.sdist_files()]
    entries.append(("%s/PKG-INFO" % top, project.metadata().encode("utf-8"), False))
    return _archives.write_sdist(sdist_directory, top + ".tar.gz", sorted(entries))


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    settings = _settings(config_settings)
    project = _project()
    dist_info = _dist_info(project)
    os.makedirs(os.path.join(metadata_directory, dist_info), exist_ok=True)
    for name, data in (("METADATA", project.metadata().encode("utf-8")), ("WHEEL", _wheel_file(settings))):
        with open(os.path.join(metadata_directory, dist_info, name), "wb") as handle:
            handle.write(data)
    return dist_info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    # metadata_directory is not needed: the metadata is regenerated from the
    # same pyproject.toml, so it is identical to what prepare_metadata wrote.
    settings = _settings(config_settings)
    project = _project()
    _say("building wheel for %s %s" % (project.name, project.version))
    entries = [(arcname,) + project.read(path) for arcname, path in project.package_files()]
    if "house.stamp" in settings:
        # Lets a frontend prove that its config settings reached the backend.
        package = os.path.basename(project.packages[0])
        if package.endswith(".py"):
            raise BuildError("house.stamp needs a package, not the single module %s" % package)
        stamp = package + "/_build_stamp.txt"
        entries = [entry for entry in entries if entry[0] != stamp]
        entries.append((stamp, settings["house.stamp"].encode("utf-8"), False))
    dist_info = _dist_info(project)
    entries.sort()
    entries.append((dist_info + "/METADATA", project.metadata().encode("utf-8"), False))
    entries.append((dist_info + "/WHEEL", _wheel_file(settings), False))
    tags = [project.dist_name, project.version]
    if "house.build-number" in settings:
        tags.append(settings["house.build-number"])
    basename = "-".join(tags + [_TAG]) + ".whl"
    return _archives.write_wheel(wheel_directory, basename, entries, dist_info)
