package dev.orchestrate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.graph.Edge;
import dev.orchestrate.graph.GraphProblem;
import dev.orchestrate.workspace.Member;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code orchestrate graph --format html}: one self-contained page that draws the
 * build-requirement graph. The layout is computed here: layers by longest path (what needs
 * nothing on the left, each member right of everything it needs; edges that close a cycle are
 * set aside and drawn dashed), then a few barycenter sweeps to untangle each layer. Given a run's
 * JSON report, members are coloured by outcome.
 */
public final class GraphPage {
  static final int NODE_WIDTH = 190;
  static final int NODE_HEIGHT = 44;
  static final int GAP_X = 90;
  static final int GAP_Y = 18;
  static final int SWEEPS = 8;

  private GraphPage() {}

  /**
   * Positions: {@code layers.get(i)} top to bottom, members and the waypoints of edges that
   * span several layers (so that such an edge runs between members, not under them); the edges
   * set aside to break cycles; and each long edge's waypoints, from its member to what it needs.
   */
  record Layout(List<List<String>> layers, Set<Edge> backEdges, Map<Edge, List<String>> routes) {
    /** A waypoint's id: never a package name (those have no spaces). */
    static boolean isWaypoint(String id) {
      return id.startsWith(" ");
    }

    List<List<String>> memberLayers() {
      return layers.stream().map(l -> l.stream().filter(n -> !isWaypoint(n)).toList()).toList();
    }

    Map<String, int[]> positions() {
      Map<String, int[]> at = new HashMap<>();
      int tallest = layers.stream().mapToInt(List::size).max().orElse(0);
      for (int x = 0; x < layers.size(); x++) {
        List<String> layer = layers.get(x);
        int offset = (tallest - layer.size()) * (NODE_HEIGHT + GAP_Y) / 2;
        for (int y = 0; y < layer.size(); y++) {
          at.put(layer.get(y), new int[] {x, y, 20 + x * (NODE_WIDTH + GAP_X),
              20 + offset + y * (NODE_HEIGHT + GAP_Y)});
        }
      }
      return at;
    }
  }

  private static String keyOf(String root, String path) {
    try {
      return dev.orchestrate.run.PackageResult.pathKey(Path.of(root), Path.of(path));
    } catch (IllegalArgumentException e) {
      return path;
    }
  }

  /** The page; {@code report} is a parsed {@code orchestrate.report/1}, when one was given. */
  public static String render(BuildGraph graph, Path root, Optional<JsonNode> report) throws IOException {
    Layout layout = layout(graph);
    Map<String, int[]> at = layout.positions();
    Map<String, JsonNode> outcomes = new HashMap<>();
    // A member whose pyproject.toml could not be used has no name in the report: its path.
    report.ifPresent(r -> r.path("packages").forEach(p -> outcomes.put(p.path("name").isTextual()
        ? p.path("name").asText() : keyOf(r.path("root").asText(), p.path("path").asText()), p)));
    List<Object> nodes = new ArrayList<>();
    for (String name : graph.names()) {
      Member m = graph.member(name).orElseThrow();
      int[] p = at.get(name);
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("name", name);
      node.put("version", m.version().orElse(null));
      node.put("path", root.relativize(m.dir()).toString().isEmpty() ? "." : root.relativize(m.dir()).toString());
      node.put("backend", m.buildSystem().backend());
      node.put("requires", m.buildSystem().requires());
      node.put("layer", p[0]);
      node.put("x", p[2]);
      node.put("y", p[3]);
      JsonNode outcome = outcomes.remove(name);
      if (outcome != null) {
        node.put("status", outcome.path("status").asText());
        node.put("durationMillis", outcome.path("durationMillis").asLong());
        JsonNode error = outcome.path("error");
        if (error.isObject()) {
          node.put("stage", error.path("stage").asText());
          node.put("cause", error.path("cause").asText());
        }
      }
      nodes.add(node);
    }
    List<Object> edges = new ArrayList<>();
    for (Edge e : graph.edges()) {
      List<Object> points = new ArrayList<>();
      for (String waypoint : layout.routes().getOrDefault(e, List.of())) {
        int[] p = at.get(waypoint);
        points.add(List.of(p[2] + NODE_WIDTH / 2, p[3] + NODE_HEIGHT / 2));
      }
      edges.add(Map.of("from", e.from(), "to", e.to(), "requirement", e.requirement(),
          "back", layout.backEdges().contains(e), "points", points));
    }
    List<Object> outside = new ArrayList<>();
    outcomes.forEach((name, p) -> outside.add(Map.of("name", name, "status", p.path("status").asText(),
        "cause", p.path("error").path("cause").asText(""))));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("root", root.toString());
    data.put("nodes", nodes);
    data.put("edges", edges);
    data.put("layers", layout.layers().size());
    data.put("width", 40 + layout.layers().size() * (NODE_WIDTH + GAP_X) - GAP_X);
    data.put("height", 40 + layout.layers().stream().mapToInt(List::size).max().orElse(0)
        * (NODE_HEIGHT + GAP_Y) - GAP_Y);
    data.put("nodeWidth", NODE_WIDTH);
    data.put("nodeHeight", NODE_HEIGHT);
    data.put("problems", graph.problems().stream().map(GraphProblem::message).toList());
    data.put("report", report.<Object>map(r -> Map.of("started", r.path("started").asText(),
        "summary", r.path("summary"))).orElse(null));
    data.put("outside", outside);
    return HtmlReport.page("graph-page.html", "orchestrate graph: " + root.getFileName(), data);
  }

