package dev.orchestrate.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** This process as a member of a cluster: a clustered Vert.x instance and its Hazelcast member. */
public final class ClusterNode {
  // Held so that the levels stick (java.util.logging keeps loggers weakly).
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
  private static final Logger VERTX_CLUSTER_LOG = Logger.getLogger("io.vertx.spi.cluster");
  /**
   * What Hazelcast says, with stack traces, when a member dies (connection reset, suspected
   * member, operations to it retried): expected when an agent is killed, and said in one line by
   * the coordinator. Shown from -v on.
   */
  private static final List<Logger> MEMBER_LOSS_LOGS = List.of(
      Logger.getLogger("com.hazelcast.internal.server.tcp"),
      Logger.getLogger("com.hazelcast.internal.cluster"),
      Logger.getLogger("com.hazelcast.internal.partition"),
      Logger.getLogger("com.hazelcast.spi.impl.operationservice"));

  private final ClusterSettings settings;
  private final String host;
  private final Vertx vertx;
  private final HazelcastInstance hazelcast;

  private final boolean ownInstance;

  private ClusterNode(ClusterSettings settings, String host, Vertx vertx, HazelcastInstance hazelcast,
      boolean ownInstance) {
    this.settings = settings;
    this.host = host;
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.ownInstance = ownInstance;
  }

  /** Thrown when this process cannot join: a taken port, an unreadable config file... */
  public static final class JoinException extends Exception {
    private static final long serialVersionUID = 1L;

    JoinException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Joins the cluster (blocking: call it before anything else runs). {@code shutdownHook} false
   * leaves leaving to the caller's own hook (an agent deregisters first).
   *
   * @param lite join as a Hazelcast lite member: it holds no partition of the shared maps, so
   *     it joins and leaves without migrating any (a coordinator lives for one build). When no
   *     member holds data yet (no agent), it becomes a data member, or nothing could be stored.
   */
  public static ClusterNode join(ClusterSettings settings, int verbosity, boolean shutdownHook,
      boolean lite) throws JoinException {
    Objects.requireNonNull(settings, "settings");
    Level level = verbosity >= 2 ? Level.INFO : Level.WARNING;
    HAZELCAST_LOG.setLevel(level);
    VERTX_CLUSTER_LOG.setLevel(level);
    MEMBER_LOSS_LOGS.forEach(log -> log.setLevel(verbosity >= 1 ? level : Level.SEVERE));
    Config config;
    try {
      config = HazelcastConfigs.of(settings);
    } catch (IllegalArgumentException e) {
      throw new JoinException(e.getMessage(), e);
    }
    config.setProperty("hazelcast.shutdownhook.enabled", Boolean.toString(shutdownHook));
    String host = host(settings, config);
    HazelcastClusterManager manager;
    if (lite) {
      config.setLiteMember(true);
      // What Vert.x sets on the instances it makes itself: its node id.
      config.getMemberAttributeConfig().setAttribute("__vertx.nodeId", UUID.randomUUID().toString());
      HazelcastInstance instance;
      try {
        instance = Hazelcast.newHazelcastInstance(config);
      } catch (RuntimeException e) {
        throw new JoinException("cannot join cluster " + describe(settings, config) + ": "
            + rootMessage(e), e);
      }
      if (instance.getCluster().getMembers().stream().allMatch(Member::isLiteMember)) {
        instance.getCluster().promoteLocalLiteMember();
      }
      // Vert.x leaves an instance it was given running: close() shuts it down.
      manager = new HazelcastClusterManager(instance);
    } else {
      manager = new HazelcastClusterManager(config);
    }
    EventBusOptions bus = new EventBusOptions().setHost(host).setPort(0).setClusterPublicHost(host);
    settings.tls().ifPresent(tls -> bus.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString())
            .setKeyPath(tls.key().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()))
        .setClientAuth(ClientAuth.REQUIRED));
    try {
      Vertx vertx = Vertx.builder().with(new VertxOptions().setEventBusOptions(bus))
          .withClusterManager(manager).buildClustered()
          .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      return new ClusterNode(settings, host, vertx, manager.getHazelcastInstance(), lite);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new JoinException("cannot join cluster " + describe(settings, config) + ": "
          + rootMessage(cause), cause);
    } catch (TimeoutException e) {
      throw new JoinException("cannot join cluster " + describe(settings, config)
          + ": no answer in 2 minutes", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JoinException("interrupted while joining the cluster", e);
    }
  }

  /**
   * The address the event bus and the artifact server bind to and announce: {@code --host}, else
   * the config file's one interface when it is an address (a pattern such as {@code 10.0.0.*}
   * names no single one), else loopback.
   */
  static String host(ClusterSettings settings, Config config) throws JoinException {
    if (settings.host().isPresent()) {
      return settings.host().get();
    }
    var interfaces = config.getNetworkConfig().getInterfaces().getInterfaces();
    if (interfaces.size() == 1 && interfaces.iterator().next().matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return interfaces.iterator().next();
    }
    if (interfaces.isEmpty() || interfaces.contains(ClusterSettings.DEFAULT_HOST)) {
      return ClusterSettings.DEFAULT_HOST;
    }
    throw new JoinException("the config file's interfaces " + interfaces + " are patterns: give "
        + "--host with this machine's address on the cluster network (or ORCHESTRATE_CLUSTER_HOST)", null);
  }

  private static String describe(ClusterSettings settings, Config config) {
    return "`" + config.getClusterName() + "` on " + config.getNetworkConfig().getInterfaces()
        .getInterfaces() + ":" + config.getNetworkConfig().getPort();
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.toString() : root.getMessage();
    return root == t ? message : t.getMessage() + " (" + message + ")";
  }

  public Vertx vertx() {
    return vertx;
  }

  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** Leaves: closes Vert.x (undeploying what runs on it), then Hazelcast. Blocking. */
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // leaving is best effort: the others notice a member that is gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (ownInstance && hazelcast.getLifecycleService().isRunning()) {
        hazelcast.shutdown();
      }
    }
  }

  /** The address this node's event bus and artifact server listen on. */
  public String host() {
    return host;
  }

  /** The cluster's name as Hazelcast has it (flag, environment or file). */
  public String clusterName() {
    return hazelcast.getConfig().getClusterName();
  }

  /** This member's id (Hazelcast member UUID), as membership events name it. */
  public String memberId() {
    return hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  /** {@code host:port} of this Hazelcast member. */
  public String memberAddress() {
    var address = hazelcast.getCluster().getLocalMember().getAddress();
    return address.getHost() + ":" + address.getPort();
  }
}
