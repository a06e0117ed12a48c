package dev.orchestrate.cluster.agent;

import dev.orchestrate.build.BuildContext;
import dev.orchestrate.build.Builds;
import dev.orchestrate.bus.Addresses;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import dev.orchestrate.bus.EnvUse;
import dev.orchestrate.bus.HookEvent;
import dev.orchestrate.bus.MemberWheel;
import dev.orchestrate.cluster.ClusterAddresses;
import dev.orchestrate.cluster.ClusterNode;
import dev.orchestrate.cluster.Renewal;
import dev.orchestrate.cluster.Task;
import dev.orchestrate.cluster.TaskReply;
import dev.orchestrate.cluster.Withdrawal;
import dev.orchestrate.cluster.registry.AgentInfo;
import dev.orchestrate.cluster.registry.AgentRegistry;
import dev.orchestrate.cluster.registry.EnvironmentRegistry;
import dev.orchestrate.cluster.source.InputHash;
import dev.orchestrate.cluster.source.SourceManifest;
import dev.orchestrate.cluster.source.WorkspaceMapping;
import dev.orchestrate.cluster.transfer.ArtifactServer;
import dev.orchestrate.cluster.transfer.BuildCache;
import dev.orchestrate.cluster.transfer.Fetcher;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.env.store.EnvironmentBuilder;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.env.store.TestPoints;
import dev.orchestrate.shim.HookCaller;
import dev.orchestrate.shim.InterpreterInfo;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * An agent's work: takes tasks on its own address, refuses what it must not or cannot build,
 * builds the rest (at most {@code --slots} at once, the others queued), answers its coordinators' lease
 * renewals (which of their tasks it still holds) and withdrawals (a task not begun back),
 * and replies with the outcome and where to fetch the artifacts. Its state is confined to its
 * event loop; file and Hazelcast work runs on worker pools.
 */
