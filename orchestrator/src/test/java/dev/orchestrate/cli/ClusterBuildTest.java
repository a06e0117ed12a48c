package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrate.env.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build-all --cluster} over two agents on loopback, each agent its own JVM (shared by the
 * tests of this class), coordinators in theirs. The agents' {@code --workspace} is a copy of the
 * example monorepo whose {@code alpha} differs by one file; the workspaces the tests build live
 * inside it (a shared path: agents build them in place) except the one built from outside it
 * (agents then map it into their own, different, checkout).
 */
class ClusterBuildTest {
  static final Set<String> MONOREPO_ARTIFACTS = Set.of(
      "alpha-0.3.0-py3-none-any.whl", "alpha-0.3.0.tar.gz",
      "beta-0.2.1-py3-none-any.whl", "beta-0.2.1.tar.gz",
      "delta_tools-2.0.0rc1-py3-none-any.whl", "delta_tools-2.0.0rc1.tar.gz",
      "epsilon-0.1.0-py3-none-any.whl", "epsilon-0.1.0.tar.gz",
      "gamma-1.0.0-py3-none-any.whl",
      "house_backend-1.2.0-py3-none-any.whl", "house_backend-1.2.0.tar.gz");

  @TempDir static Path root;
  static ClusterCli.Cluster cluster;
  static Path workspace;
  static ClusterCli.Node a1;
  static ClusterCli.Node a2;

  @BeforeAll
  static void agents() throws Exception {
    // Ports 0 and 1: the agents; 2..5: the coordinators of the tests.
    cluster = ClusterCli.Cluster.create("cluster-build", 6);
    workspace = Cli.copy(Cli.examples().resolve("monorepo"), root.resolve("agents-checkout"));
    Path core = workspace.resolve("packages/alpha/src/alpha/core.py");
    Files.writeString(core, Files.readString(core) + "\n# a local change on the agents' checkout\n");
    Path cache = root.resolve("agents-cache");
    a1 = ClusterCli.agent(cluster, 0, "a1", workspace, cache, 2, root.resolve("logs"));
    a2 = ClusterCli.agent(cluster, 1, "a2", workspace, cache, 2, root.resolve("logs"));
  }

  @AfterAll
  static void stopAgents() throws Exception {
    ClusterCli.stop(a1);
    ClusterCli.stop(a2);
  }

  private static List<String> coordinator(int index, Path ws, Object... extra) {
    return ClusterCli.args("build-all", ws, cluster.flags(index), "--cache-dir",
        root.resolve("coordinator-cache-" + index), "--report", ws.resolve("report.json"),
        "--agent-wait", "20s", List.of(extra));
  }

  /** A workspace inside the agents' workspace; a fresh -C value keeps earlier builds from answering. */
  private static Path shared(String name) throws IOException {
    return Cli.copy(Cli.examples().resolve("monorepo"), workspace.resolve("runs").resolve(name));
  }

  private static String nonce() {
    return "nonce=" + UUID.randomUUID();
  }

