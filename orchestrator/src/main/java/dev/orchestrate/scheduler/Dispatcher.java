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
}
