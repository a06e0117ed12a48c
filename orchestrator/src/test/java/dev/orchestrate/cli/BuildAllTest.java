package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrate.env.store.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orchestrate build-all} end to end: the real CLI in its own JVM, real interpreters, real
 * environments, real backends, on copies of the example monorepo. The environment cache is
 * shared by the class (as a developer's would be); tests about creation use their own.
 */
class BuildAllTest {
  @TempDir static Path sharedCache;
  @TempDir Path tmp;

  private Cli.Result buildAll(Path root, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("build-all", root.toString(),
        "--cache-dir", sharedCache.toString(), "--report", root.resolve("report.json").toString()));
    args.addAll(List.of(extra));
    return Cli.run(tmp.resolve("cli"), args.toArray(String[]::new));
  }

  private static Set<String> dist(Path root) throws Exception {
    try (Stream<Path> files = Files.list(root.resolve("dist"))) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  void exampleMonorepoBuildsEverySdistAndWheelWithTheFallbackForGamma() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
    Cli.Result r = buildAll(root);
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(Set.of(
        "alpha-0.3.0-py3-none-any.whl", "alpha-0.3.0.tar.gz",
        "beta-0.2.1-py3-none-any.whl", "beta-0.2.1.tar.gz",
        "delta_tools-2.0.0rc1-py3-none-any.whl", "delta_tools-2.0.0rc1.tar.gz",
        "epsilon-0.1.0-py3-none-any.whl", "epsilon-0.1.0.tar.gz",
        "gamma-1.0.0-py3-none-any.whl",
        "house_backend-1.2.0-py3-none-any.whl", "house_backend-1.2.0.tar.gz"), dist(root));
    assertTrue(r.stdout().contains("fallback: build_sdist raised UnsupportedOperation"), r.toString());

    JsonNode report = Cli.report(root.resolve("report.json"));
    assertEquals("orchestrate.report/1", report.get("schema").asText());
    assertEquals(6, report.at("/summary/built").asInt());
    JsonNode gamma = Cli.pkg(report, "gamma");
    assertTrue(gamma.get("fallback").asText().contains("UnsupportedOperation"));
    assertEquals(List.of("get_requires_for_build_sdist:source:success", "build_sdist:source:unsupported",
        "get_requires_for_build_wheel:source:success", "build_wheel:source:success"), hooks(gamma));

    // The default flow: sdist from the tree, the wheel from the unpacked sdist.
    JsonNode alpha = Cli.pkg(report, "alpha");
    assertEquals(List.of("get_requires_for_build_sdist:source:success", "build_sdist:source:success",
        "get_requires_for_build_wheel:sdist:success", "build_wheel:sdist:success"), hooks(alpha));
    for (JsonNode artifact : alpha.get("artifacts")) {
      Path file = Path.of(artifact.get("path").asText());
      assertEquals(AtomicFiles.sha256(file), artifact.get("sha256").asText());
      assertEquals(Files.size(file), artifact.get("size").asLong());
    }
    // alpha's environment holds the house-backend wheel built in this run, by content.
    String houseWheelSha = Cli.pkg(report, "house-backend").at("/artifacts/1/sha256").asText();
    assertEquals("house-backend @ sha256:" + houseWheelSha,
        alpha.at("/environments/0/requirements/0").asText());
    assertNoStagingLeft(root);
  }

  @Test
  void packagesWithTheSameRequirementsShareOneEnvironmentAndASecondRunReusesIt() throws Exception {
    Path cache = tmp.resolve("fresh-cache");
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
    String report = root.resolve("report.json").toString();
    Cli.Result first = Cli.run(tmp, "build-all", root.toString(), "--cache-dir", cache.toString(),
        "--report", report);
    assertEquals(0, first.exitCode(), first.toString());
    JsonNode r1 = Cli.report(Path.of(report));
    // alpha, beta and gamma all require exactly house-backend: one key, one environment.
    String key = Cli.pkg(r1, "alpha").get("environment").asText();
    assertEquals(key, Cli.pkg(r1, "beta").get("environment").asText());
    assertEquals(key, Cli.pkg(r1, "gamma").get("environment").asText());
    assertNotEquals(key, Cli.pkg(r1, "delta-tools").get("environment").asText());
    // house-backend and epsilon: empty requirement set (in-tree backends); delta: house + alpha.
    assertEquals(3, r1.at("/summary/environmentsCreated").asInt());
    assertEquals(0, r1.at("/summary/environmentsReused").asInt());
    try (Stream<Path> envs = Files.list(cache.resolve("environments-v1").resolve(key.split("/")[0]))) {
      assertEquals(3, envs.filter(p -> !p.getFileName().toString().startsWith(".")).count());
    }

    // --force: unchanged packages would be up to date; this is about reusing environments.
    Cli.Result second = Cli.run(tmp, "build-all", root.toString(), "--cache-dir", cache.toString(),
        "--report", report, "--force");
    assertEquals(0, second.exitCode(), second.toString());
    JsonNode r2 = Cli.report(Path.of(report));
    assertEquals(0, r2.at("/summary/environmentsCreated").asInt());
    assertEquals(3, r2.at("/summary/environmentsReused").asInt());
    assertEquals(key, Cli.pkg(r2, "alpha").get("environment").asText());
  }

  @Test
  void twoRunsAtOnceOnOneCacheMakeEachEnvironmentOnceAndBothSucceed() throws Exception {
    Path cache = tmp.resolve("race-cache");
    Path a = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("a"));
    Path b = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("b"));
    Process first = Cli.start(java.util.Map.of(), tmp.resolve("a.log"), "build-all", a.toString(),
        "--cache-dir", cache.toString(), "--report", a.resolve("report.json").toString());
    Process second = Cli.start(java.util.Map.of(), tmp.resolve("b.log"), "build-all", b.toString(),
        "--cache-dir", cache.toString(), "--report", b.resolve("report.json").toString());
    assertEquals(0, first.waitFor(), Files.readString(tmp.resolve("a.log")));
    assertEquals(0, second.waitFor(), Files.readString(tmp.resolve("b.log")));
    JsonNode ra = Cli.report(a.resolve("report.json"));
    JsonNode rb = Cli.report(b.resolve("report.json"));
    // The trees are identical, so are the keys: three environments in all, each made by one run.
    assertEquals(3, ra.at("/summary/environmentsCreated").asInt() + rb.at("/summary/environmentsCreated").asInt());
    assertEquals(Cli.pkg(ra, "delta-tools").get("environment"), Cli.pkg(rb, "delta-tools").get("environment"));
    assertEquals(dist(a), dist(b));
  }

  @Test
  void aFailedPackageSkipsItsDependentsAndLeavesIndependentPackagesBuilding() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
    // Break house-backend's own wheel build: everything needing it is skipped, epsilon builds.
    Path backend = root.resolve("tools/house-backend/house_build/__init__.py");
    Files.writeString(backend, Files.readString(backend)
        + "\n\ndef build_wheel(wheel_directory, config_settings=None, metadata_directory=None):\n"
        + "    raise RuntimeError('the in-house backend is broken today')\n");
    Cli.Result r = buildAll(root);
    assertEquals(1, r.exitCode(), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));
    assertEquals("failed", Cli.pkg(report, "house-backend").get("status").asText());
    assertEquals("built", Cli.pkg(report, "epsilon").get("status").asText());
    for (String dependent : List.of("alpha", "beta", "gamma", "delta-tools")) {
      JsonNode p = Cli.pkg(report, dependent);
      assertEquals("skipped", p.get("status").asText(), dependent);
      assertTrue(p.at("/error/cause").asText().contains("house-backend"), p.toString());
    }
    // The person reads the package, the hook, the cause and where the log is.
    assertTrue(r.stdout().contains("FAILED   house-backend: build_wheel: the hook raised RuntimeError: "
        + "the in-house backend is broken today (in the unpacked sdist)"), r.toString());
    assertTrue(r.stdout().contains("log: "), r.toString());
    // Nothing of the failed package was published, not even its sdist.
    assertEquals(Set.of("epsilon-0.1.0-py3-none-any.whl", "epsilon-0.1.0.tar.gz"), dist(root));
    assertNoStagingLeft(root);
  }

  @Test
  void buildNamedMembersBuildsThemAndWhatTheyNeedOnly() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
    Cli.Result r = Cli.run(tmp, "build", "alpha", "--root", root.toString(),
        "--cache-dir", sharedCache.toString(), "--wheel-only");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(Set.of("alpha-0.3.0-py3-none-any.whl", "house_backend-1.2.0-py3-none-any.whl"), dist(root));

    Cli.Result unknown = Cli.run(tmp, "build", "alpah", "--root", root.toString(),
        "--cache-dir", sharedCache.toString());
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.stderr().contains("no workspace member is named `alpah`; did you mean `alpha`?"),
        unknown.toString());
  }

  /**
   * get-requires-extra needs house-backend only through get_requires_for_build_wheel: `build`
   * of it alone pulls house-backend in at run time, builds it first, then the package again;
   * its report entry keeps the hooks of the deferred attempt, each with its own log.
   */
  @Test
  void buildNamedMemberAlsoBuildsAMemberItsHooksNameAtRunTimeAndKeepsEveryAttempt() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
    Cli.copy(Cli.fixture("get-requires-extra"), root.resolve("packages/get-requires-extra"));
    Cli.Result r = Cli.run(tmp, "build", "get-requires-extra", "--root", root.toString(),
        "--cache-dir", sharedCache.toString(), "--report", root.resolve("report.json").toString());
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));
    Set<String> names = new TreeSet<>();
    report.get("packages").forEach(p -> names.add(p.get("name").asText()));
    assertEquals(Set.of("get-requires-extra", "house-backend"), names, report.toString());
    assertEquals("built", Cli.pkg(report, "house-backend").get("status").asText());
    JsonNode pkg = Cli.pkg(report, "get-requires-extra");
    assertEquals("built", pkg.get("status").asText(), pkg.toString());
    List<String> wheelRequires = new ArrayList<>();
    Set<String> logs = new TreeSet<>();
    for (JsonNode hook : pkg.get("hooks")) {
      if (hook.get("hook").asText().equals("get_requires_for_build_wheel")) {
        wheelRequires.add(hook.get("log").asText());
      }
      assertTrue(logs.add(hook.get("log").asText()), "a log overwritten: " + pkg.get("hooks"));
      assertTrue(Files.isRegularFile(Path.of(hook.get("log").asText())), hook.toString());
    }
    assertEquals(2, wheelRequires.size(), "both attempts' get_requires_for_build_wheel: " + pkg.get("hooks"));
  }

  @Test
  void configSettingsReachEveryHookAndRepeatedKeysBecomeLists() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "config-echo");
    Cli.Result r = buildAll(root, "-C", "flag=on", "-C", "--build-option=a", "-C", "--build-option=b");
    assertEquals(0, r.exitCode(), r.toString());
    Path wheel = root.resolve("dist").resolve("config_echo-0.1.0-py3-none-any.whl");
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      for (String name : List.of("config_echo/_config.json", "config_echo/_sdist_config.json")) {
        JsonNode settings = Cli.JSON.readTree(zip.getInputStream(zip.getEntry(name)));
        assertEquals("on", settings.get("flag").asText(), name);
        assertEquals(List.of("a", "b"), List.of(settings.get("--build-option").get(0).asText(),
            settings.get("--build-option").get(1).asText()), name);
      }
    }
  }

  @Test
  void wheelOnlyBuildsWheelsStraightFromTheSourceTree() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "config-echo", "isolation-probe");
    Cli.Result r = buildAll(root, "--wheel-only");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(Set.of("config_echo-0.1.0-py3-none-any.whl", "isolation_probe-0.1.0-py3-none-any.whl"),
        dist(root));
    JsonNode report = Cli.report(root.resolve("report.json"));
    assertEquals(List.of("get_requires_for_build_wheel:source:success", "build_wheel:source:success"),
        hooks(Cli.pkg(report, "config-echo")));
  }

  @Test
  void everyHookRunsInAFreshProcessInItsTreeWithStdinClosed() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "isolation-probe");
    Path probeLog = tmp.resolve("probe.jsonl");
    Cli.Result r = Cli.run(tmp, java.util.Map.of("ISOLATION_PROBE_LOG", probeLog.toString()),
        "build-all", root.toString(), "--cache-dir", sharedCache.toString());
    assertEquals(0, r.exitCode(), r.toString());
    List<JsonNode> records = new ArrayList<>();
    for (String line : Files.readAllLines(probeLog)) {
      records.add(Cli.JSON.readTree(line));
    }
    assertEquals(4, records.size(), records.toString());
    Set<String> pids = new TreeSet<>();
    for (JsonNode rec : records) {
      pids.add(rec.get("pid").asText());
      String hook = rec.get("hook").asText();
      String cwd = rec.get("cwd").asText();
      if (hook.endsWith("wheel")) {
        assertTrue(cwd.contains("isolation_probe-0.1.0") || cwd.contains("isolation-probe-0.1.0"),
            "wheel hooks run in the unpacked sdist: " + cwd);
      } else {
        assertEquals(root.resolve("isolation-probe").toRealPath().toString(), cwd);
      }
      assertNotEquals("would-block", rec.at("/stdin/state").asText(), rec.toString());
      for (JsonNode entry : rec.get("sys_path")) {
        assertFalse(Files.exists(Path.of(entry.asText()).resolve("orchestrate_shim.py")),
            "the shim's directory is on sys.path: " + entry);
      }
    }
    assertEquals(4, pids.size(), "each hook call is its own process: " + pids);
  }

  @Test
  void invalidPyprojectFailsThatMemberWithFileLineAndKeyAndTheOthersStillBuild() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "invalid-toml", "invalid-values", "config-echo");
    Cli.Result r = buildAll(root);
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains("invalid-toml/pyproject.toml:10:"), r.toString());
    assertTrue(r.stdout().contains("invalid-values/pyproject.toml:10:"), r.toString());
    assertTrue(r.stdout().contains("build-system.requires"), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));
    // Keyed by its path: an invalid file says nothing reliable about the project's name.
    JsonNode invalid = Cli.unnamed(report, root.toRealPath().resolve("invalid-toml"));
    assertEquals("failed", invalid.get("status").asText());
    assertTrue(invalid.at("/error/cause").asText().startsWith("invalid-toml/pyproject.toml:10:"), invalid.toString());
    assertEquals("failed", Cli.unnamed(report, root.toRealPath().resolve("invalid-values")).get("status").asText());
    assertEquals("built", Cli.pkg(report, "config-echo").get("status").asText());
  }

  /**
   * Two members naming their project alike: the later one (by path) fails with an error naming
   * both paths, keyed by its path; the first, a member needing that name and the rest build.
   * Here the later one's directory carries the name too, which must not fail the first.
   */
  @Test
  void twoMembersWithOneNameFailTheLaterOneNamingBothPathsAndTheRestBuilds() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "config-echo", "non-utf8-output");
    Path copy = Cli.copy(Cli.fixture("config-echo"), root.resolve("zz/config-echo"));
    Files.writeString(root.resolve("pyproject.toml"), "[tool.orchestrate.workspace]\nmembers = [\"*\", \"zz/*\"]\n");
    Cli.Result r = buildAll(root);
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains("zz/config-echo/pyproject.toml:") && r.stdout().contains(
        "the name `config-echo` is already taken by the member at `config-echo`"), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));
    JsonNode duplicate = Cli.unnamed(report, copy.toRealPath());
    assertEquals("failed", duplicate.get("status").asText());
    assertEquals("built", Cli.pkg(report, "config-echo").get("status").asText());
    assertEquals("built", Cli.pkg(report, "non-utf8-output").get("status").asText());
    assertEquals(3, report.get("packages").size(), report.toString());

    // `why` answers for each by its key: the name, or the path of the one that cannot be used.
    Cli.Result first = Cli.run(tmp, "why", "config-echo", "--root", root.toString(),
        "--cache-dir", sharedCache.toString());
    assertEquals(0, first.exitCode(), first.toString());
    assertFalse(first.stdout().contains("cannot be used"), first.toString());
    Cli.Result later = Cli.run(tmp, "why", "zz/config-echo", "--root", root.toString(),
        "--cache-dir", sharedCache.toString());
    assertEquals(0, later.exitCode(), later.toString());
    assertTrue(later.stdout().startsWith("zz/config-echo: rebuild: its pyproject.toml cannot be used: "
        + "zz/config-echo/pyproject.toml:"), later.toString());
  }

  @Test
  void backendPathThatEscapesTheTreeIsAnErrorNotAWarning() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "backend-path-escape", "outside");
    Cli.Result r = buildAll(root);
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains("backend-path"), r.toString());
    assertFalse(r.all().contains("ESCAPED-BACKEND-IMPORTED"), "the escaped backend must never run");
    // Its pyproject.toml cannot be used: the report knows it by its path.
    assertEquals("failed", Cli.unnamed(Cli.report(root.resolve("report.json")),
        root.toRealPath().resolve("backend-path-escape")).get("status").asText());
  }

  @Test
  void aCycleIsAConfigurationErrorThatNamesTheCycle() throws Exception {
    Path root = Cli.copy(Cli.fixture("cycle"), tmp.resolve("cycle"));
    Cli.Result r = buildAll(root);
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.stderr().contains("cycle-a") && r.stderr().contains("cycle-b")
        && r.stderr().contains("cycle"), r.toString());
    Cli.Result graph = Cli.run(tmp, "graph", root.toString(), "--cache-dir", sharedCache.toString());
    assertEquals(2, graph.exitCode(), graph.toString());
  }

  @Test
  void graphPrintsMembersInBuildOrderAsTextAndJson() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
    Cli.Result json = Cli.run(tmp, "graph", root.toString(), "--format", "json",
        "--cache-dir", sharedCache.toString());
    assertEquals(0, json.exitCode(), json.toString());
    JsonNode graph = Cli.JSON.readTree(json.stdout());
    List<String> order = new ArrayList<>();
    graph.get("order").forEach(n -> order.add(n.asText()));
    assertTrue(order.indexOf("house-backend") < order.indexOf("alpha"), order.toString());
    assertTrue(order.indexOf("alpha") < order.indexOf("delta-tools"), order.toString());
    Cli.Result text = Cli.run(tmp, "graph", root.toString(), "--cache-dir", sharedCache.toString());
    assertEquals(0, text.exitCode(), text.toString());
    assertTrue(text.stdout().contains("house-backend"), text.toString());
  }

  static List<String> hooks(JsonNode pkg) {
    List<String> result = new ArrayList<>();
    for (JsonNode h : pkg.get("hooks")) {
      result.add(h.get("hook").asText() + ":" + h.get("tree").asText() + ":" + h.get("outcome").asText());
    }
    return result;
  }

  static void assertNoStagingLeft(Path root) {
    assertFalse(Files.exists(root.resolve("dist").resolve(".orchestrate-tmp")),
        "staging directory left in the out dir");
  }
}
