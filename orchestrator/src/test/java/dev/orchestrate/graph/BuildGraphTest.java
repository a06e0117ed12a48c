package dev.orchestrate.graph;

import static dev.orchestrate.graph.Members.graph;
import static dev.orchestrate.graph.Members.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.workspace.Member;
import dev.orchestrate.workspace.Workspace;
import dev.orchestrate.workspace.WorkspaceDiscovery;
import dev.orchestrate.workspace.WorkspaceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildGraphTest {

    /**
     * house-backend <- alpha <- beta, house-backend <- beta, gamma alone; tool needs setuptools
     * only (not a member).
     */
    private static BuildGraph sample() {
        return graph(
                member("beta", "2.0", "alpha>=0.1", "House_Backend"),
                member("alpha", "0.1", "house-backend>=1"),
                member("house-backend", "1.2.0"),
                member("gamma", "1.0", "setuptools>=61"),
                member("tool", "3.0", "gamma", "beta"));
    }

    @Test
    void aRequirementNamingAMemberIsAnEdge() {
        BuildGraph g = sample();
        assertEquals(Set.of("alpha", "house-backend"), g.dependenciesOf("beta"));
        assertEquals(Set.of("house-backend"), g.dependenciesOf("alpha"));
        assertEquals(Set.of(), g.dependenciesOf("gamma"), "setuptools is not a member");
        assertEquals(Set.of("alpha", "beta"), g.dependentsOf("house-backend"));
        assertEquals(new Edge("beta", "house-backend", "House_Backend"), g.edges().get(2));
        assertEquals(List.of(), g.problems());
    }

    @Test
    void namesAreAcceptedInAnySpelling() {
        BuildGraph g = sample();
        assertEquals(Set.of("house-backend"), g.dependenciesOf("Alpha"));
        assertEquals(Set.of("alpha", "beta"), g.dependentsOf("house_backend"));
        assertTrue(g.contains("HOUSE.backend"));
        assertThrows(IllegalArgumentException.class, () -> g.dependenciesOf("nobody"));
    }

    @Test
    void transitiveDependenciesAndDependents() {
        BuildGraph g = sample();
        assertEquals(Set.of("alpha", "beta", "gamma", "house-backend"), g.transitiveDependenciesOf("tool"));
        assertEquals(Set.of("alpha", "beta", "tool"), g.transitiveDependentsOf("house-backend"));
        assertEquals(Set.of(), g.transitiveDependentsOf("tool"));
    }

    @Test
    void topologicalOrderPutsDependenciesFirstAndBreaksTiesByName() {
        assertEquals(List.of("gamma", "house-backend", "alpha", "beta", "tool"), sample().topologicalOrder());
    }

    @Test
    void levelsAreWavesThatCanBuildInParallel() {
        assertEquals(List.of(
                List.of("gamma", "house-backend"),
                List.of("alpha"),
                List.of("beta"),
                List.of("tool")), sample().levels());
    }

    @Test
    void closureIsTheNamesAndWhatTheyNeed() {
        BuildGraph g = sample();
        assertEquals(Set.of("alpha", "beta", "house-backend"), g.closure(List.of("beta")));
        assertEquals(Set.of("alpha", "gamma", "house-backend"), g.closure(List.of("Alpha", "gamma")));
        assertThrows(IllegalArgumentException.class, () -> g.closure(List.of("beta", "unknown")));
    }

    @Test
    void subgraphKeepsOnlyTheEdgesBetweenItsMembers() {
        BuildGraph sub = sample().subgraph(sample().closure(List.of("beta")));
        assertEquals(List.of("house-backend", "alpha", "beta"), sub.topologicalOrder());
        assertEquals(3, sub.edges().size());
    }

    @Test
    void anInTreeBackendWithoutMemberRequirementsHasNoDependencies() {
        BuildGraph g = graph(member("flat", "1.0"), member("other", "1.0", "flit_core>=3.9"));
        assertEquals(Set.of(), g.dependenciesOf("flat"));
        assertEquals(List.of(List.of("flat", "other")), g.levels());
    }

    @Test
    void aRequirementWhoseMarkerIsFalseGivesNoEdge() {
        BuildGraph g = graph(
                member("base", "1.0"),
                member("win-only", "1.0", "base ; sys_platform == 'win32'"),
                member("linux-only", "1.0", "base ; sys_platform == 'linux'"));
        assertEquals(Set.of(), g.dependenciesOf("win-only"));
        assertEquals(Set.of("base"), g.dependenciesOf("linux-only"));
    }

    @Test
    void aDirectReferenceGivesNoEdge() {
        BuildGraph g = graph(member("base", "1.0"),
                member("pinned", "1.0", "base @ https://example.invalid/base-1.0-py3-none-any.whl"));
        assertEquals(Set.of(), g.dependenciesOf("pinned"));
    }

    @Test
    void aSpecifierTheMemberVersionDoesNotMeetIsAProblem() {
        BuildGraph g = graph(member("house-backend", "1.2.0"), member("beta", "1.0", "house-backend>=2"));
        GraphProblem.VersionMismatch problem = assertInstanceOf(GraphProblem.VersionMismatch.class,
                g.problems().get(0));
        assertEquals("`beta` requires `house-backend>=2` but the workspace member `house-backend` is 1.2.0",
                problem.message());
        assertEquals(Set.of("house-backend"), g.dependenciesOf("beta"), "the edge is kept");
    }

    @Test
    void aPreReleaseMemberSatisfiesARangeItFallsIn() {
        BuildGraph g = graph(member("house-backend", "2.0rc1"), member("beta", "1.0", "house-backend>=1"),
                member("exact", "1.0", "house-backend===2.0rc1"));
        assertEquals(List.of(), g.problems());
    }

    @Test
    void aMarkerThatCannotBeEvaluatedIsAProblemAndNoEdge() {
        BuildGraph g = graph(member("base", "1.0"),
                member("odd", "1.0", "base ; implementation_version >= '3'"));
        GraphProblem.InvalidMarker problem = assertInstanceOf(GraphProblem.InvalidMarker.class, g.problems().get(0));
        assertEquals("odd", problem.member());
        assertTrue(problem.message().startsWith("`odd` requires `base ; implementation_version >= '3'` but its marker"),
                problem.message());
        assertEquals(Set.of(), g.dependenciesOf("odd"));
    }

    @Test
    void aDynamicVersionCannotMismatch() {
        BuildGraph g = graph(member("house-backend", null), member("beta", "1.0", "house-backend>=2"));
        assertEquals(List.of(), g.problems());
        assertEquals(Set.of("house-backend"), g.dependenciesOf("beta"));
    }

    @Test
    void aCycleIsFoundAndNamed() {
        BuildGraph g = graph(
                member("a", "1", "b"),
                member("b", "1", "c"),
                member("c", "1", "a"),
                member("d", "1", "a"));
        assertEquals(Optional.of(List.of("a", "b", "c", "a")), g.findCycle());
        GraphProblem.Cycle cycle = assertInstanceOf(GraphProblem.Cycle.class, g.problems().get(0));
        assertEquals("build requirement cycle: `a` -> `b` -> `c` -> `a`", cycle.message());
        IllegalStateException e = assertThrows(IllegalStateException.class, g::topologicalOrder);
        assertTrue(e.getMessage().contains("`a` -> `b` -> `c` -> `a`"), e.getMessage());
        assertThrows(IllegalStateException.class, g::levels);
    }

    @Test
    void theShortestCycleIsReportedWhateverTheNames() {
        // z <-> y is shorter than a -> b -> c -> a
        BuildGraph g = graph(
                member("a", "1", "b"), member("b", "1", "c"), member("c", "1", "a"),
                member("y", "1", "z"), member("z", "1", "y"));
        assertEquals(Optional.of(List.of("y", "z", "y")), g.findCycle());
        assertEquals(2, g.problems().size(), "one problem per independent cycle");
    }

    @Test
    void anAcyclicGraphHasNoCycle() {
        assertEquals(Optional.empty(), sample().findCycle());
    }

    @Test
    void aMemberRequiringItselfIsACycleOfOneWithAHint() {
        BuildGraph g = graph(member("house-backend", "1.0", "house-backend"), member("user", "1", "house-backend"));
        assertEquals(Optional.of(List.of("house-backend", "house-backend")), g.findCycle());
        GraphProblem.SelfDependency problem = assertInstanceOf(GraphProblem.SelfDependency.class,
                g.problems().get(0));
        assertEquals(1, g.problems().size());
        assertTrue(problem.message().contains("`house-backend` -> `house-backend`"), problem.message());
        assertTrue(problem.hint().contains("use backend-path for an in-tree backend"), problem.hint());
        assertTrue(problem.describe().contains("\n  hint: use backend-path"), problem.describe());
    }

    @Test
    void addEdgeIfAcyclicAddsAnEdgeThatClosesNoCycle() {
        BuildGraph g = sample();
        assertEquals(Optional.empty(), g.addEdgeIfAcyclic("gamma", "house-backend"));
        assertEquals(Set.of("house-backend"), g.dependenciesOf("gamma"));
        assertEquals(List.of(List.of("house-backend"), List.of("alpha", "gamma"), List.of("beta"), List.of("tool")),
                g.levels());
        assertEquals(BuildGraph.RUNTIME_REQUIREMENT, g.edges().stream()
                .filter(e -> e.from().equals("gamma")).findFirst().orElseThrow().requirement());
    }

    @Test
    void addEdgeIfAcyclicRefusesAnEdgeThatClosesACycle() {
        BuildGraph g = sample();
        List<Edge> before = g.edges();
        assertEquals(Optional.of(List.of("house-backend", "beta", "house-backend")),
                g.addEdgeIfAcyclic("house-backend", "beta", "beta>=1"));
        assertEquals(Optional.of(List.of("house-backend", "tool", "beta", "house-backend")),
                g.addEdgeIfAcyclic("house-backend", "tool"));
        assertEquals(Optional.of(List.of("gamma", "gamma")), g.addEdgeIfAcyclic("gamma", "gamma"));
        assertEquals(before, g.edges(), "the graph is unchanged");
        assertEquals(Optional.empty(), g.findCycle());
    }

    @Test
    void addEdgeIfAcyclicAcceptsAnEdgeAlreadyThere() {
        BuildGraph g = sample();
        assertEquals(Optional.empty(), g.addEdgeIfAcyclic("beta", "alpha"));
        assertEquals("alpha>=0.1", g.edges().get(1).requirement(), "the original reason is kept");
    }

    @Test
    void addEdgeIfAcyclicRejectsUnknownMembers() {
        assertThrows(IllegalArgumentException.class, () -> sample().addEdgeIfAcyclic("beta", "numpy"));
    }

    @Test
    void twoMembersWithOneNameAreABug() {
        assertThrows(IllegalArgumentException.class, () -> graph(member("a", "1"), member("A", "2")));
    }

    @Test
    void aLongChainNeedsNoDeepStack() {
        List<Member> chain = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            chain.add(i == 0 ? member("m0", "1") : member("m" + i, "1", "m" + (i - 1)));
        }
        BuildGraph g = BuildGraph.of(chain, Members.LINUX);
        assertEquals(Optional.empty(), g.findCycle());
        assertEquals(20_000, g.levels().size());
        assertEquals(19_999, g.transitiveDependenciesOf("m19999").size());
    }

    @Test
    void aDiscoveredWorkspaceMakesAGraph(@TempDir Path tmp) throws IOException, WorkspaceException {
        write(tmp.resolve("backend/pyproject.toml"), """
                [build-system]
                requires = []
                build-backend = "house_backend"
                backend-path = ["."]

                [project]
                name = "house-backend"
                version = "1.2.0"
                """);
        write(tmp.resolve("app/pyproject.toml"), """
                [build-system]
                requires = ["house-backend>=1"]
                build-backend = "house_backend"

                [project]
                name = "app"
                dynamic = ["version"]
                """);
        write(tmp.resolve("legacy/setup.py"), "from setuptools import setup\nsetup()\n");
        Workspace ws = WorkspaceDiscovery.discover(tmp);
        assertEquals(List.of(), ws.problems());
        BuildGraph g = BuildGraph.of(ws, Members.LINUX);
        assertEquals(List.of(List.of("house-backend", "legacy"), List.of("app")), g.levels());
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
