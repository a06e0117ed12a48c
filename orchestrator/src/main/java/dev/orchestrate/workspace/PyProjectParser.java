package dev.orchestrate.workspace;

import dev.orchestrate.env.pep440.InvalidVersionException;
import dev.orchestrate.env.pep440.Version;
import dev.orchestrate.env.pep508.InvalidRequirementException;
import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.env.pep508.Requirement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads one member directory: its {@code pyproject.toml} ({@code [build-system]} per PEP 517/518,
 * {@code [project]} name and version per PEP 621) or, failing that, a legacy {@code setup.py}.
 * Blocking (file I/O); stateless and thread-safe.
 */
public final class PyProjectParser {

    public static final String PYPROJECT = "pyproject.toml";
    public static final String SETUP_PY = "setup.py";

    private PyProjectParser() {}

    /** Reads {@code memberDir}; never throws for anything a user can get wrong. */
    public static ParseOutcome parse(Path memberDir) {
        Path dir = memberDir.toAbsolutePath().normalize();
        Path file = dir.resolve(PYPROJECT);
        boolean hasSetupPy = Files.isRegularFile(dir.resolve(SETUP_PY));
        if (!Files.isRegularFile(file)) {
            if (hasSetupPy) {
                return new ParseOutcome.Parsed(legacyMember(dir, BuildSystem.defaults()));
            }
            return new ParseOutcome.NotAPackage(dir, "no `" + PYPROJECT + "` or `" + SETUP_PY + "`");
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            return new ParseOutcome.Invalid(dir, List.of(MemberProblem.of(dir, file, "", "cannot read: " + e)));
        }
        if (!toml.errors().isEmpty()) {
            // Only the first: later ones are mostly the parser losing its footing after it.
            return new ParseOutcome.Invalid(dir, List.of(tomlError(dir, file, toml.errors().get(0))));
        }
        return parse(dir, file, toml, hasSetupPy);
    }

    /** A TOML syntax error as a problem at its place. */
    static MemberProblem tomlError(Path dir, Path file, TomlParseError error) {
        TomlPosition at = error.position();
        int line = at == null ? 0 : at.line();
        int column = at == null ? 0 : at.column();
        return new MemberProblem(dir, file, line, column, "", "invalid TOML: " + error.getMessage());
    }

    static ParseOutcome parse(Path dir, Path file, TomlTable toml, boolean hasSetupPy) {
        boolean hasProject = toml.contains(List.of("project"));
        boolean hasBuildSystem = toml.contains(List.of("build-system"));
        if (!hasProject && !hasBuildSystem && !hasSetupPy) {
            return new ParseOutcome.NotAPackage(dir,
                    "`" + PYPROJECT + "` has neither `[project]` nor `[build-system]`, and there is no `" + SETUP_PY + "`");
        }
        Reader reader = new Reader(dir, file, toml);
        Optional<BuildSystem> buildSystem = reader.buildSystem();
        Optional<Identity> identity = hasProject ? reader.project() : Optional.of(Identity.fromDirectory(dir));
        if (!reader.problems.isEmpty() || buildSystem.isEmpty() || identity.isEmpty()) {
            List<MemberProblem> inFileOrder = new ArrayList<>(reader.problems);
            inFileOrder.sort(Comparator.comparingInt(MemberProblem::line).thenComparingInt(MemberProblem::column));
            return new ParseOutcome.Invalid(dir, inFileOrder);
        }
        Identity id = identity.get();
        BuildSystem bs = buildSystem.get();
        return new ParseOutcome.Parsed(new Member(dir, id.name, id.normalizedName, id.version, id.staticName, bs,
                parseAll(bs.requires())));
    }

    private static Member legacyMember(Path dir, BuildSystem buildSystem) {
        Identity id = Identity.fromDirectory(dir);
        return new Member(dir, id.name, id.normalizedName, Optional.empty(), false, buildSystem,
                parseAll(buildSystem.requires()));
    }

    private static List<Requirement> parseAll(List<String> requires) {
        List<Requirement> parsed = new ArrayList<>(requires.size());
        for (String r : requires) {
            parsed.add(Requirement.parse(r));
        }
        return parsed;
    }

    /**
     * Why {@code entry} of {@code backend-path} is not acceptable, if it is not: it must be
     * relative and stay inside {@code dir}, also once symlinks are resolved (PEP 517 asks
     * frontends to check this, as pyproject_hooks does).
     */
    static Optional<String> backendPathProblem(Path dir, String entry) {
        if (entry.startsWith("/") || entry.startsWith("\\") || entry.matches("^[A-Za-z]:.*")) {
            return Optional.of("`" + entry + "` is absolute; backend-path entries are relative to the project directory");
        }
        Path raw;
        try {
            raw = dir.resolve(entry);
            if (Path.of(entry).isAbsolute()) {
                return Optional.of("`" + entry + "` is absolute; backend-path entries are relative to the project directory");
            }
        } catch (InvalidPathException e) {
            return Optional.of("`" + entry + "` is not a valid path: " + e.getReason());
        }
        Path lexical = raw.normalize();
        if (!lexical.startsWith(dir)) {
            return Optional.of("`" + entry + "` points outside the project directory (to `" + lexical
                    + "`); an in-tree backend must live inside the project");
        }
        // Symlinks: resolve the deepest part of the path that exists (the OS resolves `..` after
        // a symlink, so the un-normalised path is the one to resolve).
        Path probe = raw;
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        if (probe == null) {
            return Optional.empty();
        }
        try {
            Path realDir = dir.toRealPath();
            Path real = probe.toRealPath();
            if (!real.startsWith(realDir)) {
                return Optional.of("`" + entry + "` resolves through a symlink to `" + real
                        + "`, outside the project directory; an in-tree backend must live inside the project");
            }
        } catch (IOException e) {
            return Optional.of("`" + entry + "` cannot be resolved: " + e);
        }
        return Optional.empty();
    }

