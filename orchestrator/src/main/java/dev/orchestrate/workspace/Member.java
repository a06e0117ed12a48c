package dev.orchestrate.workspace;

import static java.util.Objects.requireNonNull;

import dev.orchestrate.env.pep508.Requirement;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One package of the workspace, as its {@code pyproject.toml} (or legacy {@code setup.py}) says.
 *
 * @param dir            the member's directory, absolute, symlinks resolved
 * @param name           {@code project.name} as written, or the directory name when there is no
 *                       static name
 * @param normalizedName {@code name} normalised per PEP 503; the member's key everywhere else
 * @param version        {@code project.version} as written, when static
 * @param staticName     false when {@code name} is only the directory name (legacy project)
 * @param buildSystem    the {@code [build-system]} table, or the PEP 517/518 default
 * @param buildRequires  {@code buildSystem.requires()} parsed, in the same order
 */
public record Member(
        Path dir,
        String name,
        String normalizedName,
        Optional<String> version,
        boolean staticName,
        BuildSystem buildSystem,
        List<Requirement> buildRequires) {

    public Member {
        requireNonNull(dir, "dir");
        requireNonNull(name, "name");
        requireNonNull(normalizedName, "normalizedName");
        requireNonNull(version, "version");
        requireNonNull(buildSystem, "buildSystem");
        buildRequires = List.copyOf(requireNonNull(buildRequires, "buildRequires"));
        if (buildRequires.size() != buildSystem.requires().size()) {
            throw new IllegalArgumentException("buildRequires must parse buildSystem.requires one to one");
        }
    }

    /** The member's {@code pyproject.toml} (which may not exist for a legacy project). */
    public Path pyproject() {
        return dir.resolve(PyProjectParser.PYPROJECT);
    }
}
