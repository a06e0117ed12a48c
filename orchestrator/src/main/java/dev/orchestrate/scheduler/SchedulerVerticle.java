package dev.orchestrate.scheduler;

import dev.orchestrate.bus.Artifact;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import dev.orchestrate.bus.EnvUse;
import dev.orchestrate.bus.HookRecord;
import dev.orchestrate.bus.MemberWheel;
import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.workspace.Member;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Walks the build graph: sends a package to the executors once everything it needs at build
 * time is built, keeps at most {@code jobs} in flight, marks the dependents of a failure as
 * skipped, and adds edges found at run time ({@link BuildOutcome.Deferred}). All state is
 * confined to this verticle's event loop.
 */
public final class SchedulerVerticle extends VerticleBase {
  private final BuildPlan plan;
  private final Promise<Map<String, BuildOutcome>> done;
  private final Consumer<SchedulerEvent> listener;
  private final BuildGraph graph;
  private final Map<String, BuildOutcome> preFailed;
  private final Set<String> pending = new LinkedHashSet<>();
  private final Set<String> running = new LinkedHashSet<>();
  private final Map<String, BuildOutcome> outcomes = new LinkedHashMap<>();
  private final Map<String, MemberWheel> wheels = new HashMap<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, List<HookRecord>> earlierHooks = new HashMap<>();
  private final Map<String, List<EnvUse>> earlierEnvironments = new HashMap<>();
  private Dispatcher dispatcher; // set by the constructor, else the local executor at start

  /** What the scheduler tells its listener (for progress output). */
  public sealed interface SchedulerEvent {
    record Started(String member, int attempt) implements SchedulerEvent {}

    record Finished(String member, BuildOutcome outcome) implements SchedulerEvent {}

    /** A hook named members not built yet: it waits for them and is started again after. */
    record Deferred(String member, Set<String> waitingFor) implements SchedulerEvent {}
  }

