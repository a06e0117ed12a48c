package dev.orchestrate.run;

import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.graph.GraphProblem;
import dev.orchestrate.report.DidYouMean;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import dev.orchestrate.state.ChangedSince;
import dev.orchestrate.state.IncrementalPlan;
import dev.orchestrate.state.InterpreterCache;
import dev.orchestrate.workspace.MemberProblem;
import dev.orchestrate.workspace.Workspace;
import dev.orchestrate.workspace.WorkspaceDiscovery;
import dev.orchestrate.workspace.WorkspaceException;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code orchestrate why NAME}: the member's inputs now against those of its last successful
 * build, without building anything. Exit code 0 when answered, 2 for an unknown member or a
 * workspace that cannot be read.
 */
public final class WhyRun {
  private WhyRun() {}

  public static int execute(RunOptions options, String name, PrintStream out, PrintStream err) {
    Workspace workspace;
    try {
      workspace = WorkspaceDiscovery.discover(options.root());
    } catch (WorkspaceException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    String member = PackageName.normalize(name);
    // A member whose pyproject.toml cannot be used, asked for by its path (its key in the
    // report) or by its directory's name, unless a valid member has that name.
    boolean named = workspace.members().stream().anyMatch(m -> m.normalizedName().equals(member));
    for (MemberProblem p : workspace.problems()) {
      String key = PackageResult.pathKey(workspace.root(), p.dir());
      boolean byDirName = !named && PackageName.normalize(String.valueOf(p.dir().getFileName())).equals(member);
      if (key.equals(name.replace('\\', '/').replaceAll("/+$", "")) || byDirName) {
        out.println(key + ": rebuild: its pyproject.toml cannot be used: " + p.describe(workspace.root()));
        return 0;
      }
    }
    Vertx vertx = Vertx.vertx();
    try {
      Files.createDirectories(options.cacheDir());
      Path shim = ShimScript.materialize(options.cacheDir());
      InterpreterInfo interpreter = interpreter(vertx, options, shim);
      BuildGraph graph = BuildGraph.of(workspace, interpreter.markers());
      if (graph.problems().stream().anyMatch(p -> p instanceof GraphProblem.Cycle)) {
        err.println("error: the build graph has a cycle; see `orchestrate graph`");
        return 2;
      }
      if (!graph.contains(member)) {
        err.println("error: no workspace member is named `" + name + "`"
            + DidYouMean.closest(member, graph.names()).map(n -> "; did you mean `" + n + "`?")
                .orElse(""));
        return 2;
      }
      IncrementalPlan plan = IncrementalPlan.compute(new IncrementalPlan.Request(options.cacheDir(),
          options.outDir(), workspace, graph, interpreter, options.mode(), options.configSettings(),
          IncrementalPlan.frontend(shim), options.rebuild().force(), Optional.empty(), Optional.empty()));
      plan.why(member).forEach(out::println);
      return 0;
    } catch (IOException | ChangedSince.GitException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("error: " + (e.getCause() == null ? e : e.getCause()).getMessage());
      return 2;
    } finally {
      vertx.close();
    }
  }

  private static InterpreterInfo interpreter(Vertx vertx, RunOptions options, Path shim) throws Exception {
    Optional<InterpreterInfo> cached = InterpreterCache.full(options.cacheDir(), options.python(), shim);
    if (cached.isPresent()) {
      return cached.get();
    }
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("orchestrate-why", 2);
    InterpreterInfo info = InterpreterProbe.probe(vertx, workers, options.python(), shim,
        options.cacheDir().resolve("runs")).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    InterpreterCache.store(options.cacheDir(), options.python(), shim, info);
    return info;
  }
}
