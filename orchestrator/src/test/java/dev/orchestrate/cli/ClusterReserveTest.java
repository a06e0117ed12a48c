package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrate.cluster.ClusterAddresses;
import dev.orchestrate.cluster.ClusterJson;
import dev.orchestrate.cluster.ClusterNode;
import dev.orchestrate.cluster.ClusterSettings;
import dev.orchestrate.cluster.Withdrawal;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reserve an agent holds beyond its slots, over real agents (each its own JVM, Hazelcast on
 * loopback, real hooks): agent {@code a} has one slot, so a coordinator gives it one package to
 * build and one to hold queued in reserve. When agent {@code b1} joins with a free slot, the
 * coordinator asks {@code a} for the reserved package back (a withdrawal) and {@code b1} builds
 * it; a task still being checked on {@code a} (taken, not queued yet) is given back the same way
 * (before, the withdrawal found nothing queued and the task then waited on {@code a} behind the
 * busy slot while {@code b2} idled); a withdrawal when no task of the run waits on {@code a}
 * gives nothing back, and nothing is lost.
 *
 * <p>No step waits on a guessed delay: every build_sdist of the {@code slow} fixture waits for its
 * gate file (the test opens it), the agents' logs say when a task is queued, returned or not
 * withdrawn, agent {@code a} stops at the test point {@code agent.checked.slow-4} until the test
 * writes a line to its stdin, and the negative case's withdrawals come from a cluster member in
 * the test's own JVM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterReserveTest {
  private static final Pattern QUEUED = Pattern.compile("queued   (slow-[12]): waits for a free slot");

  @TempDir static Path root;
  static ClusterCli.Cluster cluster;
  static Path workspace;
  static ClusterCli.Node a;

  @BeforeAll
  static void agent() throws Exception {
    // Port 0: agent a; 1 and 2: the agents that join during the tests; 3..5: the coordinators;
    // 6: the test's own member, which sends withdrawals itself.
    cluster = ClusterCli.Cluster.create("cluster-reserve", 7);
    workspace = Files.createDirectories(root.resolve("workspace"));
    a = ClusterCli.agent(cluster, 0, "a", workspace, root.resolve("cache-a"), 1, root.resolve("logs"),
        List.of("agent.checked.slow-4"));
  }

  @AfterAll
  static void stopAgent() throws Exception {
    ClusterCli.stop(a);
  }

  /** Copies of the `slow` fixture named slow-N, in a workspace inside the agents' one. */
  private static Path slowWorkspace(String name, int... numbers) throws IOException {
    Path ws = Cli.fixtureWorkspace(workspace.resolve(name));
    for (int n : numbers) {
      Path copy = Cli.copy(Cli.fixture("slow"), ws.resolve("slow-" + n));
      Path pyproject = copy.resolve("pyproject.toml");
      Files.writeString(pyproject, Files.readString(pyproject).replace("name = \"slow\"",
          "name = \"slow-" + n + "\""));
      Files.move(copy.resolve("slow"), copy.resolve("slow_" + n));
    }
    return ws;
  }

  /** Agents only; every build_sdist records where it started, then waits for its gate. */
  private static List<String> coordinator(int index, Path ws, Path started, Path gates) {
    return ClusterCli.args("build-all", ws, cluster.flags(index), "--cache-dir",
        root.resolve("coordinator-cache-" + index), "--report", ws.resolve("report.json"),
        "--agent-wait", "60s", "--local-jobs", "0", "-v", "-C", "slow.seconds=0",
        "-C", "slow.started-dir=" + started, "-C", "slow.gate-dir=" + gates);
  }

  private static void open(Path gates, String member) throws IOException {
    Files.writeString(gates.resolve(member), "");
  }

  private static void await(String what, Process coordinator, Path log, BooleanSupplier condition,
      ClusterCli.Node... agents) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " in 2 minutes\n" + read(log) + describe(agents));
      }
      if (!coordinator.isAlive()) {
        throw new AssertionError("the coordinator ended before " + what + ":\n"
            + ClusterCli.result(coordinator, log) + describe(agents));
      }
      Thread.sleep(50);
    }
  }

  private static String describe(ClusterCli.Node... agents) {
    List<ClusterCli.Node> all = new ArrayList<>(List.of(agents));
    all.add(0, a);
    return ClusterCli.describe(all.toArray(ClusterCli.Node[]::new));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  /** The started-dir records: project to the agents where its build_sdist began, in order. */
  private static Map<String, List<String>> starts(Path dir) {
    Map<String, List<String>> starts = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode marker = Cli.JSON.readTree(p.toFile());
        starts.computeIfAbsent(marker.get("project").asText(), k -> new ArrayList<>())
            .add(marker.get("agent").asText());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return starts;
  }

  /** Each package built once, on {@code agent}, with one attempt; its files in dist as reported. */
  /**
   * The run ended well: exit 0, nothing lost, {@code moved} built once on agent {@code to} and
   * {@code stayed} once on a (hooks begun only there), the four artifacts in dist.
   */
  private static void movedAndBuilt(Process coordinator, Path log, ClusterCli.Node to, Path ws, Path started,
      String moved, String toName, String stayed) throws Exception {
    Cli.Result r = ClusterCli.result(coordinator, log);
    assertEquals(0, r.exitCode(), r + describe(to));
    assertFalse(r.stdout().contains("lost "), r.toString());
    // -v: the coordinator says what moved, as the agent's log does.
    assertTrue(r.stdout().contains("cluster  " + moved + " given back unstarted by agent a"), r.toString());
    JsonNode report = Cli.report(ws.resolve("report.json"));
    builtOnceOn(report, ws, moved, toName);
    builtOnceOn(report, ws, stayed, "a");
    assertEquals(4, ClusterBuildTest.dist(ws).size(), ClusterBuildTest.dist(ws).toString());
    assertEquals(Map.of(moved, List.of(toName), stayed, List.of("a")), starts(started));
  }

  private static void builtOnceOn(JsonNode report, Path ws, String member, String agent) throws IOException {
    JsonNode p = Cli.pkg(report, member);
    assertEquals("built", p.get("status").asText(), p.toString());
    assertEquals(agent, p.get("agent").asText(), p.toString());
    JsonNode attempts = p.get("attempts");
    assertEquals(1, attempts.size(), "a withdrawal is not an attempt: " + attempts);
    assertEquals(1, attempts.get(0).get("number").asInt(), attempts.toString());
    assertEquals(agent, attempts.get(0).get("agent").asText(), attempts.toString());
    assertEquals("built", attempts.get(0).get("result").asText(), attempts.toString());
    Map<String, String> dist = ClusterBuildTest.dist(ws);
    String file = member.replace('-', '_') + "-0.1.0";
    Set<String> reported = new TreeSet<>();
    for (JsonNode artifact : p.get("artifacts")) {
      String name = artifact.get("file").asText();
      reported.add(name);
      assertEquals(artifact.get("sha256").asText(), dist.get(name), name + " in dist: " + dist);
    }
    assertEquals(Set.of(file + "-py3-none-any.whl", file + ".tar.gz"), reported, p.toString());
  }

  @Test
  @Order(1)
  void aTaskHeldInReserveIsWithdrawnUnstartedAndBuiltByAnAgentWithAFreeSlot() throws Exception {
    Path ws = slowWorkspace("withdrawn", 1, 2);
    Path started = Files.createDirectories(root.resolve("withdrawn-started"));
    Path gates = Files.createDirectories(root.resolve("withdrawn-gates"));
    Path log = root.resolve("withdrawn.log");
    Process coordinator = ClusterCli.start(Map.of(), log, coordinator(3, ws, started, gates));
    ClusterCli.Node b1 = null;
    String reserved;
    String building;
    try {
      // a's one slot: one package, waiting at its gate; the other queued there in reserve.
      await("task queued in a's reserve", coordinator, log, () -> QUEUED.matcher(a.output()).find());
      Matcher m = QUEUED.matcher(a.output());
      assertTrue(m.find());
      reserved = m.group(1);
      building = reserved.equals("slow-1") ? "slow-2" : "slow-1";
      String slot = building;
      await(slot + " started on a", coordinator, log, () -> starts(started).containsKey(slot));
      assertEquals(Map.of(building, List.of("a")), starts(started));

      // b1 joins with a free slot while a's slot stays held: the coordinator withdraws the
      // reserved task from a, and b1 builds it (its gate open) before a's build goes on.
      open(gates, reserved);
      b1 = ClusterCli.agent(cluster, 1, "b1", workspace, root.resolve("cache-b1"), 1, root.resolve("logs"));
      ClusterCli.Node b = b1;
      String wheel = reserved.replace('-', '_') + "-0.1.0";
      await("returned " + reserved + " on a", coordinator, log,
          () -> a.output().contains("returned " + reserved + ": the coordinator moved it"), b);
      await(reserved + " built on b1", coordinator, log,
          () -> b.output().contains("built    ") && b.output().contains(wheel), b);
      assertEquals(List.of("a"), starts(started).get(building), "a's slot was held meanwhile");

      open(gates, building);
      assertTrue(coordinator.waitFor(2, TimeUnit.MINUTES), "the build did not finish\n" + describe(b));
    } finally {
      open(gates, "slow-1");
      open(gates, "slow-2");
      coordinator.destroyForcibly();
      ClusterCli.stop(b1);
    }
    // The reserved package's hooks ran once, on b1: never begun on a.
    movedAndBuilt(coordinator, log, b1, ws, started, reserved, "b1", building);
    String aLog = a.output();
    assertTrue(aLog.contains("task     " + reserved + " from "), aLog);
    assertFalse(aLog.contains(reserved.replace('-', '_') + "-0.1.0"), "a built " + reserved + ":\n" + aLog);
    assertTrue(b1.output().contains("task     " + reserved + " from ") && b1.output().contains("(attempt 1)"),
        b1.output());
    assertFalse(b1.output().contains("task     " + building), b1.output());
  }

  @Test
  @Order(2)
  void aTaskStillBeingCheckedWhenTheWithdrawalComesIsGivenBackToo() throws Exception {
    Path ws = slowWorkspace("checking", 3, 4);
    Path started = Files.createDirectories(root.resolve("checking-started"));
    Path gates = Files.createDirectories(root.resolve("checking-gates"));
    open(gates, "slow-4");
    Path log = root.resolve("checking.log");
    Process coordinator = ClusterCli.start(Map.of(), log, coordinator(4, ws, started, gates));
    ClusterCli.Node b2 = null;
    boolean paused = true;
    try {
      // slow-4 is held on a, stopped at the test point after its tree was checked: taken, not
      // queued yet. slow-3 builds in a's slot (whichever came first: slow-4 never takes the slot).
      await("slow-4 held at a's test point", coordinator, log,
          () -> a.output().contains("test-point agent.checked.slow-4"));
      await("slow-3 started on a", coordinator, log, () -> starts(started).containsKey("slow-3"));

      // b2 joins with a free slot; the coordinator counts two tasks on a and asks for one back.
      // Nothing is queued on a, but slow-4 has not begun either: a gives it back, rather than
      // queue it behind slow-3 while b2 idles.
      b2 = ClusterCli.agent(cluster, 2, "b2", workspace, root.resolve("cache-b2"), 1, root.resolve("logs"));
      ClusterCli.Node b = b2;
      await("returned slow-4 on a", coordinator, log,
          () -> a.output().contains("returned slow-4: the coordinator moved it"), b);
      // The check ends after the task went back: a drops it, never queues or builds it.
      ClusterCli.resume(a);
      paused = false;
      await("slow-4 dropped on a", coordinator, log,
          () -> a.output().contains("dropped  slow-4: given back while it was checked"), b);
      await("slow-4 built on b2", coordinator, log,
          () -> b.output().contains("built    ") && b.output().contains("slow_4-0.1.0"), b);
      assertEquals(List.of("a"), starts(started).get("slow-3"), "a's slot was held meanwhile");
      open(gates, "slow-3");
      assertTrue(coordinator.waitFor(2, TimeUnit.MINUTES), "the build did not finish\n" + describe(b));
    } finally {
      if (paused) {
        ClusterCli.resume(a); // not left holding a worker of a's for the next test
      }
      open(gates, "slow-3");
      coordinator.destroyForcibly();
      ClusterCli.stop(b2);
    }
    movedAndBuilt(coordinator, log, b2, ws, started, "slow-4", "b2", "slow-3");
    String aLog = a.output();
    assertFalse(aLog.contains("queued   slow-4"), aLog);
    assertFalse(aLog.contains("slow_4-0.1.0"), "a built slow-4:\n" + aLog);
  }

  @Test
  @Order(3)
  void aWithdrawalWhenNoTaskOfTheRunWaitsGivesNothingBackAndLosesNothing() throws Exception {
    Path ws = slowWorkspace("nothing", 5, 6);
    Path started = Files.createDirectories(root.resolve("nothing-started"));
    Path gates = Files.createDirectories(root.resolve("nothing-gates"));
    Path log = root.resolve("nothing.log");
    // A member of the cluster in this JVM, asking a for tasks back as a coordinator would.
    ClusterNode probe = ClusterNode.join(new ClusterSettings(cluster.name(), Optional.of("127.0.0.1"),
        OptionalInt.of(cluster.ports().get(6)), List.of(cluster.members().split(",")), Optional.empty(),
        Optional.empty()), 0, false, true);
    Process coordinator = null;
    try {
      ClusterJson.registerCodecs(probe.vertx().eventBus());
      // a is idle: nothing queued, nothing held.
      assertEquals("", withdraw(probe, "no-such-run"), a.output());

      // a holds the coordinator's two tasks, one building (at its gate), one queued in reserve.
      coordinator = ClusterCli.start(Map.of(), log, coordinator(5, ws, started, gates));
      Process c = coordinator;
      Pattern queued = Pattern.compile("queued   (slow-[56]): waits for a free slot");
      await("task queued in a's reserve", c, log, () -> queued.matcher(a.output()).find());
      Matcher m = queued.matcher(a.output());
      assertTrue(m.find());
      String reserved = m.group(1);
      String building = reserved.equals("slow-5") ? "slow-6" : "slow-5";
      await(building + " started on a", c, log, () -> starts(started).containsKey(building));
      // Another run's withdrawal: no task of its run waits there; the reserve stays where it is.
      assertEquals("", withdraw(probe, "no-such-run"), a.output());
      assertEquals(2, count(a.output(), "withdrawal: no task of run no-such-run waits here"), a.output());
      assertFalse(a.output().contains("returned " + reserved), a.output());

      open(gates, "slow-5");
      open(gates, "slow-6");
      assertTrue(coordinator.waitFor(2, TimeUnit.MINUTES), "the build did not finish\n" + describe());
    } finally {
      open(gates, "slow-5");
      open(gates, "slow-6");
      if (coordinator != null) {
        coordinator.destroyForcibly();
      }
      probe.close();
    }
    Cli.Result r = ClusterCli.result(coordinator, log);
    assertEquals(0, r.exitCode(), r + describe());
    assertFalse(r.stdout().contains("lost "), r.toString());
    // Nothing lost: both built on a, once each, one attempt each.
    JsonNode report = Cli.report(ws.resolve("report.json"));
    builtOnceOn(report, ws, "slow-5", "a");
    builtOnceOn(report, ws, "slow-6", "a");
    assertEquals(4, ClusterBuildTest.dist(ws).size(), ClusterBuildTest.dist(ws).toString());
    assertEquals(Map.of("slow-5", List.of("a"), "slow-6", List.of("a")), starts(started));
  }

  private static String withdraw(ClusterNode probe, String runId) throws Exception {
    return probe.vertx().eventBus().<String>request(ClusterAddresses.agent("a"), new Withdrawal(runId),
            new DeliveryOptions().setSendTimeout(30_000))
        .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES).body();
  }
}