  /**
   * @param preFailed members of the graph that already failed before any build (misconfigured),
   *     or that are already up to date ({@link BuildOutcome.UpToDate}: never sent);
   *     their dependents are skipped
   */
  public SchedulerVerticle(BuildPlan plan, Map<String, BuildOutcome> preFailed,
      Promise<Map<String, BuildOutcome>> done, Consumer<SchedulerEvent> listener) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.preFailed = Map.copyOf(preFailed);
    this.done = Objects.requireNonNull(done, "done");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.graph = plan.graph();
  }

  /** @param dispatcher where packages go: the local executor, or build agents (cluster mode) */
  public SchedulerVerticle(BuildPlan plan, Dispatcher dispatcher, Map<String, BuildOutcome> preFailed,
      Promise<Map<String, BuildOutcome>> done, Consumer<SchedulerEvent> listener) {
    this(plan, preFailed, done, listener);
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
  }

  @Override
  public Future<?> start() {
    if (dispatcher == null) {
      dispatcher = new LocalDispatcher(vertx, plan.replyTimeout());
    }
    dispatcher.whenCapacityGrows(() -> context.runOnContext(v -> release()));
    pending.addAll(graph.topologicalOrder());
    preFailed.forEach(this::finish);
    // Defer the first release: deployment completes first, then work flows.
    context.runOnContext(v -> release());
    return Future.succeededFuture();
  }

  private void release() {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (String name : List.copyOf(pending)) {
        Optional<String> blocker = blocker(name);
        if (blocker.isPresent()) {
          finish(name, new BuildOutcome.Skipped(blocker.get()));
          changed = true;
        } else if (ready(name) && running.size() < Math.min(plan.jobs(), dispatcher.capacity())) {
          pending.remove(name);
          send(name);
        }
      }
    }
    if (pending.isEmpty() && running.isEmpty()) {
      done.tryComplete(outcomes);
    }
  }

  /** Why this package cannot be built, when something it needs failed, was skipped or is broken. */
  private Optional<String> blocker(String name) {
    for (String dep : graph.dependenciesOf(name)) {
      BuildOutcome o = outcomes.get(dep);
      if (o instanceof BuildOutcome.Failed f) {
        return Optional.of("needs `" + dep + "`, which failed (" + f.stage() + ")");
      } else if (o instanceof BuildOutcome.Skipped s) {
        // Name the root cause, not only the nearest link of the chain.
        return Optional.of("needs `" + dep + "`, which was skipped: it " + s.because());
      }
    }
    Member member = graph.member(name).orElseThrow();
    for (var requirement : member.buildRequires()) {
      String reason = plan.broken().get(requirement.normalizedName());
      if (reason != null) {
        return Optional.of("needs `" + requirement.normalizedName() + "`, " + reason);
      }
    }
    return Optional.empty();
  }

  private boolean ready(String name) {
    return graph.dependenciesOf(name).stream().allMatch(wheels::containsKey);
  }

  private void send(String name) {
    Member member = graph.member(name).orElseThrow();
    int attempt = attempts.merge(name, 1, Integer::sum);
    running.add(name);
    listener.accept(new SchedulerEvent.Started(name, attempt));
    BuildRequest request = new BuildRequest(name, member.name(), member.dir(),
        member.buildSystem().requires(), member.buildSystem().backend(),
        member.buildSystem().backendPath(), plan.mode(), plan.configSettings(), wheels,
        plan.workspaceMembers(), attempt, plan.stamps().stamp(name, graph), plan.stamps().force(name));
    dispatcher.dispatch(request)
        .otherwise(err -> new BuildOutcome.Failed("orchestrate", "no answer from the executor: "
            + err.getMessage(), "", Optional.empty(), List.of(), List.of(), List.of()))
        .onSuccess(outcome -> {
          running.remove(name);
          received(name, outcome);
          release();
        });
  }

  private void received(String name, BuildOutcome outcome) {
    if (outcome instanceof BuildOutcome.Deferred deferred) {
      // The attempt's hooks and environments stay in the package's record.
      earlierHooks.computeIfAbsent(name, n -> new ArrayList<>()).addAll(deferred.hooks());
      earlierEnvironments.computeIfAbsent(name, n -> new ArrayList<>()).addAll(deferred.environments());
      for (String needed : deferred.members()) {
        // `orchestrate build NAME`: a member a hook names joins the build, with what it needs.
        for (String added : graph.include(needed)) {
          if (!outcomes.containsKey(added) && !running.contains(added)) {
            pending.add(added);
          }
        }
        Optional<List<String>> cycle = graph.contains(needed)
            ? graph.addEdgeIfAcyclic(name, needed, BuildGraph.RUNTIME_REQUIREMENT)
            : Optional.empty();
        if (!graph.contains(needed)) {
          finish(name, failed(deferred, "`" + deferred.stage() + "` asks for the workspace member `"
              + needed + "`, which is not part of this build", List.of(
                  "build it too: orchestrate build " + name + " " + needed)));
          return;
        }
        if (cycle.isPresent()) {
          finish(name, failed(deferred, "`" + deferred.stage() + "` asks for the workspace member `"
              + needed + "`, which closes a cycle: " + BuildGraph.describePath(cycle.get()),
              List.of("a backend cannot need a wheel that needs it; use backend-path for an in-tree backend")));
          return;
        }
      }
      pending.add(name); // back in line; released again once the new dependencies are built
      listener.accept(new SchedulerEvent.Deferred(name, deferred.members()));
      return;
    }
    finish(name, outcome);
    if (outcome instanceof BuildOutcome.Built built) {
      built.artifacts().stream().filter(a -> a.kind().equals("wheel")).findFirst()
          .ifPresent((Artifact wheel) -> wheels.put(name,
              new MemberWheel(name, built.version(), wheel.path(), wheel.sha256())));
    }
  }

  /** The outcome with the hooks and environments of the package's deferred attempts first. */
  private BuildOutcome withEarlierAttempts(String name, BuildOutcome outcome) {
    List<HookRecord> hooks = earlierHooks.remove(name);
    List<EnvUse> envs = earlierEnvironments.remove(name);
    if (hooks == null || hooks.isEmpty() && envs.isEmpty()) {
      return outcome;
    }
    List<HookRecord> allHooks = new ArrayList<>(hooks);
    allHooks.addAll(outcome.hooks());
    List<EnvUse> allEnvs = new ArrayList<>(envs);
    for (EnvUse e : outcome.environments()) {
      if (!allEnvs.contains(e)) {
        allEnvs.add(e);
      }
    }
    if (outcome instanceof BuildOutcome.Built b) {
      return new BuildOutcome.Built(b.version(), b.artifacts(), b.fallback(), allHooks, allEnvs);
    } else if (outcome instanceof BuildOutcome.Failed f) {
      return new BuildOutcome.Failed(f.stage(), f.cause(), f.detail(), f.log(), f.hints(), allHooks, allEnvs);
    }
    return outcome; // skipped or up to date: nothing of theirs ran
  }

  private static BuildOutcome.Failed failed(BuildOutcome.Deferred d, String cause, List<String> hints) {
    // The attempt's hooks and environments are added by finish(), with the earlier attempts'.
    return new BuildOutcome.Failed(d.stage(), cause, "", Optional.empty(), hints, List.of(), List.of());
  }

  private void finish(String name, BuildOutcome outcome) {
    outcome = withEarlierAttempts(name, outcome);
    pending.remove(name);
    outcomes.put(name, outcome);
    if (outcome instanceof BuildOutcome.UpToDate upToDate) {
      // Its wheel from the last build is in the out dir: dependents build against it.
      upToDate.artifacts().stream().filter(a -> a.kind().equals("wheel")).findFirst()
          .ifPresent(wheel -> wheels.put(name,
              new MemberWheel(name, upToDate.version(), wheel.path(), wheel.sha256())));
    }
    listener.accept(new SchedulerEvent.Finished(name, outcome));
  }
}
