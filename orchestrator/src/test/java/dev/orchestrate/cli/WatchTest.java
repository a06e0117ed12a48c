package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orchestrate watch} through the real CLI: it reacts to edits, new, deleted and renamed
 * files and new members, rebuilding what changed and what needs it, keeps going across a failed
 * cycle, and stops cleanly on SIGTERM (no backend left running, nothing half-published).
 */
class WatchTest {
  @TempDir static Path sharedCache;
  @TempDir Path tmp;
  private Process watch;

  @AfterEach
  void stopWatch() throws Exception {
    if (watch != null && watch.isAlive()) {
      watch.destroyForcibly();
      watch.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Path log() {
    return tmp.resolve("watch.log");
  }

  private String output() throws Exception {
    return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
  }

  private void start(Path root, Map<String, String> env, String... extra) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("watch", root.toString(),
        "--cache-dir", sharedCache.toString(), "--progress", "plain", "--color", "never", "-v",
        "--report", tmp.resolve("report.json").toString()));
    args.addAll(List.of(extra));
    watch = Cli.start(env, log(), args.toArray(String[]::new));
  }

  /** Waits until the output has {@code count} lines matching, failing with the output. */
  private void await(String what, int count, Predicate<String> line) throws Exception {
    long end = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < end) {
      if (output().lines().filter(line).count() >= count) {
        return;
      }
      assertTrue(watch.isAlive(), "watch ended while waiting for " + what + ":\n" + output());
      Thread.sleep(50);
    }
    throw new AssertionError("no " + what + " in time:\n" + output()
        + "\n--- stderr\n" + Files.readString(tmp.resolve("watch.log.err")));
  }

  /** Waits for the end of cycle {@code n} and returns its summary line. */
  private String cycle(int n) throws Exception {
    String prefix = "cycle " + n + " ";
    await("the end of cycle " + n, 1, l -> l.contains(prefix + "ok:") || l.contains(prefix + "FAILED:"));
    return output().lines().filter(l -> l.contains(prefix + "ok:") || l.contains(prefix + "FAILED:"))
        .findFirst().orElseThrow();
  }

  private long building(String member) throws Exception {
    return output().lines().filter(l -> l.endsWith("building " + member)).count();
  }

  private static String status(Path report, String name) throws Exception {
    return Cli.pkg(Cli.report(report), name).get("status").asText();
  }

  @Test
  void rebuildsWhatChangesAcrossAFailureAndARecovery() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
    start(root, Map.of());
    assertTrue(cycle(1).contains("ok: 6 built"), output());
    await("waiting", 1, l -> l.contains("waiting for changes"));

    // An edit: that package only (nothing needs beta at build time).
    long beta = building("beta");
    long gamma = building("gamma");
    long delta = building("delta-tools");
    Files.writeString(root.resolve("packages/beta/beta/__init__.py"), "\n# edited\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertTrue(cycle(2).contains("ok: 1 built, 5 up to date"), output());
    assertEquals(beta + 1, building("beta"));

    // A new file, then its deletion, then a rename: each rebuilds its package.
    Files.writeString(root.resolve("packages/gamma/gamma/extra.py"), "X = 1\n");
    assertTrue(cycle(3).contains("ok: 1 built"), output());
    assertEquals(gamma + 1, building("gamma"));
    Files.delete(root.resolve("packages/gamma/gamma/extra.py"));
    assertTrue(cycle(4).contains("ok: 1 built"), output());
    assertEquals(gamma + 2, building("gamma"));
    Files.move(root.resolve("packages/delta/delta/data/banner.txt"),
        root.resolve("packages/delta/delta/data/banner2.txt"));
    assertTrue(cycle(5).contains("ok: 1 built"), output());
    assertEquals(delta + 1, building("delta-tools"));

    // A broken pyproject.toml: that member fails, its dependent is skipped, watch goes on.
    Path pyproject = root.resolve("packages/alpha/pyproject.toml");
    String good = Files.readString(pyproject);
    Files.writeString(pyproject, good.replace("[project]", "[project"));
    assertTrue(cycle(6).contains("FAILED"), output());
    // Keyed by its path: an unreadable pyproject.toml names no project.
    assertEquals("failed", Cli.unnamed(Cli.report(tmp.resolve("report.json")),
        root.toRealPath().resolve("packages/alpha")).get("status").asText());
    assertEquals("skipped", status(tmp.resolve("report.json"), "delta-tools"));
    assertTrue(watch.isAlive());
    Files.writeString(pyproject, good);
    String recovered = cycle(7);
    assertTrue(recovered.contains("ok: 0 built") || recovered.contains("ok:"), recovered);
    // alpha's inputs are back to those of its last successful build: up to date again.
    assertEquals("up-to-date", status(tmp.resolve("report.json"), "alpha"));

    // A new member appears.
    // Put together elsewhere and renamed into place, so that no cycle sees half a member.
    Path staged = Cli.copy(Cli.fixture("config-echo"), root.resolve("config-echo.staged"));
    Files.move(staged, root.resolve("packages/config-echo"));
    assertTrue(cycle(8).contains("ok: 1 built"), output());
    assertEquals("built", status(tmp.resolve("report.json"), "config-echo"));

    watch.destroy(); // SIGTERM
    assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "watch did not stop on SIGTERM:\n" + output());
    assertTrue(output().contains("stopping"), output());
    BuildAllTest.assertNoStagingLeft(root);
  }

  /**
   * Directories made after the start (an empty one, then a file in it), an edited
   * pyproject.toml, a member removed; then Ctrl-C (SIGINT) ends the session.
   */
  @Test
  void picksUpNewDirectoriesEditedAndRemovedMembersAndStopsOnSigint() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "config-echo", "ansi-output");
    start(root, Map.of());
    assertTrue(cycle(1).contains("ok: 2 built"), output());
    await("waiting", 1, l -> l.contains("waiting for changes"));

    // A directory made now is watched: a file written into it later is seen.
    Path sub = Files.createDirectories(root.resolve("config-echo/config_echo/sub"));
    assertTrue(cycle(2).contains("ok: 0 built"), output());
    Files.writeString(sub.resolve("late.py"), "LATE = 1\n");
    assertTrue(cycle(3).contains("ok: 1 built"), output());

    // An edited pyproject.toml: the member is discovered again, with its new version.
    Path pyproject = root.resolve("config-echo/pyproject.toml");
    Files.writeString(pyproject, Files.readString(pyproject).replace("version = \"0.1.0\"", "version = \"0.2.0\""));
    assertTrue(cycle(4).contains("ok: 1 built"), output());
    assertEquals("0.2.0", Cli.pkg(Cli.report(tmp.resolve("report.json")), "config-echo").get("version").asText());

    // A member removed: it leaves the build, the others are up to date.
    dev.orchestrate.env.store.AtomicFiles.deleteTree(root.resolve("ansi-output"));
    assertTrue(cycle(5).contains("ok: 0 built, 1 up to date"), output());
    assertEquals(1, Cli.report(tmp.resolve("report.json")).get("packages").size());

    interrupt(watch);
    assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "watch did not stop on SIGINT:\n" + output());
    assertTrue(output().contains("stopping"), output());
  }

  /**
   * Ctrl-C. A JVM started with SIGINT ignored (a background job of a non-interactive shell)
   * keeps ignoring it: there is nothing to test then.
   */
  private static void interrupt(Process p) throws Exception {
    String status = Files.readString(Path.of("/proc", Long.toString(p.pid()), "status"));
    String ignored = status.lines().filter(l -> l.startsWith("SigIgn:")).findFirst().orElse("SigIgn: 0");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        (Long.parseLong(ignored.substring(7).trim(), 16) & 0x2) == 0, "SIGINT is ignored here");
    assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "SIG{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"TERM", "INT"})
  void aSignalDuringABuildLeavesNoBackendRunningAndNothingHalfPublished(String signal) throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "hangs", "config-echo");
    Path pids = tmp.resolve("hangs.json");
    start(root, Map.of("HANGS_PID_FILE", pids.toString()), "--jobs", "1");
    for (int i = 0; i < 1200 && !Files.exists(pids); i++) {
      Thread.sleep(100);
    }
    assertTrue(Files.exists(pids), "the hanging backend never started:\n" + output());
    if (signal.equals("INT")) {
      interrupt(watch); // Ctrl-C
    } else {
      watch.destroy(); // SIGTERM
    }
    assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "watch did not stop on SIG" + signal + ":\n" + output());
    JsonNode node = Cli.JSON.readTree(pids.toFile());
    for (long pid : List.of(node.get("backend").asLong(), node.get("child").asLong())) {
      for (int i = 0; i < 100 && alive(pid); i++) {
        Thread.sleep(100);
      }
      assertFalse(alive(pid), "process " + pid + " survived the stop");
    }
    assertFalse(Files.exists(root.resolve("dist/hangs-0.1.0.tar.gz")));
    try (Stream<Path> left = Files.list(root.resolve("dist"))) {
      for (Path p : left.toList()) {
        String name = p.getFileName().toString();
        assertTrue(name.endsWith(".whl") || name.endsWith(".tar.gz") || name.equals(".orchestrate-tmp"), name);
        if (name.equals(".orchestrate-tmp")) {
          try (Stream<Path> staged = Files.list(p)) {
            assertEquals(0, staged.count(), "staging left behind");
          }
        }
      }
    } catch (java.nio.file.NoSuchFileException nothingPublished) {
      // fine
    }
  }

  @Test
  void pollingWatchesTooWhereEventsAreNotUsed() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "config-echo");
    start(root, Map.of(), "--poll", "--poll-interval", "200ms");
    assertTrue(cycle(1).contains("ok: 1 built"), output());
    assertTrue(output().contains("polling every"), output());
    Files.writeString(root.resolve("config-echo/config_echo/more.py"), "Z = 3\n");
    assertTrue(cycle(2).contains("ok: 1 built"), output());
    watch.destroy();
    assertTrue(watch.waitFor(30, TimeUnit.SECONDS));
  }

  /**
   * With --hook-runner forkserver, the servers of backends installed in build environments are
   * kept from one cycle to the next: a rebuild forks from a server that imported its backend
   * already. The session's servers end with it.
   */
  @Test
  void forkServersOfInstalledBackendsOutliveACycle() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
    start(root, Map.of(), "--hook-runner", "forkserver");
    assertTrue(cycle(1).contains("ok: 6 built"), output());
    await("waiting", 1, l -> l.contains("waiting for changes"));
    // house_build, installed from the house-backend member's wheel: kept (one server per build
    // environment). The in-tree backends (epsilon's, house-backend's own) are stopped.
    Map<Long, String> kept = awaitForkServers(servers -> servers.values().stream()
        .allMatch(config -> config.contains("\"backend_path\":[]")));
    assertFalse(kept.isEmpty(), "no server kept:\n" + output());
    assertTrue(kept.values().stream().allMatch(c -> c.contains("\"backend\":\"house_build\"")), kept.toString());

    // An edit to beta: rebuilt by children of a kept server; no server started for it.
    Files.writeString(root.resolve("packages/beta/beta/__init__.py"), "\n# edited\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertTrue(cycle(2).contains("ok: 1 built, 5 up to date"), output());
    for (JsonNode hook : Cli.pkg(Cli.report(tmp.resolve("report.json")), "beta").get("hooks")) {
      assertEquals("forkserver", hook.get("runner").asText(), hook.toString());
    }
    assertEquals(kept, awaitForkServers(servers -> servers.keySet().equals(kept.keySet())),
        "the same servers, still running");

    long pid = watch.pid();
    watch.destroy(); // SIGTERM
    assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "watch did not stop:\n" + output());
    for (long server : kept.keySet()) {
      for (int i = 0; i < 100 && alive(server); i++) {
        Thread.sleep(100);
      }
      assertFalse(alive(server), "fork server " + server + " outlived the session");
    }
    assertFalse(Files.exists(sharedCache.resolve("forkservers/watch-" + pid)), "the session's directory stays");
    assertFalse(output().contains("died"), output());
  }

  /**
   * The server of an in-tree backend (backend-path into the workspace) is not kept: an edit to
   * the backend is built by a server that imported the edited source, never the one before.
   */
  @Test
  void anEditedInTreeBackendIsImportedAnewInTheNextCycle() throws Exception {
    Path root = tmp.resolve("ws");
    Cli.copy(Cli.examples().resolve("monorepo/packages/epsilon"), root.resolve("epsilon"));
    start(root, Map.of(), "--hook-runner", "forkserver");
    assertTrue(cycle(1).contains("ok: 1 built"), output());
    await("waiting", 1, l -> l.contains("waiting for changes"));
    awaitForkServers(Map::isEmpty);

    Path backend = root.resolve("epsilon/_backend/epsilon_build.py");
    String source = Files.readString(backend);
    String edited = source.replace("\"Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n\"",
        "\"Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\nSummary: edited while watched\\n\"");
    assertFalse(edited.equals(source), "the backend's metadata line was not found");
    Files.writeString(backend, edited);
    assertTrue(cycle(2).contains("ok: 1 built"), output());
    JsonNode epsilon = Cli.pkg(Cli.report(tmp.resolve("report.json")), "epsilon");
    Path sdist = null;
    for (JsonNode artifact : epsilon.get("artifacts")) {
      if (artifact.get("kind").asText().equals("sdist")) {
        sdist = Path.of(artifact.get("path").asText());
      }
      assertEquals("forkserver", epsilon.at("/hooks/0/runner").asText(), epsilon.toString());
    }
    assertTrue(sdist != null, epsilon.toString());
    assertTrue(pkgInfo(sdist).contains("Summary: edited while watched"), pkgInfo(sdist));
    watch.destroy();
    assertTrue(watch.waitFor(30, TimeUnit.SECONDS));
  }

  /** The fork servers among the watch process's descendants (pid to config), once {@code ready}. */
  private Map<Long, String> awaitForkServers(Predicate<Map<Long, String>> ready) throws Exception {
    Map<Long, String> servers = Map.of();
    for (int i = 0; i < 200; i++) {
      servers = new java.util.TreeMap<>();
      for (ProcessHandle p : watch.toHandle().descendants().toList()) {
        String[] args = p.info().arguments().orElse(new String[0]);
        for (int a = 0; a + 1 < args.length; a++) {
          if (args[a].endsWith("orchestrate_forkserver.py")) {
            servers.put(p.pid(), args[a + 1]);
          }
        }
      }
      if (ready.test(servers)) {
        return servers;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("fork servers: " + servers + "\n" + output());
  }

  private static String pkgInfo(Path sdist) throws Exception {
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(sdist));
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(in)) {
      for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().endsWith("/PKG-INFO") && e.getName().split("/").length == 2) {
          return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    return "";
  }

  private static boolean alive(long pid) throws Exception {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String s = Files.readString(stat);
    return !s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
  }
}
