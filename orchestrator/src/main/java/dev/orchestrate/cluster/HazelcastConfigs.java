package dev.orchestrate.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Hazelcast configuration of a node: Vert.x's own map settings (those of
 * {@link ConfigUtil#loadConfig()}), or the operator's file completed with them, then what
 * {@link ClusterSettings} says, then the
 * rules no file can lift: listed members only over TCP-IP (no multicast, no auto-detection, no
 * cloud discovery), bind to the given interface only, never phone home.
 */
public final class HazelcastConfigs {
  private HazelcastConfigs() {}

  public static Config of(ClusterSettings settings) {
    Config config = vertxDefaults();
    if (settings.configFile().isPresent()) {
      // Vert.x's subscription and node-info maps must exist whatever the file configures.
      Config file = load(settings.configFile().get());
      config.getMapConfigs().forEach((name, c) -> file.getMapConfigs().putIfAbsent(name, c));
      config.getMultiMapConfigs().forEach((name, c) -> file.getMultiMapConfigs().putIfAbsent(name, c));
      config = file;
    }

    if (!settings.name().isBlank()) {
      config.setClusterName(settings.name());
    }
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // A dead agent (kill -9) is noticed in seconds, not the default minute.
    setIfAbsent(config, "hazelcast.heartbeat.interval.seconds", "1");
    setIfAbsent(config, "hazelcast.max.no.heartbeat.seconds", "10");
    // A lone first node does not wait for others before it forms the cluster.
    setIfAbsent(config, "hazelcast.wait.seconds.before.join", "1");
    // Nothing reads them (no Management Center); they cost start-up time and CPU beside builds.
    config.getMetricsConfig().setEnabled(false);
    setIfAbsent(config, "hazelcast.health.monitoring.level", "OFF");

    NetworkConfig network = config.getNetworkConfig();
    boolean fromFile = settings.configFile().isPresent();
    if (settings.port().isPresent() || !fromFile) {
      network.setPort(settings.port().orElse(ClusterSettings.DEFAULT_PORT));
    }
    network.setPortAutoIncrement(false);
    InterfacesConfig interfaces = network.getInterfaces();
    if (settings.host().isPresent() || !interfaces.isEnabled() || interfaces.getInterfaces().isEmpty()) {
      interfaces.clear();
      interfaces.addInterface(settings.bindHost());
    }
    interfaces.setEnabled(true);

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    join.getDiscoveryConfig().getDiscoveryStrategyConfigs().clear();
    TcpIpConfig tcp = join.getTcpIpConfig();
    tcp.setEnabled(true);
    if (!settings.members().isEmpty()) {
      tcp.setMembers(new ArrayList<>(settings.members()));
    } else if (tcp.getMembers().isEmpty()) {
      tcp.setMembers(List.of(settings.bindHost() + ":" + network.getPort()));
    }
    return config;
  }

  /**
   * What {@link ConfigUtil#loadConfig()} reads from vertx-hazelcast's {@code default-cluster.xml}
   * (the maps of event-bus subscriptions and node info), built without parsing and validating
   * XML: a coordinator's start-up pays for every millisecond. A test keeps the two equal.
   */
  static Config vertxDefaults() {
    Config config = new Config();
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }

  private static Config load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no Hazelcast config file " + file);
    }
    try {
      return Config.loadFromFile(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read the Hazelcast config " + file + ": "
          + e.getMessage(), e);
    }
  }

  private static void setIfAbsent(Config config, String key, String value) {
    if (config.getProperty(key) == null) {
      config.setProperty(key, value);
    }
  }
}
