package dev.orchestrate.cluster.coordinator;

import java.time.Duration;
import java.util.Objects;

/**
 * How a coordinator dispatches.
 *
 * @param localJobs packages built in this process at once besides the agents (0: agents only)
 * @param leaseTimeout a task goes back to the queue when its agent has not renewed it this long
 * @param maxAttempts tries per package (lost, refused or failed transfers) before it fails
 * @param agentWait how long to wait for a first agent (and for a new one when all left)
 * @param reuseBuilds reuse builds of the same input hash from earlier runs even when the run does
 *     not track input hashes (retries always may)
 * @param jobsGiven whether {@code --jobs} was given: it then caps packages in flight cluster-wide
 */
public record CoordinatorSettings(int localJobs, Duration leaseTimeout, int maxAttempts,
    Duration agentWait, boolean reuseBuilds, boolean jobsGiven) {
  public CoordinatorSettings {
    if (localJobs < 0) {
      throw new IllegalArgumentException("--local-jobs must be 0 or more");
    }
    Objects.requireNonNull(leaseTimeout, "leaseTimeout");
    if (leaseTimeout.toMillis() < 500) {
      throw new IllegalArgumentException("--lease-timeout must be at least 500ms");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("--max-attempts must be at least 1");
    }
    Objects.requireNonNull(agentWait, "agentWait");
  }
}
