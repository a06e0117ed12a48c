package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrate.env.store.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental builds through the real CLI on copies of the example monorepo: what a second run
 * skips, what a change rebuilds (the package and its build-time dependents, nothing else), how
 * deleted and damaged artifacts are handled, and what --explain and `why` say.
 */
class IncrementalTest {
  static final Set<String> ALL = Set.of("house-backend", "epsilon", "alpha", "beta", "gamma", "delta-tools");

  @TempDir static Path sharedCache;
  @TempDir Path tmp;

  private Cli.Result buildAll(Path root, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("build-all", root.toString(),
        "--cache-dir", sharedCache.toString(), "--report", root.resolve("report.json").toString(),
        "--progress", "plain", "--color", "never"));
    args.addAll(List.of(extra));
    Cli.Result r = Cli.run(tmp.resolve("cli"), args.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.toString());
    return r;
  }

  private Path monorepo() throws Exception {
    return Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
  }

  /** Status of every package in the last report. */
  private static Map<String, String> statuses(Path root) throws Exception {
    Map<String, String> statuses = new TreeMap<>();
    for (JsonNode p : Cli.report(root.resolve("report.json")).get("packages")) {
      statuses.put(p.get("name").asText(), p.get("status").asText());
    }
    return statuses;
  }

  private static Set<String> withStatus(Path root, String status) throws Exception {
    Set<String> names = new TreeSet<>();
    statuses(root).forEach((name, s) -> {
      if (s.equals(status)) {
        names.add(name);
      }
    });
    return names;
  }

  private static void append(Path file, String text) throws Exception {
    Files.writeString(file, Files.readString(file) + text);
  }

  private static Map<String, FileTime> distTimes(Path root) throws Exception {
    Map<String, FileTime> times = new TreeMap<>();
    try (Stream<Path> files = Files.list(root.resolve("dist"))) {
      for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        times.put(f.getFileName().toString(), Files.getLastModifiedTime(f));
      }
    }
    return times;
  }

  @Test
  void aSecondRunWithNothingChangedBuildsNothing() throws Exception {
    Path root = monorepo();
    buildAll(root);
    assertEquals(ALL, withStatus(root, "built"));
    Map<String, FileTime> before = distTimes(root);

    Cli.Result again = buildAll(root);
    assertEquals(ALL, withStatus(root, "up-to-date"), again.toString());
    assertEquals(6, Cli.report(root.resolve("report.json")).at("/summary/upToDate").asInt());
    assertTrue(again.stdout().contains("0 built, 6 up to date"), again.toString());
    assertEquals(before, distTimes(root), "an up-to-date run must not touch the artifacts");
    // The report still lists each package's artifacts, with their sha256.
    JsonNode alpha = Cli.pkg(Cli.report(root.resolve("report.json")), "alpha");
    for (JsonNode a : alpha.get("artifacts")) {
      assertEquals(AtomicFiles.sha256(Path.of(a.get("path").asText())), a.get("sha256").asText());
    }
    assertEquals(0, alpha.get("hooks").size());
  }

  @Test
  void changingAFileRebuildsThePackageAndItsBuildTimeDependentsOnly() throws Exception {
    Path root = monorepo();
    buildAll(root);
    // alpha is needed by delta-tools at build time; nothing else needs alpha.
    append(root.resolve("packages/alpha/src/alpha/core.py"), "\n# changed\n");
    buildAll(root);
    assertEquals(Set.of("alpha", "delta-tools"), withStatus(root, "built"));
    assertEquals(Set.of("house-backend", "epsilon", "beta", "gamma"), withStatus(root, "up-to-date"));

    // house-backend is the build backend of four packages: all of them, transitively.
    append(root.resolve("tools/house-backend/house_build/_toml.py"), "\n# changed\n");
    buildAll(root);
    assertEquals(Set.of("house-backend", "alpha", "beta", "gamma", "delta-tools"),
        withStatus(root, "built"));
    assertEquals(Set.of("epsilon"), withStatus(root, "up-to-date"));

    // A new file counts; a file only touched (same content) does not.
    Files.writeString(root.resolve("packages/beta/beta/extra.py"), "X = 1\n");
    Files.setLastModifiedTime(root.resolve("packages/gamma/gamma/__init__.py"),
        FileTime.fromMillis(System.currentTimeMillis() + 5000));
    buildAll(root);
    assertEquals(Set.of("beta"), withStatus(root, "built"));
  }

  @Test
  void changingAConfigSettingOrARequirementRebuilds() throws Exception {
    Path root = monorepo();
    buildAll(root);
    buildAll(root, "-C", "house.stamp=one");
    assertEquals(ALL, withStatus(root, "built"));
    buildAll(root, "-C", "house.stamp=one");
    assertEquals(ALL, withStatus(root, "up-to-date"));

    // beta's build requirement changes (same member, now with a version constraint).
    Path pyproject = root.resolve("packages/beta/pyproject.toml");
    String text = Files.readString(pyproject);
    assertTrue(text.contains("requires = [\"house-backend\"]"), text);
    Files.writeString(pyproject, text.replace("requires = [\"house-backend\"]",
        "requires = [\"house-backend>=1.0\"]"));
    buildAll(root, "-C", "house.stamp=one");
    assertEquals(Set.of("beta"), withStatus(root, "built"));

    // The build mode is an input too.
    buildAll(root, "-C", "house.stamp=one", "--wheel-only");
    assertEquals(ALL, withStatus(root, "built"));
  }

  @Test
  void aDeletedArtifactIsRestoredFromTheStateStoreWithoutBuilding() throws Exception {
    Path root = monorepo();
    buildAll(root);
    Path wheel = root.resolve("dist/beta-0.2.1-py3-none-any.whl");
    byte[] original = Files.readAllBytes(wheel);
    Files.delete(wheel);
    Files.delete(root.resolve("dist/alpha-0.3.0.tar.gz"));

    Cli.Result r = buildAll(root);
    assertEquals(ALL, withStatus(root, "up-to-date"), r.toString());
    assertArrayEquals(original, Files.readAllBytes(wheel));
    assertTrue(Files.isRegularFile(root.resolve("dist/alpha-0.3.0.tar.gz")));
    JsonNode beta = Cli.pkg(Cli.report(root.resolve("report.json")), "beta");
    assertEquals("beta-0.2.1-py3-none-any.whl", beta.at("/restored/0").asText());
    assertEquals(0, beta.get("hooks").size(), "restored, not built");
    assertTrue(r.stdout().contains("restored beta"), r.toString());
    BuildAllTest.assertNoStagingLeft(root);

    // The whole out dir gone: everything comes back, still without a build.
    AtomicFiles.deleteTree(root.resolve("dist"));
    buildAll(root);
    assertEquals(ALL, withStatus(root, "up-to-date"));
    assertEquals(11, distTimes(root).size());
  }

  @Test
  void aCorruptArtifactIsRebuilt() throws Exception {
    Path root = monorepo();
    buildAll(root);
    Path wheel = root.resolve("dist/gamma-1.0.0-py3-none-any.whl");
    Files.write(wheel, "not a wheel".getBytes());
    Cli.Result r = buildAll(root, "--explain");
    assertTrue(r.stdout().contains("gamma-1.0.0-py3-none-any.whl` changed on disk"), r.toString());
    assertEquals(Set.of("gamma"), withStatus(root, "built"));
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      assertTrue(zip.size() > 0);
    }
    buildAll(root);
    assertEquals(ALL, withStatus(root, "up-to-date"));
  }

  @Test
  void twoRunsAtOnceLeaveAConsistentState() throws Exception {
    Path root = monorepo();
    Path cache = tmp.resolve("race-cache");
    List<Process> runs = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      runs.add(Cli.start(Map.of(), tmp.resolve(name + ".log"), "build-all", root.toString(),
          "--cache-dir", cache.toString(), "--report", tmp.resolve(name + ".json").toString()));
    }
    for (int i = 0; i < runs.size(); i++) {
      assertEquals(0, runs.get(i).waitFor(), Files.readString(tmp.resolve((i == 0 ? "a" : "b") + ".log")));
    }
    // Each package was built by one of them; the other found it up to date (it waited for it).
    for (String name : ALL) {
      Set<String> both = new TreeSet<>();
      for (String run : List.of("a", "b")) {
        both.add(Cli.pkg(Cli.report(tmp.resolve(run + ".json")), name).get("status").asText());
      }
      assertTrue(both.contains("built"), name + ": " + both);
    }
    // A third run: nothing to do, and the state agrees with the out dir byte for byte.
    Cli.Result third = Cli.run(tmp, "build-all", root.toString(), "--cache-dir", cache.toString(),
        "--report", root.resolve("report.json").toString());
    assertEquals(0, third.exitCode(), third.toString());
    assertEquals(ALL, withStatus(root, "up-to-date"));
    for (JsonNode p : Cli.report(root.resolve("report.json")).get("packages")) {
      for (JsonNode a : p.get("artifacts")) {
        assertEquals(a.get("sha256").asText(), AtomicFiles.sha256(Path.of(a.get("path").asText())), p.toString());
      }
    }
    BuildAllTest.assertNoStagingLeft(root);
  }

  @Test
  void explainAndWhyNameTheChangedFileSettingAndDependency() throws Exception {
    Path root = monorepo();
    Cli.Result first = buildAll(root, "--explain");
    assertTrue(first.stdout().contains("explain  alpha: rebuild: never built"), first.toString());
    append(root.resolve("packages/alpha/src/alpha/core.py"), "\n# changed\n");
    Files.writeString(root.resolve("packages/alpha/src/alpha/new.py"), "Y = 2\n");
    Cli.Result r = buildAll(root, "--explain");
    assertTrue(r.stdout().contains("explain  alpha: rebuild: file `src/alpha/core.py` modified; "
        + "file `src/alpha/new.py` added"), r.toString());
    assertTrue(r.stdout().contains("explain  delta-tools: rebuild: dependency `alpha` changed (file "
        + "`src/alpha/core.py` modified"), r.toString());
    assertTrue(r.stdout().contains("explain  beta: up to date"), r.toString());

    Files.move(root.resolve("packages/alpha/src/alpha/new.py"), root.resolve("packages/alpha/src/alpha/newer.py"));
    Files.delete(root.resolve("packages/alpha/src/alpha/core.py"));
    Cli.Result why = Cli.run(tmp, "why", "delta-tools", "--root", root.toString(),
        "--cache-dir", sharedCache.toString());
    assertEquals(0, why.exitCode(), why.toString());
    assertTrue(why.stdout().contains("dependency `alpha` changed"), why.toString());
    assertTrue(why.stdout().contains("alpha: file `src/alpha/new.py` renamed to `src/alpha/newer.py`"), why.toString());
    assertTrue(why.stdout().contains("alpha: file `src/alpha/core.py` removed"), why.toString());
    Cli.Result setting = Cli.run(tmp, "why", "epsilon", "--root", root.toString(),
        "--cache-dir", sharedCache.toString(), "-C", "k=v");
    assertTrue(setting.stdout().contains("setting `config-settings` changed: {} -> {\"k\": \"v\"}"),
        setting.toString());
    Cli.Result unknown = Cli.run(tmp, "why", "alpah", "--root", root.toString(),
        "--cache-dir", sharedCache.toString());
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.stderr().contains("did you mean `alpha`?"), unknown.toString());
  }

  @Test
  void forceRebuildsEverythingAndChangedSinceBuildsTheChangedMembersAndTheirDependents() throws Exception {
    Path root = monorepo();
    buildAll(root);
    buildAll(root, "--force");
    assertEquals(ALL, withStatus(root, "built"));

    git(root, "init", "-q");
    git(root, "add", "-A");
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base");
    append(root.resolve("packages/alpha/src/alpha/core.py"), "\n# changed\n");
    buildAll(root, "--changed-since", "HEAD");
    // alpha changed, delta-tools needs it; house-backend is what they need (up to date).
    assertEquals(Set.of("alpha", "delta-tools", "house-backend"), statuses(root).keySet());
    assertEquals(Set.of("alpha", "delta-tools"), withStatus(root, "built"));

    Cli.Result badRef = Cli.run(tmp, "build-all", root.toString(), "--cache-dir", sharedCache.toString(),
        "--changed-since", "no-such-ref");
    assertEquals(2, badRef.exitCode(), badRef.toString());
    assertTrue(badRef.stderr().contains("--changed-since"), badRef.toString());
  }

  @Test
  void gitIgnoredFilesAndBuildOutputsInTheTreeAreNotInputs() throws Exception {
    Path root = monorepo();
    git(root, "init", "-q");
    Files.writeString(root.resolve(".gitignore"), "*.log\n/packages/beta/scratch/\n");
    buildAll(root);
    Files.writeString(root.resolve("packages/alpha/debug.log"), "noise");
    Files.createDirectories(root.resolve("packages/beta/scratch"));
    Files.writeString(root.resolve("packages/beta/scratch/x.py"), "noise");
    Files.createDirectories(root.resolve("packages/gamma/build/lib"));
    Files.writeString(root.resolve("packages/gamma/build/lib/x.py"), "noise");
    Files.createDirectories(root.resolve("packages/gamma/gamma/__pycache__"));
    Files.writeString(root.resolve("packages/gamma/gamma/__pycache__/x.cpython-311.pyc"), "noise");
    buildAll(root);
    assertEquals(ALL, withStatus(root, "up-to-date"));
    // Un-ignoring makes it an input (of alpha, and so of delta-tools, which needs alpha).
    Files.writeString(root.resolve(".gitignore"), "/packages/beta/scratch/\n");
    buildAll(root);
    assertEquals(Set.of("alpha", "delta-tools"), withStatus(root, "built"));
  }

  /**
   * A member inside another member's directory is its own package: its files are not the outer
   * member's sources, so editing it rebuilds it alone, and editing the outer one leaves it be.
   * The inputs also name the orchestrate version, so that a new orchestrate rebuilds.
   */
  @Test
  void aMemberNestedInAnotherIsNotPartOfItsSources() throws Exception {
    Path root = monorepo();
    Cli.copy(Cli.fixture("config-echo"), root.resolve("packages/epsilon/vendor/config-echo"));
    Path workspace = root.resolve("pyproject.toml");
    String toml = Files.readString(workspace);
    Files.writeString(workspace, toml.replace("members = [\"tools/*\", \"packages/*\"]",
        "members = [\"tools/*\", \"packages/*\", \"packages/epsilon/vendor/*\"]"));
    buildAll(root);
    assertEquals("built", statuses(root).get("config-echo"), statuses(root).toString());

    append(root.resolve("packages/epsilon/vendor/config-echo/config_echo/__init__.py"), "\n# changed\n");
    Cli.Result r = buildAll(root, "--explain");
    assertEquals(Set.of("config-echo"), withStatus(root, "built"), r.toString());
    assertTrue(r.stdout().contains("explain  epsilon: up to date"), r.toString());

    append(root.resolve("packages/epsilon/epsilon/__init__.py"), "\n# changed\n");
    buildAll(root);
    assertEquals(Set.of("epsilon"), withStatus(root, "built"));

    // The manifest behind epsilon's input hash names this orchestrate.
    try (Stream<Path> files = Files.walk(sharedCache)) {
      List<Path> manifests = files.filter(f -> f.getParent().getFileName().toString().equals("epsilon")
          && f.getParent().getParent().getFileName().toString().equals("manifests")).toList();
      assertFalse(manifests.isEmpty());
      for (Path m : manifests) {
        assertTrue(Files.readString(m).contains("orchestrate development shim-"), m + ": " + Files.readString(m));
      }
    }
  }

  @Test
  void aMemberNamedOnlyByAHookIsRememberedAsADependency() throws Exception {
    Path root = monorepo();
    Cli.copy(Cli.fixture("get-requires-extra"), root.resolve("packages/get-requires-extra"));
    buildAll(root);
    buildAll(root);
    assertEquals(7, withStatus(root, "up-to-date").size(), statuses(root).toString());
    // Its get_requires_for_build_wheel names house-backend: a change there rebuilds it.
    append(root.resolve("tools/house-backend/house_build/_toml.py"), "\n# changed\n");
    buildAll(root);
    assertTrue(withStatus(root, "built").contains("get-requires-extra"), statuses(root).toString());
    assertFalse(withStatus(root, "built").contains("epsilon"));
  }

  @Test
  void anEnvironmentMadeAgainWithOtherPinsRebuildsWhatWasBuiltInIt() throws Exception {
    Path links = Files.createDirectories(tmp.resolve("links"));
    wheel(links, "fakedep", "1.0");
    Path cache = tmp.resolve("pins-cache");
    Path a = Cli.fixtureWorkspace(tmp.resolve("a"), "config-echo");
    Path pyproject = a.resolve("config-echo/pyproject.toml");
    Files.writeString(pyproject, Files.readString(pyproject).replace("requires = []", "requires = [\"fakedep\"]"));
    Path b = Cli.copy(a, tmp.resolve("b"));
    String[] common = {"--cache-dir", cache.toString(), "--find-links", links.toString()};
    assertEquals(0, run(a, common).exitCode());
    JsonNode first = Cli.pkg(Cli.report(a.resolve("report.json")), "config-echo");
    assertEquals("built", first.get("status").asText());
    assertEquals(0, run(a, common).exitCode());
    assertEquals("up-to-date", statuses(a).get("config-echo"));

    // The environment goes (env gc), a newer fakedep appears, another checkout makes it again.
    AtomicFiles.deleteTree(Path.of(first.at("/environments/0/path").asText()));
    assertEquals(0, run(a, common).exitCode());
    assertEquals("up-to-date", statuses(a).get("config-echo"), "an environment gone is no news");
    wheel(links, "fakedep", "2.0");
    assertEquals(0, run(b, common).exitCode());
    Cli.Result again = run(a, common, "--explain");
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.stdout().contains("was made again since"), again.toString());
    assertEquals("built", statuses(a).get("config-echo"), again.toString());
  }

  private Cli.Result run(Path root, String[] common, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("build-all", root.toString(),
        "--report", root.resolve("report.json").toString()));
    args.addAll(List.of(common));
    args.addAll(List.of(extra));
    return Cli.run(tmp.resolve("cli"), args.toArray(String[]::new));
  }

  /** A minimal pure-Python wheel, RECORD hashes and all. */
  static void wheel(Path dir, String name, String version) throws Exception {
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    String info = name + "-" + version + ".dist-info/";
    files.put(name + "/__init__.py", ("VERSION = '" + version + "'\n").getBytes());
    files.put(info + "METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n").getBytes());
    files.put(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n".getBytes());
    StringBuilder record = new StringBuilder();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(f.getValue());
      record.append(f.getKey()).append(",sha256=")
          .append(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest))
          .append(',').append(f.getValue().length).append('\n');
    }
    record.append(info).append("RECORD,,\n");
    files.put(info + "RECORD", record.toString().getBytes());
    Path wheel = dir.resolve(name + "-" + version + "-py3-none-any.whl");
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(wheel))) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        zip.putNextEntry(new java.util.zip.ZipEntry(f.getKey()));
        zip.write(f.getValue());
        zip.closeEntry();
      }
    }
  }

  static void git(Path dir, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
  }
}
