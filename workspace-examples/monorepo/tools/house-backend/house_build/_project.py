"""Reading the project being built: pyproject.toml -> metadata and file lists.

Only static metadata is supported; anything house-backend does not understand
is an error rather than silently dropped, so a wheel never lies about its
metadata.
"""

import os
import re

from . import _toml


class BuildError(Exception):
    """A problem with the project's configuration (reported to the user as-is)."""


# PEP 508 names, and the canonical PEP 440 form.  Requiring canonical versions
# keeps file names and metadata in agreement without a full version normaliser.
_NAME = re.compile(r"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")
_CANONICAL_VERSION = re.compile(
    r"^([1-9][0-9]*!)?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*((a|b|rc)(0|[1-9][0-9]*))?"
    r"(\.post(0|[1-9][0-9]*))?(\.dev(0|[1-9][0-9]*))?(\+[a-z0-9]+(\.[a-z0-9]+)*)?$"
)
_SUPPORTED_PROJECT_KEYS = {
    "name", "version", "description", "readme", "requires-python", "dependencies",
    "optional-dependencies", "license", "authors", "keywords", "classifiers", "urls",
}
_README_TYPES = {".md": "text/markdown", ".rst": "text/x-rst", ".txt": "text/plain"}
# Never packaged: interpreter caches and VCS/tooling litter.
_SKIP_DIRS = {"__pycache__", ".git", ".hg", ".svn", ".mypy_cache", ".pytest_cache"}
_SKIP_SUFFIXES = (".pyc", ".pyo")


def normalize(name):
    """The file-name form of a distribution name (sdist and wheel specs)."""
    return re.sub(r"[-_.]+", "_", name).lower()


