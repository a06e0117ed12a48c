package dev.orchestrate.run;

import dev.orchestrate.build.BuildContext;
import dev.orchestrate.build.ExecutorVerticle;
import dev.orchestrate.bus.Addresses;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.HookEvent;
import dev.orchestrate.bus.RecordCodec;
import dev.orchestrate.env.install.PackageSources;
import dev.orchestrate.env.install.PipEnvironmentBuilder;
import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.graph.GraphProblem;
import dev.orchestrate.report.ConsoleReporter;
import dev.orchestrate.report.DidYouMean;
import dev.orchestrate.report.JsonReport;
import dev.orchestrate.scheduler.BuildPlan;
import dev.orchestrate.scheduler.SchedulerVerticle;
import dev.orchestrate.shim.HookRunner;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import dev.orchestrate.workspace.MemberProblem;
import dev.orchestrate.workspace.Workspace;
import dev.orchestrate.workspace.WorkspaceDiscovery;
import dev.orchestrate.workspace.WorkspaceException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One {@code build-all} (or {@code build NAME...}): discovers the workspace, asks the interpreter
 * about itself, builds the graph, deploys an executor and the scheduler, waits for the outcome,
 * reports. Exit code 0 when all built, 1 when a package failed, 2 for usage and configuration errors.
 */
public final class BuildRun {
  /** Old run directories (logs) beyond this many are removed at the start of a run. */
  static final int KEEP_RUNS = 20;

  private final RunOptions options;
  private final ConsoleReporter console;
  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final Instant started = Instant.now();
  private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> finishedAt = new ConcurrentHashMap<>();

  private BuildRun(RunOptions options, PrintStream out, Vertx vertx) {
    this.options = options;
    this.console = new ConsoleReporter(out, options.verbosity());
    this.vertx = vertx;
    this.workers = vertx.createSharedWorkerExecutor("orchestrate-build",
        Math.max(4, options.jobs() * 2 + 2));
  }

