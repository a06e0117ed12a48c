package dev.orchestrate.scheduler;

import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import io.vertx.core.Future;

/**
 * Where the scheduler sends a released package: {@link LocalDispatcher} asks this process's
 * executor over the event bus; the cluster's dispatcher leases it to a build agent (and retries
 * elsewhere when the agent is lost). Called on the scheduler's event loop; the future completes
 * there too. A failed future is turned into a failed package by the scheduler.
 */
public interface Dispatcher {
  Future<BuildOutcome> dispatch(BuildRequest request);

  /**
   * How many packages it can build at once now; the scheduler releases no more (within its
   * jobs). Build agents come and go, so a cluster's changes. Any thread may ask.
   */
  default int capacity() {
    return Integer.MAX_VALUE;
  }

  /** {@code listener} runs (on any thread) whenever {@link #capacity()} may have grown. */
  default void whenCapacityGrows(Runnable listener) {}
}
