package dev.orchestrate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.env.pep508.Requirement;
import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.graph.Edge;
import dev.orchestrate.workspace.BuildSystem;
import dev.orchestrate.workspace.Member;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The layered layout of the HTML graph page. */
class GraphPageTest {
  static final Path ROOT = Path.of("/ws").toAbsolutePath();

  static Member member(String name, String... requires) {
    return new Member(ROOT.resolve(name), name, PackageName.normalize(name), Optional.of("1.0"), true,
        new BuildSystem(List.of(requires), "backend", List.of("."), false),
        Arrays.stream(requires).map(Requirement::parse).toList());
  }

  static BuildGraph graph(Member... members) {
    return BuildGraph.of(List.of(members), Map.of("python_version", "3.11", "sys_platform", "linux",
        "platform_system", "Linux", "os_name", "posix", "implementation_name", "cpython",
        "platform_python_implementation", "CPython", "python_full_version", "3.11.7",
        "platform_machine", "x86_64", "platform_release", "6"));
  }

  @Test
  void eachMemberSitsRightOfEverythingItNeeds() {
    BuildGraph g = graph(member("base"), member("mid", "base"), member("top", "mid", "base"),
        member("other"));
    GraphPage.Layout layout = GraphPage.layout(g);
    assertEquals(List.of(List.of("base", "other"), List.of("mid"), List.of("top")), layout.memberLayers());
    assertTrue(layout.backEdges().isEmpty());
  }

  @Test
  void anEdgeOverSeveralLayersRunsThroughAWaypointInEachLayerBetween() {
    BuildGraph g = graph(member("base"), member("mid", "base"), member("top", "mid", "base"));
    GraphPage.Layout layout = GraphPage.layout(g);
    Edge longEdge = g.edges().stream().filter(e -> e.from().equals("top") && e.to().equals("base"))
        .findFirst().orElseThrow();
    List<String> route = layout.routes().get(longEdge);
    assertEquals(1, route.size(), layout.toString());
    assertTrue(layout.layers().get(1).contains(route.get(0)), layout.toString());
    assertTrue(GraphPage.Layout.isWaypoint(route.get(0)));
  }

  @Test
  void aCycleIsLaidOutWithTheClosingEdgeSetAside() {
    BuildGraph g = graph(member("a", "b"), member("b", "a"));
    GraphPage.Layout layout = GraphPage.layout(g);
    assertEquals(1, layout.backEdges().size());
    Edge back = layout.backEdges().iterator().next();
    assertEquals(2, layout.memberLayers().size());
    assertTrue(layout.memberLayers().get(0).contains(back.from()), layout.toString());
  }

  @Test
  void barycenterSweepsUntangleCrossings() {
    // x1 needs b, x2 needs a: ordering the right layer by the left one avoids a crossing.
    BuildGraph g = graph(member("a"), member("b"), member("x1", "b"), member("x2", "a"));
    GraphPage.Layout layout = GraphPage.layout(g);
    assertEquals(List.of("x2", "x1"), layout.memberLayers().get(1), layout.toString());
  }

  @Test
  void thePageEmbedsItsDataSafely() throws Exception {
    BuildGraph g = graph(member("a"), member("b", "a"));
    String html = GraphPage.render(g, ROOT, Optional.empty());
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("\"name\":\"b\""), html);
    assertTrue(!html.contains("{{DATA}}") && !html.contains("{{TITLE}}"));
  }
}
