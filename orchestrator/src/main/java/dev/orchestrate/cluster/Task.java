package dev.orchestrate.cluster;

import dev.orchestrate.bus.BuildRequest;
import java.util.Map;
import java.util.Objects;

/**
 * One package leased to one agent: the build request as the coordinator sees it, and what the
 * agent needs to build it from its own checkout and to hand the result back.
 *
 * @param taskId unique per attempt; renewals, withdrawals and the reply name it
 * @param runId the coordinator's run (its lease and event addresses)
 * @param coordinator who asks, for the agent's log
 * @param leaseMillis the lease expires this long after the last renewal
 * @param attempt 1 for the first agent, 2 after a loss...
 * @param request paths in it are the coordinator's
 * @param workspaceRoot the coordinator's workspace root
 * @param memberPath the member's directory relative to that root, {@code /}-separated ("" for the root)
 * @param sourceDigest the digest of the member's source files on the coordinator
 * @param sourceFiles those files (relative path to sha256) to name differences; empty when many
 * @param inputHash the package's input hash: the build cache key
 * @param pythonIdentity the interpreter the coordinator builds for (version, ABI, platform)
 * @param wheelUrls where the agent fetches each member wheel of the request, by member
 * @param hookTimeoutMillis the coordinator's --hook-timeout
 * @param reuse whether a build of the same input hash already in the cluster may answer
 */
public record Task(
    String taskId,
    String runId,
    String coordinator,
    long leaseMillis,
    int attempt,
    BuildRequest request,
    String workspaceRoot,
    String memberPath,
    String sourceDigest,
    Map<String, String> sourceFiles,
    String inputHash,
    String pythonIdentity,
    Map<String, String> wheelUrls,
    long hookTimeoutMillis,
    boolean reuse) {

  public Task {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(workspaceRoot, "workspaceRoot");
    Objects.requireNonNull(memberPath, "memberPath");
    sourceFiles = Map.copyOf(sourceFiles);
    wheelUrls = Map.copyOf(wheelUrls);
  }

  public String member() {
    return request.member();
  }
}
