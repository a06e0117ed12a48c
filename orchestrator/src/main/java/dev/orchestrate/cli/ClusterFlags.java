package dev.orchestrate.cli;

import dev.orchestrate.cluster.ClusterSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How to join a cluster: flags, else environment variables, else the Hazelcast file, else defaults. */
class ClusterFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--cluster", paramLabel = "NAME", defaultValue = "${env:ORCHESTRATE_CLUSTER}",
      description = "Join the build cluster NAME (env ORCHESTRATE_CLUSTER; default: none, no cluster).")
  String cluster;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:ORCHESTRATE_CLUSTER_PORT}",
      description = "This node's Hazelcast port (default 5701; env ORCHESTRATE_CLUSTER_PORT).")
  Integer port;

  @Option(names = "--members", paramLabel = "HOST:PORT[,HOST:PORT...]", split = ",",
      defaultValue = "${env:ORCHESTRATE_CLUSTER_MEMBERS}",
      description = "The cluster's members, each port listed; only these are joined (env ORCHESTRATE_CLUSTER_MEMBERS).")
  List<String> members;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "${env:ORCHESTRATE_CLUSTER_HOST}",
      description = "The interface to bind and announce (default 127.0.0.1; env ORCHESTRATE_CLUSTER_HOST).")
  String host;

  @Option(names = "--cluster-config", paramLabel = "FILE", defaultValue = "${env:ORCHESTRATE_CLUSTER_CONFIG}",
      description = "A Hazelcast XML/YAML file to start from; flags override it (env ORCHESTRATE_CLUSTER_CONFIG; default: none).")
  Path config;

  @Option(names = "--tls-cert", paramLabel = "PEM", defaultValue = "${env:ORCHESTRATE_CLUSTER_TLS_CERT}",
      description = "This node's certificate: mutual TLS on the event bus and artifact transfers, with --tls-key and --tls-ca (default: none, no TLS).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", defaultValue = "${env:ORCHESTRATE_CLUSTER_TLS_KEY}",
      description = "This node's private key, PEM (default: none).")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "PEM", defaultValue = "${env:ORCHESTRATE_CLUSTER_TLS_CA}",
      description = "The CA that signed every node's certificate, PEM (default: none).")
  Path tlsCa;

  /** Cluster mode: a cluster name or a config file naming one. */
  boolean enabled() {
    return (cluster != null && !cluster.isBlank()) || config != null;
  }

  ClusterSettings settings() {
    Optional<ClusterSettings.Tls> tls = Optional.empty();
    int given = (tlsCert == null ? 0 : 1) + (tlsKey == null ? 0 : 1) + (tlsCa == null ? 0 : 1);
    if (given == 3) {
      tls = Optional.of(new ClusterSettings.Tls(tlsCert.toAbsolutePath(), tlsKey.toAbsolutePath(),
          tlsCa.toAbsolutePath()));
    } else if (given > 0) {
      throw new ParameterException(spec.commandLine(), "TLS needs all of --tls-cert, --tls-key and --tls-ca");
    }
    List<String> memberList = new ArrayList<>();
    if (members != null) {
      members.stream().map(String::strip).filter(m -> !m.isEmpty()).forEach(memberList::add);
    }
    try {
      return new ClusterSettings(cluster == null ? "" : cluster.strip(),
          Optional.ofNullable(host).filter(h -> !h.isBlank()),
          port == null ? OptionalInt.empty() : OptionalInt.of(port), memberList,
          Optional.ofNullable(config).map(Path::toAbsolutePath), tls);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--members: " + e.getMessage());
    }
  }

  /** Cluster options given on the command line without --cluster are a mistake, not ignored. */
  void rejectWithoutCluster(String... names) {
    if (enabled()) {
      return;
    }
    for (String name : names) {
      if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
        throw new ParameterException(spec.commandLine(), name + " needs --cluster NAME");
      }
    }
  }
}