final class AgentVerticle extends VerticleBase {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{16,128}");
  private static final Pattern BUILD_ID = Pattern.compile("[0-9a-f-]{36}");
  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9._+!~-]+");
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
  /** How long a task waits for the cluster's build cache before it is built anyway. */
  private static final long CACHE_LOOKUP_MILLIS = 2000;

  private final ClusterNode node;
  private final AgentSettings settings;
  private final InterpreterInfo interpreter;
  private final HookCaller hooks;
  private final EnvironmentBuilder environmentBuilder;
  /** Build requirements built from sdists: shared by every task, one build per sdist at a time. */
  private final dev.orchestrate.build.SourceBuilds sourceBuilds = dev.orchestrate.build.SourceBuilds.forRun();
  private final WorkerExecutor workers;
  private final WorkerExecutor clusterWorkers;
  private final Path agentDir;
  private final PrintStream out;
  private final String pythonIdentity;

  private AgentRegistry registry;
  private EnvironmentRegistry environmentRegistry;
  private BuildCache cache;
  private ArtifactServer server;
  private Fetcher fetcher;
  private MessageConsumer<Object> tasks;
  private MessageConsumer<HookEvent> events;
  private AgentInfo info;
  private int running;
  /** Tasks leased here that wait for a free slot (a coordinator keeps one in reserve per agent). */
  private final Deque<Queued> queued = new ArrayDeque<>();
  private final Map<String, Task> building = new HashMap<>();
  /**
   * Tasks taken and still being checked (tree, build cache), by id, in arrival order: not queued
   * yet, and as unstarted as a queued one, so a withdrawal can take them too. One withdrawn here
   * is dropped when its check ends.
   */
  private final Map<String, Message<Task>> checking = new java.util.LinkedHashMap<>();
  /** Ids of the tasks taken and not answered yet: checked, queued or building. */
  private final Set<String> held = new java.util.HashSet<>();

  AgentVerticle(ClusterNode node, AgentSettings settings, InterpreterInfo interpreter,
      HookCaller hooks, EnvironmentBuilder environmentBuilder, WorkerExecutor workers,
      WorkerExecutor clusterWorkers, Path agentDir, PrintStream out) {
    this.node = Objects.requireNonNull(node, "node");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.interpreter = Objects.requireNonNull(interpreter, "interpreter");
    this.hooks = Objects.requireNonNull(hooks, "hooks");
    this.environmentBuilder = Objects.requireNonNull(environmentBuilder, "environmentBuilder");
    this.workers = Objects.requireNonNull(workers, "workers");
    this.clusterWorkers = Objects.requireNonNull(clusterWorkers, "clusterWorkers");
    this.agentDir = Objects.requireNonNull(agentDir, "agentDir");
    this.out = Objects.requireNonNull(out, "out");
    this.pythonIdentity = InputHash.pythonIdentity(interpreter);
  }

  AgentInfo info() {
    return info;
  }

  @Override
  public Future<?> start() {
    registry = new AgentRegistry(node.hazelcast());
    environmentRegistry = new EnvironmentRegistry(node.hazelcast());
    cache = new BuildCache(node.hazelcast());
    fetcher = new Fetcher(vertx, clusterWorkers, node.settings().tls());
    tasks = vertx.eventBus().consumer(ClusterAddresses.agent(settings.name()), this::received);
    // Hook progress of the packages built here goes to the coordinator that asked (-vv there).
    events = vertx.eventBus().localConsumer(Addresses.EVENTS, this::forward);
    return ArtifactServer.start(vertx, node.host(), node.settings().tls(), this::served)
        .compose(s -> {
          server = s;
          return Future.all(tasks.completion(), events.completion());
        })
        .compose(v -> clusterWorkers.executeBlocking(() -> {
          info = new AgentInfo(settings.name(), node.memberId(), node.host(),
              settings.slots(), settings.workspace().toString(), interpreter.executable(),
              interpreter.version(), pythonIdentity, interpreter.platform(), server.base(),
              System.currentTimeMillis());
          // Registered once it listens: a coordinator that sees it can send at once.
          registry.register(info);
          return null;
        }, false));
  }

  @Override
  public Future<?> stop() {
    return clusterWorkers.executeBlocking(() -> {
      if (info != null) {
        registry.deregister(info.id(), info.memberId());
      }
      return null;
    }, false).transform(ar -> Future.join(tasks.unregister(), events.unregister(),
        server == null ? Future.succeededFuture() : server.close(), fetcher.close()));
  }

  // ---- tasks ----------------------------------------------------------------------------------

  private record Checked(Optional<Path> dir, String refusal) {}

  private record Queued(Message<Task> message, Task task, Path dir) {}

  /** Tasks, renewals and withdrawals come on one address (see {@link Renewal}). */
  @SuppressWarnings("unchecked")
  private void received(Message<Object> message) {
    Object body = message.body();
    if (body instanceof Task) {
      task((Message<Task>) (Message<?>) message);
    } else if (body instanceof Renewal renewal) {
      // Which of them it still holds, from receipt to answer: the coordinator renews those.
      message.reply(String.join("\n", renewal.taskIds().stream().filter(held::contains).toList()));
    } else if (body instanceof Withdrawal) {
      withdraw((Message<Withdrawal>) (Message<?>) message);
    } else {
      message.fail(400, "unknown message " + body.getClass().getSimpleName());
    }
  }

  private void task(Message<Task> message) {
    Task task = message.body();
    held.add(task.taskId());
    log("task     " + task.member() + " from " + task.coordinator() + " (attempt " + task.attempt() + ")");
    if (!task.pythonIdentity().equals(pythonIdentity)) {
      refuse(message, "its python is " + pythonIdentity.replace('|', ' ') + ", the coordinator builds for "
          + task.pythonIdentity().replace('|', ' '));
      return;
    }
    checking.put(task.taskId(), message);
    clusterWorkers.executeBlocking(() -> check(task), false).onComplete(ar -> {
      if (!checking.containsKey(task.taskId())) {
        dropped(task);
        return;
      }
      if (ar.failed()) {
        refuse(message, "cannot read its tree: " + ar.cause().getMessage());
        return;
      }
      if (ar.result().dir().isEmpty()) {
        refuse(message, ar.result().refusal());
        return;
      }
      Path dir = ar.result().dir().get();
      // Bounded: a member that holds the map's partition may be frozen (stopped, a long GC
      // pause) until Hazelcast drops it; the task is built here meanwhile, not held up.
      Future<Optional<BuildCache.Entry>> cached = task.reuse()
          ? clusterWorkers.executeBlocking(() -> cache.lookup(task.inputHash(), task.request(),
              id -> registry.get(id).map(a -> registry.alive(a.memberId())).orElse(false)), false)
              .timeout(CACHE_LOOKUP_MILLIS, TimeUnit.MILLISECONDS)
              .recover(err -> {
                log("build cache: no answer for " + task.member() + " (" + err.getMessage() + "); building it");
                return Future.succeededFuture(Optional.empty());
              })
          : Future.succeededFuture(Optional.empty());
      cached.onComplete(found -> {
        if (checking.remove(task.taskId()) == null) {
          dropped(task);
          return;
        }
        if (found.succeeded() && found.result().isPresent()) {
          BuildCache.Entry entry = found.result().get();
          log("reused   " + task.member() + ": built from the same inputs by agent " + entry.agent());
          held.remove(task.taskId());
          message.reply(new TaskReply.Completed(task.taskId(), settings.name(), entry.outcome(),
              entry.artifactBase(), Optional.of(entry.agent()), 0));
          return;
        }
        Queued waiting = new Queued(message, task, dir);
        queued.add(waiting);
        drain();
        if (queued.contains(waiting)) {
          // Held in reserve: the coordinator may ask for it back (a Withdrawal) until it starts.
          log("queued   " + task.member() + ": waits for a free slot (" + running + " of "
              + settings.slots() + " busy)");
        }
      });
    });
  }

  /** Where the member is here, and whether its tree is the coordinator's (blocking). */
  private Checked check(Task task) throws IOException {
    WorkspaceMapping.Result mapped = WorkspaceMapping.map(settings.workspace(), task.workspaceRoot(),
        task.memberPath());
    if (mapped instanceof WorkspaceMapping.Result.Refused refused) {
      return new Checked(Optional.empty(), refused.reason());
    }
    Path dir = ((WorkspaceMapping.Result.Mapped) mapped).dir();
    SourceManifest here = SourceManifest.of(dir, Set.of(settings.cacheDir().toAbsolutePath().normalize()));
    if (!here.digest().equals(task.sourceDigest())) {
      return new Checked(Optional.empty(), "its tree differs from the coordinator's in " + dir + ": "
          + here.differencesFrom(task.sourceFiles()) + " (check out the coordinator's commit, "
          + "without local changes)");
    }
    String inputHash = InputHash.of(task.request(), here.digest(), pythonIdentity);
    if (!inputHash.equals(task.inputHash())) {
      return new Checked(Optional.empty(), "the package's input hash here is " + inputHash
          + ", the coordinator's " + task.inputHash() + " (are both running the same orchestrate?)");
    }
    // Tests hold a task here: taken and held, not yet queued (see TestPoints).
    TestPoints.reach("agent.checked." + task.member());
    return new Checked(Optional.of(dir), "");
  }

  private void drain() {
    while (running < settings.slots() && !queued.isEmpty()) {
      Queued next = queued.poll();
      build(next.message(), next.task(), next.dir());
    }
  }

  /**
   * Gives the newest of the run's queued tasks back unstarted, if one still waits; else the
   * newest still being checked (it would be queued behind the busy slots a moment later, while
   * the agent that asked for it back idles).
   */
  private void withdraw(Message<Withdrawal> message) {
    String runId = message.body().runId();
    for (Iterator<Queued> it = queued.descendingIterator(); it.hasNext(); ) {
      Queued q = it.next();
      if (q.task().runId().equals(runId)) {
        it.remove();
        giveBack(q.message(), message, "");
        return;
      }
    }
    Message<Task> newest = null;
    for (Message<Task> m : checking.values()) {
      if (m.body().runId().equals(runId)) {
        newest = m;
      }
    }
    if (newest != null) {
      checking.remove(newest.body().taskId());
      giveBack(newest, message, " (before it was queued)");
      return;
    }
    log("withdrawal: no task of run " + runId + " waits here unstarted; nothing given back");
    message.reply("");
  }

  private void giveBack(Message<Task> task, Message<Withdrawal> withdrawal, String when) {
    Task t = task.body();
    held.remove(t.taskId());
    log("returned " + t.member() + ": the coordinator moved it to a free slot elsewhere" + when);
    task.reply(new TaskReply.Returned(t.taskId(), settings.name()));
    withdrawal.reply(t.taskId());
  }

  /** A task given back while it was checked: its check's result has no use. */
  private void dropped(Task task) {
    log("dropped  " + task.member() + ": given back while it was checked");
  }

  private void build(Message<Task> message, Task task, Path dir) {
    running++;
    building.put(task.member(), task);
    long started = System.currentTimeMillis();
    String buildId = UUID.randomUUID().toString();
    Path store = agentDir.resolve("artifacts").resolve(task.inputHash()).resolve(buildId);
    Path runDir = agentDir.resolve("tasks").resolve(LocalDateTime.now().format(
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + task.member() + "-" + buildId.substring(0, 8));
    String base = server.base() + "/a/" + task.inputHash() + "/" + buildId;
    // One cache per task: its environments are "in use" (safe from env gc) while it builds, and
    // "created" means created for this task, in a process that lives for many.
    EnvironmentCache environments = new EnvironmentCache(workers, settings.cacheDir(), environmentBuilder);
    fetchWheels(task)
        .compose(wheels -> {
          BuildRequest r = task.request();
          BuildRequest here = new BuildRequest(r.member(), r.displayName(), dir, r.requires(),
              r.backend(), r.backendPath(), r.mode(), r.configSettings(), wheels,
              r.workspaceMembers(), r.attempt(), r.inputHash(), r.force());
          Map<String, String> environment = new HashMap<>(System.getenv());
          environment.put("ORCHESTRATE_AGENT", settings.name());
          BuildContext context = new BuildContext(vertx, workers, hooks, environments, interpreter,
              store, runDir, Duration.ofMillis(task.hookTimeoutMillis()), environment, sourceBuilds);
          return Builds.build(context, here).map(outcome -> (TaskReply) new TaskReply.Completed(
              task.taskId(), settings.name(), outcome, base, Optional.empty(),
              System.currentTimeMillis() - started));
        }, wheelsFailed -> Future.succeededFuture(new TaskReply.Refused(task.taskId(), settings.name(),
            wheelsFailed.getMessage())))
        .otherwise(err -> new TaskReply.Completed(task.taskId(), settings.name(),
            new BuildOutcome.Failed("agent", "agent " + settings.name() + " could not build it: " + err,
                "", Optional.empty(), List.of(), List.of(), List.of()), base, Optional.empty(),
            System.currentTimeMillis() - started))
        .onSuccess(reply -> {
          running--;
          building.remove(task.member(), task);
          held.remove(task.taskId());
          long took = System.currentTimeMillis() - started;
          log(describe(reply) + " (" + took + " ms)");
          message.reply(reply);
          drain();
          // After the reply: the coordinator fetches while the cache and registries learn of it.
          clusterWorkers.executeBlocking(() -> {
            environments.close();
            return recorded(task, reply, store, base);
          }, false).onFailure(err -> log("warning: could not record " + task.member() + ": " + err));
        });
  }

  /** Every member wheel of the request, fetched from the coordinator into the wheel store. */
  private Future<Map<String, MemberWheel>> fetchWheels(Task task) {
    List<Future<MemberWheel>> fetched = new ArrayList<>();
    for (MemberWheel wheel : task.request().memberWheels().values()) {
      String url = task.wheelUrls().get(wheel.member());
      String file = wheel.path().getFileName().toString();
      if (url == null || !FILE.matcher(file).matches() || !HASH.matcher(wheel.sha256()).matches()) {
        return Future.failedFuture(new IllegalArgumentException("no usable URL for the wheel of `"
            + wheel.member() + "`"));
      }
      Path target = settings.cacheDir().resolve("cluster-v1").resolve("wheels")
          .resolve(wheel.sha256()).resolve(file);
      fetched.add(fetcher.fetch(url, target, wheel.sha256(), -1)
          .map(path -> new MemberWheel(wheel.member(), wheel.version(), path, wheel.sha256())));
    }
    return Future.all(fetched).map(all -> {
      Map<String, MemberWheel> wheels = new HashMap<>();
      for (int i = 0; i < all.size(); i++) {
        MemberWheel w = all.resultAt(i);
        wheels.put(w.member(), w);
      }
      return wheels;
    }).recover(err -> Future.failedFuture(new IOException("cannot fetch the member wheels it needs "
        + "from the coordinator: " + err.getMessage())));
  }

  /** After a build: the cache and the environment registry learn of it (blocking). */
  private TaskReply recorded(Task task, TaskReply reply, Path store, String base) throws IOException {
    if (!(reply instanceof TaskReply.Completed completed)) {
      AtomicFiles.deleteTree(store);
      return reply;
    }
    BuildOutcome outcome = completed.outcome();
    AtomicFiles.deleteTree(store.resolve(".orchestrate-tmp"));
    try {
      if (outcome instanceof BuildOutcome.Built built) {
        cache.record(new BuildCache.Entry(task.inputHash(), task.member(), settings.name(), base,
            built, System.currentTimeMillis()));
      } else {
        AtomicFiles.deleteTree(store);
      }
      for (EnvUse use : outcome.environments()) {
        environmentRegistry.holds(EnvironmentRegistry.key(pythonIdentity, use.requirements()),
            use.requirements(), settings.name());
      }
    } catch (RuntimeException e) {
      log("warning: could not record " + task.member() + " in the cluster's registries: " + e);
    }
    return reply;
  }

  private void refuse(Message<Task> message, String reason) {
    Task task = message.body();
    log("refused  " + task.member() + ": " + reason);
    checking.remove(task.taskId());
    held.remove(task.taskId());
    message.reply(new TaskReply.Refused(task.taskId(), settings.name(), reason));
  }

  private void forward(Message<HookEvent> message) {
    Task task = building.get(message.body().member());
    if (task != null) {
      vertx.eventBus().send(ClusterAddresses.events(task.runId()), message.body());
    }
  }

  /** {@code a/<input hash>/<build id>/<file>}: the artifacts of a build made here. */
  private Optional<Path> served(List<String> segments) {
    if (segments.size() != 4 || !segments.get(0).equals("a") || !HASH.matcher(segments.get(1)).matches()
        || !BUILD_ID.matcher(segments.get(2)).matches() || !FILE.matcher(segments.get(3)).matches()) {
      return Optional.empty();
    }
    return Optional.of(agentDir.resolve("artifacts").resolve(segments.get(1)).resolve(segments.get(2))
        .resolve(segments.get(3)));
  }

  private static String describe(TaskReply reply) {
    if (reply instanceof TaskReply.Refused r) {
      return "refused  " + r.reason();
    }
    BuildOutcome outcome = ((TaskReply.Completed) reply).outcome();
    if (outcome instanceof BuildOutcome.Built b) {
      return "built    " + String.join(", ", b.artifacts().stream().map(a -> a.file()).toList());
    } else if (outcome instanceof BuildOutcome.Failed f) {
      return "failed   " + f.stage() + ": " + f.cause();
    } else if (outcome instanceof BuildOutcome.Deferred d) {
      return "deferred needs " + d.members();
    }
    return outcome.getClass().getSimpleName();
  }

  private void log(String line) {
    out.println(LocalTime.now().format(CLOCK) + " " + line);
  }

}
