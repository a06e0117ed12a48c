package dev.orchestrate.run;

import dev.orchestrate.build.BuildContext;
import dev.orchestrate.scheduler.BuildPlan;
import dev.orchestrate.scheduler.Dispatcher;
import dev.orchestrate.state.UpToDateGate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a run's packages are built: this process ({@link LocalSite}, the default) or a cluster
 * of build agents (cluster mode's coordinator). The run calls {@link #open}, then
 * {@link #dispatcher} for its scheduler, then {@link #start}, and deploys the scheduler when
 * {@code start} has completed.
 */
public interface ExecutionSite {
  /** The Vert.x instance the run lives in (clustered in cluster mode). Blocking, called once. */
  Vertx open() throws Exception;

  /** How many packages the scheduler may release at once, given {@code --jobs}. */
  int jobs(int requested);

  /** What the scheduler hands packages to; usable once {@link #start} has completed. */
  Dispatcher dispatcher(BuildPlan plan);

  /**
   * Starts the executors and returns the ids of what it deployed (the run undeploys them at its
   * end). Fails with a {@link BuildRun.ConfigurationException} when nothing could build at all.
   *
   * @param gate the up-to-date check of incremental builds, applied once per package
   * @param say a line for the person running the build
   */
  Future<List<String>> start(BuildContext context, Optional<UpToDateGate> gate, Consumer<String> say);

  /** Where a package was built and its attempts; empty when this site does not track them. */
  default Optional<Placement> placement(String member) {
    return Optional.empty();
  }

  /** The executors that took part (cluster mode); empty for a local run. */
  default List<ExecutorUse> executors() {
    return List.of();
  }

  /** Releases what {@link #open} and {@link #start} took beyond the run's Vert.x instance. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
