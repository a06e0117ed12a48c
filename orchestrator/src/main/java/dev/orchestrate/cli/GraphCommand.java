package dev.orchestrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.graph.GraphFormat;
import dev.orchestrate.graph.GraphProblem;
import dev.orchestrate.report.GraphPage;
import dev.orchestrate.report.JsonReport;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import dev.orchestrate.workspace.MemberProblem;
import dev.orchestrate.workspace.Workspace;
import dev.orchestrate.workspace.WorkspaceDiscovery;
import dev.orchestrate.workspace.WorkspaceException;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "graph", mixinStandardHelpOptions = true,
    description = "Print the build-requirement graph of the workspace, or draw it as an HTML page.")
final class GraphCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "ROOT", defaultValue = ".",
      description = "The workspace root (default: the current directory).")
  Path root;

  @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
      description = "text, json, dot (Graphviz), mermaid, or html (one self-contained page that draws the graph) (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the graph to FILE instead of standard output (default: standard output).")
  Path output;

  @Option(names = "--report", paramLabel = "FILE",
      description = "With --format html: colour the members by their outcome in this JSON report of a run (orchestrate.report/1) (default: none).")
  Path report;

  @Option(names = "--python", paramLabel = "PATH", defaultValue = "python3",
      description = "The interpreter whose PEP 508 markers select requirements (default: ${DEFAULT-VALUE}).")
  String python;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Where the interpreter probe is kept (default: as for build-all).")
  Path cacheDir;

  @Override
  public Integer call() throws Exception {
    boolean html = format.equalsIgnoreCase("html");
    GraphFormat graphFormat = GraphFormat.TEXT;
    try {
      if (!html) {
        graphFormat = GraphFormat.fromName(format);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    if (report != null && !html) {
      System.err.println("error: --report colours the html graph: use it with --format html");
      return 2;
    }
    Optional<JsonNode> outcomes = Optional.empty();
    if (report != null) {
      try {
        outcomes = Optional.of(new ObjectMapper().readTree(report.toFile()));
      } catch (IOException e) {
        System.err.println("error: cannot read the report " + report + ": " + e.getMessage());
        return 2;
      }
      if (!JsonReport.SCHEMA.equals(outcomes.get().path("schema").asText())) {
        System.err.println("error: " + report + " is not an orchestrate report (" + JsonReport.SCHEMA + ")");
        return 2;
      }
    }
    Path absoluteRoot = root.toAbsolutePath().normalize();
    Workspace workspace;
    try {
      workspace = WorkspaceDiscovery.discover(absoluteRoot);
    } catch (WorkspaceException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    Path cache = (cacheDir == null ? BuildOptions.defaultCacheDir() : cacheDir).toAbsolutePath();
    Files.createDirectories(cache);
    Vertx vertx = Vertx.vertx();
    InterpreterInfo interpreter;
    try {
      var workers = vertx.createSharedWorkerExecutor("orchestrate-graph", 2);
      interpreter = InterpreterProbe.probe(vertx, workers, python, ShimScript.materialize(cache),
              cache)
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("error: " + (e.getCause() == null ? e : e.getCause()).getMessage());
      return 2;
    } finally {
      vertx.close();
    }
    BuildGraph graph = BuildGraph.of(workspace, interpreter.markers());
    String rendered = html ? GraphPage.render(graph, absoluteRoot, outcomes)
        : graphFormat.render(graph, absoluteRoot);
    if (output == null) {
      System.out.print(rendered);
    } else {
      Path file = output.toAbsolutePath().normalize();
      Files.createDirectories(file.getParent());
      Files.writeString(file, rendered, StandardCharsets.UTF_8);
      System.err.println("wrote " + file);
    }
    for (MemberProblem p : workspace.problems()) {
      System.err.println("warning: " + p.describe(absoluteRoot));
    }
    for (GraphProblem p : graph.problems()) {
      System.err.println("error: " + p.describe());
    }
    boolean cyclic = graph.problems().stream()
        .anyMatch(p -> p instanceof GraphProblem.Cycle || p instanceof GraphProblem.SelfDependency);
    return cyclic ? 2 : 0;
  }
}
