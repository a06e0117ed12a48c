package dev.orchestrate.cluster.lease;

import java.util.Objects;

/**
 * One task held by one agent until {@code expiresAtMillis}, unless renewed.
 *
 * @param attempt the package's attempt this task is (1, 2...)
 * @param memberId the agent's Hazelcast member, to drop the lease when it leaves
 */
public record Lease(String taskId, String runId, String member, int attempt, String agent,
    String memberId, long grantedAtMillis, long expiresAtMillis) {

  public Lease {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(agent, "agent");
  }

  public Lease renewedUntil(long expiresAt) {
    return new Lease(taskId, runId, member, attempt, agent, memberId, grantedAtMillis,
        Math.max(expiresAtMillis, expiresAt));
  }

  /** The key of its entry in the cluster's lease map. */
  public String mapKey() {
    return runId + "/" + member;
  }
}