    /** A value's TOML type and, for scalars, the value itself, for "expected X, got Y". */
    static String describeValue(Object value) {
        if (value instanceof String s) {
            return "the string " + quote(s);
        } else if (value instanceof Long || value instanceof Integer) {
            return "the integer " + value;
        } else if (value instanceof Double) {
            return "the float " + value;
        } else if (value instanceof Boolean) {
            return "the boolean " + value;
        } else if (value instanceof TomlArray) {
            return "an array";
        } else if (value instanceof TomlTable) {
            return "a table";
        }
        return "the date/time " + value;
    }

    static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    /** Name, normalised name and version of a member. */
    private record Identity(String name, String normalizedName, Optional<String> version, boolean staticName) {
        static Identity fromDirectory(Path dir) {
            Path fileName = dir.getFileName();
            String name = fileName == null ? dir.toString() : fileName.toString();
            return new Identity(name, lenientNormalize(name), Optional.empty(), false);
        }

        // A directory name need not be a valid package name; it only serves as a display name and
        // key, so it is normalised the PEP 503 way without validation.
        private static String lenientNormalize(String name) {
            if (PackageName.isValid(name)) {
                try {
                    return PackageName.normalize(name);
                } catch (RuntimeException e) {
                    // fall through to the lenient form
                }
            }
            return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
        }
    }

    /** Walks one parsed file, collecting problems with their places. */
    private static final class Reader {
        private final Path dir;
        private final Path file;
        private final TomlTable toml;
        private final List<MemberProblem> problems = new ArrayList<>();

        Reader(Path dir, Path file, TomlTable toml) {
            this.dir = dir;
            this.file = file;
            this.toml = toml;
        }

        Optional<BuildSystem> buildSystem() {
            Object table = toml.get(List.of("build-system"));
            if (table == null) {
                return Optional.of(BuildSystem.defaults());
            }
            if (!(table instanceof TomlTable bs)) {
                problemAt(List.of("build-system"), "build-system", "expected a table, got " + describeValue(table));
                return Optional.empty();
            }
            List<String> requires = requires(bs);
            String backend = backend(bs);
            List<String> backendPath = backendPath(bs);
            if (requires == null || backend == null || backendPath == null) {
                return Optional.empty();
            }
            return Optional.of(new BuildSystem(requires, backend, backendPath, false));
        }

        private List<String> requires(TomlTable bs) {
            Object value = bs.get(List.of("requires"));
            if (value == null) {
                problemAt(List.of("build-system"), "build-system",
                        "missing `requires`: PEP 518 makes it mandatory in `[build-system]`;"
                                + " list what the backend needs, e.g. `requires = [\"setuptools>=61\"]`");
                return null;
            }
            if (!(value instanceof TomlArray array)) {
                problemAt(List.of("build-system", "requires"), "build-system.requires",
                        "expected an array of PEP 508 requirement strings, got " + describeValue(value));
                return null;
            }
            List<String> requires = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < array.size(); i++) {
                Object item = array.get(i);
                String key = "build-system.requires[" + i + "]";
                if (!(item instanceof String s)) {
                    problemAt(array, i, key, "expected a PEP 508 requirement string, got " + describeValue(item));
                    ok = false;
                    continue;
                }
                try {
                    Requirement.parse(s);
                    requires.add(s);
                } catch (InvalidRequirementException e) {
                    problemAt(array, i, key, "expected a PEP 508 requirement string, got " + quote(s)
                            + ": " + e.reason() + " (at character " + (e.position() + 1) + ")");
                    ok = false;
                } catch (IllegalArgumentException e) {
                    problemAt(array, i, key, "expected a PEP 508 requirement string, got " + quote(s)
                            + ": " + e.getMessage());
                    ok = false;
                }
            }
            return ok ? requires : null;
        }

