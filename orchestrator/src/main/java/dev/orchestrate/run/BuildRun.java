package dev.orchestrate.run;

import dev.orchestrate.build.BuildContext;
import dev.orchestrate.bus.Addresses;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.HookEvent;
import dev.orchestrate.bus.RecordCodec;
import dev.orchestrate.env.index.SourceSet;
import dev.orchestrate.env.index.SourceSettings;
import dev.orchestrate.env.install.NativeEnvironmentBuilder;
import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.graph.GraphProblem;
import dev.orchestrate.report.ConsoleReporter;
import dev.orchestrate.report.Diagnostics;
import dev.orchestrate.report.DidYouMean;
import dev.orchestrate.report.JsonReport;
import dev.orchestrate.report.RunPresenter;
import dev.orchestrate.scheduler.BuildPlan;
import dev.orchestrate.scheduler.SchedulerVerticle;
import dev.orchestrate.shim.ForkServerRunner;
import dev.orchestrate.shim.HookCaller;
import dev.orchestrate.shim.HookRunner;
import dev.orchestrate.shim.HookRunnerKind;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import dev.orchestrate.state.ChangedSince;
import dev.orchestrate.state.IncrementalPlan;
import dev.orchestrate.state.InterpreterCache;
import dev.orchestrate.workspace.MemberProblem;
import dev.orchestrate.workspace.ToolSettings;
import dev.orchestrate.workspace.Workspace;
import dev.orchestrate.workspace.WorkspaceException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
  private final RunPresenter presenter;
  private final Vertx vertx;
  private final ExecutionSite site;
  private final WorkerExecutor workers;
  private final Instant started = Instant.now();
  private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> finishedAt = new ConcurrentHashMap<>();
  private BooleanSupplier stopping = () -> false;
  private DiscoveryCache discovery = DiscoveryCache.none();
  private Optional<ForkServerSession> forkServers = Optional.empty();

  private BuildRun(RunOptions options, PrintStream out, Vertx vertx) {
    this(options, new LocalSite(vertx), out, vertx);
  }

  private BuildRun(RunOptions options, ExecutionSite site, PrintStream out, Vertx vertx) {
    this.options = options;
    this.site = site;
    this.presenter = new RunPresenter(options.presentation(), options.verbosity(), out, vertx,
        System.getenv(), System.console() != null, started.toEpochMilli());
    this.console = new ConsoleReporter(presenter.out(), options.verbosity());
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
    return execute(options, new LocalSite(), out, err);
  }

  /** Runs the build with its packages built where {@code site} says (cluster mode: on agents). */
  public static int execute(RunOptions options, ExecutionSite site, PrintStream out, PrintStream err) {
    // Nothing to build? Then the state store answers, without Vert.x or Python (see QuickRun).
    Optional<Integer> noOp = QuickRun.attempt(options, out);
    if (noOp.isPresent()) {
      return noOp.get();
    }
    Vertx vertx;
    try {
      vertx = site.open();
    } catch (Exception e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    try {
      BuildRun run = new BuildRun(options, site, out, vertx);
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
        site.close().transform(ar -> vertx.close())
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // closing is best effort
      }
    }
  }

  /**
   * One run on a Vert.x instance that outlives it: watch mode runs one per cycle. It leaves no
   * verticle or consumer behind.
   */
  public static Future<RunResult> run(RunOptions options, PrintStream out, Vertx vertx,
      BooleanSupplier stopping, DiscoveryCache discovery, ForkServerSession forkServers) {
    BuildRun run = new BuildRun(options, out, vertx);
    run.stopping = stopping;
    run.discovery = discovery;
    run.forkServers = Optional.of(forkServers);
    return run.run();
  }

  private Future<RunResult> run() {
    Path runDir = options.cacheDir().resolve("runs").resolve(
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
            + ProcessHandle.current().pid());
    return workers.executeBlocking(() -> prepare(runDir), false)
        .compose(prepared -> interpreter(prepared, runDir)
            .recover(err -> Future.failedFuture(new ConfigurationException(err.getMessage())))
            .compose(interpreter -> build(prepared, interpreter, runDir)))
        .onFailure(err -> presenter.close());
  }

  private record Prepared(Workspace workspace, Path shim, ToolSettings settings) {}

  private Prepared prepare(Path runDir) throws IOException {
    Workspace workspace;
    try {
      workspace = discovery.discover(options);
    } catch (WorkspaceException e) {
      throw new ConfigurationException(e.getMessage());
    }
    Files.createDirectories(options.outDir());
    Files.createDirectories(runDir);
    pruneOldRuns(runDir.getParent());
    ToolSettings settings;
    try {
      settings = ToolSettings.read(workspace.root());
    } catch (WorkspaceException e) {
      throw new ConfigurationException(e.describe());
    }
    return new Prepared(workspace, ShimScript.materialize(options.cacheDir()), settings);
  }

  /** The interpreter's answers: cached while it is unchanged on disk, else asked now (and cached). */
  private Future<InterpreterInfo> interpreter(Prepared prepared, Path runDir) {
    return workers.executeBlocking(() -> InterpreterCache.full(options.cacheDir(), options.python(),
            prepared.shim()), false)
        .compose(cached -> cached.isPresent() ? Future.succeededFuture(cached.get())
            : InterpreterProbe.probe(vertx, workers, options.python(), prepared.shim(), runDir)
                .compose(info -> workers.executeBlocking(() -> {
                  InterpreterCache.store(options.cacheDir(), options.python(), prepared.shim(), info);
                  return info;
                }, false)));
  }

  private Future<RunResult> build(Prepared prepared, InterpreterInfo interpreter, Path runDir) {
    Workspace workspace = prepared.workspace();
    Map<String, BuildOutcome> preFailed = new LinkedHashMap<>();
    Map<String, String> unreadable = new LinkedHashMap<>();
    Map<String, PackageResult> invalid = invalidMembers(workspace, unreadable);
    BuildGraph graph = graph(workspace, interpreter, preFailed);
    return workers.executeBlocking(() -> incremental(prepared, graph, interpreter), false)
        .compose(incremental -> build(prepared, interpreter, runDir, preFailed, unreadable, invalid,
            graph, incremental));
  }

  /** Records, input hashes, what is up to date already (blocking: hashes files that changed). */
  private IncrementalPlan incremental(Prepared prepared, BuildGraph graph, InterpreterInfo interpreter)
      throws IOException {
    try {
      return IncrementalPlan.compute(new IncrementalPlan.Request(options.cacheDir(),
          options.outDir(), prepared.workspace(), graph, interpreter, options.mode(),
          options.configSettings(), IncrementalPlan.frontend(prepared.shim()),
          options.rebuild().force(), options.rebuild().changedSince(), discovery.scan()));
    } catch (ChangedSince.GitException e) {
      throw new ConfigurationException("--changed-since: " + e.getMessage());
    }
  }

  private Future<RunResult> build(Prepared prepared, InterpreterInfo interpreter, Path runDir,
      Map<String, BuildOutcome> preFailed, Map<String, String> unreadable,
      Map<String, PackageResult> invalid, BuildGraph graph, IncrementalPlan incremental) {
    Workspace workspace = prepared.workspace();
    Map<String, String> broken = new HashMap<>(unreadable);
    preFailed.forEach((name, outcome) -> broken.put(name, "which is misconfigured"));
    BuildGraph scope = scope(graph, incremental.changed());
    console.header(workspace.root(), workspace.members().size() + invalid.size(),
        workspace.discoveredBy(), interpreter.executable(), interpreter.version(), options.jobs());
    presenter.begin(scope.names().size() + (options.only().isEmpty() ? invalid.size() : 0),
        options.jobs(), runDir);
    if (options.rebuild().explain()) {
      incremental.explain(scope.names()).forEach(console::line);
    }

    EnvironmentCache environments = new EnvironmentCache(workers, options.cacheDir(),
        new NativeEnvironmentBuilder(vertx, SourceSet.open(vertx, new SourceSettings(
            options.indexUrl(), options.extraIndexUrls(), options.findLinks(), options.offline())),
            options.cacheDir(), NativeEnvironmentBuilder.Options.defaults().withSourceBuilds()));
    BuildContext context = new BuildContext(vertx, workers,
        hookCaller(prepared, runDir), environments, interpreter,
        options.outDir(), runDir, options.hookTimeout(), System.getenv(), dev.orchestrate.build.SourceBuilds.forRun());
    RecordCodec.registerAll(vertx.eventBus());
    MessageConsumer<HookEvent> events = vertx.eventBus().<HookEvent>localConsumer(Addresses.EVENTS, m -> {
      console.hook(m.body());
      presenter.hook(m.body());
    });

    Map<String, BuildOutcome> brokenInScope = new LinkedHashMap<>();
    preFailed.forEach((name, outcome) -> {
      if (scope.contains(name)) {
        brokenInScope.put(name, outcome);
      }
    });
    // Up to date as they are: finished without an executor (their dependents get their wheels).
    incremental.upToDate(scope.names()).forEach(brokenInScope::putIfAbsent);
    BuildPlan plan = new BuildPlan(scope,
        workspace.members().stream().map(m -> m.normalizedName()).collect(Collectors.toSet()),
        broken, options.mode(), options.configSettings(), site.jobs(options.jobs()),
        options.hookTimeout().multipliedBy(10).plusHours(1), incremental.stamps(workers));
    Promise<Map<String, BuildOutcome>> done = Promise.promise();
    SchedulerVerticle scheduler = new SchedulerVerticle(plan, site.dispatcher(plan), brokenInScope, done, event -> {
      if (event instanceof SchedulerVerticle.SchedulerEvent.Started s) {
        startedAt.putIfAbsent(s.member(), System.currentTimeMillis());
        console.started(s.member(), s.attempt());
        presenter.started(s.member(), s.attempt());
      } else if (event instanceof SchedulerVerticle.SchedulerEvent.Finished f) {
        finishedAt.put(f.member(), System.currentTimeMillis());
        PackageResult result = result(scope, f.member(), f.outcome());
        console.finished(result);
        presenter.finished(result);
      } else if (event instanceof SchedulerVerticle.SchedulerEvent.Deferred d) {
        presenter.deferred(d.member(), d.waitingFor());
      }
    });
    invalid.values().stream().filter(p -> options.only().isEmpty()).forEach(p -> {
      console.finished(p);
      presenter.finished(p);
    });
    List<String> deployed = new ArrayList<>(); // undeployed at the end: watch mode runs again
    return site.start(context, Optional.of(incremental.gate(workers, context.stagingDir(), stopping)),
            console::line)
        .compose(ids -> {
          deployed.addAll(ids);
          return vertx.deployVerticle(scheduler);
        })
        .compose(id -> {
          deployed.add(id);
          return done.future();
        })
        .eventually(() -> events.unregister()
            .compose(v -> Future.all(deployed.stream().map(vertx::undeploy).toList())))
        .compose(outcomes -> (keptServers(context) ? forkServers.get().endOfRun() : context.hooks().close())
            .transform(ar -> Future.succeededFuture(outcomes)))
        .compose(outcomes -> workers.executeBlocking(() -> {
          environments.close(); // the run no longer uses its environments: env gc may remove them
          List<PackageResult> results = new ArrayList<>();
          if (options.only().isEmpty()) {
            results.addAll(invalid.values());
          }
          for (String name : scope.topologicalOrder()) {
            results.add(result(scope, name, outcomes.get(name)));
          }
          RunResult run = new RunResult(workspace.root(), options.outDir(), runDir,
              interpreter.executable(), interpreter.version(), started,
              Duration.between(started, Instant.now()), results, site.executors());
          cleanStaging(options.outDir());
          if (options.report().isPresent()) {
            JsonReport.write(run, options.report().get());
          }
          presenter.finish(run, options.report());
          return run;
        }, false));
  }

  /** Fresh processes unless --hook-runner or [tool.orchestrate] hook-runner ask for the fork server. */
  private HookCaller hookCaller(Prepared prepared, Path runDir) {
    HookRunnerKind kind = options.hookRunner().or(() -> prepared.settings().hookRunner())
        .orElse(HookRunnerKind.FRESH);
    if (kind == HookRunnerKind.FRESH) {
      return new HookRunner(vertx, workers, prepared.shim());
    }
    if (options.verbosity() > 0) {
      console.line("hooks: forked from a warm server per environment and backend (" + kind + ")"
          + (forkServers.isPresent() ? "; servers kept between cycles" : ""));
    }
    if (forkServers.isPresent()) {
      return forkServers.get().runner(vertx, prepared.shim(), kind,
          Set.copyOf(prepared.settings().forkServerIncompatible()), console::line);
    }
    return new ForkServerRunner(vertx, workers, prepared.shim(), ForkServerRunner.Settings.defaults(
        runDir.resolve("forkservers"), Set.copyOf(prepared.settings().forkServerIncompatible()))
        .withWarmImports(kind == HookRunnerKind.FORKSERVER_WARM), console::line);
  }

  /** Whether this run's hooks came from the session's fork servers, which outlive it. */
  private boolean keptServers(BuildContext context) {
    return forkServers.isPresent() && context.hooks() instanceof ForkServerRunner;
  }

  private PackageResult result(BuildGraph graph, String name, BuildOutcome outcome) {
    var member = graph.member(name).orElseThrow();
    long start = startedAt.getOrDefault(name, 0L);
    long end = finishedAt.getOrDefault(name, start);
    return new PackageResult(name, member.name(), member.version(), member.dir(), outcome,
        start == 0 ? 0 : end - start, site.placement(name));
  }

  /**
   * Members whose pyproject.toml could not be used (invalid, or a name another member took):
   * failed now, the rest still builds. They are keyed by their path relative to the root, as
   * they have no name of their own (or one that is not theirs to key by); a member that needs
   * the name their directory suggests is skipped, unless a valid member has that name.
   *
   * @param unreadable filled with the names their directories suggest, with why dependents wait
   */
  private Map<String, PackageResult> invalidMembers(Workspace workspace, Map<String, String> unreadable) {
    Map<Path, List<MemberProblem>> byDir = new TreeMap<>();
    for (MemberProblem problem : workspace.problems()) {
      byDir.computeIfAbsent(problem.dir(), d -> new ArrayList<>()).add(problem);
    }
    Set<String> names = workspace.members().stream().map(m -> m.normalizedName())
        .collect(Collectors.toSet());
    Map<String, PackageResult> results = new LinkedHashMap<>();
    byDir.forEach((dir, problems) -> {
      String key = PackageResult.pathKey(workspace.root(), dir);
      Path name = dir.getFileName();
      String guessed = name == null ? "" : PackageName.normalize(name.toString());
      if (!guessed.isEmpty() && !names.contains(guessed)) {
        unreadable.put(guessed, "whose pyproject.toml is invalid");
      }
      BuildOutcome.Failed failed = Diagnostics.invalidPyProject(workspace.root(), problems);
      results.put(key, new PackageResult(key, key, Optional.empty(), dir, failed, 0));
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
      throw new ConfigurationException(Diagnostics.cycles(graph, cycles, workspace.root()));
    }
    for (GraphProblem p : graph.problems()) {
      preFailed.put(p.member(), new BuildOutcome.Failed("build-system.requires", p.message(), "",
          Optional.empty(), p.hint().isEmpty() ? List.of() : List.of(p.hint()), List.of(), List.of()));
    }
    return graph;
  }

  /**
   * The requested members and what they need at build time, or everything; with
   * {@code --changed-since}, the changed members (of those) and their dependents.
   */
  private BuildGraph scope(BuildGraph graph, Optional<Set<String>> changed) {
    if (changed.isPresent()) {
      Set<String> base = scope(graph, Optional.empty()).names();
      Set<String> affected = new TreeSet<>();
      for (String name : changed.get()) {
        affected.add(name);
        affected.addAll(graph.transitiveDependentsOf(name));
      }
      affected.retainAll(base);
      return graph.subgraph(graph.closure(affected));
    }
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
