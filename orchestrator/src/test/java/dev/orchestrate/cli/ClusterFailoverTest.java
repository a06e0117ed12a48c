package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents coming and going while a cluster build runs: one joining mid-build gets work; one
 * killed with SIGKILL in the middle of a hook loses its task to another agent, and the build
 * completes with nothing missing or twice. Agents are shared: the joiner of the first test is
 * the second agent of the next.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest {
  @TempDir static Path root;
  static ClusterCli.Cluster cluster;
  static Path workspace;
  static ClusterCli.Node first;
  static ClusterCli.Node joiner;

  @BeforeAll
  static void firstAgent() throws Exception {
    // Ports 0 and 1: agents; 2 and 3: coordinators.
    cluster = ClusterCli.Cluster.create("cluster-failover", 4);
    workspace = Files.createDirectories(root.resolve("workspace"));
    first = ClusterCli.agent(cluster, 0, "j1", workspace, root.resolve("cache"), 1, root.resolve("logs"));
  }

  @AfterAll
  static void stopAgents() throws Exception {
    ClusterCli.stop(first);
    ClusterCli.stop(joiner);
  }

  private static ClusterCli.Node joiner() throws Exception {
    if (joiner == null || !joiner.alive()) {
      joiner = ClusterCli.agent(cluster, 1, "j2", workspace, root.resolve("cache"), 2, root.resolve("logs"));
    }
    return joiner;
  }

  /** Copies of the `slow` fixture named slow-1..n (package slow_1...), plus the named fixtures. */
  private static Path slowWorkspace(String name, int slow, String... fixtures) throws IOException {
    Path ws = Cli.fixtureWorkspace(workspace.resolve(name), fixtures);
    for (int i = 1; i <= slow; i++) {
      Path copy = Cli.copy(Cli.fixture("slow"), ws.resolve("slow-" + i));
      Path pyproject = copy.resolve("pyproject.toml");
      Files.writeString(pyproject, Files.readString(pyproject).replace("name = \"slow\"", "name = \"slow-" + i + "\""));
      Files.move(copy.resolve("slow"), copy.resolve("slow_" + i));
    }
    return ws;
  }

  private static List<String> coordinator(int index, Path ws, Object... extra) {
    return ClusterCli.args("build-all", ws, cluster.flags(index), "--cache-dir",
        root.resolve("coordinator-cache"), "--report", ws.resolve("report.json"), "--agent-wait",
        "60s", List.of(extra));
  }

  private static Path awaitFile(Path dir, Duration timeout, Process coordinator, Path log) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          var found = files.filter(p -> p.toString().endsWith(".json")).findFirst();
          if (found.isPresent()) {
            return found.get();
          }
        }
      }
      if (!coordinator.isAlive()) {
        throw new AssertionError("the coordinator ended first:\n" + ClusterCli.result(coordinator, log));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no hook started in " + timeout + "\n" + ClusterCli.describe(first, joiner));
  }

  @Test
  @Order(1)
  void anAgentJoiningMidBuildGetsWork() throws Exception {
    // j1 builds one package at a time, each sdist taking 6s: the queue waits for j2.
    Path ws = slowWorkspace("join", 3);
    Path started = Files.createDirectories(root.resolve("join-started"));
    Path log = root.resolve("join.log");
    Process coordinator = ClusterCli.start(Map.of(), log, coordinator(2, ws, "-C", "slow.seconds=6",
        "-C", "slow.started-dir=" + started));
    awaitFile(started, Duration.ofMinutes(2), coordinator, log);
    joiner();
    assertTrue(coordinator.waitFor(5, TimeUnit.MINUTES), "the build did not finish");
    Cli.Result r = ClusterCli.result(coordinator, log);
    assertEquals(0, r.exitCode(), r + ClusterCli.describe(first, joiner));
    assertTrue(r.stdout().contains("cluster  agent j2 (2 slots"), r.toString());
    assertTrue(r.stdout().contains("joined"), r.toString());

    JsonNode report = Cli.report(ws.resolve("report.json"));
    Set<String> agents = new TreeSet<>();
    report.get("packages").forEach(p -> agents.add(p.get("agent").asText()));
    assertTrue(agents.contains("j2"), "the agent that joined built nothing: " + report);
    assertTrue(agents.contains("j1"), report.toString());
  }

  @Test
  @Order(2)
  void anAgentKilledInTheMiddleOfAHookLosesItsTaskToAnotherAndNothingIsMissingOrTwice()
      throws Exception {
    joiner();
    Path ws = slowWorkspace("kill", 1, "config-echo", "isolation-probe");
    Path hang = root.resolve("kill-hang.json");
    Path log = root.resolve("kill.log");
    Process coordinator = ClusterCli.start(Map.of(), log, coordinator(3, ws, "-C", "slow.hang-once=" + hang,
        "-C", "slow.seconds=0"));
    long hookPid = -1;
    String victim = "";
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!Files.exists(hang) && System.nanoTime() < deadline && coordinator.isAlive()) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(hang), () -> "the hook never started\n" + ClusterCli.describe(first, joiner));
      JsonNode marker = Cli.JSON.readTree(hang.toFile());
      hookPid = marker.get("pid").asLong();
      victim = marker.get("agent").asText();
      ClusterCli.Node dying = victim.equals("j1") ? first : joiner;
      assertEquals(victim, dying.name(), "the hook runs on an agent of this test");
      ClusterCli.kill(dying);

      assertTrue(coordinator.waitFor(3, TimeUnit.MINUTES), "the build did not finish");
    } finally {
      ClusterCli.killPid(hookPid); // the killed agent's hook is an orphan now
      coordinator.destroyForcibly();
    }
    Cli.Result r = ClusterCli.result(coordinator, log);
    String survivor = victim.equals("j1") ? "j2" : "j1";
    assertEquals(0, r.exitCode(), r + ClusterCli.describe(first, joiner));
    assertTrue(r.stdout().contains("lost     slow-1 on agent " + victim), r.toString());

    JsonNode report = Cli.report(ws.resolve("report.json"));
    JsonNode slow = Cli.pkg(report, "slow-1");
    assertEquals("built", slow.get("status").asText(), slow.toString());
    assertEquals(survivor, slow.get("agent").asText(), slow.toString());
    JsonNode attempts = slow.get("attempts");
    assertEquals(2, attempts.size(), attempts.toString());
    assertEquals(victim, attempts.get(0).get("agent").asText());
    assertEquals("lost", attempts.get(0).get("result").asText());
    assertEquals(survivor, attempts.get(1).get("agent").asText());
    assertEquals("built", attempts.get(1).get("result").asText());

    // Every artifact once, complete (verified against the report), and nothing else.
    assertEquals(ClusterBuildTest.artifactsOf(report), ClusterBuildTest.dist(ws).keySet());
    assertEquals(Set.of("config_echo-0.1.0-py3-none-any.whl", "config_echo-0.1.0.tar.gz",
        "isolation_probe-0.1.0-py3-none-any.whl", "isolation_probe-0.1.0.tar.gz",
        "slow_1-0.1.0-py3-none-any.whl", "slow_1-0.1.0.tar.gz"), ClusterBuildTest.dist(ws).keySet());
    for (JsonNode p : report.get("packages")) {
      for (JsonNode a : p.get("artifacts")) {
        assertEquals(a.get("sha256").asText(), ClusterBuildTest.dist(ws).get(a.get("file").asText()));
      }
    }
    assertFalse(Files.exists(ws.resolve("dist/.orchestrate-tmp")), "staging left behind");
  }
}
