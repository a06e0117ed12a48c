package dev.orchestrate.graph;

import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.env.pep508.Requirement;
import dev.orchestrate.workspace.BuildSystem;
import dev.orchestrate.workspace.Member;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Members made in memory, for graph tests that need no files. */
final class Members {

    static final Path ROOT = Path.of("/ws").toAbsolutePath();
    static final Map<String, String> LINUX = Map.of(
            "sys_platform", "linux", "os_name", "posix", "platform_system", "Linux",
            "python_version", "3.11", "python_full_version", "3.11.9", "implementation_name", "cpython",
            "platform_machine", "x86_64", "platform_python_implementation", "CPython",
            "platform_release", "6.1.0", "platform_version", "#1 SMP");

    private Members() {}

    /** A member with an in-tree backend, so only the {@code requires} given here name packages. */
    static Member member(String name, String version, String... requires) {
        BuildSystem buildSystem = new BuildSystem(List.of(requires), "backend", List.of("."), false);
        return new Member(ROOT.resolve("packages").resolve(name), name, PackageName.normalize(name),
                Optional.ofNullable(version), true, buildSystem,
                Arrays.stream(requires).map(Requirement::parse).toList());
    }

    static BuildGraph graph(Member... members) {
        return BuildGraph.of(List.of(members), LINUX);
    }
}
