package dev.orchestrate.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MemberProblemTest {

    private final Path root = Path.of("/ws").toAbsolutePath();
    private final Path file = root.resolve("path/to/pyproject.toml");

    @Test
    void describeShowsFileLineColumnKeyAndMessage() {
        MemberProblem problem = new MemberProblem(file.getParent(), file, 12, 5, "build-system.requires[1]",
                "expected a PEP 508 requirement string, got the integer 3");
        assertEquals("path/to/pyproject.toml:12:5: build-system.requires[1]: expected a PEP 508 requirement string,"
                + " got the integer 3", problem.describe(root));
        assertEquals(file + ":12:5: build-system.requires[1]: expected a PEP 508 requirement string,"
                + " got the integer 3", problem.describe());
    }

    @Test
    void describeLeavesOutWhatIsUnknown() {
        assertEquals("path/to/pyproject.toml: no package here",
                MemberProblem.of(file.getParent(), file, "", "no package here").describe(root));
        assertEquals("path/to/pyproject.toml:3: project: oops",
                new MemberProblem(file.getParent(), file, 3, 0, "project", "oops").describe(root));
    }

    @Test
    void describeKeepsFilesOutsideTheBaseAbsolute() {
        Path other = Path.of("/elsewhere/pyproject.toml").toAbsolutePath();
        assertEquals(other + ":1:1: k: m", new MemberProblem(other.getParent(), other, 1, 1, "k", "m").describe(root));
    }
}
