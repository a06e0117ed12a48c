package dev.orchestrate.workspace;

import static java.util.Objects.requireNonNull;

import dev.orchestrate.env.pep508.PackageName;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What discovery found under a workspace root.
 *
 * @param root         the workspace root, absolute, symlinks resolved
 * @param members      the members that parsed, sorted by directory (the root first); names unique
 * @param problems     what kept a directory from being a member, or is wrong with the member list
 * @param discoveredBy {@link #BY_ORCHESTRATE}, {@link #BY_UV} or {@link #BY_SCAN}
 */
public record Workspace(Path root, List<Member> members, List<MemberProblem> problems, String discoveredBy) {

    /** Members came from {@code [tool.orchestrate.workspace]} in the root {@code pyproject.toml}. */
    public static final String BY_ORCHESTRATE = "tool.orchestrate.workspace";
    /** Members came from {@code [tool.uv.workspace]} in the root {@code pyproject.toml}. */
    public static final String BY_UV = "tool.uv.workspace";
    /** No member table: every package directory under the root is a member. */
    public static final String BY_SCAN = "scan";

    public Workspace {
        requireNonNull(root, "root");
        members = List.copyOf(requireNonNull(members, "members"));
        problems = List.copyOf(requireNonNull(problems, "problems"));
        requireNonNull(discoveredBy, "discoveredBy");
        if (!Set.of(BY_ORCHESTRATE, BY_UV, BY_SCAN).contains(discoveredBy)) {
            throw new IllegalArgumentException("unknown discoveredBy `" + discoveredBy + "`");
        }
    }

    /** The member called {@code name} (compared after PEP 503 normalisation). */
    public Optional<Member> member(String name) {
        String normalized = PackageName.normalize(name);
        return members.stream().filter(m -> m.normalizedName().equals(normalized)).findFirst();
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }
}
