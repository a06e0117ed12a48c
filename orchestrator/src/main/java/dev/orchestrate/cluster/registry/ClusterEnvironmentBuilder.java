package dev.orchestrate.cluster.registry;

import dev.orchestrate.cluster.ClusterAddresses;
import dev.orchestrate.cluster.source.InputHash;
import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.EnvironmentBuilder;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.env.store.Pin;
import dev.orchestrate.shim.InterpreterInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.shareddata.Lock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An agent's environment builder: resolution of a key happens once in the cluster. Under the
 * key's cluster-wide lock, the first agent to need a key resolves and installs it with the
 * underlying builder and records the pins; every later agent installs those pins exactly
 * ({@code name==version}; workspace members stay by wheel) and checks that it got them. The
 * local cache (file lock, atomic publish) still makes each environment once per machine.
 */
public final class ClusterEnvironmentBuilder implements EnvironmentBuilder {
  private final EnvironmentBuilder delegate;
  private final EnvironmentRegistry registry;
  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final String agent;
  private final Duration lockTimeout;

  public ClusterEnvironmentBuilder(EnvironmentBuilder delegate, EnvironmentRegistry registry,
      Vertx vertx, WorkerExecutor workers, String agent, Duration lockTimeout) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.workers = Objects.requireNonNull(workers, "workers");
    this.agent = Objects.requireNonNull(agent, "agent");
    this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
  }

  @Override
  public Future<List<Pin>> build(InterpreterInfo interpreter, List<EnvRequirement> requirements,
      Path staging, Path finalPath, Path log) {
    List<String> forms = requirements.stream().map(EnvRequirement::keyForm).distinct().sorted().toList();
    String key = EnvironmentRegistry.key(InputHash.pythonIdentity(interpreter), forms);
    // Without the lock (another agent holds it too long) the pins are still checked after.
    Future<Optional<Lock>> locked = vertx.sharedData()
        .getLockWithTimeout(ClusterAddresses.environmentLock(key), lockTimeout.toMillis())
        .map(Optional::of).otherwise(Optional.empty());
    return locked.compose(lock -> workers.executeBlocking(() -> registry.get(key), false)
        .compose(existing -> {
          Optional<EnvironmentRegistry.Entry> pinned = existing.filter(e -> !e.pins().isEmpty());
          List<EnvRequirement> install = pinned.map(e -> pinnedRequirements(requirements, e.pins()))
              .orElse(requirements);
          return delegate.build(interpreter, install, staging, finalPath, log)
              .compose(pins -> workers.executeBlocking(() -> {
                EnvironmentRegistry.Entry standing = registry.resolved(key, forms, view(pins), agent);
                check(standing, requirements, pins, log);
                return pins;
              }, false));
        })
        .eventually(() -> {
          lock.ifPresent(Lock::release);
          return Future.succeededFuture();
        }));
  }

  /** The requirements with every resolved (not direct) distribution replaced by its pin. */
  static List<EnvRequirement> pinnedRequirements(List<EnvRequirement> requirements,
      List<EnvironmentRegistry.Pinned> pins) {
    Set<String> direct = directNames(requirements);
    List<EnvRequirement> result = new ArrayList<>();
    for (EnvRequirement r : requirements) {
      if (r.keyForm().contains(" @ ")) {
        result.add(r);
      }
    }
    for (EnvironmentRegistry.Pinned pin : pins) {
      if (!direct.contains(pin.name())) {
        String exact = pin.name() + "==" + pin.version();
        result.add(new EnvRequirement(exact, exact, "the cluster's resolution of this environment"));
      }
    }
    return result;
  }

  private void check(EnvironmentRegistry.Entry standing, List<EnvRequirement> requirements,
      List<Pin> mine, Path log) {
    Set<String> direct = directNames(requirements);
    Map<String, String> theirs = new TreeMap<>();
    standing.pins().stream().filter(p -> !direct.contains(p.name()))
        .forEach(p -> theirs.put(p.name(), p.version()));
    Map<String, String> ours = new TreeMap<>();
    mine.stream().filter(p -> !direct.contains(p.name())).forEach(p -> ours.put(p.name(), p.version()));
    if (!theirs.isEmpty() && !theirs.equals(ours)) {
      throw new EnvironmentException("this environment resolved differently on agent `" + agent
          + "` (" + describe(ours) + ") than the cluster's pins by agent `" + standing.resolvedBy()
          + "` (" + describe(theirs) + ")\nhint: give every agent the same --find-links / --index-url",
          log);
    }
  }

  private static Set<String> directNames(List<EnvRequirement> requirements) {
    return requirements.stream().map(EnvRequirement::keyForm).filter(f -> f.contains(" @ "))
        .map(f -> f.substring(0, f.indexOf(" @ ")).replaceAll("\\[.*", "").strip())
        .collect(Collectors.toSet());
  }

  private static List<EnvironmentRegistry.Pinned> view(List<Pin> pins) {
    return pins.stream().map(p -> new EnvironmentRegistry.Pinned(p.name(), p.version(), p.file(),
        p.sha256().orElse(""))).toList();
  }

  private static String describe(Map<String, String> pins) {
    return pins.isEmpty() ? "nothing" : pins.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
