package dev.orchestrate.cli;

import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.graph.GraphFormat;
import dev.orchestrate.graph.GraphProblem;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import dev.orchestrate.workspace.MemberProblem;
import dev.orchestrate.workspace.Workspace;
import dev.orchestrate.workspace.WorkspaceDiscovery;
import dev.orchestrate.workspace.WorkspaceException;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "graph", mixinStandardHelpOptions = true,
    description = "Print the build-requirement graph of the workspace.")
final class GraphCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "ROOT", defaultValue = ".",
      description = "The workspace root (default: the current directory).")
  Path root;

  @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--python", paramLabel = "PATH", defaultValue = "python3",
      description = "The interpreter whose PEP 508 markers select requirements (default: ${DEFAULT-VALUE}).")
  String python;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "As for build-all.")
  Path cacheDir;

  @Override
  public Integer call() throws Exception {
    GraphFormat graphFormat;
    try {
      graphFormat = GraphFormat.fromName(format);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
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
    System.out.print(graphFormat.render(graph, absoluteRoot));
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
