package dev.orchestrate.cluster.registry;

import dev.orchestrate.cluster.ClusterAddresses;
import java.util.Objects;

/**
 * What an agent offers, as it registers itself.
 *
 * @param id its name, unique in the cluster
 * @param memberId its Hazelcast member's UUID (it is gone when that member is)
 * @param slots packages it builds at once
 * @param workspace its {@code --workspace}
 * @param pythonIdentity implementation, version, ABI, platform and pointer size of its interpreter
 * @param artifactBase the URL prefix under which it serves the artifacts it built
 */
public record AgentInfo(String id, String memberId, String host, int slots, String workspace,
    String python, String pythonVersion, String pythonIdentity, String platform,
    String artifactBase, long startedAtMillis) {

  public AgentInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(pythonIdentity, "pythonIdentity");
    Objects.requireNonNull(artifactBase, "artifactBase");
  }

  /** Where it takes tasks. */
  public String address() {
    return ClusterAddresses.agent(id);
  }

  /** For a person: {@code a1 (2 slots, python 3.11.7, 127.0.0.1)}. */
  public String describe() {
    return id + " (" + slots + " slot" + (slots == 1 ? "" : "s") + ", python " + pythonVersion
        + ", " + host + ")";
  }
}
