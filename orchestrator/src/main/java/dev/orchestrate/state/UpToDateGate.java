package dev.orchestrate.state;

import dev.orchestrate.bus.Artifact;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import dev.orchestrate.bus.EnvUse;
import dev.orchestrate.env.store.EnvironmentCache;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Step 1 of an executor: is the package up to date? If its state record has the request's input
 * hash and its artifacts are in the out dir (or can be put back from the store), the answer is
 * {@link BuildOutcome.UpToDate} and nothing is built. Otherwise the package is built under its
 * lock and, once built, recorded: artifacts copied into the store, then the record. The lock
 * makes a second run wait for the first one's build of the package and then find it up to date.
 * File work runs on the worker pool.
 */
public final class UpToDateGate {
  private final WorkerExecutor workers;
  private final StateStore store;
  private final Path outDir;
  private final Path stagingDir;
  private final BooleanSupplier stopping;

  /**
   * @param stagingDir where restored files are staged: inside the out dir, so a rename publishes
   * @param stopping true once the run is being stopped (watch mode on Ctrl-C): nothing more is
   *     started, so that no backend process outlives the stop
   */
  public UpToDateGate(WorkerExecutor workers, StateStore store, Path outDir, Path stagingDir,
      BooleanSupplier stopping) {
    this.workers = Objects.requireNonNull(workers, "workers");
    this.store = Objects.requireNonNull(store, "store");
    this.outDir = Objects.requireNonNull(outDir, "outDir");
    this.stagingDir = Objects.requireNonNull(stagingDir, "stagingDir");
    this.stopping = Objects.requireNonNull(stopping, "stopping");
  }

  private record Claim(Optional<BuildOutcome> upToDate, Optional<PackageLock> lock,
      Optional<PackageRecord> previous) {}

  /** Answers {@code request} from the state store, or runs {@code build} and records its result. */
  public Future<BuildOutcome> around(BuildRequest request, Supplier<Future<BuildOutcome>> build) {
    if (stopping.getAsBoolean()) {
      return Future.succeededFuture(new BuildOutcome.Failed("orchestrate",
          "not built: orchestrate is stopping", "", Optional.empty(), List.of(), List.of(), List.of()));
    }
    if (request.inputHash().isEmpty()) {
      return build.get();
    }
    return workers.executeBlocking(() -> claim(request), false).transform(ar -> {
      if (ar.failed()) {
        return build.get(); // the state store cannot be used (locks, disk): build, record nothing
      }
      Claim claim = ar.result();
      if (claim.upToDate().isPresent()) {
        return Future.succeededFuture(claim.upToDate().get());
      }
      PackageLock lock = claim.lock().orElseThrow();
      return build.get()
          .compose(outcome -> outcome instanceof BuildOutcome.Built built
              ? workers.executeBlocking(() -> record(request, built, claim.previous()), false)
                  .map(v -> outcome)
                  // Unrecorded, the package is only built again next time: not a failure now.
                  .otherwise(outcome)
              : Future.succeededFuture(outcome))
          .eventually(() -> workers.executeBlocking(() -> {
            lock.close();
            return null;
          }, false));
    });
  }

  private Claim claim(BuildRequest request) throws IOException, InterruptedException {
    String member = request.member();
    if (!request.force()) {
      Verdict quick = Freshness.quick(store.read(member), request.inputHash(), outDir);
      if (quick instanceof Verdict.Fresh fresh) {
        return new Claim(Optional.of(upToDate(fresh)), Optional.empty(), Optional.empty());
      }
    }
    PackageLock lock = store.lock(member);
    try {
      if (!request.force()) {
        Verdict settled = Freshness.settle(store, member, request.inputHash(), outDir, stagingDir);
        if (settled instanceof Verdict.Fresh fresh) {
          lock.close();
          return new Claim(Optional.of(upToDate(fresh)), Optional.empty(), Optional.empty());
        }
      }
      return new Claim(Optional.empty(), Optional.of(lock), store.read(member));
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private BuildOutcome.UpToDate upToDate(Verdict.Fresh fresh) {
    return fresh.outcome(outDir);
  }

  /** Copies the artifacts into the store, then writes the record (so a record never names a missing copy). */
  private Void record(BuildRequest request, BuildOutcome.Built built, Optional<PackageRecord> previous)
      throws IOException {
    List<PackageRecord.Artifact> artifacts = new ArrayList<>();
    for (Artifact a : built.artifacts()) {
      Optional<Stamp> stamp = Freshness.stamp(a.path());
      if (stamp.isEmpty() || !store.keep(a.path(), a.sha256())) {
        return null; // changed under us: leave the package unrecorded
      }
      artifacts.add(new PackageRecord.Artifact(a.kind(), a.file(), a.sha256(), a.size(),
          outDir, stamp.get()));
    }
    List<PackageRecord.Environment> environments = new ArrayList<>();
    for (EnvUse use : built.environments()) {
      Freshness.stamp(use.path().resolve(EnvironmentCache.METADATA)).ifPresent(stamp ->
          environments.add(new PackageRecord.Environment(use.key(), use.path(), stamp,
              use.resolved().stream().sorted().toList())));
    }
    PackageRecord record = new PackageRecord(request.inputHash(), built.version(),
        System.currentTimeMillis(), memberDependencies(request, built), artifacts, environments);
    store.write(request.member(), record);
    store.pruneBlobs(previous, record);
    store.pruneManifests(request.member(), request.inputHash());
    return null;
  }

  /**
   * The members whose wheels went into the build's environments, including those a
   * {@code get_requires_for_build_*} hook named (key forms {@code name[extras] @ sha256:...}).
   */
  static SortedSet<String> memberDependencies(BuildRequest request, BuildOutcome.Built built) {
    SortedSet<String> members = new TreeSet<>();
    for (EnvUse use : built.environments()) {
      for (String requirement : use.requirements()) {
        int at = requirement.indexOf(" @ ");
        if (at < 0) {
          continue;
        }
        String name = requirement.substring(0, at);
        int bracket = name.indexOf('[');
        name = (bracket < 0 ? name : name.substring(0, bracket)).strip();
        if (request.workspaceMembers().contains(name) && !name.equals(request.member())) {
          members.add(name);
        }
      }
    }
    return members;
  }
}
