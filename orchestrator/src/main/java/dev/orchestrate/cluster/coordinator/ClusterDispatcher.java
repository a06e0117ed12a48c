package dev.orchestrate.cluster.coordinator;

import com.hazelcast.map.IMap;
import dev.orchestrate.build.BuildContext;
import dev.orchestrate.bus.Addresses;
import dev.orchestrate.bus.Artifact;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import dev.orchestrate.bus.HookEvent;
import dev.orchestrate.bus.MemberWheel;
import dev.orchestrate.cluster.ClusterAddresses;
import dev.orchestrate.cluster.ClusterJson;
import dev.orchestrate.cluster.ClusterNode;
import dev.orchestrate.cluster.Renewal;
import dev.orchestrate.cluster.Task;
import dev.orchestrate.cluster.TaskReply;
import dev.orchestrate.cluster.Withdrawal;
import dev.orchestrate.cluster.lease.Lease;
import dev.orchestrate.cluster.lease.LeaseBook;
import dev.orchestrate.cluster.registry.AgentInfo;
import dev.orchestrate.cluster.registry.AgentRegistry;
import dev.orchestrate.cluster.registry.EnvironmentRegistry;
import dev.orchestrate.cluster.source.InputHash;
import dev.orchestrate.cluster.source.SourceManifest;
import dev.orchestrate.cluster.source.WorkspaceMapping;
import dev.orchestrate.cluster.transfer.ArtifactServer;
import dev.orchestrate.cluster.transfer.Fetcher;
import dev.orchestrate.env.pep508.InvalidRequirementException;
import dev.orchestrate.env.pep508.Requirement;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.run.BuildRun;
import dev.orchestrate.run.ExecutorUse;
import dev.orchestrate.run.Placement;
import dev.orchestrate.run.RunOptions;
import dev.orchestrate.scheduler.Dispatcher;
import dev.orchestrate.state.UpToDateGate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The coordinator's dispatcher: a queue of released packages, the live agents and their free
 * slots, and the leases of the tasks out with agents. All its state is confined to this
 * verticle's event loop: the scheduler's calls, replies, renewals, the expiry sweep and agent
 * events all hop onto it, so each lease ends exactly once and a late reply finds it gone.
 */
final class ClusterDispatcher extends VerticleBase implements Dispatcher {
  static final String LOCAL = "local";
  private static final Pattern TRANSFERABLE = Pattern.compile("[A-Za-z0-9._+!~-]+");

  private ClusterNode node;
  private final CoordinatorSettings settings;
  private final RunOptions options;
  private final Duration replyTimeout;
  private final String runId;
  private String coordinatorName = "";

  // Set by attach(), before deployment.
  private BuildContext build;
  private Optional<UpToDateGate> gate = Optional.empty();
  private Optional<Dispatcher> local = Optional.empty();
  private Consumer<String> say = line -> { };
  private String pythonIdentity = "";

  private WorkerExecutor clusterWorkers;
  private AgentRegistry registry;
  private EnvironmentRegistry environments;
  private IMap<String, String> leaseMap;
  private LeaseBook leases;
  private ArtifactServer wheelServer;
  private Fetcher fetcher;
  private MessageConsumer<HookEvent> events;
  private Runnable stopListening = () -> { };
  private long sweepTimer = -1;
  private long renewTimer = -1;
  private long noAgentTimer = -1;
  private boolean gaveUpWaiting;
  private final Promise<Void> ready = Promise.promise();

  private final Map<String, AgentState> agents = new TreeMap<>();
  private final Map<String, Path> memberDirs;
  private final Map<String, Future<SourceManifest>> manifests = new HashMap<>();
  private volatile int capacity = 1;
  private volatile Runnable capacityGrew = () -> { };
  private final Deque<Job> waiting = new ArrayDeque<>();
  private final Map<String, Job> jobsByTask = new HashMap<>();
  private int localBusy;

  // Read by the run from other threads (progress lines, the report).
  private final Map<String, Path> servedWheels = new ConcurrentHashMap<>();
  private final Map<String, List<Placement.Attempt>> history = new ConcurrentHashMap<>();
  private final Map<String, String> placedOn = new ConcurrentHashMap<>();
  private final Map<String, ExecutorUse> usage = new ConcurrentHashMap<>();
  private final Map<String, Integer> attemptOfTask = new HashMap<>();
  /** Environment registry key to the agents this run's replies said hold it. */
  private final Map<String, Set<String>> heldHere = new HashMap<>();
  /** Members a package's hooks named at run time (Deferred): their wheels go with it from now on. */
  private final Map<String, Set<String>> namedAtRunTime = new HashMap<>();

  /**
   * Tasks an agent holds beyond its slots, queued there: it starts the next one the moment a
   * build ends, instead of idling while its answer travels and the next task comes.
   */
  static final int RESERVE_PER_AGENT = 1;

  private static final class AgentState {
    final AgentInfo info;
    final Optional<String> ineligible;
    /** Tasks out with it: running, or queued there in reserve. */
    int busy;
    /** A withdrawal is on its way to it. */
    boolean withdrawing;

    int slots() {
      return Math.max(1, info.slots());
    }

