package dev.orchestrate.cluster;

/** Event-bus addresses, Hazelcast map names and lock names of cluster mode. */
public final class ClusterAddresses {
  /** Agent id to {@code AgentInfo} (JSON): who offers which executor. */
  public static final String AGENTS_MAP = "orchestrate.agents";
  /** {@code runId/member} to the lease (JSON) of a task an agent holds; expires on its own. */
  public static final String LEASES_MAP = "orchestrate.leases";
  /** Environment resolution key to its registry entry (JSON): pins and holders. */
  public static final String ENVIRONMENTS_MAP = "orchestrate.environments";
  /** Input hash to the build cache entry (JSON): artifacts and where to fetch them. */
  public static final String BUILD_CACHE_MAP = "orchestrate.build-cache";

  private ClusterAddresses() {}

  /**
   * Where an agent takes tasks, and its coordinators' {@code Renewal}s and {@code Withdrawal}s:
   * one address, which a coordinator has resolved once it has sent a task there.
   */
  public static String agent(String agentId) {
    return "orchestrate.agent." + agentId + ".tasks";
  }

  /** Where a coordinator's run takes the hook events agents forward (progress, -vv). */
  public static String events(String runId) {
    return "orchestrate.run." + runId + ".events";
  }

  /** The cluster-wide lock under which one environment key is resolved. */
  public static String environmentLock(String resolutionKey) {
    return "orchestrate.env." + resolutionKey;
  }
}
