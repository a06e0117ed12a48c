package dev.orchestrate.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceDiscoveryTest {

    @TempDir
    Path tmp;

    Path root;

    @BeforeEach
    void makeRoot() throws IOException {
        root = Files.createDirectories(tmp.resolve("ws"));
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** A minimal valid member at {@code relative} named {@code name}. */
    private void pkg(String relative, String name) throws IOException {
        write(relative + "/pyproject.toml", """
                [build-system]
                requires = ["setuptools>=61"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "%s"
                version = "1.0"
                """.formatted(name));
    }

    private static List<String> names(Workspace ws) {
        return ws.members().stream().map(Member::normalizedName).toList();
    }

    private List<String> dirs(Workspace ws) {
        return ws.members().stream().map(m -> {
            String rel = ws.root().relativize(m.dir()).toString().replace('\\', '/');
            return rel.isEmpty() ? "." : rel;
        }).toList();
    }

    @Test
    void orchestrateTableListsMembersAndExcludes() throws IOException, WorkspaceException {
        write("pyproject.toml", """
                [tool.orchestrate.workspace]
                members = ["packages/*", "tools/cli"]
                exclude = ["packages/legacy-*"]
                """);
        pkg("packages/alpha", "alpha");
        pkg("packages/beta", "beta");
        pkg("packages/legacy-one", "legacy-one");
        pkg("packages/alpha/nested", "nested"); // `*` does not cross `/`
        Files.createDirectories(root.resolve("packages/notes")); // glob match without a package: skipped
        pkg("tools/cli", "cli");
        pkg("elsewhere/stray", "stray");

        Workspace ws = WorkspaceDiscovery.discover(root);

        assertEquals(Workspace.BY_ORCHESTRATE, ws.discoveredBy());
        assertEquals(List.of("packages/alpha", "packages/beta", "tools/cli"), dirs(ws));
        assertEquals(List.of(), ws.problems());
        assertEquals(root.toRealPath(), ws.root());
    }

    @Test
    void uvTableIsUsedWhenThereIsNoOrchestrateTable() throws IOException, WorkspaceException {
        write("pyproject.toml", """
                [project]
                name = "monorepo"
                version = "0.1"

                [tool.uv.workspace]
                members = ["libs/**"]
                exclude = ["libs/experimental"]
                """);
        pkg("libs/a", "a");
        pkg("libs/group/b", "b");
        pkg("libs/experimental", "experimental");

        Workspace ws = WorkspaceDiscovery.discover(root);

        assertEquals(Workspace.BY_UV, ws.discoveredBy());
        assertEquals(List.of(".", "libs/a", "libs/group/b"), dirs(ws));
        assertEquals(List.of("monorepo", "a", "b"), names(ws));
    }

    @Test
    void orchestrateTableWinsOverUvTable() throws IOException, WorkspaceException {
        write("pyproject.toml", """
                [tool.uv.workspace]
                members = ["uv/*"]

                [tool.orchestrate.workspace]
                members = ["ours/*"]
                """);
        pkg("uv/a", "a");
        pkg("ours/b", "b");
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(Workspace.BY_ORCHESTRATE, ws.discoveredBy());
        assertEquals(List.of("b"), names(ws));
    }

    @Test
    void scanFindsNestedPackagesAndSkipsOutputsHiddenDirsAndVirtualenvs() throws IOException, WorkspaceException {
        pkg("services/api", "api"); // `services/` itself has no pyproject.toml
        pkg("libs/core", "core");
        pkg("libs/core/plugins/extra", "core-extra"); // inside a member: found too
        write("legacy/setup.py", "from setuptools import setup\nsetup()\n");
        pkg(".hidden/pkg", "hidden");
        pkg("dist/pkg", "in-dist");
        pkg("build/pkg", "in-build");
        pkg("node_modules/pkg", "in-node-modules");
        pkg("libs/core/__pycache__", "in-pycache");
        pkg("libs/core/core.egg-info", "in-egg-info");
        write("venv/pyvenv.cfg", "home = /usr/bin\n");
        pkg("venv/lib/python3.11/site-packages/somepkg", "in-venv");
        write("docs/pyproject.toml", "[tool.ruff]\nline-length = 100\n"); // only tool config

        Workspace ws = WorkspaceDiscovery.discover(root);

        assertEquals(Workspace.BY_SCAN, ws.discoveredBy());
        assertEquals(List.of("legacy", "libs/core", "libs/core/plugins/extra", "services/api"), dirs(ws));
        assertEquals(List.of(), ws.problems());
    }

    @Test
    void rootIsAMemberWhenItHasAProjectTable() throws IOException, WorkspaceException {
        write("pyproject.toml", """
                [project]
                name = "Root_Pkg"
                version = "2.0"
                """);
        pkg("sub", "sub");
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(List.of("root-pkg", "sub"), names(ws));
        assertEquals(ws.root(), ws.members().get(0).dir());
    }

    @Test
    void rootWithOnlyAWorkspaceTableIsNotAMember() throws IOException, WorkspaceException {
        write("pyproject.toml", "[tool.orchestrate.workspace]\nmembers = [\"*\"]\n");
        pkg("a", "a");
        assertEquals(List.of("a"), names(WorkspaceDiscovery.discover(root)));
    }

    @Test
    void literalMemberThatDoesNotExistIsAProblem() throws IOException, WorkspaceException {
        write("pyproject.toml", """
                [tool.orchestrate.workspace]
                members = [
                    "a",
                    "missing/pkg",
                ]
                """);
        pkg("a", "a");
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(List.of("a"), names(ws));
        assertEquals(1, ws.problems().size(), ws.problems()::toString);
        MemberProblem problem = ws.problems().get(0);
        assertEquals("tool.orchestrate.workspace.members[1]", problem.key());
        assertEquals(4, problem.line());
        assertEquals(root.toRealPath().resolve("pyproject.toml"), problem.file());
        assertTrue(problem.message().contains("`missing/pkg` does not exist"), problem.message());
    }

    @Test
    void literalMemberThatIsNotAPackageIsAProblemButAGlobMatchIsNot() throws IOException, WorkspaceException {
        write("pyproject.toml", """
                [tool.orchestrate.workspace]
                members = ["docs", "pkgs/*"]
                """);
        Files.createDirectories(root.resolve("docs"));
        Files.createDirectories(root.resolve("pkgs/just-a-dir"));
        pkg("pkgs/real", "real");
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(List.of("real"), names(ws));
        assertEquals(List.of("tool.orchestrate.workspace.members[0]"),
                ws.problems().stream().map(MemberProblem::key).toList());
    }

    @Test
    void invalidMemberIsAProblemAndTheOthersStillLoad() throws IOException, WorkspaceException {
        pkg("good", "good");
        write("bad/pyproject.toml", "[project]\nname = \"bad\"\nversion = \"1.0\"\n[build-system]\nrequires = 3\n");
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(List.of("good"), names(ws));
        assertEquals(1, ws.problems().size());
        assertEquals("bad/pyproject.toml:5:1: build-system.requires: expected an array of PEP 508 requirement"
                + " strings, got the integer 3", ws.problems().get(0).describe(ws.root()));
    }

    @Test
    void invalidRootPyprojectIsFatalWithItsLine() throws IOException {
        write("pyproject.toml", "[tool.orchestrate.workspace]\nmembers = [\"a\",\n\n  oops]\n");
        WorkspaceException e = assertThrows(WorkspaceException.class, () -> WorkspaceDiscovery.discover(root));
        assertEquals(4, e.line());
        assertTrue(e.describe().contains("pyproject.toml:4:"), e.describe());
    }

    @Test
    void malformedMemberTableIsFatalWithItsLine() throws IOException {
        write("pyproject.toml", "[project]\nname = \"r\"\nversion = \"1\"\n\n[tool.uv.workspace]\nmembers = \"*\"\n");
        WorkspaceException e = assertThrows(WorkspaceException.class, () -> WorkspaceDiscovery.discover(root));
        assertEquals(6, e.line());
        assertTrue(e.getMessage().startsWith("tool.uv.workspace.members: expected an array"), e.getMessage());
    }

    @Test
    void invalidGlobIsFatalWithItsLine() throws IOException {
        write("pyproject.toml", "[tool.orchestrate.workspace]\nmembers = [\"*\"]\nexclude = [\n  \"pkg-[z-a]\",\n]\n");
        WorkspaceException e = assertThrows(WorkspaceException.class, () -> WorkspaceDiscovery.discover(root));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().startsWith("tool.orchestrate.workspace.exclude[0]: `pkg-[z-a]` is not a valid glob"),
                e.getMessage());
    }

    @Test
    void rootThatDoesNotExistIsFatal() {
        WorkspaceException e = assertThrows(WorkspaceException.class,
                () -> WorkspaceDiscovery.discover(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void symlinkedMemberIsResolvedAndDeduplicated() throws IOException, WorkspaceException {
        write("pyproject.toml", "[tool.orchestrate.workspace]\nmembers = [\"pkgs/*\", \"aliases/*\"]\n");
        pkg("pkgs/a", "a");
        Files.createDirectories(root.resolve("aliases"));
        Files.createSymbolicLink(root.resolve("aliases/a-link"), root.resolve("pkgs/a"));
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(List.of("pkgs/a"), dirs(ws));
        assertEquals(List.of(), ws.problems());
    }

    @Test
    void scanDeduplicatesSymlinkedMembers() throws IOException, WorkspaceException {
        pkg("pkgs/a", "a");
        Files.createSymbolicLink(root.resolve("a-link"), root.resolve("pkgs/a"));
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(List.of("pkgs/a"), dirs(ws));
    }

    @Test
    void memberOutsideTheRootIsAProblem() throws IOException, WorkspaceException {
        Path outside = tmp.resolve("outside-pkg");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("setup.py"), "from setuptools import setup\nsetup()\n");
        write("pyproject.toml", """
                [tool.orchestrate.workspace]
                members = ["../outside-pkg", "links/*"]
                """);
        Files.createDirectories(root.resolve("links"));
        Files.createSymbolicLink(root.resolve("links/out"), outside);
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(List.of(), ws.members());
        assertEquals(List.of("tool.orchestrate.workspace.members[0]", "tool.orchestrate.workspace.members[1]"),
                ws.problems().stream().map(MemberProblem::key).toList());
        assertTrue(ws.problems().stream().allMatch(p -> p.message().contains("outside the workspace root")),
                ws.problems()::toString);
    }

    @Test
    void scanReportsASymlinkToAPackageOutsideTheRoot() throws IOException, WorkspaceException {
        Path outside = Files.createDirectories(tmp.resolve("outside-pkg"));
        Files.writeString(outside.resolve("setup.py"), "from setuptools import setup\nsetup()\n");
        Files.createSymbolicLink(root.resolve("vendored"), outside);
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(List.of(), ws.members());
        assertEquals(1, ws.problems().size());
        assertTrue(ws.problems().get(0).message().contains("outside the workspace root"));
    }

    @Test
    void duplicateNamesAreAProblemForTheLaterMember() throws IOException, WorkspaceException {
        pkg("a/one", "Same_Name");
        pkg("b/two", "same.name");
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(List.of("a/one"), dirs(ws));
        MemberProblem problem = ws.problems().get(0);
        assertEquals("project.name", problem.key());
        assertEquals(6, problem.line());
        assertTrue(problem.message().contains("already taken by the member at `a/one`"), problem.message());
    }

    @Test
    void orchestrateTableWithoutMembersScansMinusTheExcludes() throws IOException, WorkspaceException {
        write("pyproject.toml", "[tool.orchestrate.workspace]\nexclude = [\"examples/**\"]\n");
        pkg("lib", "lib");
        pkg("examples/demo", "demo");
        pkg("examples/more/demo2", "demo2");
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(Workspace.BY_ORCHESTRATE, ws.discoveredBy());
        assertEquals(List.of("lib"), names(ws));
    }

    @Test
    void absoluteMemberPatternIsAProblem() throws IOException, WorkspaceException {
        write("pyproject.toml", "[tool.orchestrate.workspace]\nmembers = [\"/etc/*\"]\n");
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals(List.of(), ws.members());
        assertTrue(ws.problems().get(0).message().contains("is absolute"));
    }

    @Test
    void membersAreSortedByPathWhateverTheOrderOfPatterns() throws IOException, WorkspaceException {
        write("pyproject.toml", "[tool.orchestrate.workspace]\nmembers = [\"z\", \"m/*\", \"a\"]\n");
        pkg("z", "zed");
        pkg("m/b", "bee");
        pkg("m/a", "ay");
        pkg("a", "first");
        assertEquals(List.of("a", "m/a", "m/b", "z"), dirs(WorkspaceDiscovery.discover(root)));
    }

    @Test
    void workspaceLooksUpMembersByAnySpelling() throws IOException, WorkspaceException {
        pkg("x", "House_Backend");
        Workspace ws = WorkspaceDiscovery.discover(root);
        assertEquals("House_Backend", ws.member("house.backend").orElseThrow().name());
    }
}
