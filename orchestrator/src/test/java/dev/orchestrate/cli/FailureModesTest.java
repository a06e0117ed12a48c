package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees when backends misbehave, and what is left on disk when runs are cut short. */
class FailureModesTest {
  @TempDir static Path sharedCache;
  @TempDir Path tmp;

  private Cli.Result buildAll(Path root, Map<String, String> env, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("build-all", root.toString(),
        "--cache-dir", sharedCache.toString(), "--report", root.resolve("report.json").toString()));
    args.addAll(List.of(extra));
    return Cli.run(tmp.resolve("cli"), env, args.toArray(String[]::new));
  }

  private static JsonNode failure(JsonNode report, String name) {
    JsonNode p = Cli.pkg(report, name);
    assertEquals("failed", p.get("status").asText(), p.toString());
    return p.get("error");
  }

  @Test
  void eachHookOutcomeReachesThePersonWithPackageHookCauseAndLog() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "bad-backend-typo",
        "backend-path-missing-module", "hook-missing", "raises", "crash", "segfault", "non-utf8-output");
    Cli.Result r = buildAll(root, Map.of());
    assertEquals(1, r.exitCode(), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));

    JsonNode typo = failure(report, "bad-backend-typo");
    assertEquals("get_requires_for_build_sdist", typo.get("stage").asText());
    assertTrue(typo.get("cause").asText().startsWith("backend `house_biuld` cannot be imported"), typo.toString());
    assertTrue(typo.get("detail").asText().contains("ModuleNotFoundError"), typo.toString());
    String hints = typo.get("hints").toString();
    assertTrue(hints.contains("backend-path: (not set)") && hints.contains("environment: ")
        && hints.contains("installed: nothing") && hints.contains("build-system.requires is empty, so nothing provides `house_biuld`"),
        hints);
    assertTrue(r.stdout().contains("FAILED   bad-backend-typo: get_requires_for_build_sdist: backend `house_biuld` cannot be imported"),
        r.toString());

    JsonNode missingModule = failure(report, "backend-path-missing-module");
    assertTrue(missingModule.get("hints").toString().contains("does not contain the module"), missingModule.toString());

    JsonNode hookMissing = failure(report, "hook-missing");
    assertEquals("build_wheel", hookMissing.get("stage").asText());
    assertTrue(hookMissing.get("cause").asText().contains("has no hook 'build_wheel'"), hookMissing.toString());

    JsonNode raised = failure(report, "raises");
    assertTrue(raised.get("cause").asText().contains("RuntimeError"), raised.toString());
    assertTrue(raised.get("detail").asText().contains("Traceback"), raised.toString());
    assertTrue(Files.isRegularFile(Path.of(raised.get("log").asText())));

    JsonNode crash = failure(report, "crash");
    assertEquals("build_sdist", crash.get("stage").asText());
    assertTrue(crash.get("cause").asText().contains("exited with code 3"), crash.toString());

    JsonNode segfault = failure(report, "segfault");
    assertTrue(segfault.get("cause").asText().contains("signal 11 (SIGSEGV)"), segfault.toString());

    assertEquals("built", Cli.pkg(report, "non-utf8-output").get("status").asText());
    // Only the package that succeeded published anything; hook-missing's sdist was built but not kept.
    try (Stream<Path> files = Files.list(root.resolve("dist"))) {
      assertEquals(List.of("non_utf8_output-0.1.0-py3-none-any.whl", "non_utf8_output-0.1.0.tar.gz"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    // -v shows the traceback itself.
    Cli.Result verbose = buildAll(Cli.fixtureWorkspace(tmp.resolve("ws2"), "raises"), Map.of(), "-v");
    assertTrue(verbose.stdout().contains("| Traceback (most recent call last):"), verbose.toString());
  }

  @Test
  void aHangingHookTimesOutAndItsWholeProcessTreeIsKilled() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "hangs", "config-echo");
    Path pids = tmp.resolve("hangs.json");
    Cli.Result r = buildAll(root, Map.of("HANGS_PID_FILE", pids.toString()), "--hook-timeout", "3s");
    assertEquals(1, r.exitCode(), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));
    JsonNode error = failure(report, "hangs");
    assertEquals("build_sdist", error.get("stage").asText());
    assertTrue(error.get("cause").asText().contains("timed out after 3.00s"), error.toString());
    assertEquals("built", Cli.pkg(report, "config-echo").get("status").asText());
    assertDead(pids);
  }

  @Test
  void sigtermStopsTheRunAndLeavesNoBackendRunning() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "hangs");
    Path pids = tmp.resolve("hangs.json");
    Process cli = Cli.start(Map.of("HANGS_PID_FILE", pids.toString()), tmp.resolve("out.log"),
        "build-all", root.toString(), "--cache-dir", sharedCache.toString());
    awaitFile(pids);
    cli.destroy(); // SIGTERM, as Ctrl-C or a CI cancel would
    assertTrue(cli.waitFor(30, TimeUnit.SECONDS), "orchestrate did not stop on SIGTERM");
    assertDead(pids);
    assertFalse(Files.exists(root.resolve("dist/hangs-0.1.0.tar.gz")));
  }

  @Test
  void aRunKilledHalfWayLeavesOnlyWholeArtifactsAndTheNextRunWorks() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "hangs", "config-echo", "isolation-probe");
    Path pids = tmp.resolve("hangs.json");
    Process cli = Cli.start(Map.of("HANGS_PID_FILE", pids.toString()), tmp.resolve("out.log"),
        "build-all", root.toString(), "--cache-dir", sharedCache.toString(), "--jobs", "3");
    awaitFile(pids);
    Thread.sleep(1500); // let the other packages get somewhere
    cli.destroyForcibly(); // kill -9: no shutdown hook runs
    cli.waitFor(30, TimeUnit.SECONDS);
    killAll(pids); // the orphaned backend of a SIGKILLed frontend is the test's to clean up
    try (Stream<Path> files = Files.list(root.resolve("dist"))) {
      for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        assertWhole(f);
      }
    } catch (java.nio.file.NoSuchFileException nothingYet) {
      // killed before anything was published: fine
    }
    Files.delete(pids);
    Cli.Result again = Cli.run(tmp, Map.of("HANGS_PID_FILE", pids.toString()), "build", "config-echo",
        "isolation-probe", "--root", root.toString(), "--cache-dir", sharedCache.toString());
    assertEquals(0, again.exitCode(), again.toString());
  }

  @Test
  void aRequirementNamedOnlyByGetRequiresIsBuiltFirstAndInstalled() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
    Cli.copy(Cli.fixture("get-requires-extra"), root.resolve("packages/get-requires-extra"));
    Cli.Result r = buildAll(root, Map.of(), "-v");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));
    JsonNode pkg = Cli.pkg(report, "get-requires-extra");
    assertEquals("built", pkg.get("status").asText());
    String houseSha = Cli.pkg(report, "house-backend").at("/artifacts/1/sha256").asText();
    assertTrue(pkg.get("environments").toString().contains("house-backend @ sha256:" + houseSha),
        pkg.toString());
  }

  @Test
  void setuptoolsMembersIncludingALegacySetupPyBuildOfflineFromFindLinks() throws Exception {
    Path wheels = OfflineWheels.setuptoolsAndWheel(tmp.resolve("wheels"));
    Path root = Cli.copy(Cli.examples().resolve("setuptools-monorepo"), tmp.resolve("st"));
    Cli.Result r = buildAll(root, Map.of(), "--find-links", wheels.toString());
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));
    for (String name : List.of("src-layout", "flat-layout", "legacy")) {
      assertEquals("built", Cli.pkg(report, name).get("status").asText(), name);
    }
    // The legacy project has no [build-system]: the PEP 517 default backend and requirement.
    JsonNode legacy = Cli.pkg(report, "legacy");
    assertTrue(legacy.get("environments").toString().contains("setuptools>=40.8.0"), legacy.toString());
    try (Stream<Path> files = Files.list(root.resolve("dist"))) {
      assertEquals(6, files.count());
    }
  }

  @Test
  void aBuildRequirementFoundNowhereSaysWhatWasSearchedAndWhatToTry() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("setuptools-monorepo"), tmp.resolve("st"));
    // A cache of its own: the shared one may already hold a setuptools environment.
    Cli.Result r = Cli.run(tmp, "build-all", root.toString(), "--cache-dir", tmp.resolve("cache").toString(),
        "--report", root.resolve("report.json").toString(), "--find-links", tmp.resolve("empty").toString());
    assertEquals(1, r.exitCode(), r.toString());
    JsonNode error = failure(Cli.report(root.resolve("report.json")), "legacy");
    assertEquals("environment", error.get("stage").asText());
    assertTrue(error.get("cause").asText().startsWith("cannot create the build environment"), error.toString());
    assertTrue(error.get("detail").asText().contains("No matching distribution found for setuptools"),
        error.toString());
    assertTrue(error.get("detail").asText().contains("hint: put wheels of the build requirements in a --find-links directory"),
        error.toString());
  }

  private static void awaitFile(Path file) throws InterruptedException {
    for (int i = 0; i < 600 && !Files.exists(file); i++) {
      Thread.sleep(100);
    }
    assertTrue(Files.exists(file), file + " never appeared");
  }

  private static List<Long> pids(Path file) throws Exception {
    JsonNode node = Cli.JSON.readTree(file.toFile());
    return List.of(node.get("backend").asLong(), node.get("child").asLong());
  }

  /** Polls, since a killed orphan stays a zombie until init reaps it. */
  private static void assertDead(Path pidFile) throws Exception {
    for (long pid : pids(pidFile)) {
      for (int i = 0; i < 100 && alive(pid); i++) {
        Thread.sleep(100);
      }
      assertFalse(alive(pid), "process " + pid + " survived");
    }
  }

  private static boolean alive(long pid) throws Exception {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String s = Files.readString(stat);
    return !s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
  }

  private static void killAll(Path pidFile) throws Exception {
    for (long pid : pids(pidFile)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static void assertWhole(Path artifact) throws Exception {
    String name = artifact.getFileName().toString();
    if (name.endsWith(".whl")) {
      try (ZipFile zip = new ZipFile(artifact.toFile())) {
        assertTrue(zip.size() > 0, name);
      }
    } else if (name.endsWith(".tar.gz")) {
      try (var in = new GZIPInputStream(Files.newInputStream(artifact))) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    } else {
      throw new AssertionError("unexpected file in the out dir: " + name);
    }
  }
}
