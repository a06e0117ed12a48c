package dev.orchestrate.cli;

import dev.orchestrate.cluster.agent.Agent;
import dev.orchestrate.cluster.agent.AgentSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Join a build cluster and build packages for its coordinators "
        + "(orchestrate build-all --cluster NAME), from this agent's own checkout of the workspace.",
        "Runs until stopped (SIGTERM, Ctrl-C)."})
final class AgentCommand implements Callable<Integer> {
  @Mixin
  ClusterFlags cluster;

  @Option(names = "--workspace", paramLabel = "DIR", defaultValue = "${env:ORCHESTRATE_AGENT_WORKSPACE:-.}",
      description = "This agent's checkout (or a shared path holding the coordinators' workspaces); "
          + "it builds nothing outside it (default: the current directory).")
  Path workspace;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Environments, artifacts it serves, task logs (default: as for build-all).")
  Path cacheDir;

  @Option(names = "--slots", paramLabel = "N", defaultValue = "${env:ORCHESTRATE_AGENT_SLOTS}",
      description = "Packages built at once (default: the number of cores).")
  Integer slots;

  @Option(names = "--name", paramLabel = "ID", defaultValue = "${env:ORCHESTRATE_AGENT_NAME}",
      description = "This agent's name in the cluster and the report (default: HOSTNAME-PID).")
  String name;

  @Option(names = "--python", paramLabel = "PATH", defaultValue = "python3",
      description = "The interpreter builds run under; coordinators send only to agents whose "
          + "interpreter matches theirs (default: ${DEFAULT-VALUE}).")
  String python;

  @Option(names = {"-f", "--find-links"}, paramLabel = "DIR",
      description = "A directory of wheels to take build requirements from (repeatable).")
  List<Path> findLinks = new ArrayList<>();

  @Option(names = "--index-url", paramLabel = "URL", description = "A PEP 503 simple index for build requirements (default: none; offline).")
  String indexUrl;

  @Option(names = "--extra-index-url", paramLabel = "URL", description = "Another index, asked after --index-url (repeatable).")
  List<String> extraIndexUrls = new ArrayList<>();

  @Option(names = "--offline", description = "Never use the network for build requirements.")
  boolean offline;

  @Option(names = "-v", description = "More output: -vv Hazelcast's own log.")
  boolean[] verbose = new boolean[0];

  @Override
  public Integer call() {
    if (!cluster.enabled()) {
      throw new ParameterException(cluster.spec.commandLine(),
          "an agent needs --cluster NAME (or ORCHESTRATE_CLUSTER, or --cluster-config FILE)");
    }
    String interpreter = python.contains("/") ? Path.of(python).toAbsolutePath().toString() : python;
    AgentSettings settings;
    try {
      settings = new AgentSettings(cluster.settings(), name == null || name.isBlank() ? defaultName() : name,
          workspace.toAbsolutePath().normalize(),
          (cacheDir == null ? BuildOptions.defaultCacheDir() : cacheDir).toAbsolutePath().normalize(),
          slots == null ? Runtime.getRuntime().availableProcessors() : slots, interpreter,
          findLinks.stream().map(p -> p.toAbsolutePath().normalize()).toList(),
          Optional.ofNullable(indexUrl), extraIndexUrls, offline, verbose.length);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cluster.spec.commandLine(), e.getMessage());
    }
    return Agent.run(settings, System.out, System.err);
  }

  private static String defaultName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "agent";
    }
    return host.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + ProcessHandle.current().pid();
  }
}