        private String backend(TomlTable bs) {
            Object value = bs.get(List.of("build-backend"));
            if (value == null) {
                // PEP 517: no backend named means the setuptools legacy path.
                return BuildSystem.LEGACY_BACKEND;
            }
            if (!(value instanceof String s)) {
                problemAt(List.of("build-system", "build-backend"), "build-system.build-backend",
                        "expected a string of the form `module.path:object.path`, got " + describeValue(value));
                return null;
            }
            if (!BuildSystem.isValidBackend(s)) {
                problemAt(List.of("build-system", "build-backend"), "build-system.build-backend",
                        "expected a string of the form `module.path:object.path` (dotted Python identifiers,"
                                + " the `:object.path` part optional), got " + quote(s));
                return null;
            }
            return s;
        }

        private List<String> backendPath(TomlTable bs) {
            Object value = bs.get(List.of("backend-path"));
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof TomlArray array)) {
                problemAt(List.of("build-system", "backend-path"), "build-system.backend-path",
                        "expected an array of relative directory paths, got " + describeValue(value));
                return null;
            }
            List<String> entries = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < array.size(); i++) {
                Object item = array.get(i);
                String key = "build-system.backend-path[" + i + "]";
                if (!(item instanceof String s)) {
                    problemAt(array, i, key, "expected a relative directory path, got " + describeValue(item));
                    ok = false;
                    continue;
                }
                Optional<String> problem = backendPathProblem(dir, s);
                if (problem.isPresent()) {
                    problemAt(array, i, key, problem.get());
                    ok = false;
                } else {
                    entries.add(s);
                }
            }
            return ok ? entries : null;
        }

        Optional<Identity> project() {
            Object table = toml.get(List.of("project"));
            if (!(table instanceof TomlTable project)) {
                problemAt(List.of("project"), "project", "expected a table, got " + describeValue(table));
                return Optional.empty();
            }
            Set<String> dynamic = dynamic(project);
            int before = problems.size();
            String name = name(project, dynamic);
            Optional<String> version = version(project, dynamic);
            if (problems.size() != before || name == null) {
                return Optional.empty();
            }
            return Optional.of(new Identity(name, PackageName.normalize(name), version, true));
        }

        private Set<String> dynamic(TomlTable project) {
            Set<String> dynamic = new LinkedHashSet<>();
            Object value = project.get(List.of("dynamic"));
            if (value == null) {
                return dynamic;
            }
            if (!(value instanceof TomlArray array)) {
                problemAt(List.of("project", "dynamic"), "project.dynamic",
                        "expected an array of field names, got " + describeValue(value));
                return dynamic;
            }
            for (int i = 0; i < array.size(); i++) {
                Object item = array.get(i);
                String key = "project.dynamic[" + i + "]";
                if (!(item instanceof String s)) {
                    problemAt(array, i, key, "expected a field name, got " + describeValue(item));
                } else {
                    if (s.equals("name")) {
                        problemAt(array, i, key, "`name` cannot be dynamic: PEP 621 requires a static `project.name`");
                    }
                    dynamic.add(s);
                }
            }
            return dynamic;
        }

        private String name(TomlTable project, Set<String> dynamic) {
            Object value = project.get(List.of("name"));
            if (value == null && dynamic.contains("name")) {
                return null; // already reported
            }
            if (value == null) {
                problemAt(List.of("project"), "project.name",
                        "missing: PEP 621 requires `name` in `[project]`");
                return null;
            }
            if (!(value instanceof String s)) {
                problemAt(List.of("project", "name"), "project.name",
                        "expected a package name string, got " + describeValue(value));
                return null;
            }
            if (!PackageName.isValid(s)) {
                problemAt(List.of("project", "name"), "project.name",
                        "expected a valid package name (ASCII letters, digits, `-`, `_` and `.`, starting and"
                                + " ending with a letter or digit), got " + quote(s));
                return null;
            }
            return s;
        }

        private Optional<String> version(TomlTable project, Set<String> dynamic) {
            Object value = project.get(List.of("version"));
            if (value == null) {
                if (!dynamic.contains("version")) {
                    problemAt(List.of("project"), "project.version",
                            "missing: give `version` in `[project]` or list it in `project.dynamic` (PEP 621)");
                }
                return Optional.empty();
            }
            if (dynamic.contains("version")) {
                problemAt(List.of("project", "version"), "project.version",
                        "`version` is given and also listed in `project.dynamic`; PEP 621 allows one or the other");
                return Optional.empty();
            }
            if (!(value instanceof String s)) {
                problemAt(List.of("project", "version"), "project.version",
                        "expected a PEP 440 version string, got " + describeValue(value));
                return Optional.empty();
            }
            try {
                Version.parse(s);
            } catch (InvalidVersionException e) {
                problemAt(List.of("project", "version"), "project.version",
                        "expected a PEP 440 version, got " + quote(s) + ": " + e.reason());
                return Optional.empty();
            }
            return Optional.of(s);
        }

        private void problemAt(List<String> path, String key, String message) {
            add(toml.inputPositionOf(path), key, message);
        }

        private void problemAt(TomlArray array, int index, String key, String message) {
            add(array.inputPositionOf(index), key, message);
        }

        private void add(TomlPosition at, String key, String message) {
            int line = at == null ? 0 : at.line();
            int column = at == null ? 0 : at.column();
            problems.add(new MemberProblem(dir, file, line, column, key, message));
        }
    }
}
