package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrate.env.store.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --hook-runner forkserver} through the real CLI: the same artifacts as fresh processes
 * (byte for byte from a deterministic backend), the same outcomes from misbehaving backends, the
 * report naming the runner of every hook, and the setting read from {@code [tool.orchestrate]}.
 */
class ForkServerBuildTest {
  @TempDir static Path sharedCache;
  @TempDir Path tmp;

  private Cli.Result build(Path root, Map<String, String> env, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("build-all", root.toString(),
        "--cache-dir", sharedCache.toString(), "--report", root.resolve("report.json").toString()));
    args.addAll(List.of(extra));
    return Cli.run(tmp.resolve("cli"), env, args.toArray(String[]::new));
  }

  /** Runs the same workspace once per runner, each on its own copy. */
  private Map<String, Path> underBothRunners(Path source, Map<String, String> env, int exitCode,
      String... extra) throws Exception {
    return underRunners(List.of("fresh", "forkserver"), source, env, exitCode, extra);
  }

  private Map<String, Path> underRunners(List<String> runners, Path source, Map<String, String> env,
      int exitCode, String... extra) throws Exception {
    Map<String, Path> roots = new LinkedHashMap<>();
    for (String runner : runners) {
      Path root = Cli.copy(source, tmp.resolve(runner));
      List<String> args = new ArrayList<>(List.of(extra));
      args.addAll(List.of("--hook-runner", runner));
      Cli.Result r = build(root, env, args.toArray(String[]::new));
      assertEquals(exitCode, r.exitCode(), runner + ": " + r);
      roots.put(runner, root);
    }
    return roots;
  }

  private static Map<String, String> dist(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(root.resolve("dist"))) {
      for (Path f : list.toList()) {
        files.put(f.getFileName().toString(), AtomicFiles.sha256(f));
      }
    }
    return files;
  }

  private static List<String> runners(JsonNode report) {
    List<String> runners = new ArrayList<>();
    for (JsonNode p : report.get("packages")) {
      for (JsonNode h : p.get("hooks")) {
        runners.add(p.get("name").asText() + ":" + h.get("hook").asText() + ":" + h.get("runner").asText());
      }
    }
    return runners;
  }

  @Test
  void theExampleMonorepoBuildsByteIdenticalArtifactsUnderBothRunners() throws Exception {
    Map<String, Path> roots = underBothRunners(Cli.examples().resolve("monorepo"), Map.of(), 0);
    Map<String, String> fresh = dist(roots.get("fresh"));
    assertEquals(11, fresh.size(), fresh.toString());
    assertEquals(fresh, dist(roots.get("forkserver")), "house-backend archives are reproducible");

    JsonNode freshReport = Cli.report(roots.get("fresh").resolve("report.json"));
    JsonNode forkReport = Cli.report(roots.get("forkserver").resolve("report.json"));
    assertTrue(runners(freshReport).stream().allMatch(r -> r.endsWith(":fresh")), runners(freshReport).toString());
    assertTrue(runners(forkReport).stream().allMatch(r -> r.endsWith(":forkserver")), runners(forkReport).toString());
    assertEquals(runners(freshReport).size(), runners(forkReport).size());
    // The same hooks, trees and outcomes (gamma's sdist fallback included).
    for (JsonNode p : freshReport.get("packages")) {
      assertEquals(BuildAllTest.hooks(p),
          BuildAllTest.hooks(Cli.pkg(forkReport, p.get("name").asText())));
    }
  }

  @Test
  void setuptoolsMembersBuildTheSameFilesAndMetadataUnderBothRunners() throws Exception {
    Path wheels = OfflineWheels.setuptoolsAndWheel(tmp.resolve("wheels"));
    Map<String, Path> roots = underRunners(List.of("fresh", "forkserver", "forkserver-cold"),
        Cli.examples().resolve("setuptools-monorepo"), Map.of(), 0, "--find-links", wheels.toString());
    Path fresh = roots.get("fresh").resolve("dist");
    Set<String> names = dist(roots.get("fresh")).keySet();
    assertEquals(6, names.size(), names.toString());
    for (String runner : List.of("forkserver", "forkserver-cold")) {
      Path forked = roots.get(runner).resolve("dist");
      assertEquals(names, dist(roots.get(runner)).keySet(), runner);
      // setuptools stamps archives with the time; what is inside is the same, entry for entry.
      for (String name : names) {
        Map<String, String> a = entries(fresh.resolve(name));
        Map<String, String> b = entries(forked.resolve(name));
        assertEquals(List.copyOf(a.keySet()), List.copyOf(b.keySet()), runner + ": " + name);
        assertEquals(a, b, runner + ": " + name);
        assertTrue(a.keySet().stream().anyMatch(e -> e.endsWith("/METADATA") || e.endsWith("/PKG-INFO")), name);
      }
      assertTrue(runners(Cli.report(roots.get(runner).resolve("report.json"))).stream()
          .allMatch(r -> r.endsWith(":forkserver")), runner);
    }
  }

  @Test
  void misbehavingBackendsEndTheSameWayUnderBothRunners() throws Exception {
    Path source = Cli.fixtureWorkspace(tmp.resolve("fixtures"), "bad-backend-typo",
        "backend-path-missing-module", "hook-missing", "raises", "crash", "segfault", "hangs",
        "non-utf8-output", "sdist-unsupported", "config-echo");
    Map<String, Path> pidFiles = new LinkedHashMap<>();
    Map<String, JsonNode> reports = new LinkedHashMap<>();
    for (String runner : List.of("fresh", "forkserver")) {
      Path root = Cli.copy(source, tmp.resolve(runner));
      Path pids = tmp.resolve(runner + "-hangs.json");
      Cli.Result r = build(root, Map.of("HANGS_PID_FILE", pids.toString()), "--hook-runner", runner,
          "--hook-timeout", "3s");
      assertEquals(1, r.exitCode(), runner + ": " + r);
      pidFiles.put(runner, pids);
      reports.put(runner, Cli.report(root.resolve("report.json")));
      assertEquals(List.of("config_echo-0.1.0-py3-none-any.whl", "config_echo-0.1.0.tar.gz",
          "non_utf8_output-0.1.0-py3-none-any.whl", "non_utf8_output-0.1.0.tar.gz",
          "sdist_unsupported-0.1.0-py3-none-any.whl"), List.copyOf(dist(root).keySet()), runner);
    }
    JsonNode fresh = reports.get("fresh");
    JsonNode forked = reports.get("forkserver");
    for (JsonNode p : fresh.get("packages")) {
      String name = p.get("name").asText();
      JsonNode q = Cli.pkg(forked, name);
      assertEquals(p.get("status"), q.get("status"), name);
      assertEquals(BuildAllTest.hooks(p), BuildAllTest.hooks(q), name);
      if (!p.get("error").isNull()) {
        assertEquals(p.at("/error/stage"), q.at("/error/stage"), name);
        assertEquals(p.at("/error/cause"), q.at("/error/cause"), name);
      }
    }
    assertTrue(Cli.pkg(forked, "crash").at("/error/cause").asText().contains("exited with code 3"));
    assertTrue(Cli.pkg(forked, "segfault").at("/error/cause").asText().contains("signal 11 (SIGSEGV)"));
    assertTrue(Cli.pkg(forked, "hangs").at("/error/cause").asText().contains("timed out after 3.00s"));
    for (Path pids : pidFiles.values()) {
      assertDead(pids);
    }
    // A backend that cannot be imported has no server to fork from: its hooks ran fresh.
    assertEquals("fresh", Cli.pkg(forked, "bad-backend-typo").at("/hooks/0/runner").asText());
    assertEquals("forkserver", Cli.pkg(forked, "crash").at("/hooks/1/runner").asText());
  }

  @Test
  void eachHookIsANewChildOfTheServerOfItsTreeInItsTreeWithStdinClosed() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "isolation-probe");
    Path probeLog = tmp.resolve("probe.jsonl");
    Cli.Result r = build(root, Map.of("ISOLATION_PROBE_LOG", probeLog.toString()),
        "--hook-runner", "forkserver");
    assertEquals(0, r.exitCode(), r.toString());
    Map<String, JsonNode> byHook = new LinkedHashMap<>();
    for (String line : Files.readAllLines(probeLog)) {
      JsonNode rec = Cli.JSON.readTree(line);
      byHook.put(rec.get("hook").asText(), rec);
    }
    assertEquals(4, byHook.size(), byHook.toString());
    Set<String> pids = new TreeSet<>();
    for (JsonNode rec : byHook.values()) {
      pids.add(rec.get("pid").asText());
      assertEquals("eof", rec.at("/stdin/state").asText(), rec.toString());
      assertTrue(rec.at("/stdin/fd0_is_devnull").asBoolean(), rec.toString());
      assertTrue(rec.get("in_venv").asBoolean(), rec.toString());
      for (JsonNode entry : rec.get("sys_path")) {
        assertFalse(Files.exists(Path.of(entry.asText()).resolve("orchestrate_shim.py")),
            "the hook runner's directory is on sys.path: " + entry);
      }
    }
    assertEquals(4, pids.size(), "each hook call is its own process: " + pids);
    JsonNode sdist = byHook.get("build_sdist");
    JsonNode wheel = byHook.get("build_wheel");
    assertEquals(root.resolve("isolation-probe").toRealPath().toString(), sdist.get("cwd").asText());
    assertTrue(wheel.get("cwd").asText().contains("isolation_probe-0.1.0"), wheel.toString());
    // One server per tree (the backend is in-tree: backend-path differs), forking every hook.
    assertEquals(byHook.get("get_requires_for_build_sdist").get("ppid"), sdist.get("ppid"));
    assertEquals(byHook.get("get_requires_for_build_wheel").get("ppid"), wheel.get("ppid"));
    assertNotEquals(sdist.get("ppid"), wheel.get("ppid"));
  }

  @Test
  void stoppingOrKillingTheRunLeavesNoForkedHookRunning() throws Exception {
    for (boolean sigkill : List.of(false, true)) {
      Path root = Cli.fixtureWorkspace(tmp.resolve("ws-" + sigkill), "hangs");
      Path pids = tmp.resolve("hangs-" + sigkill + ".json");
      Process cli = Cli.start(Map.of("HANGS_PID_FILE", pids.toString()), tmp.resolve("out-" + sigkill + ".log"),
          "build-all", root.toString(), "--cache-dir", sharedCache.toString(), "--hook-runner", "forkserver");
      for (int i = 0; i < 600 && !Files.exists(pids); i++) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(pids), "the hangs hook never started");
      if (sigkill) {
        // kill -9: no shutdown hook runs, but the server sees its input close and kills its children.
        cli.destroyForcibly();
      } else {
        cli.destroy(); // SIGTERM, as Ctrl-C or a CI cancel would
      }
      assertTrue(cli.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "orchestrate did not stop");
      assertDead(pids);
    }
  }

  @Test
  void theRunnerComesFromToolOrchestrateUnlessTheCommandLineSaysOtherwise() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "config-echo", "raises");
    Files.writeString(root.resolve("pyproject.toml"), """
        [tool.orchestrate]
        hook-runner = "forkserver"
        forkserver-incompatible = ["raises_backend"]

        [tool.orchestrate.workspace]
        members = ["*"]
        """);
    Cli.Result r = build(root, Map.of());
    assertEquals(1, r.exitCode(), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));
    assertTrue(runners(report).stream().filter(h -> h.startsWith("config-echo:"))
        .allMatch(h -> h.endsWith(":forkserver")), runners(report).toString());
    assertTrue(runners(report).stream().filter(h -> h.startsWith("raises:"))
        .allMatch(h -> h.endsWith(":fresh")), runners(report).toString());
    String note = "note: build backend `raises_backend` is listed as incompatible with the fork "
        + "server; its hooks run in fresh processes";
    assertEquals(1, r.stdout().lines().filter(l -> l.contains(note)).count(), r.toString());

    Cli.Result fresh = build(root, Map.of(), "--hook-runner", "fresh");
    assertTrue(runners(Cli.report(root.resolve("report.json"))).stream().allMatch(h -> h.endsWith(":fresh")));
    assertFalse(fresh.stdout().contains("note:"), fresh.toString());

    // forkserver-warm, the earlier name of the default fork-server mode, still says forkserver.
    Cli.Result warm = build(root, Map.of(), "--hook-runner", "forkserver-warm", "--force");
    assertEquals(1, warm.exitCode(), warm.toString());
    List<String> echoed = runners(Cli.report(root.resolve("report.json"))).stream()
        .filter(h -> h.startsWith("config-echo:")).toList();
    assertFalse(echoed.isEmpty(), warm.toString());
    assertTrue(echoed.stream().allMatch(h -> h.endsWith(":forkserver")), echoed.toString());

    Files.writeString(root.resolve("pyproject.toml"), """
        [tool.orchestrate.workspace]
        members = ["*"]

        [tool.orchestrate]
        hook-runner = "threads"
        """);
    Cli.Result bad = build(root, Map.of());
    assertEquals(2, bad.exitCode(), bad.toString());
    assertTrue(bad.stderr().contains("pyproject.toml:5:1: tool.orchestrate.hook-runner: expected "
        + "`fresh`, `forkserver` or `forkserver-cold`, got `threads`"), bad.toString());

    Cli.Result badFlag = build(root, Map.of(), "--hook-runner", "spawn");
    assertEquals(2, badFlag.exitCode(), badFlag.toString());
    assertTrue(badFlag.stderr().contains("--hook-runner: expected `fresh`, `forkserver` or `forkserver-cold`, got `spawn`"),
        badFlag.toString());
  }

  /** Polls: a killed orphan stays a zombie until init reaps it. */
  private static void assertDead(Path pidFile) throws Exception {
    JsonNode node = Cli.JSON.readTree(pidFile.toFile());
    for (long pid : List.of(node.get("backend").asLong(), node.get("child").asLong())) {
      for (int i = 0; i < 100 && alive(pid); i++) {
        Thread.sleep(100);
      }
      assertFalse(alive(pid), "process " + pid + " survived");
    }
  }

  private static boolean alive(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String s = Files.readString(stat);
    return !s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
  }

  /** Entry name to the sha256 of its content, in archive order. */
  private static Map<String, String> entries(Path archive) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    if (archive.toString().endsWith(".whl")) {
      try (ZipFile zip = new ZipFile(archive.toFile())) {
        for (ZipEntry e : java.util.Collections.list(zip.entries())) {
          try (InputStream in = zip.getInputStream(e)) {
            entries.put(e.getName(), sha256(in.readAllBytes()));
          }
        }
      }
      return entries;
    }
    // A tar read by hand: 512-byte headers, name at 0 (prefix at 345), size in octal at 124.
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
      byte[] tar = in.readAllBytes();
      int pos = 0;
      String longName = null;
      while (pos + 512 <= tar.length && tar[pos] != 0) {
        String name = field(tar, pos, 100);
        String prefix = field(tar, pos + 345, 155);
        long size = Long.parseLong(field(tar, pos + 124, 12).trim().isEmpty() ? "0"
            : field(tar, pos + 124, 12).trim(), 8);
        char type = (char) tar[pos + 156];
        byte[] body = Arrays.copyOfRange(tar, pos + 512, (int) (pos + 512 + size));
        if (type == 'L') {
          longName = new String(body, java.nio.charset.StandardCharsets.UTF_8).replace("\0", "");
        } else if (type != 'x' && type != 'g') {
          String full = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
          entries.put(full, sha256(body));
          longName = null;
        }
        pos += 512 + (int) ((size + 511) / 512 * 512);
      }
    }
    return entries;
  }

  private static String field(byte[] tar, int at, int length) {
    int end = at;
    while (end < at + length && tar[end] != 0) {
      end++;
    }
    return new String(tar, at, end - at, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