  static Map<String, String> dist(Path ws) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(ws.resolve("dist"))) {
      for (Path p : list.toList()) {
        files.put(p.getFileName().toString(), Files.isRegularFile(p) ? AtomicFiles.sha256(p) : "(dir)");
      }
    }
    return files;
  }

  private String failure(Cli.Result r) {
    return r + "\n" + ClusterCli.describe(a1, a2);
  }

  @Test
  void aClusterBuildMakesTheSameArtifactsAsALocalBuildAndNamesTheAgentOfEachPackage() throws Exception {
    String nonce = nonce();
    Path local = Cli.copy(Cli.examples().resolve("monorepo"), root.resolve("local-mono"));
    Cli.Result l = Cli.run(root.resolve("cli"), "build-all", local.toString(), "--cache-dir",
        root.resolve("local-cache").toString(), "-C", nonce);
    assertEquals(0, l.exitCode(), l.toString());

    Path clustered = shared("same");
    Cli.Result c = ClusterCli.run(root, coordinator(2, clustered, "--local-jobs", "0", "-C", nonce));
    assertEquals(0, c.exitCode(), failure(c));
    assertTrue(c.stdout().contains("cluster  `" + cluster.name() + "`: coordinator"), c.toString());

    // Byte for byte: house-backend's archives are reproducible.
    Map<String, String> expected = dist(local);
    assertEquals(MONOREPO_ARTIFACTS, expected.keySet());
    assertEquals(expected, dist(clustered));

    JsonNode report = Cli.report(clustered.resolve("report.json"));
    Set<String> agents = new TreeSet<>();
    for (JsonNode p : report.get("packages")) {
      String agent = p.get("agent").asText();
      agents.add(agent);
      assertTrue(Set.of("a1", "a2").contains(agent), p.toString());
      JsonNode attempts = p.get("attempts");
      assertEquals(1, attempts.size(), p.toString());
      assertEquals("built", attempts.get(0).get("result").asText(), p.toString());
      assertEquals(agent, attempts.get(0).get("agent").asText(), p.toString());
      for (JsonNode a : p.get("artifacts")) {
        // Published into the coordinator's out dir, verified.
        Path file = Path.of(a.get("path").asText());
        assertEquals(clustered.resolve("dist"), file.getParent());
        assertEquals(AtomicFiles.sha256(file), a.get("sha256").asText());
      }
    }
    assertEquals(Set.of("a1", "a2"), agents, "both agents got work: " + report);
    JsonNode executors = report.get("executors");
    assertEquals(2, executors.size(), executors.toString());
    for (JsonNode e : executors) {
      assertEquals(2, e.get("slots").asInt());
      assertTrue(e.get("busyMillis").asLong() > 0, e.toString());
      double utilisation = e.get("utilisation").asDouble();
      assertTrue(utilisation > 0 && utilisation <= 1, e.toString());
    }
    assertFalse(Files.exists(clustered.resolve("dist/.orchestrate-tmp")));
  }

  @Test
  void twoCoordinatorsOnOneClusterEachGetTheirOwnPackagesBackAndNothingElse() throws Exception {
    Path mono = shared("two-mono");
    Path fixtures = Cli.fixtureWorkspace(workspace.resolve("runs").resolve("two-fixtures"),
        "config-echo", "isolation-probe", "sdist-unsupported");
    String nonce = nonce();
    Path logA = root.resolve("two-a.log");
    Path logB = root.resolve("two-b.log");
    Process a = ClusterCli.start(Map.of(), logA, coordinator(3, mono, "-C", nonce));
    Process b = ClusterCli.start(Map.of(), logB, coordinator(4, fixtures, "-C", nonce));
    assertTrue(a.waitFor(5, TimeUnit.MINUTES) && b.waitFor(5, TimeUnit.MINUTES), "coordinators hang");
    Cli.Result ra = ClusterCli.result(a, logA);
    Cli.Result rb = ClusterCli.result(b, logB);
    assertEquals(0, ra.exitCode(), failure(ra));
    assertEquals(0, rb.exitCode(), failure(rb));

    JsonNode reportA = Cli.report(mono.resolve("report.json"));
    JsonNode reportB = Cli.report(fixtures.resolve("report.json"));
    assertEquals(MONOREPO_ARTIFACTS, dist(mono).keySet());
    assertEquals(artifactsOf(reportB), dist(fixtures).keySet());
    assertEquals(Set.of("config-echo", "isolation-probe", "sdist-unsupported"), names(reportB));
    assertEquals(Set.of("house-backend", "alpha", "beta", "gamma", "delta-tools", "epsilon"), names(reportA));
    for (JsonNode report : List.of(reportA, reportB)) {
      for (JsonNode p : report.get("packages")) {
        assertEquals("built", p.get("status").asText(), p.toString());
        assertEquals(1, p.get("attempts").size(), "no task was taken twice: " + p);
      }
    }
    // Each agent heard from both coordinators, and each coordinator got only its own answers.
    assertTrue(a1.output().contains("pid " + a.pid()) || a2.output().contains("pid " + a.pid()));
    assertTrue(a1.output().contains("pid " + b.pid()) || a2.output().contains("pid " + b.pid()));
  }

  @Test
  void anAgentWhoseTreeDiffersRefusesAndSaysWhichFile() throws Exception {
    // Outside the agents' workspace: they look for it in their own checkout, where alpha differs.
    Path outside = Cli.copy(Cli.examples().resolve("monorepo"), root.resolve("elsewhere/mono"));
    Cli.Result r = ClusterCli.run(root, coordinator(5, outside, "-C", nonce()));
    assertEquals(1, r.exitCode(), failure(r));
    assertTrue(r.stdout().contains("refused  alpha on agent a1: its tree differs from the "
        + "coordinator's in " + workspace.toRealPath().resolve("packages/alpha")), r.toString());
    assertTrue(r.stdout().contains("changed src/alpha/core.py"), r.toString());

    JsonNode report = Cli.report(outside.resolve("report.json"));
    JsonNode alpha = Cli.pkg(report, "alpha");
    assertEquals("failed", alpha.get("status").asText());
    assertTrue(alpha.at("/error/cause").asText().contains("every agent refused"), alpha.toString());
    List<String> refusals = new ArrayList<>();
    for (JsonNode attempt : alpha.get("attempts")) {
      assertEquals("refused", attempt.get("result").asText(), attempt.toString());
      assertTrue(attempt.get("detail").asText().contains("changed src/alpha/core.py"), attempt.toString());
      refusals.add(attempt.get("agent").asText());
    }
    assertEquals(Set.of("a1", "a2"), new TreeSet<>(refusals));
    assertEquals("skipped", Cli.pkg(report, "delta-tools").get("status").asText());
    for (String same : List.of("house-backend", "beta", "gamma", "epsilon")) {
      assertEquals("built", Cli.pkg(report, same).get("status").asText(), same);
    }
  }

  @Test
  void aCoordinatorWithoutAgentsFailsClearlyOrBuildsLocallyWithLocalJobs() throws Exception {
    ClusterCli.Cluster alone = ClusterCli.Cluster.create("no-agents", 1);
    Path ws = Cli.fixtureWorkspace(root.resolve("alone"), "config-echo", "sdist-unsupported");
    Cli.Result none = ClusterCli.run(root, ClusterCli.args("build-all", ws, alone.flags(0),
        "--cache-dir", root.resolve("alone-cache"), "--agent-wait", "1s"));
    assertEquals(2, none.exitCode(), none.toString());
    assertTrue(none.stderr().contains("error: no build agent in cluster `" + alone.name() + "` after 1s"),
        none.toString());
    assertTrue(none.stderr().contains("--local-jobs N"), none.toString());
    assertFalse(Files.exists(ws.resolve("dist/config_echo-0.1.0-py3-none-any.whl")));

    Cli.Result local = ClusterCli.run(root, ClusterCli.args("build-all", ws, alone.flags(0),
        "--cache-dir", root.resolve("alone-cache"), "--local-jobs", "2", "--report",
        ws.resolve("report.json")));
    assertEquals(0, local.exitCode(), local.toString());
    JsonNode report = Cli.report(ws.resolve("report.json"));
    for (JsonNode p : report.get("packages")) {
      assertEquals("local", p.get("agent").asText(), p.toString());
    }
    assertEquals("local", report.at("/executors/0/id").asText(), report.toString());
    assertEquals(artifactsOf(report), dist(ws).keySet());
  }

  static Set<String> artifactsOf(JsonNode report) {
    Set<String> files = new TreeSet<>();
    for (JsonNode p : report.get("packages")) {
      for (JsonNode a : p.get("artifacts")) {
        files.add(a.get("file").asText());
      }
    }
    return files;
  }

  static Set<String> names(JsonNode report) {
    Set<String> names = new TreeSet<>();
    report.get("packages").forEach(p -> names.add(p.get("name").asText()));
    return names;
  }
}
