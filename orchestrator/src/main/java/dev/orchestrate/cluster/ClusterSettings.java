package dev.orchestrate.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a process joins a cluster: from flags, environment variables or a Hazelcast config file
 * (flags win over the file; the file wins over defaults).
 *
 * @param name the cluster name (empty: the config file's)
 * @param host the interface Hazelcast, the event bus and the artifact server bind to (default
 *     127.0.0.1 when the config file names no interface)
 * @param port the Hazelcast member port (default 5701, or the file's)
 * @param members the members to join, {@code HOST:PORT} each (empty: the file's, else this one)
 * @param configFile a Hazelcast XML or YAML file to start from
 * @param tls mutual TLS for the event bus and the artifact servers
 */
public record ClusterSettings(String name, Optional<String> host, OptionalInt port,
    List<String> members, Optional<Path> configFile, Optional<Tls> tls) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;

  public ClusterSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(port, "port");
    members = List.copyOf(members);
    Objects.requireNonNull(configFile, "configFile");
    Objects.requireNonNull(tls, "tls");
    for (String member : members) {
      checkMember(member);
    }
  }

  /**
   * PEM files for mutual TLS: this node's certificate and key, and the CA that signed every
   * node's certificate (a peer without one is refused).
   */
  public record Tls(Path cert, Path key, Path ca) {
    public Tls {
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(ca, "ca");
    }
  }

  /** A member entry must be {@code HOST:PORT} with one port (a range crashes Hazelcast's start). */
  static void checkMember(String member) {
    int colon = member.lastIndexOf(':');
    if (colon <= 0 || colon == member.length() - 1) {
      throw new IllegalArgumentException("member `" + member + "` must be HOST:PORT");
    }
    String port = member.substring(colon + 1);
    if (!port.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("member `" + member + "`: the port must be one number"
          + (port.contains("-") ? " (list each member, ranges are not supported)" : ""));
    }
    int p = Integer.parseInt(port);
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("member `" + member + "`: no such port " + p);
    }
  }

  /** The address to bind the event bus and the artifact servers to. */
  public String bindHost() {
    return host.orElse(DEFAULT_HOST);
  }

  /** For messages: {@code `name` on host:port}. */
  public String describe() {
    return "`" + name + "` on " + bindHost() + ":" + port.orElse(DEFAULT_PORT);
  }
}
