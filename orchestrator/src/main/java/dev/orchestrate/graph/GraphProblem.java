package dev.orchestrate.graph;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Something wrong with the build-requirement graph, found when it was built. */
public sealed interface GraphProblem {

    /** The member the problem is reported against (the first of a cycle). */
    String member();

    /** What is wrong, names in backticks. */
    String message();

    /** What to try, or "" when there is nothing specific to say. */
    String hint();

    /** {@code message}, then the hint on its own line when there is one. */
    default String describe() {
        return hint().isEmpty() ? message() : message() + "\n  hint: " + hint();
    }

    /**
     * A member's build requirement names another member whose static version it excludes. The
     * edge is kept (the workspace member is what gets built against), the mismatch reported.
     */
    record VersionMismatch(String member, String requirement, String dependency, String version)
            implements GraphProblem {
        public VersionMismatch {
            requireNonNull(member, "member");
            requireNonNull(requirement, "requirement");
            requireNonNull(dependency, "dependency");
            requireNonNull(version, "version");
        }

        @Override
        public String message() {
            return "`" + member + "` requires `" + requirement + "` but the workspace member `" + dependency
                    + "` is " + version;
        }

        @Override
        public String hint() {
            return "change the requirement in `" + member + "`'s build-system.requires or the version of `"
                    + dependency + "`";
        }
    }

    /**
     * A requirement naming a member has a marker that cannot be evaluated in the target
     * environment (a variable is missing, or the comparison is undefined). No edge is made.
     */
    record InvalidMarker(String member, String requirement, String reason) implements GraphProblem {
        public InvalidMarker {
            requireNonNull(member, "member");
            requireNonNull(requirement, "requirement");
            requireNonNull(reason, "reason");
        }

        @Override
        public String message() {
            return "`" + member + "` requires `" + requirement + "` but its marker cannot be evaluated: " + reason;
        }

        @Override
        public String hint() {
            return "markers compare the variables of PEP 508 (`python_version`, `sys_platform`, ...);"
                    + " `~=`, `<` and `>` need version values on both sides";
        }
    }

    /**
     * A member lists itself in {@code build-system.requires}: to build it, its own wheel would be
     * needed first. Usually meant as an in-tree backend.
     */
    record SelfDependency(String member, String requirement) implements GraphProblem {
        public SelfDependency {
            requireNonNull(member, "member");
            requireNonNull(requirement, "requirement");
        }

        @Override
        public String message() {
            return "build requirement cycle: `" + member + "` -> `" + member + "`: `" + member
                    + "` lists itself (`" + requirement + "`) in build-system.requires";
        }

        @Override
        public String hint() {
            return "use backend-path for an in-tree backend: drop `" + requirement
                    + "` from requires and set `backend-path = [\".\"]` (or the directory holding the backend)";
        }
    }

    /** Members that need each other's wheels to build, as a path {@code [a, b, a]}. */
    record Cycle(List<String> path) implements GraphProblem {
        public Cycle {
            path = List.copyOf(requireNonNull(path, "path"));
            if (path.size() < 2 || !path.get(0).equals(path.get(path.size() - 1))) {
                throw new IllegalArgumentException("a cycle path starts and ends with the same member: " + path);
            }
        }

        @Override
        public String member() {
            return path.get(0);
        }

        @Override
        public String message() {
            return "build requirement cycle: " + BuildGraph.describePath(path);
        }

        @Override
        public String hint() {
            return "a member cannot be built before its own build requirements: remove one of these"
                    + " build-system.requires entries (an in-tree backend belongs in backend-path)";
        }
    }
}