    AgentState(AgentInfo info, Optional<String> ineligible) {
      this.info = info;
      this.ineligible = ineligible;
    }

    boolean eligible() {
      return ineligible.isEmpty();
    }
  }

  /** One released package, from dispatch to its outcome, over as many attempts as it takes. */
  private static final class Job {
    final BuildRequest request;
    final Promise<BuildOutcome> result;
    SourceManifest manifest;
    String inputHash = "";
    Set<String> envHolders = Set.of();
    final Map<String, String> refusedBy = new LinkedHashMap<>();
    final Set<String> lostOn = new HashSet<>();
    int attempts;
    boolean reuse;

    Job(BuildRequest request, Promise<BuildOutcome> result) {
      this.request = request;
      this.result = result;
    }

    String member() {
      return request.member();
    }
  }

  /** @param memberDirs every member of the plan: their sources are hashed ahead of dispatch */
  ClusterDispatcher(CoordinatorSettings settings, RunOptions options, Duration replyTimeout,
      Map<String, Path> memberDirs) {
    this.memberDirs = Map.copyOf(memberDirs);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.options = Objects.requireNonNull(options, "options");
    this.replyTimeout = Objects.requireNonNull(replyTimeout, "replyTimeout");
    this.runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "-"
        + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  Duration replyTimeout() {
    return replyTimeout;
  }

  /**
   * The slots of the eligible agents and local jobs, plus one package in reserve per agent (an
   * agent that has just finished takes it while the coordinator fetches what it built). At least
   * 1: with nothing to build on, one package still reaches the queue, which waits --agent-wait
   * for an agent and then fails.
   */
  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public void whenCapacityGrows(Runnable listener) {
    this.capacityGrew = Objects.requireNonNull(listener, "listener");
  }

  private void updateCapacity() {
    int slots = settings.localJobs() + agents.values().stream().filter(AgentState::eligible)
        .mapToInt(a -> a.slots() + RESERVE_PER_AGENT).sum();
    int before = capacity;
    capacity = Math.max(1, slots);
    if (capacity > before) {
      capacityGrew.run();
    }
  }

  /**
   * @param node the cluster, where this verticle is deployed; the run itself (scheduler, local
   *     executor, console) lives in {@code context}'s Vert.x instance
   */
  void attach(ClusterNode node, BuildContext context, Optional<UpToDateGate> gate,
      Optional<Dispatcher> local, Consumer<String> say) {
    this.node = Objects.requireNonNull(node, "node");
    this.coordinatorName = node.memberAddress() + " (pid " + ProcessHandle.current().pid() + ")";
    this.build = Objects.requireNonNull(context, "context");
    this.gate = Objects.requireNonNull(gate, "gate");
    this.local = Objects.requireNonNull(local, "local");
    this.say = Objects.requireNonNull(say, "say");
    this.pythonIdentity = InputHash.pythonIdentity(context.interpreter());
  }

  /** Completes once something can build: an eligible agent, or local jobs. */
  Future<Void> ready() {
    return ready.future();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  @Override
  public Future<?> start() {
    clusterWorkers = vertx.createSharedWorkerExecutor("orchestrate-cluster", 4);
    registry = new AgentRegistry(node.hazelcast());
    environments = new EnvironmentRegistry(node.hazelcast());
    leaseMap = node.hazelcast().getMap(ClusterAddresses.LEASES_MAP);
    leases = new LeaseBook(settings.leaseTimeout().toMillis());
    fetcher = new Fetcher(vertx, clusterWorkers, node.settings().tls());
    events = vertx.eventBus().consumer(ClusterAddresses.events(runId), m ->
        build.vertx().eventBus().publish(Addresses.EVENTS, m.body(), new DeliveryOptions().setLocalOnly(true)));
    Context here = context;
    return ArtifactServer.start(vertx, node.host(), node.settings().tls(), this::servedWheel)
        .compose(server -> {
          wheelServer = server;
          return events.completion();
        })
        .compose(v -> clusterWorkers.executeBlocking(() -> {
          // Listen first, then list: an agent joining in between is seen twice, never missed.
          stopListening = registry.listen(event -> here.runOnContext(x -> agentEvent(event)));
          return registry.live();
        }, false))
        .map(live -> {
          live.forEach(a -> added(a, false));
          long sweep = Math.max(100, Math.min(1000, leases.durationMillis() / 5));
          sweepTimer = vertx.setPeriodic(sweep, id -> sweep());
          renewTimer = vertx.setPeriodic(Math.max(100, leases.durationMillis() / 4), id -> renewAll());
          // Hash every member's sources now, while the run starts, not when each is released.
          memberDirs.forEach((member, dir) -> manifests.put(member, manifest(dir)));
          announce();
          checkReady();
          return null;
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(renewTimer);
    vertx.cancelTimer(noAgentTimer);
    List<Future<?>> closing = new ArrayList<>();
    closing.add(clusterWorkers.executeBlocking(() -> {
      stopListening.run();
      for (String key : List.copyOf(leaseMap.keySet())) {
        if (key.startsWith(runId + "/")) {
          leaseMap.delete(key);
        }
      }
      return null;
    }, false));
    if (wheelServer != null) {
      closing.add(wheelServer.close());
    }
    closing.add(events.unregister());
    closing.add(fetcher.close());
    return Future.join(closing);
  }

  private void announce() {
    List<String> eligible = agents.values().stream().filter(AgentState::eligible)
        .map(a -> a.info.describe()).toList();
    say.accept("cluster  `" + node.clusterName() + "`: coordinator " + node.memberAddress()
        + ", run " + runId + "; " + (eligible.isEmpty() ? "no agent yet" : "agents: "
        + String.join(", ", eligible)) + "; local jobs " + settings.localJobs());
    agents.values().stream().filter(a -> !a.eligible()).forEach(a ->
        say.accept("cluster  agent " + a.info.id() + " cannot build for this run: " + a.ineligible.get()));
  }

  // ---- agents ---------------------------------------------------------------------------------

  private void agentEvent(AgentRegistry.Event event) {
    if (event instanceof AgentRegistry.Event.Joined joined) {
      added(joined.agent(), true);
    } else if (event instanceof AgentRegistry.Event.Left left) {
      gone(left.agentId(), left.why());
    } else if (event instanceof AgentRegistry.Event.MemberLeft member) {
      for (AgentState agent : List.copyOf(agents.values())) {
        if (agent.info.memberId().equals(member.memberId())) {
          gone(agent.info.id(), "left the cluster (its member is gone)");
        }
      }
      // A killed agent cannot remove its own entry: whoever sees it go does.
      clusterWorkers.executeBlocking(() -> {
        registry.forgetMember(member.memberId());
        return null;
      }, false);
    }
    pump();
  }

  private void added(AgentInfo info, boolean announce) {
    AgentState known = agents.get(info.id());
    if (known != null && known.info.memberId().equals(info.memberId())) {
      return;
    }
    if (known != null) {
      gone(info.id(), "was replaced by a new agent of the same name");
    }
    Optional<String> ineligible = info.pythonIdentity().equals(pythonIdentity) ? Optional.empty()
        : Optional.of("its python is " + info.pythonIdentity().replace('|', ' ') + ", this run builds for "
            + pythonIdentity.replace('|', ' '));
    agents.put(info.id(), new AgentState(info, ineligible));
    updateCapacity();
    if (ineligible.isEmpty()) {
      // Resolves the agent's address now, while the cluster is whole: Vert.x keeps it from then
      // on, so that a task sent later does not wait on the cluster's maps (see Renewal).
      vertx.eventBus().request(info.address(), new Renewal(runId, List.of()),
          new DeliveryOptions().setSendTimeout(replyTimeout.toMillis()));
    }
    if (announce) {
      say.accept("cluster  agent " + info.describe() + " joined"
          + ineligible.map(why -> ", but cannot build for this run: " + why).orElse(""));
    }
    checkReady();
  }

  private void gone(String agentId, String why) {
    AgentState agent = agents.remove(agentId);
    if (agent == null) {
      return;
    }
    updateCapacity();
    say.accept("cluster  agent " + agentId + " " + why);
    for (Lease lease : leases.dropAgent(agentId)) {
      Job job = jobsByTask.remove(lease.taskId());
      leaseMap.removeAsync(lease.mapKey());
      if (job != null) {
        lost(job, lease, "agent " + agentId + " " + why);
      }
    }
  }

  private boolean canBuild() {
    return settings.localJobs() > 0 || agents.values().stream().anyMatch(AgentState::eligible);
  }

  private void checkReady() {
    if (ready.future().isComplete()) {
      return;
    }
    if (canBuild()) {
      vertx.cancelTimer(noAgentTimer);
      noAgentTimer = -1;
      ready.tryComplete();
    } else if (noAgentTimer == -1) {
      noAgentTimer = vertx.setTimer(Math.max(1, settings.agentWait().toMillis()), id -> {
        noAgentTimer = -1;
        if (!canBuild()) {
          ready.tryFail(new BuildRun.ConfigurationException(noAgentMessage()));
        }
      });
    }
  }

  private String noAgentMessage() {
    String name = node.clusterName();
    StringBuilder sb = new StringBuilder("no build agent in cluster `").append(name)
        .append("` after ").append(describe(settings.agentWait())).append(" (this coordinator is ")
        .append(node.memberAddress()).append(")");
    agents.values().stream().filter(a -> !a.eligible()).forEach(a -> sb.append("\n  agent ")
        .append(a.info.id()).append(" cannot build for this run: ").append(a.ineligible.get()));
    sb.append("\nhint: start one: orchestrate agent --cluster ").append(name)
        .append(" --port PORT --members ").append(node.memberAddress()).append(",HOST:PORT --workspace DIR")
        .append("\nhint: or build here as well: --local-jobs N");
    return sb.toString();
  }

  /** With no agent left and nothing local, the queue waits --agent-wait for one, then fails. */
  private void watchForAgents() {
    if (canBuild()) {
      gaveUpWaiting = false;
      if (noAgentTimer != -1 && ready.future().isComplete()) {
        vertx.cancelTimer(noAgentTimer);
        noAgentTimer = -1;
      }
      return;
    }
    if (waiting.isEmpty() || !ready.future().isComplete()) {
      return;
    }
    if (gaveUpWaiting) {
      failWaiting(); // waited once already: the rest of the queue fails at once
    } else if (noAgentTimer == -1) {
      say.accept("cluster  no agent left; waiting " + describe(settings.agentWait()) + " for one");
      noAgentTimer = vertx.setTimer(Math.max(1, settings.agentWait().toMillis()), id -> {
        noAgentTimer = -1;
        if (!canBuild()) {
          gaveUpWaiting = true;
          failWaiting();
        }
      });
    }
  }

  private void failWaiting() {
    for (Job job : List.copyOf(waiting)) {
      waiting.remove(job);
      finish(job, failure("no build agent is left in cluster `" + node.clusterName()
          + "` (waited " + describe(settings.agentWait()) + ")", job, List.of(
              "start agents, or build here as well with --local-jobs N")));
    }
  }

  // ---- dispatching ----------------------------------------------------------------------------

  @Override
  public Future<BuildOutcome> dispatch(BuildRequest request) {
    Context caller = Vertx.currentContext();
    Promise<BuildOutcome> result = Promise.promise();
    Supplier<Future<BuildOutcome>> anywhere = () -> {
      Promise<BuildOutcome> inner = Promise.promise();
      context.runOnContext(v -> accept(request, inner));
      return inner.future();
    };
    Future<BuildOutcome> outcome = gate.isPresent() ? gate.get().around(request, anywhere) : anywhere.get();
    outcome.onComplete(ar -> {
      Runnable deliver = () -> {
        if (ar.succeeded()) {
          result.complete(ar.result());
        } else {
          result.fail(ar.cause());
        }
      };
      if (caller == null) {
        deliver.run();
      } else {
        caller.runOnContext(v -> deliver.run());
      }
    });
    return result.future();
  }

  private void accept(BuildRequest request, Promise<BuildOutcome> result) {
    Job job = new Job(request, result);
    job.reuse = settings.reuseBuilds() || (!request.inputHash().isEmpty() && !request.force());
    Future<SourceManifest> hashed = request.sourceDir().equals(memberDirs.get(request.member()))
        ? manifests.computeIfAbsent(request.member(), m -> manifest(request.sourceDir()))
        : manifest(request.sourceDir());
    String envKey = predictedEnvironment(request);
    // Who holds its environment: what this run's replies said, and the cluster's registry (read
    // without blocking, beside the hashing; a preference only, so a failed read is no holder).
    Future<Set<String>> registered = envKey.isEmpty() ? Future.succeededFuture(Set.of())
        : here(Future.fromCompletionStage(environments.holdersAsync(envKey)))
            .otherwise(err -> Set.of());
    Future<Job> hashedJob = hashed.compose(manifest -> clusterWorkers.executeBlocking(() -> {
      job.manifest = manifest;
      job.inputHash = InputHash.of(request, job.manifest.digest(), pythonIdentity);
      return job;
    }, false));
    Future.all(hashedJob, registered).map(all -> {
      Set<String> holders = new HashSet<>(registered.result());
      holders.addAll(heldHere.getOrDefault(envKey, Set.of()));
      job.envHolders = holders;
      return job;
    }).onComplete(ar -> {
      if (ar.failed()) {
        finish(job, failure("cannot read the source of `" + request.member() + "` in "
            + request.sourceDir() + ": " + ar.cause().getMessage(), job, List.of()));
        return;
      }
      waiting.add(job);
      pump();
    });
  }

  private Future<SourceManifest> manifest(Path dir) {
    Set<Path> excluded = Set.of(options.outDir(), options.cacheDir());
    return clusterWorkers.executeBlocking(() -> SourceManifest.of(dir, excluded), false);
  }

  /** Hands waiting packages to free executors, in release order; fails what nothing can build. */
  private void pump() {
    for (Iterator<Job> it = waiting.iterator(); it.hasNext(); ) {
      Job job = it.next();
      Optional<String> target = choose(job);
      if (target.isPresent()) {
        it.remove();
        if (target.get().equals(LOCAL)) {
          buildLocally(job);
        } else {
          send(job, agents.get(target.get()));
        }
      } else if (refusedEverywhere(job)) {
        it.remove();
        finish(job, failure("every agent refused to build it", job, List.of(
            "each agent builds from its own --workspace: check it out at the coordinator's commit "
                + "(or share the coordinator's tree), with no local changes",
            "or build here as well with --local-jobs N")));
      }
    }
    rebalance();
    watchForAgents();
  }

  /**
   * Nothing waits here, yet an agent has a free slot while another holds a task in reserve: that
   * one asks for it back (unstarted), so that it runs on the free slot now.
   */
  private void rebalance() {
    if (!waiting.isEmpty()) {
      return;
    }
    boolean freeSlot = agents.values().stream().anyMatch(a -> a.eligible() && a.busy < a.slots());
    if (!freeSlot) {
      return;
    }
    for (AgentState agent : agents.values()) {
      if (agent.busy > agent.slots() && !agent.withdrawing) {
        agent.withdrawing = true;
        String agentId = agent.info.id();
        vertx.eventBus().<String>request(agent.info.address(), new Withdrawal(runId),
                new DeliveryOptions().setSendTimeout(replyTimeout.toMillis()))
            .onComplete(ar -> {
              AgentState still = agents.get(agentId);
              if (still != null) {
                still.withdrawing = false;
              }
            });
        return; // one at a time: the returned task takes the free slot, then look again
      }
    }
  }

  /**
   * The executor for a package: a free eligible agent that has not refused it, best if it holds
   * the package's environment and did not lose it before; or this process with --local-jobs.
   */
  private Optional<String> choose(Job job) {
    String best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (AgentState agent : agents.values()) {
      String id = agent.info.id();
      int slots = agent.slots();
      if (!agent.eligible() || job.refusedBy.containsKey(id) || agent.busy >= slots + RESERVE_PER_AGENT) {
        continue;
      }
      // A free slot first; a place in an agent's reserve only when no agent has one.
      double score = agent.busy < slots ? 10 + (slots - agent.busy) / (double) slots : 0;
      score += job.envHolders.contains(id) ? 2 : 0;
      score -= job.lostOn.contains(id) ? 4 : 0;
      if (score > bestScore) {
        best = id;
        bestScore = score;
      }
    }
    if (local.isPresent() && localBusy < settings.localJobs()) {
      double score = 10 + (settings.localJobs() - localBusy) / (double) settings.localJobs();
      if (score > bestScore) {
        best = LOCAL;
      }
    }
    return Optional.ofNullable(best);
  }

  private boolean refusedEverywhere(Job job) {
    List<AgentState> eligible = agents.values().stream().filter(AgentState::eligible).toList();
    return local.isEmpty() && !eligible.isEmpty()
        && eligible.stream().allMatch(a -> job.refusedBy.containsKey(a.info.id()));
  }

  private void buildLocally(Job job) {
    job.attempts++;
    int number = history(job.member()).size() + 1;
    long started = System.currentTimeMillis();
    localBusy++;
    here(local.orElseThrow().dispatch(job.request)).onComplete(ar -> {
      localBusy--;
      long took = System.currentTimeMillis() - started;
      if (ar.failed()) {
        attempt(job, number, LOCAL, "failed", "no answer from the local executor: "
            + ar.cause().getMessage(), started, took);
        finish(job, failure("no answer from the local executor: " + ar.cause().getMessage(), job,
            List.of()));
      } else {
        attempt(job, number, LOCAL, label(ar.result()), summary(ar.result()), started, took);
        complete(job, ar.result(), LOCAL);
      }
      pump();
    });
  }

  private void send(Job job, AgentState agent) {
    job.attempts++;
    int number = history(job.member()).size() + 1;
    long now = System.currentTimeMillis();
    String taskId = runId + "-" + job.member() + "-" + number + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    Lease lease = leases.grant(taskId, runId, job.member(), number, agent.info.id(),
        agent.info.memberId(), now);
    agent.busy++;
    jobsByTask.put(taskId, job);
    publish(lease);
    BuildRequest request = withWheelsItNeeds(job.request);
    Task task = new Task(taskId, runId, coordinatorName, leases.durationMillis(), number, request,
        options.root().toString(), WorkspaceMapping.memberPath(options.root(), job.request.sourceDir()),
        job.manifest.digest(), job.manifest.listed(), job.inputHash, pythonIdentity,
        wheelUrls(request), build.hookTimeout().toMillis(), job.reuse);
    if (options.verbosity() > 0) {
      say.accept("cluster  " + job.member() + " to agent " + agent.info.id() + " (attempt " + number + ")");
    }
    vertx.eventBus().<TaskReply>request(agent.info.address(), task,
            new DeliveryOptions().setSendTimeout(replyTimeout.toMillis()))
        .onComplete(ar -> replied(taskId, job, agent.info.id(), now, ar.map(Message::body)));
  }

  /**
   * The request with the wheels of the members it names (build-system.requires, and what its
   * hooks named before), not every wheel built so far: an agent fetches what a build can use.
   */
  private BuildRequest withWheelsItNeeds(BuildRequest r) {
    Set<String> needed = new HashSet<>(namedAtRunTime.getOrDefault(r.member(), Set.of()));
    for (String text : r.requires()) {
      try {
        needed.add(Requirement.parse(text).normalizedName());
      } catch (InvalidRequirementException e) {
        return r; // the build reports it; send everything meanwhile
      }
    }
    Map<String, MemberWheel> wheels = new TreeMap<>();
    r.memberWheels().forEach((name, wheel) -> {
      if (needed.contains(name)) {
        wheels.put(name, wheel);
      }
    });
    return new BuildRequest(r.member(), r.displayName(), r.sourceDir(), r.requires(), r.backend(),
        r.backendPath(), r.mode(), r.configSettings(), wheels, r.workspaceMembers(), r.attempt(),
        r.inputHash(), r.force());
  }

  /** Every member wheel of the request, served by this coordinator for the agent to fetch. */
  private Map<String, String> wheelUrls(BuildRequest request) {
    Map<String, String> urls = new TreeMap<>();
    for (MemberWheel wheel : request.memberWheels().values()) {
      String file = wheel.path().getFileName().toString();
      servedWheels.put(wheel.sha256() + "/" + file, wheel.path());
      urls.put(wheel.member(), wheelServer.base() + "/w/" + wheel.sha256() + "/" + file);
    }
    return urls;
  }

  private Optional<Path> servedWheel(List<String> segments) {
    if (segments.size() != 3 || !segments.get(0).equals("w")) {
      return Optional.empty();
    }
    return Optional.ofNullable(servedWheels.get(segments.get(1) + "/" + segments.get(2)));
  }

  private void replied(String taskId, Job job, String agentId, long started,
      io.vertx.core.AsyncResult<TaskReply> ar) {
    Optional<Lease> lease = leases.end(taskId);
    if (lease.isEmpty()) {
      // The lease was lost (expired, or the agent left) and the package went elsewhere.
      amend(job.member(), taskId, "; its late answer was discarded");
      return;
    }
    jobsByTask.remove(taskId);
    leaseMap.removeAsync(lease.get().mapKey());
    AgentState agent = agents.get(agentId);
    if (agent != null) {
      agent.busy--;
    }
    long took = System.currentTimeMillis() - started;
    int number = lease.get().attempt();
    if (ar.failed()) {
      lost(job, lease.get(), "no answer from agent " + agentId + ": " + describe(ar.cause()));
      pump();
      return;
    }
    TaskReply reply = ar.result();
    if (reply instanceof TaskReply.Returned) {
      // Never begun (withdrawn from the agent's reserve): not an attempt; first in line again.
      if (options.verbosity() > 0) {
        say.accept("cluster  " + job.member() + " given back unstarted by agent " + agentId
            + " (another agent has a free slot)");
      }
      job.attempts--;
      waiting.addFirst(job);
      pump();
      return;
    }
    if (reply instanceof TaskReply.Refused refused) {
      attempt(job, number, agentId, "refused", refused.reason(), started, took);
      job.refusedBy.put(agentId, refused.reason());
      say.accept("refused  " + job.member() + " on agent " + agentId + ": " + refused.reason());
      retryOrFail(job);
      pump();
      return;
    }
    TaskReply.Completed completed = (TaskReply.Completed) reply;
    BuildOutcome outcome = completed.outcome();
    // Its time in a slot, as the agent measured it (not its time queued there, nor in transit).
    long busy = completed.busyMillis();
    for (dev.orchestrate.bus.EnvUse use : outcome.environments()) {
      heldHere.computeIfAbsent(EnvironmentRegistry.key(pythonIdentity, use.requirements()),
          k -> new HashSet<>()).add(agentId);
    }
    if (outcome instanceof BuildOutcome.Built built) {
      // The agent's slot is free now: the next task goes to it while this one's files travel.
      pump();
      fetchArtifacts(job, built, completed.artifactBase()).onComplete(fetched -> {
        if (fetched.succeeded()) {
          attempt(job, number, agentId, completed.reusedFrom().isPresent() ? "reused" : "built",
              completed.reusedFrom().map(from -> "the build of the same input hash by agent " + from)
                  .orElse(""), started, took, busy, "");
          complete(job, fetched.result(), agentId);
        } else {
          attempt(job, number, agentId, "transfer-failed", fetched.cause().getMessage(), started, took,
              busy, "");
          say.accept("retry    " + job.member() + ": artifacts from agent " + agentId + " unusable: "
              + fetched.cause().getMessage());
          job.lostOn.add(agentId);
          job.reuse = false; // a cached build whose files are gone would fail again
          retryOrFail(job);
        }
        pump();
      });
      return;
    }
    attempt(job, number, agentId, label(outcome), summary(outcome), started, took, busy, "");
    if (outcome instanceof BuildOutcome.Deferred deferred) {
      namedAtRunTime.computeIfAbsent(job.member(), m -> new HashSet<>()).addAll(deferred.members());
    }
    complete(job, outcome instanceof BuildOutcome.Failed failed ? onAgent(failed, agentId) : outcome, agentId);
    pump();
  }

  /** A lease ended without an answer: the package goes back to the queue, or fails at the limit. */
  private void lost(Job job, Lease lease, String why) {
    long took = System.currentTimeMillis() - lease.grantedAtMillis();
    attempt(job, lease.attempt(), lease.agent(), "lost", why, lease.grantedAtMillis(), took, took,
        lease.taskId());
    job.lostOn.add(lease.agent());
    job.reuse = true; // the lost agent may still finish: never build one input hash twice
    boolean again = job.attempts < settings.maxAttempts();
    say.accept("lost     " + job.member() + " on agent " + lease.agent() + ": " + why
        + (again ? "; back in the queue (attempt " + (job.attempts + 1) + " of "
            + settings.maxAttempts() + ")" : ""));
    retryOrFail(job);
  }

  private void retryOrFail(Job job) {
    if (job.attempts >= settings.maxAttempts()) {
      finish(job, failure("gave up after " + job.attempts + " attempt" + (job.attempts == 1 ? "" : "s")
          + " on build agents", job, List.of("raise --max-attempts, or see why each attempt ended "
              + "above (and under `attempts` in the JSON report)")));
      return;
    }
    waiting.addFirst(job);
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    List<Lease> expired = leases.expire(now);
    for (Lease lease : expired) {
      Job job = jobsByTask.remove(lease.taskId());
      leaseMap.removeAsync(lease.mapKey());
      AgentState agent = agents.get(lease.agent());
      if (agent != null) {
        agent.busy--;
      }
      if (job != null) {
        lost(job, lease, "no lease renewal from agent " + lease.agent() + " for "
            + describe(Duration.ofMillis(leases.durationMillis())));
      }
    }
    if (!expired.isEmpty()) {
      pump();
    }
  }

  /** Asks each agent holding leases which of those tasks it still holds, and renews those. */
  private void renewAll() {
    Map<String, List<String>> byAgent = new TreeMap<>();
    for (String taskId : jobsByTask.keySet()) {
      leases.get(taskId).ifPresent(l -> byAgent.computeIfAbsent(l.agent(), a -> new ArrayList<>()).add(taskId));
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(Math.max(500, leases.durationMillis() / 2));
    byAgent.forEach((agentId, taskIds) -> {
      AgentState agent = agents.get(agentId);
      if (agent == null) {
        return;
      }
      vertx.eventBus().<String>request(agent.info.address(), new Renewal(runId, taskIds), options)
          .onSuccess(reply -> {
            long now = System.currentTimeMillis();
            for (String taskId : reply.body().split("\n")) {
              if (!taskId.isEmpty() && leases.renew(taskId, agentId, now)) {
                leases.get(taskId).ifPresent(this::publish);
              }
            }
          }); // no answer: no renewal, and the leases run out
    });
  }

  /** The lease in the cluster's map, for anyone to see; it expires there on its own too. */
  private void publish(Lease lease) {
    leaseMap.setAsync(lease.mapKey(), ClusterJson.write(lease), leases.durationMillis() * 3,
        TimeUnit.MILLISECONDS);
  }

  // ---- artifacts ------------------------------------------------------------------------------

  /** Fetches the agent's artifacts into the out dir: all verified first, then each renamed in. */
  private Future<BuildOutcome> fetchArtifacts(Job job, BuildOutcome.Built built, String base) {
    for (Artifact a : built.artifacts()) {
      if (!TRANSFERABLE.matcher(a.file()).matches() || a.file().startsWith(".")) {
        return Future.failedFuture(new IllegalStateException("the artifact name `" + a.file()
            + "` cannot be transferred"));
      }
    }
    Path staging = build.stagingDir().resolve(job.member() + "-" + UUID.randomUUID());
    Path outDir = build.outDir();
    return clusterWorkers.executeBlocking(() -> Files.createDirectories(staging), false)
        .compose(dir -> {
          List<Future<Path>> fetched = new ArrayList<>();
          for (Artifact a : built.artifacts()) {
            fetched.add(fetcher.fetchNew(base + "/" + a.file(), staging.resolve(a.file()), a.sha256(),
                a.size()));
          }
          return Future.all(fetched);
        })
        .compose(v -> clusterWorkers.executeBlocking(() -> {
          List<Artifact> published = new ArrayList<>();
          for (Artifact a : built.artifacts()) {
            Path target = outDir.resolve(a.file());
            AtomicFiles.moveAtomically(staging.resolve(a.file()), target);
            published.add(new Artifact(a.kind(), a.file(), target, a.sha256(), a.size()));
          }
          Files.delete(staging);
          return (BuildOutcome) new BuildOutcome.Built(built.version(), published, built.fallback(),
              built.hooks(), built.environments());
        }, false))
        .recover(err -> clusterWorkers.executeBlocking(() -> {
          AtomicFiles.deleteTree(staging);
          return null;
        }, false).transform(ignored -> Future.failedFuture(err)));
  }

  // ---- outcomes and the record of attempts ----------------------------------------------------

  private void complete(Job job, BuildOutcome outcome, String executor) {
    placedOn.put(job.member(), executor);
    if (outcome instanceof BuildOutcome.Built) {
      ExecutorUse use = usage(executor);
      usage.put(executor, new ExecutorUse(use.id(), use.host(), use.slots(), use.packages() + 1,
          use.busyMillis()));
    }
    job.result.tryComplete(outcome);
  }

  private void finish(Job job, BuildOutcome.Failed failed) {
    List<Placement.Attempt> attempts = history(job.member());
    if (!attempts.isEmpty()) {
      placedOn.putIfAbsent(job.member(), attempts.get(attempts.size() - 1).executor());
    }
    job.result.tryComplete(failed);
  }

  private BuildOutcome.Failed failure(String cause, Job job, List<String> hints) {
    String detail = history(job.member()).stream()
        .map(a -> "attempt " + a.number() + " on " + a.executor() + ": " + a.result()
            + (a.detail().isEmpty() ? "" : ": " + a.detail()))
        .collect(Collectors.joining("\n"));
    return new BuildOutcome.Failed("cluster", cause, detail, Optional.empty(), hints, List.of(), List.of());
  }

  /** An agent's failure names where its log is: on the agent's disk. */
  private BuildOutcome.Failed onAgent(BuildOutcome.Failed failed, String agentId) {
    AgentState agent = agents.get(agentId);
    String where = agent == null ? "agent " + agentId : "agent " + agentId + " (" + agent.info.host() + ")";
    if (failed.log().isEmpty()) {
      return failed;
    }
    List<String> hints = new ArrayList<>(failed.hints());
    hints.add("the log is on " + where);
    return new BuildOutcome.Failed(failed.stage(), failed.cause(), failed.detail(), failed.log(),
        hints, failed.hooks(), failed.environments());
  }

  private void attempt(Job job, int number, String executor, String result, String detail,
      long started, long took) {
    attempt(job, number, executor, result, detail, started, took, took, "");
  }

  /** @param busy what the attempt adds to the executor's busy time (its utilisation) */
  private void attempt(Job job, int number, String executor, String result, String detail,
      long started, long took, long busy, String taskId) {
    List<Placement.Attempt> list = new ArrayList<>(history(job.member()));
    list.add(new Placement.Attempt(number, executor, result, detail, started, took));
    if (!taskId.isEmpty()) {
      attemptOfTask.put(taskId, list.size() - 1);
    }
    history.put(job.member(), List.copyOf(list));
    ExecutorUse use = usage(executor);
    usage.put(executor, new ExecutorUse(use.id(), use.host(), use.slots(), use.packages(),
        use.busyMillis() + busy));
  }

  private void amend(String member, String taskId, String note) {
    Integer index = attemptOfTask.remove(taskId);
    List<Placement.Attempt> list = new ArrayList<>(history(member));
    if (index == null || index >= list.size()) {
      return;
    }
    Placement.Attempt a = list.get(index);
    list.set(index, new Placement.Attempt(a.number(), a.executor(), a.result(), a.detail() + note,
        a.startedAtMillis(), a.durationMillis()));
    history.put(member, List.copyOf(list));
  }

  private List<Placement.Attempt> history(String member) {
    return history.getOrDefault(member, List.of());
  }

  private ExecutorUse usage(String executor) {
    return usage.computeIfAbsent(executor, id -> {
      if (id.equals(LOCAL)) {
        return new ExecutorUse(LOCAL, "this coordinator", settings.localJobs(), 0, 0);
      }
      AgentState agent = agents.get(id);
      return new ExecutorUse(id, agent == null ? "" : agent.info.host(),
          agent == null ? 0 : agent.info.slots(), 0, 0);
    });
  }

  Optional<Placement> placement(String member) {
    List<Placement.Attempt> attempts = history(member);
    if (attempts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Placement(placedOn.getOrDefault(member,
        attempts.get(attempts.size() - 1).executor()), attempts));
  }

  List<ExecutorUse> executors() {
    return new TreeMap<>(usage).values().stream().toList();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** A future of another Vert.x instance (the run's), completed on this verticle's event loop. */
  private <T> Future<T> here(Future<T> elsewhere) {
    Promise<T> promise = Promise.promise();
    Context here = context;
    elsewhere.onComplete(ar -> here.runOnContext(v -> {
      if (ar.succeeded()) {
        promise.complete(ar.result());
      } else {
        promise.fail(ar.cause());
      }
    }));
    return promise.future();
  }

  /** The key of the environment its build-system.requires make, as an agent will register it. */
  private String predictedEnvironment(BuildRequest request) {
    List<String> forms = new ArrayList<>();
    Map<String, String> markers = build.interpreter().markers();
    for (String text : request.requires()) {
      Requirement r;
      try {
        r = Requirement.parse(text);
      } catch (InvalidRequirementException e) {
        return "";
      }
      if (r.marker().isPresent() && !r.marker().get().evaluate(markers)) {
        continue;
      }
      String name = r.normalizedName();
      if (!request.workspaceMembers().contains(name) || r.url().isPresent()) {
        forms.add(r.toCanonicalString());
        continue;
      }
      MemberWheel wheel = request.memberWheels().get(name);
      if (wheel == null) {
        return "";
      }
      String extras = r.extras().isEmpty() ? "" : "[" + String.join(",", r.extras()) + "]";
      forms.add(name + extras + " @ sha256:" + wheel.sha256());
    }
    return EnvironmentRegistry.key(pythonIdentity, forms);
  }

  private static String label(BuildOutcome outcome) {
    if (outcome instanceof BuildOutcome.Built) {
      return "built";
    } else if (outcome instanceof BuildOutcome.Deferred) {
      return "deferred";
    } else if (outcome instanceof BuildOutcome.UpToDate) {
      return "up-to-date";
    } else if (outcome instanceof BuildOutcome.Skipped) {
      return "skipped";
    }
    return "failed";
  }

  private static String summary(BuildOutcome outcome) {
    if (outcome instanceof BuildOutcome.Failed f) {
      return f.stage() + ": " + f.cause();
    } else if (outcome instanceof BuildOutcome.Deferred d) {
      return "needs " + String.join(", ", d.members()) + " first";
    }
    return "";
  }

  private static String describe(Throwable err) {
    if (err instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> "it is not listening any more";
        case TIMEOUT -> "timed out";
        default -> String.valueOf(reply.getMessage());
      };
    }
    return err.getMessage() == null ? err.toString() : err.getMessage();
  }

  private static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
  }
}