  /** Longest-path layers with cycle-closing edges set aside, then barycenter ordering. */
  static Layout layout(BuildGraph graph) {
    Set<Edge> back = backEdges(graph);
    Map<String, List<String>> needs = new TreeMap<>();
    Map<String, List<String>> neededBy = new TreeMap<>();
    for (String name : graph.names()) {
      needs.put(name, new ArrayList<>());
      neededBy.put(name, new ArrayList<>());
    }
    for (Edge e : graph.edges()) {
      if (!back.contains(e) && !e.from().equals(e.to())) {
        needs.get(e.from()).add(e.to());
        neededBy.get(e.to()).add(e.from());
      }
    }
    Map<String, Integer> layerOf = new HashMap<>();
    for (String name : graph.names()) {
      layer(name, needs, layerOf);
    }
    int count = layerOf.values().stream().mapToInt(i -> i).max().orElse(-1) + 1;
    List<List<String>> layers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      layers.add(new ArrayList<>());
    }
    graph.names().forEach(n -> layers.get(layerOf.get(n)).add(n));
    // An edge over several layers gets a waypoint in each layer between: they are ordered with
    // the members, which keeps the edge from running under them.
    Map<Edge, List<String>> routes = new LinkedHashMap<>();
    int waypoints = 0;
    for (Edge e : graph.edges()) {
      if (back.contains(e) || e.from().equals(e.to())) {
        continue;
      }
      int from = layerOf.get(e.from());
      int to = layerOf.get(e.to());
      if (from - to < 2) {
        continue;
      }
      List<String> route = new ArrayList<>();
      String previous = e.from();
      needs.get(previous).remove(e.to());
      neededBy.get(e.to()).remove(previous);
      for (int l = from - 1; l > to; l--) {
        String waypoint = " " + (waypoints++);
        layers.get(l).add(waypoint);
        needs.put(waypoint, new ArrayList<>());
        neededBy.put(waypoint, new ArrayList<>());
        needs.get(previous).add(waypoint);
        neededBy.get(waypoint).add(previous);
        route.add(waypoint);
        previous = waypoint;
      }
      needs.get(previous).add(e.to());
      neededBy.get(e.to()).add(previous);
      routes.put(e, route);
    }
    for (int sweep = 0; sweep < SWEEPS; sweep++) {
      boolean rightwards = sweep % 2 == 0;
      for (int i = rightwards ? 1 : count - 2; rightwards ? i < count : i >= 0; i += rightwards ? 1 : -1) {
        List<String> fixed = layers.get(rightwards ? i - 1 : i + 1);
        Map<String, List<String>> links = rightwards ? needs : neededBy;
        Map<String, Double> weight = new HashMap<>();
        List<String> layer = layers.get(i);
        for (int k = 0; k < layer.size(); k++) {
          String n = layer.get(k);
          double sum = 0;
          int seen = 0;
          for (String other : links.get(n)) {
            int index = fixed.indexOf(other);
            if (index >= 0) {
              sum += index;
              seen++;
            }
          }
          // Keep members without links in this direction where they are.
          weight.put(n, seen == 0 ? k * (double) Math.max(1, fixed.size()) / Math.max(1, layer.size())
              : sum / seen);
        }
        layer.sort(Comparator.comparing((String n) -> weight.get(n)).thenComparing(Comparator.naturalOrder()));
      }
    }
    return new Layout(layers, back, routes);
  }

  private static int layer(String name, Map<String, List<String>> needs, Map<String, Integer> layerOf) {
    Integer known = layerOf.get(name);
    if (known != null) {
      return known;
    }
    int mine = 0;
    for (String dep : needs.get(name)) {
      mine = Math.max(mine, layer(dep, needs, layerOf) + 1);
    }
    layerOf.put(name, mine);
    return mine;
  }

  /** Edges that close a cycle, found by a depth-first search in name order. */
  private static Set<Edge> backEdges(BuildGraph graph) {
    Map<String, List<Edge>> out = new TreeMap<>();
    for (Edge e : graph.edges()) {
      out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
    }
    Set<Edge> back = new HashSet<>();
    Set<String> done = new HashSet<>();
    Set<String> onPath = new HashSet<>();
    for (String start : graph.names()) {
      visit(start, out, done, onPath, back);
    }
    return back;
  }

  private static void visit(String node, Map<String, List<Edge>> out, Set<String> done,
      Set<String> onPath, Set<Edge> back) {
    if (done.contains(node)) {
      return;
    }
    onPath.add(node);
    for (Edge e : out.getOrDefault(node, List.of())) {
      if (onPath.contains(e.to())) {
        back.add(e);
      } else {
        visit(e.to(), out, done, onPath, back);
      }
    }
    onPath.remove(node);
    done.add(node);
  }
}
