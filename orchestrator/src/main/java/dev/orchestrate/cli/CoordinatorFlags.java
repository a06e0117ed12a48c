package dev.orchestrate.cli;

import dev.orchestrate.cluster.coordinator.Coordinator;
import dev.orchestrate.cluster.coordinator.CoordinatorSettings;
import dev.orchestrate.run.RunOptions;
import dev.orchestrate.shim.Durations;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code build-all --cluster}: this run is the coordinator of a cluster of build agents. */
final class CoordinatorFlags extends ClusterFlags {
  @Option(names = "--local-jobs", paramLabel = "N", defaultValue = "0",
      description = "With --cluster: packages built in this process as well as on agents (default: ${DEFAULT-VALUE}, agents only).")
  int localJobs;

  @Option(names = "--lease-timeout", paramLabel = "DURATION", defaultValue = "20s",
      description = "With --cluster: a package goes back to the queue when its agent has not renewed its lease this long (default: ${DEFAULT-VALUE}).")
  String leaseTimeout;

  @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3",
      description = "With --cluster: tries per package on agents (lost, refused, unusable artifacts) before it fails (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(names = "--agent-wait", paramLabel = "DURATION", defaultValue = "30s",
      description = "With --cluster: how long to wait for an agent when there is none (default: ${DEFAULT-VALUE}).")
  String agentWait;

  @Option(names = "--reuse-cluster-builds",
      description = "With --cluster: answer a package from an agent's earlier build of the same inputs.")
  boolean reuse;

  /** The coordinator for this run. */
  Coordinator coordinator(RunOptions run) {
    rejectWithoutCluster();
    CoordinatorSettings settings;
    try {
      settings = new CoordinatorSettings(localJobs, duration("--lease-timeout", leaseTimeout),
          maxAttempts, duration("--agent-wait", agentWait), reuse,
          spec.commandLine().getParseResult().hasMatchedOption("--jobs"));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return new Coordinator(settings(), settings, run);
  }

  void rejectWithoutCluster() {
    rejectWithoutCluster("--port", "--members", "--host", "--tls-cert", "--tls-key", "--tls-ca",
        "--local-jobs", "--lease-timeout", "--max-attempts", "--agent-wait", "--reuse-cluster-builds");
  }

  private Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }
}