  /** A usage or configuration error: exit code 2, nothing built. */
  public static final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
      super(message);
    }
  }

  /** Runs the build to the end and returns the exit code. */
  public static int execute(RunOptions options, PrintStream out, PrintStream err) {
    Vertx vertx = Vertx.vertx();
    try {
      BuildRun run = new BuildRun(options, out, vertx);
      RunResult result = run.run().toCompletionStage().toCompletableFuture().get();
      return result.exitCode();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigurationException c) {
        err.println("error: " + c.getMessage());
        return 2;
      }
      err.println("error: " + cause);
      if (options.verbosity() > 0) {
        cause.printStackTrace(err);
      }
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // closing is best effort
      }
    }
  }

  private Future<RunResult> run() {
    Path runDir = options.cacheDir().resolve("runs").resolve(
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
            + ProcessHandle.current().pid());
    return workers.executeBlocking(() -> prepare(runDir), false)
        .compose(prepared -> InterpreterProbe.probe(vertx, workers, options.python(),
                prepared.shim(), runDir)
            .recover(err -> Future.failedFuture(new ConfigurationException(err.getMessage())))
            .compose(interpreter -> build(prepared, interpreter, runDir)));
  }

  private record Prepared(Workspace workspace, Path shim) {}

  private Prepared prepare(Path runDir) throws IOException {
    Workspace workspace;
    try {
      workspace = WorkspaceDiscovery.discover(options.root());
    } catch (WorkspaceException e) {
      throw new ConfigurationException(e.getMessage());
    }
    Files.createDirectories(options.outDir());
    Files.createDirectories(runDir);
    pruneOldRuns(runDir.getParent());
    return new Prepared(workspace, ShimScript.materialize(options.cacheDir()));
  }

  private Future<RunResult> build(Prepared prepared, InterpreterInfo interpreter, Path runDir) {
    Workspace workspace = prepared.workspace();
    Map<String, BuildOutcome> preFailed = new LinkedHashMap<>();
    Map<String, PackageResult> invalid = invalidMembers(workspace, preFailed);
    BuildGraph graph = graph(workspace, interpreter, preFailed);
    Map<String, String> broken = new HashMap<>();
    preFailed.forEach((name, outcome) -> broken.put(name, graph.contains(name)
        ? "which is misconfigured" : "whose pyproject.toml is invalid"));
    BuildGraph scope = scope(graph);
    console.header(workspace.root(), workspace.members().size() + invalid.size(),
        workspace.discoveredBy(), interpreter.executable(), interpreter.version(), options.jobs());

    EnvironmentCache environments = new EnvironmentCache(workers, options.cacheDir(),
        new PipEnvironmentBuilder(vertx, workers,
            new PackageSources(options.findLinks(), options.indexUrl()),
            options.cacheDir().resolve("pip-v1"), Duration.ofMinutes(30)));
    BuildContext context = new BuildContext(vertx, workers,
        new HookRunner(vertx, workers, prepared.shim()), environments, interpreter,
        options.outDir(), runDir, options.hookTimeout(), System.getenv());
    RecordCodec.registerAll(vertx.eventBus());
    vertx.eventBus().<HookEvent>consumer(Addresses.EVENTS, m -> console.hook(m.body()));

    Map<String, BuildOutcome> brokenInScope = new LinkedHashMap<>();
    preFailed.forEach((name, outcome) -> {
      if (scope.contains(name)) {
        brokenInScope.put(name, outcome);
      }
    });
    BuildPlan plan = new BuildPlan(scope,
        workspace.members().stream().map(m -> m.normalizedName()).collect(Collectors.toSet()),
        broken, options.mode(), options.configSettings(), options.jobs(),
        options.hookTimeout().multipliedBy(10).plusHours(1));
    Promise<Map<String, BuildOutcome>> done = Promise.promise();
    SchedulerVerticle scheduler = new SchedulerVerticle(plan, brokenInScope, done, event -> {
      if (event instanceof SchedulerVerticle.SchedulerEvent.Started s) {
        startedAt.putIfAbsent(s.member(), System.currentTimeMillis());
        console.started(s.member(), s.attempt());
      } else if (event instanceof SchedulerVerticle.SchedulerEvent.Finished f) {
        finishedAt.put(f.member(), System.currentTimeMillis());
        console.finished(result(scope, f.member(), f.outcome()));
      }
    });
    invalid.values().stream().filter(p -> options.only().isEmpty()).forEach(console::finished);
    return vertx.deployVerticle(new ExecutorVerticle(context))
        .compose(id -> vertx.deployVerticle(scheduler))
        .compose(id -> done.future())
        .compose(outcomes -> workers.executeBlocking(() -> {
          List<PackageResult> results = new ArrayList<>();
          if (options.only().isEmpty()) {
            results.addAll(invalid.values());
          }
          for (String name : scope.topologicalOrder()) {
            results.add(result(scope, name, outcomes.get(name)));
          }
          RunResult run = new RunResult(workspace.root(), options.outDir(), runDir,
              interpreter.executable(), interpreter.version(), started,
              Duration.between(started, Instant.now()), results);
          cleanStaging(options.outDir());
          if (options.report().isPresent()) {
            JsonReport.write(run, options.report().get());
          }
          console.summary(run);
          return run;
        }, false));
  }

  private PackageResult result(BuildGraph graph, String name, BuildOutcome outcome) {
    var member = graph.member(name).orElseThrow();
    long start = startedAt.getOrDefault(name, 0L);
    long end = finishedAt.getOrDefault(name, start);
    return new PackageResult(name, member.name(), member.version(), member.dir(), outcome,
        start == 0 ? 0 : end - start);
  }

  /** Members whose pyproject.toml could not be read: failed now, the rest still builds. */
  private Map<String, PackageResult> invalidMembers(Workspace workspace,
      Map<String, BuildOutcome> preFailed) {
    Map<Path, List<MemberProblem>> byDir = new TreeMap<>();
    for (MemberProblem problem : workspace.problems()) {
      byDir.computeIfAbsent(problem.dir(), d -> new ArrayList<>()).add(problem);
    }
    Map<String, PackageResult> results = new LinkedHashMap<>();
    byDir.forEach((dir, problems) -> {
      String name = PackageName.normalize(dir.getFileName().toString());
      String cause = problems.get(0).describe(workspace.root());
      String detail = problems.stream().skip(1).map(p -> p.describe(workspace.root()))
          .collect(Collectors.joining("\n"));
      BuildOutcome.Failed failed = new BuildOutcome.Failed("pyproject.toml", cause, detail,
          Optional.empty(), List.of("fix the file; the other members were built without it"),
          List.of(), List.of());
      preFailed.put(name, failed);
      results.put(name, new PackageResult(name, dir.getFileName().toString(), Optional.empty(), dir,
          failed, 0));
    });
    return results;
  }

  /** The build graph; cycles are configuration errors, version mismatches fail their member. */
  private BuildGraph graph(Workspace workspace, InterpreterInfo interpreter,
      Map<String, BuildOutcome> preFailed) {
    BuildGraph graph;
    try {
      graph = BuildGraph.of(workspace, interpreter.markers());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
    List<GraphProblem> cycles = graph.problems().stream()
        .filter(p -> p instanceof GraphProblem.Cycle || p instanceof GraphProblem.SelfDependency)
        .toList();
    if (!cycles.isEmpty()) {
      throw new ConfigurationException(cycles.stream().map(GraphProblem::describe)
          .collect(Collectors.joining("\n")));
    }
    for (GraphProblem p : graph.problems()) {
      preFailed.put(p.member(), new BuildOutcome.Failed("build-system.requires", p.message(), "",
          Optional.empty(), p.hint().isEmpty() ? List.of() : List.of(p.hint()), List.of(), List.of()));
    }
    return graph;
  }

  /** The requested members and what they need at build time, or everything. */
  private BuildGraph scope(BuildGraph graph) {
    if (options.only().isEmpty()) {
      return graph;
    }
    List<String> names = new ArrayList<>();
    for (String requested : options.only()) {
      String name = PackageName.normalize(requested);
      if (!graph.contains(name)) {
        throw new ConfigurationException("no workspace member is named `" + requested + "`"
            + suggestion(name, graph.names()));
      }
      names.add(name);
    }
    return graph.subgraph(graph.closure(names));
  }

  private static String suggestion(String name, Collection<String> names) {
    return DidYouMean.closest(name, names).map(n -> "; did you mean `" + n + "`?")
        .orElse("; members: " + String.join(", ", names));
  }

  private static void cleanStaging(Path outDir) throws IOException {
    Path staging = outDir.resolve(".orchestrate-tmp");
    if (Files.isDirectory(staging)) {
      try (DirectoryStream<Path> left = Files.newDirectoryStream(staging)) {
        if (!left.iterator().hasNext()) {
          Files.delete(staging);
        }
      }
    }
  }

  private static void pruneOldRuns(Path runs) throws IOException {
    List<Path> all;
    try (var list = Files.list(runs)) {
      all = list.filter(Files::isDirectory).sorted().toList();
    }
    for (int i = 0; i < all.size() - KEEP_RUNS; i++) {
      AtomicFiles.deleteTree(all.get(i));
    }
  }
}
