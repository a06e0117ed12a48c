package dev.orchestrate.workspace;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/** What {@link PyProjectParser#parse(Path)} made of one directory. */
public sealed interface ParseOutcome {

    /** The directory concerned, absolute. */
    Path dir();

    /** A buildable member. */
    record Parsed(Member member) implements ParseOutcome {
        public Parsed {
            requireNonNull(member, "member");
        }

        @Override
        public Path dir() {
            return member.dir();
        }
    }

    /** A package whose metadata is wrong; every problem found in the file, in file order. */
    record Invalid(Path dir, List<MemberProblem> problems) implements ParseOutcome {
        public Invalid {
            requireNonNull(dir, "dir");
            problems = List.copyOf(requireNonNull(problems, "problems"));
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an Invalid outcome needs at least one problem");
            }
        }
    }

    /**
     * Nothing here tells a frontend how to build: no {@code setup.py}, and no
     * {@code pyproject.toml} or one with neither {@code [project]} nor {@code [build-system]}
     * (a directory that only configures tools, e.g. {@code [tool.ruff]}).
     */
    record NotAPackage(Path dir, String reason) implements ParseOutcome {
        public NotAPackage {
            requireNonNull(dir, "dir");
            requireNonNull(reason, "reason");
        }
    }
}