class Project:
    """The parsed, validated configuration of the project in ``root``."""

    def __init__(self, root):
        self.root = os.path.abspath(root)
        path = os.path.join(self.root, "pyproject.toml")
        try:
            with open(path, encoding="utf-8") as handle:
                data = _toml.loads(handle.read())
        except OSError as exc:
            raise BuildError("cannot read %s: %s" % (path, exc)) from None
        except _toml.TOMLError as exc:
            raise BuildError("invalid pyproject.toml: %s" % exc) from None

        project = data.get("project")
        if not isinstance(project, dict):
            raise BuildError("pyproject.toml has no [project] table")
        if project.get("dynamic"):
            raise BuildError("[project].dynamic is not supported: declare all metadata statically")
        unknown = sorted(set(project) - _SUPPORTED_PROJECT_KEYS - {"dynamic"})
        if unknown:
            raise BuildError("[project] keys not supported by house-backend: %s" % ", ".join(unknown))
        self.project = project

        self.name = _string(project, "name")
        if not _NAME.match(self.name):
            raise BuildError("[project].name %r is not a valid distribution name" % self.name)
        self.version = _string(project, "version")
        if not _CANONICAL_VERSION.match(self.version):
            raise BuildError("[project].version %r is not a canonical PEP 440 version "
                             "(e.g. write 1.0.0rc1, not 1.0.0-RC1)" % self.version)
        self.dist_name = normalize(self.name)
        self.readme_path, self.readme_type, self.readme_text = self._readme(project.get("readme"))

        options = data.get("tool", {}).get("house", {})
        if not isinstance(options, dict):
            raise BuildError("[tool.house] must be a table")
        self.sdist_enabled = options.get("sdist", True)
        if not isinstance(self.sdist_enabled, bool):
            raise BuildError("[tool.house].sdist must be true or false")
        packages = options.get("packages", [normalize(self.name)])
        if not _string_list(packages) or not packages:
            raise BuildError("[tool.house].packages must be a non-empty list of strings")
        self.packages = [self._find_package(name) for name in packages]
        includes = options.get("include", [])
        if not _string_list(includes):
            raise BuildError("[tool.house].include must be a list of strings")
        self.includes = [self._inside(path, "[tool.house].include") for path in includes]

        build_system = data.get("build-system", {})
        self.backend_paths = build_system.get("backend-path", [])
        if not _string_list(self.backend_paths):
            raise BuildError("[build-system].backend-path must be a list of strings")
        self.backend_module = str(build_system.get("build-backend", "")).split(":")[0].split(".")[0]

    # -- metadata ----------------------------------------------------------
    def metadata(self):
        """Core metadata (version 2.1) as the text of PKG-INFO / METADATA."""
        p = self.project
        headers = [("Metadata-Version", "2.1"), ("Name", self.name), ("Version", self.version)]
        if "description" in p:
            headers.append(("Summary", _string(p, "description")))
        if "keywords" in p:
            headers.append(("Keywords", ",".join(_list(p, "keywords"))))
        headers.extend(_authors(p.get("authors", [])))
        if "license" in p:
            license_ = p["license"]
            if not isinstance(license_, dict) or set(license_) != {"text"} or not isinstance(license_["text"], str):
                raise BuildError("[project].license: only the {text = \"...\"} form is supported")
            headers.append(("License", license_["text"]))
        headers.extend(("Classifier", c) for c in _list(p, "classifiers"))
        urls = p.get("urls", {})
        if not isinstance(urls, dict) or not _string_list(list(urls.values())):
            raise BuildError("[project].urls must be a table of strings")
        headers.extend(("Project-URL", "%s, %s" % item) for item in urls.items())
        if "requires-python" in p:
            headers.append(("Requires-Python", _string(p, "requires-python")))
        headers.extend(("Requires-Dist", d) for d in _list(p, "dependencies"))
        extras = p.get("optional-dependencies", {})
        if not isinstance(extras, dict):
            raise BuildError("[project].optional-dependencies must be a table")
        for extra, requirements in extras.items():
            headers.append(("Provides-Extra", extra))
            for requirement in _list(extras, extra, "[project].optional-dependencies."):
                requirement, _, marker = requirement.partition(";")
                marker = "(%s) and " % marker.strip() if marker.strip() else ""
                headers.append(("Requires-Dist", '%s; %sextra == "%s"' % (requirement.strip(), marker, extra)))
        if self.readme_type:
            headers.append(("Description-Content-Type", self.readme_type))

        lines = []
        for key, value in headers:
            if "\n" in value and key != "License":
                raise BuildError("metadata field %s must be a single line: %r" % (key, value))
            # Multi-line values are folded as in RFC 822 (continuation lines are indented).
            lines.append("%s: %s" % (key, value.replace("\n", "\n       ")))
        text = "\n".join(lines) + "\n"
        if self.readme_text is not None:
            text += "\n" + self.readme_text.rstrip("\n") + "\n"
        return text

    def _readme(self, readme):
        """Returns (file or None, content type or None, text or None)."""
        if readme is None:
            return None, None, None
        if isinstance(readme, str):
            readme = {"file": readme}
        if not isinstance(readme, dict) or len({"file", "text"} & set(readme)) != 1:
            raise BuildError("[project].readme must be a path or a table with 'file' or 'text'")
        path = None
        if "file" in readme:
            path = self._inside(readme["file"], "[project].readme")
            try:
                with open(os.path.join(self.root, path), encoding="utf-8") as handle:
                    text = handle.read()
            except OSError as exc:
                raise BuildError("cannot read the readme: %s" % exc) from None
        else:
            text = readme["text"]
        content_type = readme.get("content-type")
        if content_type is None and path is not None:
            content_type = _README_TYPES.get(os.path.splitext(path)[1].lower())
        if not content_type:
            raise BuildError("[project].readme: cannot tell the content type, set 'content-type'")
        return path, content_type, text

    # -- files -------------------------------------------------------------
    def _inside(self, relpath, what):
        """Validate a relative path that must stay inside the project."""
        if not isinstance(relpath, str) or os.path.isabs(relpath):
            raise BuildError("%s: %r must be a relative path" % (what, relpath))
        full = os.path.normpath(os.path.join(self.root, relpath))
        if os.path.commonpath([full, self.root]) != self.root:
            raise BuildError("%s: %r points outside the project" % (what, relpath))
        if not os.path.exists(full):
            raise BuildError("%s: %r does not exist" % (what, relpath))
        return os.path.relpath(full, self.root).replace(os.sep, "/")

    def _find_package(self, name):
        """Locate a top-level import package (or module) in src/ or at the root."""
        if not name.isidentifier():
            raise BuildError("[tool.house].packages: %r is not a top-level import name" % name)
        candidates = ["src/" + name, name, "src/%s.py" % name, name + ".py"]
        found = [c for c in candidates
                 if (os.path.isfile if c.endswith(".py") else os.path.isdir)(os.path.join(self.root, c))]
        if len(found) != 1:
            raise BuildError("package %r: expected exactly one of %s, found %s"
                             % (name, ", ".join(candidates), ", ".join(found) or "none"))
        return found[0]

    def files(self, relpath):
        """Sorted project-relative file paths (posix) at or under ``relpath``."""
        full = os.path.join(self.root, relpath)
        if os.path.isfile(full):
            return [relpath]
        result = []
        for dirpath, dirnames, filenames in os.walk(full):
            dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
            for filename in filenames:
                if not filename.endswith(_SKIP_SUFFIXES):
                    path = os.path.relpath(os.path.join(dirpath, filename), self.root)
                    result.append(path.replace(os.sep, "/"))
        return sorted(result)

    def package_files(self):
        """(path inside the wheel, project-relative path) for every packaged file."""
        pairs = []
        for source in self.packages:
            prefix = "src/" if source.startswith("src/") else ""
            pairs.extend((path[len(prefix):], path) for path in self.files(source))
        return sorted(pairs)

    def sdist_files(self):
        """Project-relative paths of everything the sdist needs to rebuild the wheel."""
        paths = {"pyproject.toml"}
        if self.readme_path:
            paths.add(self.readme_path)
        for source in self.packages + self.includes:
            paths.update(self.files(source))
        # An in-tree backend (build-system.backend-path) must travel with the
        # sdist, or the sdist could not be built again.
        for entry in self.backend_paths if self.backend_module else []:
            for candidate in (self.backend_module, self.backend_module + ".py"):
                candidate = os.path.normpath(os.path.join(entry, candidate))
                if os.path.exists(os.path.join(self.root, candidate)):
                    paths.update(self.files(self._inside(candidate, "backend-path")))
        return sorted(paths)

    def read(self, relpath):
        """Contents and executable flag of a project file."""
        full = os.path.join(self.root, relpath)
        with open(full, "rb") as handle:
            return handle.read(), bool(os.stat(full).st_mode & 0o100)


def _string(table, key, where="[project]."):
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise BuildError("%s%s must be a non-empty string" % (where, key))
    return value


def _string_list(value):
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _list(table, key, where="[project]."):
    value = table.get(key, [])
    if not _string_list(value):
        raise BuildError("%s%s must be a list of strings" % (where, key))
    return value


def _authors(authors):
    """Author / Author-email headers from [project].authors."""
    if not isinstance(authors, list) or not all(isinstance(a, dict) for a in authors):
        raise BuildError("[project].authors must be a list of tables")
    names = [a["name"] for a in authors if "email" not in a and "name" in a]
    emails = [("%s <%s>" % (a["name"], a["email"])) if "name" in a else a["email"]
              for a in authors if "email" in a]
    headers = []
    if names:
        headers.append(("Author", ", ".join(names)))
    if emails:
        headers.append(("Author-email", ", ".join(emails)))
    return headers
