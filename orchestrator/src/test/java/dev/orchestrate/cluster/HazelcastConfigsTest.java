package dev.orchestrate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HazelcastConfigsTest {
  @TempDir Path tmp;

  private static ClusterSettings settings(Optional<Path> file, List<String> members) {
    return new ClusterSettings("ci", Optional.empty(), OptionalInt.empty(), members, file, Optional.empty());
  }

  @Test
  void defaultsBindToLoopbackJoinListedMembersOnlyAndNeverPhoneHome() {
    Config config = HazelcastConfigs.of(settings(Optional.empty(), List.of("127.0.0.1:5701", "127.0.0.1:5702")));
    assertEquals("ci", config.getClusterName());
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    assertEquals(List.of("127.0.0.1"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertTrue(config.getNetworkConfig().getInterfaces().isEnabled());
    assertEquals(5701, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().isPortAutoIncrement());
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"), join.getTcpIpConfig().getMembers());
    // Vert.x's own maps are configured.
    assertTrue(config.getMultiMapConfigs().containsKey("__vertx.subs"));
  }

  @Test
  void aConfigFileCannotTurnOnMulticastOrDiscoveryButKeepsItsMembersAndInterface() throws Exception {
    Path file = tmp.resolve("hazelcast.xml");
    Files.writeString(file, """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <cluster-name>from-file</cluster-name>
          <network>
            <port auto-increment="true">5801</port>
            <interfaces enabled="true"><interface>10.1.2.*</interface></interfaces>
            <join>
              <multicast enabled="true"/>
              <auto-detection enabled="true"/>
              <tcp-ip enabled="false"><member>10.1.2.3:5801</member></tcp-ip>
            </join>
          </network>
        </hazelcast>
        """);
    Config config = HazelcastConfigs.of(new ClusterSettings("", Optional.empty(), OptionalInt.empty(),
        List.of(), Optional.of(file), Optional.empty()));
    assertEquals("from-file", config.getClusterName());
    assertEquals(5801, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().isPortAutoIncrement());
    assertEquals(List.of("10.1.2.*"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("10.1.2.3:5801"), join.getTcpIpConfig().getMembers());
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertTrue(config.getMultiMapConfigs().containsKey("__vertx.subs"), "Vert.x's maps are added to a file's");
  }

  @Test
  void theConfigFilesOpsShipsLoadAndStayLocked() {
    Path ops = Path.of("..", "ops", "cluster").toAbsolutePath().normalize();
    Config loopback = HazelcastConfigs.of(new ClusterSettings("", Optional.empty(), OptionalInt.empty(),
        List.of(), Optional.of(ops.resolve("hazelcast-loopback.yaml")), Optional.empty()));
    assertEquals("orchestrate-local", loopback.getClusterName());
    assertEquals(List.of("127.0.0.1"), List.copyOf(loopback.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals(4, loopback.getNetworkConfig().getJoin().getTcpIpConfig().getMembers().size());
    Config lan = HazelcastConfigs.of(new ClusterSettings("", Optional.of("10.20.0.11"), OptionalInt.empty(),
        List.of(), Optional.of(ops.resolve("hazelcast-lan.yaml")), Optional.empty()));
    assertEquals("orchestrate-ci", lan.getClusterName());
    assertEquals(List.of("10.20.0.11"), List.copyOf(lan.getNetworkConfig().getInterfaces().getInterfaces()));
    assertFalse(lan.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    assertEquals("false", lan.getProperty("hazelcast.phone.home.enabled"));
  }

  @Test
  void vertxMapSettingsAreThoseOfVertxOwnDefaultConfig() {
    Config vertx = ConfigUtil.loadConfig();
    Config ours = HazelcastConfigs.vertxDefaults();
    assertFalse(vertx.getMultiMapConfigs().isEmpty());
    vertx.getMapConfigs().forEach((name, c) -> assertEquals(c, ours.getMapConfigs().get(name), name));
    vertx.getMultiMapConfigs().forEach((name, c) -> assertEquals(c, ours.getMultiMapConfigs().get(name), name));
  }

  @Test
  void aMemberMustBeOneHostAndOnePort() {
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> settings(Optional.empty(), List.of("127.0.0.1:5701-5703")));
    assertTrue(range.getMessage().contains("ranges are not supported"), range.getMessage());
    assertThrows(IllegalArgumentException.class, () -> settings(Optional.empty(), List.of("127.0.0.1")));
    assertThrows(IllegalArgumentException.class, () -> settings(Optional.empty(), List.of("h:70000")));
  }
}
