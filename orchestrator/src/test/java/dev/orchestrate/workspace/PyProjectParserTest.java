package dev.orchestrate.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PyProjectParserTest {

    @TempDir
    Path tmp;

    private Path write(String relative, String content) throws IOException {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private Member parsed(Path dir) {
        ParseOutcome outcome = PyProjectParser.parse(dir);
        return assertInstanceOf(ParseOutcome.Parsed.class, outcome, () -> outcome.toString()).member();
    }

    private List<MemberProblem> problems(Path dir) {
        ParseOutcome outcome = PyProjectParser.parse(dir);
        return assertInstanceOf(ParseOutcome.Invalid.class, outcome, () -> outcome.toString()).problems();
    }

    private MemberProblem onlyProblem(Path dir) {
        List<MemberProblem> problems = problems(dir);
        assertEquals(1, problems.size(), problems::toString);
        return problems.get(0);
    }

    @Test
    void readsBuildSystemNameAndVersion() throws IOException {
        write("pkg/pyproject.toml", """
                [build-system]
                requires = ["hatchling>=1.20", "house-backend ; sys_platform == 'linux'"]
                build-backend = "hatchling.build"

                [project]
                name = "Pkg"
                version = "1.2.0"
                """);
        Member member = parsed(tmp.resolve("pkg"));
        assertEquals("Pkg", member.name());
        assertEquals("pkg", member.normalizedName());
        assertEquals(Optional.of("1.2.0"), member.version());
        assertTrue(member.staticName());
        BuildSystem bs = member.buildSystem();
        assertEquals(List.of("hatchling>=1.20", "house-backend ; sys_platform == 'linux'"), bs.requires());
        assertEquals("hatchling.build", bs.backend());
        assertEquals("hatchling.build", bs.backendModule());
        assertEquals(Optional.empty(), bs.backendObject());
        assertFalse(bs.pep517Default());
        assertEquals(List.of("hatchling", "house-backend"),
                member.buildRequires().stream().map(r -> r.normalizedName()).toList());
        assertEquals(tmp.resolve("pkg").toAbsolutePath().normalize(), member.dir());
    }

    @Test
    void backendInModuleObjectFormIsSplit() throws IOException {
        write("pkg/pyproject.toml", """
                [build-system]
                requires = []
                build-backend = "house_backend.api:backend.v2"
                backend-path = [".", "backend"]

                [project]
                name = "pkg"
                version = "0.1"
                """);
        BuildSystem bs = parsed(tmp.resolve("pkg")).buildSystem();
        assertEquals("house_backend.api", bs.backendModule());
        assertEquals(Optional.of("backend.v2"), bs.backendObject());
        assertEquals(List.of(".", "backend"), bs.backendPath());
        assertTrue(bs.inTreeBackend());
    }

    @Test
    void withoutBuildSystemTableThePep517DefaultApplies() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "1.0"
                """);
        Member member = parsed(tmp.resolve("pkg"));
        BuildSystem bs = member.buildSystem();
        assertTrue(bs.pep517Default());
        assertEquals("setuptools.build_meta:__legacy__", bs.backend());
        assertEquals(List.of("setuptools>=40.8.0"), bs.requires());
        assertEquals("setuptools", member.buildRequires().get(0).normalizedName());
    }

    @Test
    void setupPyOnlyIsALegacyMemberNamedAfterItsDirectory() throws IOException {
        write("Legacy_Pkg/setup.py", "from setuptools import setup\nsetup(name='whatever')\n");
        Member member = parsed(tmp.resolve("Legacy_Pkg"));
        assertEquals("Legacy_Pkg", member.name());
        assertEquals("legacy-pkg", member.normalizedName());
        assertFalse(member.staticName());
        assertEquals(Optional.empty(), member.version());
        assertEquals(BuildSystem.defaults(), member.buildSystem());
        assertTrue(member.buildSystem().pep517Default());
    }

    @Test
    void pyprojectWithOnlyToolConfigBesideSetupPyIsLegacy() throws IOException {
        write("pkg/pyproject.toml", "[tool.black]\nline-length = 100\n");
        write("pkg/setup.py", "from setuptools import setup\nsetup()\n");
        Member member = parsed(tmp.resolve("pkg"));
        assertFalse(member.staticName());
        assertTrue(member.buildSystem().pep517Default());
    }

    @Test
    void buildSystemWithoutBackendUsesTheLegacyBackendWithTheRequiresGiven() throws IOException {
        write("pkg/pyproject.toml", """
                [build-system]
                requires = ["setuptools>=61", "wheel"]

                [project]
                name = "pkg"
                version = "1.0"
                """);
        BuildSystem bs = parsed(tmp.resolve("pkg")).buildSystem();
        assertEquals(BuildSystem.LEGACY_BACKEND, bs.backend());
        assertEquals("setuptools.build_meta", bs.backendModule());
        assertEquals(Optional.of("__legacy__"), bs.backendObject());
        assertEquals(List.of("setuptools>=61", "wheel"), bs.requires());
        assertFalse(bs.pep517Default());
    }

    @Test
    void buildSystemWithoutRequiresIsAProblem() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "1.0"

                [build-system]
                build-backend = "flit_core.buildapi"
                """);
        MemberProblem problem = onlyProblem(tmp.resolve("pkg"));
        assertEquals("build-system", problem.key());
        assertEquals(5, problem.line());
        assertTrue(problem.message().contains("missing `requires`"), problem.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:", ":b", "a::b", "a b", "1abc", "a.:b", "a:b:c", " a", "a-b.api", ""})
    void malformedBuildBackendIsAProblem(String backend) throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "1.0"

                [build-system]
                requires = []
                build-backend = "%s"
                """.formatted(backend));
        MemberProblem problem = onlyProblem(tmp.resolve("pkg"));
        assertEquals("build-system.build-backend", problem.key());
        assertEquals(7, problem.line());
        assertTrue(problem.message().contains("module.path:object.path"), problem.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "a/../../x", "..", "./../pkg-sibling"})
    void backendPathLeavingTheProjectIsAProblem(String entry) throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "1.0"

                [build-system]
                requires = []
                build-backend = "backend"
                backend-path = [
                    ".",
                    "%s",
                ]
                """.formatted(entry));
        MemberProblem problem = onlyProblem(tmp.resolve("pkg"));
        assertEquals("build-system.backend-path[1]", problem.key());
        assertEquals(10, problem.line());
        assertEquals(5, problem.column());
        assertTrue(problem.message().contains(entry), problem.message());
    }

    @Test
    void backendPathThroughASymlinkPointingOutsideIsAProblem() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside/backend"));
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "1.0"

                [build-system]
                requires = []
                build-backend = "backend"
                backend-path = ["tools", "tools/backend", "tools/missing/deeper"]
                """);
        Files.createSymbolicLink(tmp.resolve("pkg/tools"), outside.getParent());
        List<MemberProblem> problems = problems(tmp.resolve("pkg"));
        assertEquals(List.of("build-system.backend-path[0]", "build-system.backend-path[1]",
                "build-system.backend-path[2]"), problems.stream().map(MemberProblem::key).toList());
        assertTrue(problems.get(0).message().contains("symlink"), problems.get(0).message());
        assertEquals(8, problems.get(0).line());
    }

    @Test
    void backendPathThroughASymlinkStayingInsideIsFine() throws IOException {
        Files.createDirectories(tmp.resolve("pkg/src/backend"));
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "1.0"

                [build-system]
                requires = []
                build-backend = "backend"
                backend-path = ["link", "not-there-yet"]
                """);
        Files.createSymbolicLink(tmp.resolve("pkg/link"), tmp.resolve("pkg/src"));
        assertEquals(List.of("link", "not-there-yet"), parsed(tmp.resolve("pkg")).buildSystem().backendPath());
    }

    @Test
    void invalidTomlIsAProblemAtItsLine() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"

                version = 1.2.3
                """);
        MemberProblem problem = onlyProblem(tmp.resolve("pkg"));
        assertEquals(4, problem.line());
        assertEquals(14, problem.column());
        assertEquals("", problem.key());
        assertTrue(problem.message().startsWith("invalid TOML: "), problem.message());
        assertEquals(tmp.resolve("pkg/pyproject.toml").toAbsolutePath().normalize(), problem.file());
    }

    @Test
    void requiresAsAStringIsAProblemNamingTheKey() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "1.0"

                [build-system]
                requires = "setuptools"
                """);
        MemberProblem problem = onlyProblem(tmp.resolve("pkg"));
        assertEquals("build-system.requires", problem.key());
        assertEquals(6, problem.line());
        assertEquals("expected an array of PEP 508 requirement strings, got the string \"setuptools\"",
                problem.message());
    }

    @Test
    void buildBackendAsAnIntegerIsAProblemNamingTheKey() throws IOException {
        write("pkg/pyproject.toml", """
                [build-system]
                requires = []
                build-backend = 42

                [project]
                name = "pkg"
                version = "1.0"
                """);
        MemberProblem problem = onlyProblem(tmp.resolve("pkg"));
        assertEquals("build-system.build-backend", problem.key());
        assertEquals(3, problem.line());
        assertTrue(problem.message().endsWith("got the integer 42"), problem.message());
    }

    @Test
    void invalidRequirementIsAProblemNamingItsIndexAndLine() throws IOException {
        Path file = write("pkg/pyproject.toml", """
                [build-system]
                requires = [
                    "setuptools>=61",
                    "!!not a requirement",
                    7,
                ]

                [project]
                name = "pkg"
                version = "1.0"
                """);
        List<MemberProblem> problems = problems(tmp.resolve("pkg"));
        assertEquals(2, problems.size(), problems::toString);
        MemberProblem bad = problems.get(0);
        assertEquals("build-system.requires[1]", bad.key());
        assertEquals(4, bad.line());
        assertEquals(5, bad.column());
        assertTrue(bad.message().startsWith("expected a PEP 508 requirement string, got \"!!not a requirement\": "),
                bad.message());
        assertTrue(bad.message().endsWith("(at character 1)"), bad.message());
        assertFalse(bad.message().contains("\n"), "one line: " + bad.message());
        assertTrue(bad.describe(tmp.toAbsolutePath().normalize()).startsWith(
                "pkg/pyproject.toml:4:5: build-system.requires[1]: expected a PEP 508 requirement string, got "),
                bad.describe(tmp));
        assertTrue(bad.describe().startsWith(file.toAbsolutePath().normalize() + ":4:5: "), bad.describe());
        MemberProblem integer = problems.get(1);
        assertEquals("build-system.requires[2]", integer.key());
        assertEquals("expected a PEP 508 requirement string, got the integer 7", integer.message());
    }

    @Test
    void projectNameIsNormalisedPerPep503() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "Foo.Bar_baz"
                version = "1.0"
                """);
        Member member = parsed(tmp.resolve("pkg"));
        assertEquals("Foo.Bar_baz", member.name());
        assertEquals("foo-bar-baz", member.normalizedName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-foo", "foo bar", "foo_", "", "naïve"})
    void invalidProjectNameIsAProblem(String name) throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                version = "1.0"
                name = "%s"
                """.formatted(name));
        MemberProblem problem = onlyProblem(tmp.resolve("pkg"));
        assertEquals("project.name", problem.key());
        assertEquals(3, problem.line());
    }

    @Test
    void dynamicNameIsAProblem() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                dynamic = ["version", "name"]
                """);
        MemberProblem problem = onlyProblem(tmp.resolve("pkg"));
        assertEquals("project.dynamic[1]", problem.key());
        assertEquals(2, problem.line());
        assertTrue(problem.message().contains("`name` cannot be dynamic"), problem.message());
    }

    @Test
    void dynamicVersionLeavesTheVersionEmpty() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                dynamic = ["version"]
                """);
        assertEquals(Optional.empty(), parsed(tmp.resolve("pkg")).version());
    }

    @Test
    void versionIsKeptAsWritten() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "v1.0"
                """);
        assertEquals(Optional.of("v1.0"), parsed(tmp.resolve("pkg")).version());
    }

    @Test
    void invalidVersionIsAProblem() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "one point two"
                """);
        MemberProblem problem = onlyProblem(tmp.resolve("pkg"));
        assertEquals("project.version", problem.key());
        assertEquals(3, problem.line());
        assertTrue(problem.message().startsWith("expected a PEP 440 version, got \"one point two\""),
                problem.message());
    }

    @Test
    void versionBothStaticAndDynamicIsAProblem() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "1.0"
                dynamic = ["version"]
                """);
        assertEquals("project.version", onlyProblem(tmp.resolve("pkg")).key());
    }

    @Test
    void missingVersionWithoutDynamicIsAProblem() throws IOException {
        write("pkg/pyproject.toml", "[project]\nname = \"pkg\"\n");
        MemberProblem problem = onlyProblem(tmp.resolve("pkg"));
        assertEquals("project.version", problem.key());
        assertEquals(1, problem.line());
    }

    @Test
    void everyProblemOfAFileIsReportedInFileOrder() throws IOException {
        write("pkg/pyproject.toml", """
                [project]
                name = "pkg"
                version = "x.y"

                [build-system]
                requires = ["ok", 1]
                build-backend = "a b"
                backend-path = ["../up"]
                """);
        assertEquals(List.of("project.version", "build-system.requires[1]", "build-system.build-backend",
                        "build-system.backend-path[0]"),
                problems(tmp.resolve("pkg")).stream().map(MemberProblem::key).toList());
    }

    @Test
    void toolConfigOnlyIsNotAPackage() throws IOException {
        write("docs/pyproject.toml", "[tool.ruff]\nline-length = 100\n");
        assertInstanceOf(ParseOutcome.NotAPackage.class, PyProjectParser.parse(tmp.resolve("docs")));
    }

    @Test
    void emptyDirectoryIsNotAPackage() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        assertInstanceOf(ParseOutcome.NotAPackage.class, PyProjectParser.parse(tmp.resolve("empty")));
    }

    @Test
    void buildSystemValidatesItsBackendForm() {
        assertTrue(BuildSystem.isValidBackend("setuptools.build_meta:__legacy__"));
        assertTrue(BuildSystem.isValidBackend("backend"));
        assertTrue(BuildSystem.isValidBackend("mödul._x1:Obj"));
        assertFalse(BuildSystem.isValidBackend("setuptools.build_meta:"));
        assertFalse(BuildSystem.isValidBackend("a..b"));
    }
}
