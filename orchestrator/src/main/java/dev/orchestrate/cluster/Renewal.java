package dev.orchestrate.cluster;

import java.util.List;

/**
 * A coordinator asks an agent which of the tasks it leased to it the agent still holds (queued
 * or building); the reply, one task id a line, renews their leases. The coordinator asks, on the
 * agent's own task address, which it has resolved already to send the tasks: an agent-initiated
 * renewal would first look the coordinator's address up in the cluster's maps, and wait as long
 * as a frozen member holding that map's partition (a process stopped, a long GC pause) until
 * Hazelcast drops it, letting a healthy agent's lease run out meanwhile.
 */
public record Renewal(String runId, List<String> taskIds) {
  public Renewal {
    taskIds = List.copyOf(taskIds);
  }
}
