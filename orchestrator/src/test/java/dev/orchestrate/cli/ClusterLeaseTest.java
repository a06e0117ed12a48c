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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases over real agents (two JVMs, one slot each, shared by the tests in order): renewed while
 * a long hook runs; lost when an agent stops renewing (SIGSTOP), whose late answer is then
 * discarded; a retry limit that ends in a failure listing every attempt; a build already in hand
 * answered without building again; an agent that leaves (SIGTERM) giving its task back. Short
 * leases (2s) keep each test to seconds; SIGSTOP stays well under Hazelcast's 10s of silence
 * before it drops a member, so it is the lease that notices.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLeaseTest {
  @TempDir static Path root;
  static ClusterCli.Cluster cluster;
  static Path workspace;
  static ClusterCli.Node l1;
  static ClusterCli.Node l2;

  @BeforeAll
  static void agents() throws Exception {
    // Ports 0 and 1: the agents; 2..7: the coordinators of the tests.
    cluster = ClusterCli.Cluster.create("cluster-lease", 8);
    workspace = Files.createDirectories(root.resolve("workspace"));
    l1 = ClusterCli.agent(cluster, 0, "l1", workspace, root.resolve("cache"), 1, root.resolve("logs"));
    l2 = ClusterCli.agent(cluster, 1, "l2", workspace, root.resolve("cache"), 1, root.resolve("logs"));
  }

  @AfterAll
  static void stopAgents() throws Exception {
    for (ClusterCli.Node n : new ClusterCli.Node[] {l1, l2}) {
      if (n != null && n.alive()) {
        signal(n, "CONT");
      }
      ClusterCli.stop(n);
    }
  }

  /** One copy of the `slow` fixture named slow-1, in a workspace inside the agents' one. */
  private static Path slowWorkspace(String name) throws IOException {
    Path ws = Cli.fixtureWorkspace(workspace.resolve(name));
    Path copy = Cli.copy(Cli.fixture("slow"), ws.resolve("slow-1"));
    Path pyproject = copy.resolve("pyproject.toml");
    Files.writeString(pyproject, Files.readString(pyproject).replace("name = \"slow\"", "name = \"slow-1\""));
    Files.move(copy.resolve("slow"), copy.resolve("slow_1"));
    return ws;
  }

  /** A coordinator with a 2s lease. */
  private static List<String> coordinator(int index, Path ws, Object... extra) {
    return withLease(index, ws, "2s", extra);
  }

  private static List<String> withLease(int index, Path ws, String lease, Object... extra) {
    return ClusterCli.args("build-all", ws, cluster.flags(index), "--cache-dir",
        root.resolve("coordinator-cache"), "--report", ws.resolve("report.json"), "--agent-wait",
        "60s", "--lease-timeout", lease, List.of(extra));
  }

  private static ClusterCli.Node agent(String name) {
    return name.equals("l1") ? l1 : l2;
  }

  private static void signal(ClusterCli.Node node, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process().pid()))
        .inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
  }

  private static void await(String what, Duration timeout, Process coordinator, Path log,
      BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " in " + timeout + "\n" + Files.readString(log)
            + ClusterCli.describe(l1, l2));
      }
      if (!coordinator.isAlive()) {
        throw new AssertionError("the coordinator ended before " + what + ":\n"
            + ClusterCli.result(coordinator, log));
      }
      Thread.sleep(50);
    }
  }

  private static List<JsonNode> markers(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().map(p -> {
        try {
          return Cli.JSON.readTree(p.toFile());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  private static Set<String> slowArtifacts() {
    return Set.of("slow_1-0.1.0-py3-none-any.whl", "slow_1-0.1.0.tar.gz");
  }

  @Test
  @Order(1)
  void aLeaseRenewedWhileItsHookRunsOutlivesTheLeaseTimeout() throws Exception {
    Path ws = slowWorkspace("renew");
    // build_sdist sleeps 5s, more than twice the 2s lease: only renewals keep it.
    Cli.Result r = ClusterCli.run(root, coordinator(2, ws, "-C", "slow.seconds=5"));
    assertEquals(0, r.exitCode(), r + ClusterCli.describe(l1, l2));
    assertFalse(r.stdout().contains("lost "), r.toString());
    JsonNode slow = Cli.pkg(Cli.report(ws.resolve("report.json")), "slow-1");
    assertEquals("built", slow.get("status").asText(), slow.toString());
    assertEquals(1, slow.get("attempts").size(), slow.toString());
    assertTrue(slow.get("durationMillis").asLong() > 4000, slow.toString());
  }

  @Test
  @Order(2)
  void anAgentThatStopsRenewingLosesItsTaskAndItsLateAnswerIsDiscarded() throws Exception {
    Path ws = slowWorkspace("stop");
    Path started = Files.createDirectories(root.resolve("stop-started"));
    Path log = root.resolve("stop.log");
    Process coordinator = ClusterCli.start(Map.of(), log, coordinator(3, ws, "-C", "slow.seconds=4",
        "-C", "slow.started-dir=" + started));
    ClusterCli.Node stopped = null;
    try {
      await("first hook", Duration.ofMinutes(2), coordinator, log, () -> {
        try {
          return !markers(started).isEmpty();
        } catch (IOException e) {
          return false;
        }
      });
      String victim = markers(started).get(0).get("agent").asText();
      stopped = agent(victim);
      // Frozen: no renewal; its hook (another process) sleeps on and ends while it is stopped.
      signal(stopped, "STOP");
      await("lost lease", Duration.ofSeconds(30), coordinator, log,
          () -> read(log).contains("lost     slow-1 on agent " + victim + ": no lease renewal"));
      await("second attempt", Duration.ofSeconds(30), coordinator, log, () -> {
        try {
          return markers(started).size() == 2;
        } catch (IOException e) {
          return false;
        }
      });
      // Thawed while the other agent builds: it finishes and answers, too late.
      signal(stopped, "CONT");
      stopped = null;
      assertTrue(coordinator.waitFor(2, TimeUnit.MINUTES), "the build did not finish");
    } finally {
      if (stopped != null) {
        signal(stopped, "CONT");
      }
      coordinator.destroyForcibly();
    }
    Cli.Result r = ClusterCli.result(coordinator, log);
    assertEquals(0, r.exitCode(), r + ClusterCli.describe(l1, l2));
    JsonNode slow = Cli.pkg(Cli.report(ws.resolve("report.json")), "slow-1");
    JsonNode attempts = slow.get("attempts");
    assertEquals(2, attempts.size(), attempts.toString());
    String victim = attempts.get(0).get("agent").asText();
    assertEquals("lost", attempts.get(0).get("result").asText(), attempts.toString());
    assertTrue(attempts.get(0).get("detail").asText().contains("no lease renewal from agent " + victim),
        attempts.toString());
    assertTrue(attempts.get(0).get("detail").asText().endsWith("its late answer was discarded"),
        attempts.toString() + "\n" + ClusterCli.describe(l1, l2));
    assertEquals("built", attempts.get(1).get("result").asText(), attempts.toString());
    assertFalse(attempts.get(1).get("agent").asText().equals(victim), attempts.toString());
    assertEquals(attempts.get(1).get("agent").asText(), slow.get("agent").asText());
    // The late build's files never reached the out dir: each artifact once, the kept build's.
    assertEquals(slowArtifacts(), ClusterBuildTest.dist(ws).keySet());
    for (JsonNode a : slow.get("artifacts")) {
      assertEquals(a.get("sha256").asText(), ClusterBuildTest.dist(ws).get(a.get("file").asText()));
    }
  }

  @Test
  @Order(3)
  void aTaskOutOfAttemptsFailsWithTheHistoryOfItsAttempts() throws Exception {
    Path ws = slowWorkspace("limit");
    Path hang = root.resolve("limit-hang.json");
    Path log = root.resolve("limit.log");
    Process coordinator = ClusterCli.start(Map.of(), log, coordinator(4, ws, "--max-attempts", "1",
        "-C", "slow.hang-once=" + hang, "-C", "slow.seconds=0"));
    ClusterCli.Node stopped = null;
    long hookPid = -1;
    try {
      await("hanging hook", Duration.ofMinutes(2), coordinator, log, () -> Files.exists(hang));
      JsonNode marker = Cli.JSON.readTree(hang.toFile());
      hookPid = marker.get("pid").asLong();
      stopped = agent(marker.get("agent").asText());
      String name = stopped.name();
      signal(stopped, "STOP");
      await("lost lease", Duration.ofSeconds(30), coordinator, log,
          () -> read(log).contains("lost     slow-1 on agent " + name));
      // Thawed at once: frozen for 10s, Hazelcast would drop it from the cluster.
      signal(stopped, "CONT");
      assertTrue(coordinator.waitFor(2, TimeUnit.MINUTES), "the build did not finish");
    } finally {
      if (stopped != null) {
        signal(stopped, "CONT");
      }
      ClusterCli.killPid(hookPid); // the agent's build then fails, and its answer is discarded
      coordinator.destroyForcibly();
    }
    Cli.Result r = ClusterCli.result(coordinator, log);
    assertEquals(1, r.exitCode(), r + ClusterCli.describe(l1, l2));
    JsonNode slow = Cli.pkg(Cli.report(ws.resolve("report.json")), "slow-1");
    assertEquals("failed", slow.get("status").asText(), slow.toString());
    assertTrue(slow.at("/error/cause").asText().contains("gave up after 1 attempt on build agents"),
        slow.toString());
    assertTrue(slow.at("/error/detail").asText().contains("attempt 1 on " + stopped.name() + ": lost"),
        slow.toString());
    assertEquals(1, slow.get("attempts").size(), slow.toString());
    assertEquals("lost", slow.at("/attempts/0/result").asText(), slow.toString());
    assertFalse(Files.exists(ws.resolve("dist/slow_1-0.1.0.tar.gz")), "a lost build left files");
  }

  @Test
  @Order(4)
  void aBuildAlreadyInHandIsAnsweredWithoutBuildingAgain() throws Exception {
    Path ws = slowWorkspace("reuse");
    Path started = Files.createDirectories(root.resolve("reuse-started"));
    Object[] settings = {"-C", "slow.seconds=0", "-C", "slow.started-dir=" + started};
    Cli.Result first = ClusterCli.run(root, coordinator(5, ws, settings));
    assertEquals(0, first.exitCode(), first + ClusterCli.describe(l1, l2));
    Map<String, String> firstFiles = ClusterBuildTest.dist(ws);
    assertEquals(1, markers(started).size());

    // Another coordinator (its own cache and state: nothing to restore locally), another out
    // dir, the same inputs: an agent answers from the build in hand; build_sdist never runs again.
    Path out = root.resolve("reuse-out");
    Cli.Result again = ClusterCli.run(root, ClusterCli.args("build-all", ws, cluster.flags(6),
        "--cache-dir", root.resolve("other-coordinator-cache"), "--report", ws.resolve("report.json"),
        "--agent-wait", "60s", "-C", "slow.seconds=0", "-C", "slow.started-dir=" + started,
        "--reuse-cluster-builds", "--out", out));
    assertEquals(0, again.exitCode(), again + ClusterCli.describe(l1, l2));
    assertEquals(1, markers(started).size(), "built again:\n" + again);
    JsonNode slow = Cli.pkg(Cli.report(ws.resolve("report.json")), "slow-1");
    assertEquals("reused", slow.at("/attempts/0/result").asText(), slow.toString());
    assertTrue(slow.at("/attempts/0/detail").asText().startsWith("the build of the same input hash by agent"),
        slow.toString());
    Map<String, String> reused = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path p : files.toList()) {
        reused.put(p.getFileName().toString(), dev.orchestrate.env.store.AtomicFiles.sha256(p));
      }
    }
    assertEquals(firstFiles, reused);
  }

  @Test
  @Order(5)
  void anAgentThatLeavesMidHookGivesItsTaskBack() throws Exception {
    Path ws = slowWorkspace("leave");
    Path hang = root.resolve("leave-hang.json");
    Path log = root.resolve("leave.log");
    Process coordinator = ClusterCli.start(Map.of(), log, withLease(7, ws, "60s",
        "-C", "slow.hang-once=" + hang, "-C", "slow.seconds=0"));
    long hookPid = -1;
    String leaver = "";
    try {
      await("hanging hook", Duration.ofMinutes(2), coordinator, log, () -> Files.exists(hang));
      assertTrue(read(log).contains("agents: l1 (1 slot") && read(log).contains("l2 (1 slot"),
          "both agents should be in the cluster:\n" + read(log) + ClusterCli.describe(l1, l2));
      JsonNode marker = Cli.JSON.readTree(hang.toFile());
      hookPid = marker.get("pid").asLong();
      leaver = marker.get("agent").asText();
      ClusterCli.stop(agent(leaver)); // SIGTERM: it deregisters and leaves
      assertTrue(coordinator.waitFor(2, TimeUnit.MINUTES), "the build did not finish");
    } finally {
      ClusterCli.killPid(hookPid);
      coordinator.destroyForcibly();
    }
    Cli.Result r = ClusterCli.result(coordinator, log);
    assertEquals(0, r.exitCode(), r + ClusterCli.describe(l1, l2));
    // The long lease did not run out: the agent's leaving returned the task.
    assertTrue(r.stdout().contains("lost     slow-1 on agent " + leaver + ": agent " + leaver), r.toString());
    JsonNode slow = Cli.pkg(Cli.report(ws.resolve("report.json")), "slow-1");
    assertEquals(2, slow.get("attempts").size(), slow.toString());
    assertEquals("lost", slow.at("/attempts/0/result").asText(), slow.toString());
    assertEquals("built", slow.at("/attempts/1/result").asText(), slow.toString());
    assertEquals(slowArtifacts(), ClusterBuildTest.dist(ws).keySet());
  }
}
