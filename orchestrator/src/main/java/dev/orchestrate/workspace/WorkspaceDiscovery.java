package dev.orchestrate.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Finds the members of the workspace at a root directory.
 *
 * <p>The member list comes from the root {@code pyproject.toml}: {@code [tool.orchestrate.workspace]}
 * ({@code members}, {@code exclude}), else {@code [tool.uv.workspace]} (same keys, uv's meaning),
 * else a scan of the whole tree. The scan descends into members too (a monorepo may keep
 * {@code services/api/} below a {@code services/} that is itself a package) but never into hidden
 * directories, {@code dist}, {@code build}, {@code node_modules}, {@code __pycache__},
 * {@code *.egg-info} or virtualenvs. The root is a member when it is a package itself.
 *
 * <p>Blocking (walks the file tree, reads files): call it on a worker thread.
 */
public final class WorkspaceDiscovery {

    // Parsing is independent per member; above this many, use the common pool.
    private static final int PARALLEL_THRESHOLD = 64;

    private WorkspaceDiscovery() {}

    /**
     * Discovers the members under {@code root}.
     *
     * @throws WorkspaceException when the root does not exist, its {@code pyproject.toml} is not
     *                            valid TOML, or its member table is malformed
     */
    public static Workspace discover(Path root) throws WorkspaceException {
        Path realRoot = realRoot(root);
        Path rootFile = realRoot.resolve(PyProjectParser.PYPROJECT);
        TomlParseResult rootToml = readRootToml(rootFile);
        return new Run(realRoot, rootFile, rootToml).discover();
    }

    private static Path realRoot(Path root) throws WorkspaceException {
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new WorkspaceException(absolute, 0, 0, "workspace root `" + absolute + "` does not exist");
        }
        if (!Files.isDirectory(absolute)) {
            throw new WorkspaceException(absolute, 0, 0, "workspace root `" + absolute + "` is not a directory");
        }
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            throw new WorkspaceException(absolute, 0, 0, "cannot resolve workspace root `" + absolute + "`: " + e, e);
        }
    }

    private static TomlParseResult readRootToml(Path rootFile) throws WorkspaceException {
        if (!Files.isRegularFile(rootFile)) {
            return null;
        }
        TomlParseResult toml;
        try {
            toml = Toml.parse(rootFile);
        } catch (IOException e) {
            throw new WorkspaceException(rootFile, 0, 0, "cannot read the workspace `pyproject.toml`: " + e, e);
        }
        if (!toml.errors().isEmpty()) {
            MemberProblem first = PyProjectParser.tomlError(rootFile.getParent(), rootFile, toml.errors().get(0));
            throw new WorkspaceException(rootFile, first.line(), first.column(), first.message());
        }
        return toml;
    }

    /** Where a candidate directory came from, which decides how strictly it is judged. */
    private record Origin(boolean root, boolean literal, String key, TomlPosition position) {
        static final Origin ROOT = new Origin(true, true, "", null);
        static final Origin SCAN = new Origin(false, false, "", null);
    }

    /** One discovery, with its state. */
    private static final class Run {
        private final Path root;
        private final Path rootFile;
        private final TomlParseResult rootToml;
        private final List<MemberProblem> problems = new ArrayList<>();
        // Real path -> where it was first found; insertion order is discovery order.
        private final Map<Path, Origin> candidates = new LinkedHashMap<>();
        private final List<Pattern> excludes = new ArrayList<>();

        Run(Path root, Path rootFile, TomlParseResult rootToml) {
            this.root = root;
            this.rootFile = rootFile;
            this.rootToml = rootToml;
        }

        Workspace discover() throws WorkspaceException {
            candidates.put(root, Origin.ROOT);
            String discoveredBy;
            if (table(Workspace.BY_ORCHESTRATE).isPresent()) {
                discoveredBy = Workspace.BY_ORCHESTRATE;
                fromTable(discoveredBy, true);
            } else if (table(Workspace.BY_UV).isPresent()) {
                discoveredBy = Workspace.BY_UV;
                fromTable(discoveredBy, false);
            } else {
                discoveredBy = Workspace.BY_SCAN;
                scan(root);
            }
            List<Member> members = parseCandidates();
            return new Workspace(root, uniqueNames(members), problems, discoveredBy);
        }

        private Optional<TomlTable> table(String dottedKey) throws WorkspaceException {
            if (rootToml == null) {
                return Optional.empty();
            }
            List<String> path = List.of(dottedKey.split("\\."));
            Object value = rootToml.get(path);
            if (value == null) {
                return Optional.empty();
            }
            if (!(value instanceof TomlTable table)) {
                throw fatal(path, dottedKey + ": expected a table, got " + PyProjectParser.describeValue(value));
            }
            return Optional.of(table);
        }

        /**
         * Members from a workspace table. Without {@code members}, orchestrate's own table means
         * "scan, minus the excludes"; uv's means "the root only", as in uv.
         */
        private void fromTable(String tableKey, boolean scanWhenNoMembers) throws WorkspaceException {
            for (Entry exclude : patterns(tableKey, "exclude")) {
                try {
                    excludes.add(MemberGlob.pathRegex(exclude.text));
                } catch (IllegalArgumentException e) {
                    throw invalidGlob(exclude, e);
                }
            }
            List<Entry> members = patterns(tableKey, "members");
            if (members.isEmpty() && !rootToml.contains(List.of((tableKey + ".members").split("\\.")))
                    && scanWhenNoMembers) {
                scan(root);
                return;
            }
            for (Entry entry : members) {
                expandEntry(entry);
            }
        }

        private WorkspaceException invalidGlob(Entry entry, IllegalArgumentException e) {
            return new WorkspaceException(rootFile, line(entry.position), column(entry.position),
                    entry.key + ": " + e.getMessage(), e);
        }

        /** An entry of {@code members} or {@code exclude} with its key and place. */
        private record Entry(String text, String key, TomlPosition position) {}

        private List<Entry> patterns(String tableKey, String name) throws WorkspaceException {
            List<String> path = new ArrayList<>(List.of(tableKey.split("\\.")));
            path.add(name);
            String key = tableKey + "." + name;
            Object value = rootToml.get(path);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof TomlArray array)) {
                throw fatal(path, key + ": expected an array of glob strings, got "
                        + PyProjectParser.describeValue(value));
            }
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                Object item = array.get(i);
                TomlPosition at = array.inputPositionOf(i);
                String itemKey = key + "[" + i + "]";
                if (!(item instanceof String s)) {
                    throw new WorkspaceException(rootFile, line(at), column(at), itemKey
                            + ": expected a glob string, got " + PyProjectParser.describeValue(item));
                }
                entries.add(new Entry(s, itemKey, at));
            }
            return entries;
        }

        private void expandEntry(Entry entry) throws WorkspaceException {
            if (MemberGlob.isAbsolute(entry.text)) {
                problems.add(new MemberProblem(root, rootFile, line(entry.position), column(entry.position), entry.key,
                        "`" + entry.text + "` is absolute; member paths and globs are relative to the workspace root"));
                return;
            }
            MemberGlob glob;
            try {
                glob = MemberGlob.of(entry.text);
            } catch (IllegalArgumentException e) {
                throw invalidGlob(entry, e);
            }
            Origin origin = new Origin(false, glob.isLiteral(), entry.key, entry.position);
            for (Path found : glob.expand(root)) {
                Path lexical = found.normalize();
                if (isExcluded(lexical)) {
                    continue;
                }
                if (!Files.isDirectory(lexical)) {
                    if (origin.literal) {
                        problems.add(new MemberProblem(lexical, rootFile, line(entry.position), column(entry.position),
                                entry.key, "member `" + entry.text + "` "
                                        + (Files.exists(lexical) ? "is not a directory" : "does not exist")));
                    }
                    continue;
                }
                Path real;
                try {
                    real = lexical.toRealPath();
                } catch (IOException e) {
                    problems.add(new MemberProblem(lexical, rootFile, line(entry.position), column(entry.position),
                            entry.key, "cannot resolve `" + lexical + "`: " + e));
                    continue;
                }
                if (!isExcluded(real)) {
                    addCandidate(lexical, real, origin);
                }
            }
        }

        private boolean isExcluded(Path dir) {
            if (excludes.isEmpty()) {
                return false;
            }
            String relative = root.relativize(dir).toString().replace('\\', '/');
            return excludes.stream().anyMatch(p -> p.matcher(relative).matches());
        }

        /** Records a candidate unless it is already known or lies outside the root. */
        private void addCandidate(Path found, Path real, Origin origin) {
            if (!real.startsWith(root)) {
                // Only worth saying when there is a package there, or the user named it.
                if (origin.literal || isPackageDir(real)) {
                    problems.add(new MemberProblem(found, origin.key.isEmpty() ? found : rootFile,
                            line(origin.position), column(origin.position), origin.key,
                            "member directory `" + display(found) + "` resolves to `" + real
                                    + "`, outside the workspace root `" + root + "`"));
                }
                return;
            }
            candidates.putIfAbsent(real, origin);
        }

        /** Every package directory below {@code dir}, members' own subdirectories included. */
        private void scan(Path dir) {
            for (Path child : MemberGlob.walkableChildren(dir, false)) {
                if (isExcluded(child)) {
                    continue;
                }
                if (Files.isSymbolicLink(child)) {
                    // An alias: judged by where it points, never walked (no loops, no escapes).
                    try {
                        Path real = child.toRealPath();
                        if (isPackageDir(real) && !isExcluded(real)) {
                            addCandidate(child, real, Origin.SCAN);
                        }
                    } catch (IOException e) {
                        // A dangling link is not a package.
                    }
                    continue;
                }
                if (isPackageDir(child)) {
                    addCandidate(child, child, Origin.SCAN);
                }
                scan(child);
            }
        }

        private static boolean isPackageDir(Path dir) {
            return Files.isRegularFile(dir.resolve(PyProjectParser.PYPROJECT))
                    || Files.isRegularFile(dir.resolve(PyProjectParser.SETUP_PY));
        }

        private List<Member> parseCandidates() {
            List<Map.Entry<Path, Origin>> ordered = new ArrayList<>(candidates.entrySet());
            ordered.sort(Comparator.comparing((Map.Entry<Path, Origin> e) -> !e.getValue().root)
                    .thenComparing(e -> relative(e.getKey())));
            var stream = ordered.size() > PARALLEL_THRESHOLD ? ordered.parallelStream() : ordered.stream();
            List<ParseOutcome> outcomes = stream.map(e -> parseCandidate(e.getKey(), e.getValue())).toList();
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < ordered.size(); i++) {
                Origin origin = ordered.get(i).getValue();
                ParseOutcome outcome = outcomes.get(i);
                if (outcome instanceof ParseOutcome.Parsed parsed) {
                    members.add(parsed.member());
                } else if (outcome instanceof ParseOutcome.Invalid invalid) {
                    problems.addAll(invalid.problems());
                } else if (outcome instanceof ParseOutcome.NotAPackage not && origin.literal && !origin.root) {
                    // A glob may match directories that are not packages; a path the user wrote may not.
                    problems.add(new MemberProblem(not.dir(), rootFile, line(origin.position), column(origin.position),
                            origin.key, "member `" + relative(not.dir()) + "` is not a Python package: " + not.reason()));
                }
            }
            return members;
        }

        private ParseOutcome parseCandidate(Path dir, Origin origin) {
            if (origin.root) {
                // The root file is already parsed (and valid): reuse it.
                boolean hasSetupPy = Files.isRegularFile(dir.resolve(PyProjectParser.SETUP_PY));
                if (rootToml == null) {
                    return PyProjectParser.parse(dir);
                }
                return PyProjectParser.parse(dir, rootFile, rootToml, hasSetupPy);
            }
            return PyProjectParser.parse(dir);
        }

        /**
         * Names are the members' keys: the first (by path) keeps a name, later ones are problems.
         */
        private List<Member> uniqueNames(List<Member> members) {
            Map<String, Member> byName = new HashMap<>();
            List<Member> unique = new ArrayList<>();
            for (Member member : members) {
                Member first = byName.putIfAbsent(member.normalizedName(), member);
                if (first == null) {
                    unique.add(member);
                    continue;
                }
                TomlPosition at = namePosition(member);
                String hint = member.staticName() ? ""
                        : " (this name is the directory name; give the project a static `project.name`)";
                problems.add(new MemberProblem(member.dir(), member.pyproject(), line(at), column(at),
                        member.staticName() ? "project.name" : "",
                        "the name `" + member.normalizedName() + "` is already taken by the member at `"
                                + relative(first.dir()) + "`; member names must be unique" + hint));
            }
            return unique;
        }

        private static TomlPosition namePosition(Member member) {
            if (!member.staticName()) {
                return null;
            }
            try {
                return Toml.parse(member.pyproject()).inputPositionOf(List.of("project", "name"));
            } catch (IOException e) {
                return null;
            }
        }

        private WorkspaceException fatal(List<String> path, String message) {
            TomlPosition at = rootToml.inputPositionOf(path);
            return new WorkspaceException(rootFile, line(at), column(at), message);
        }

        private String relative(Path dir) {
            String relative = root.relativize(dir).toString().replace('\\', '/');
            return relative.isEmpty() ? "." : relative;
        }

        private String display(Path dir) {
            return dir.startsWith(root) ? relative(dir) : dir.toString();
        }

        private static int line(TomlPosition at) {
            return at == null ? 0 : at.line();
        }

        private static int column(TomlPosition at) {
            return at == null ? 0 : at.column();
        }
    }
}
