package dev.orchestrate.report;

import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.graph.Edge;
import dev.orchestrate.graph.GraphProblem;
import dev.orchestrate.workspace.MemberProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a person reads about a workspace that cannot be built as written: an invalid
 * pyproject.toml (file, line, key, what is expected, the line itself) and build-requirement
 * cycles (each link with the requirement and the file that makes it). Build failures of single
 * hooks are told by the build's own failure descriptions.
 */
public final class Diagnostics {
  private Diagnostics() {}

  /**
   * A member whose pyproject.toml cannot be used: the first problem is the cause, each quoted
   * with its line; the other problems follow as {@code also:}. Reads the file (small) to quote it.
   */
  public static BuildOutcome.Failed invalidPyProject(Path root, List<MemberProblem> problems) {
    MemberProblem first = problems.get(0);
    List<String> hints = new ArrayList<>();
    excerpt(first).ifPresent(hints::add);
    for (MemberProblem p : problems.subList(1, problems.size())) {
      hints.add("also: " + p.describe(root));
      excerpt(p).ifPresent(hints::add);
    }
    hints.add("fix the file; the other members were built without it");
    return new BuildOutcome.Failed("pyproject.toml", first.describe(root), "", Optional.empty(),
        hints, List.of(), List.of());
  }

  /**
   * The line a problem points at and a caret under its column, as compilers show it:
   * <pre>
   *    10 | requires = ["setuptools>=61]
   *       |                             ^
   * </pre>
   * Starts with a space, so that it is shown as it is, not as a hint.
   */
  static Optional<String> excerpt(MemberProblem problem) {
    if (problem.line() <= 0) {
      return Optional.empty();
    }
    List<String> lines;
    try {
      lines = List.of(new String(Files.readAllBytes(problem.file()), StandardCharsets.UTF_8).split("\n", -1));
    } catch (IOException e) {
      return Optional.empty();
    }
    if (problem.line() > lines.size()) {
      return Optional.empty();
    }
    String text = lines.get(problem.line() - 1).replace("\t", " ").stripTrailing();
    String number = String.valueOf(problem.line());
    String gutter = " ".repeat(number.length());
    StringBuilder sb = new StringBuilder();
    sb.append("  ").append(number).append(" | ").append(text);
    if (problem.column() > 0) {
      sb.append("\n  ").append(gutter).append(" | ").append(" ".repeat(problem.column() - 1)).append('^');
    }
    return Optional.of(sb.toString());
  }

  /**
   * The cycles of a graph, for an error message: each as a path, then one line per link naming
   * the file and the requirement that makes it, then what to do.
   */
  public static String cycles(BuildGraph graph, List<GraphProblem> cycles, Path root) {
    StringBuilder sb = new StringBuilder();
    for (GraphProblem problem : cycles) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(problem.message());
      List<String> path = problem instanceof GraphProblem.Cycle c ? c.path()
          : List.of(problem.member(), problem.member());
      for (int i = 0; i + 1 < path.size(); i++) {
        String from = path.get(i);
        String to = path.get(i + 1);
        String requirement = graph.edges().stream()
            .filter(e -> e.from().equals(from) && e.to().equals(to)).map(Edge::requirement)
            .findFirst().orElse(problem instanceof GraphProblem.SelfDependency s ? s.requirement() : to);
        Path file = graph.member(from).map(m -> m.dir().resolve("pyproject.toml"))
            .orElse(root.resolve(from).resolve("pyproject.toml"));
        sb.append("\n  ").append(where(root, file, requirement)).append(": build-system.requires: `")
            .append(requirement).append("` needs the wheel of `").append(to).append('`');
      }
      if (!problem.hint().isEmpty()) {
        sb.append("\n  hint: ").append(problem.hint());
      }
    }
    return sb.toString();
  }

  /** {@code dir/pyproject.toml:LINE}, the line being the first that quotes the requirement. */
  private static String where(Path root, Path file, String requirement) {
    String shown = (file.startsWith(root) ? root.relativize(file) : file).toString().replace('\\', '/');
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.contains("\"" + requirement + "\"") || line.contains("'" + requirement + "'")) {
          return shown + ":" + (i + 1);
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // the file name alone then
    }
    return shown;
  }
}
