package dev.orchestrate.env.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.install.TestWheel;
import dev.orchestrate.env.pep440.Version;
import dev.orchestrate.env.pep508.Requirement;
import dev.orchestrate.env.store.EnvRequirement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resolver against a fake index of metadata: choices, rules, backtracking and messages. */
class ResolverTest {
  static final Map<String, String> LINUX_311 = Map.ofEntries(
      Map.entry("implementation_name", "cpython"), Map.entry("implementation_version", "3.11.7"),
      Map.entry("os_name", "posix"), Map.entry("platform_machine", "x86_64"),
      Map.entry("platform_release", "6.1.0"), Map.entry("platform_system", "Linux"),
      Map.entry("platform_version", "#1 SMP"), Map.entry("python_full_version", "3.11.7"),
      Map.entry("platform_python_implementation", "CPython"), Map.entry("python_version", "3.11"),
      Map.entry("sys_platform", "linux"));

  final FakeIndex index = new FakeIndex();
  @TempDir Path tmp;

  Map<String, String> resolve(String... roots) {
    return pins(resolveAll(roots));
  }

  List<Resolver.Resolved> resolveAll(String... roots) {
    return resolver(Resolver.DEFAULT_MAX_ATTEMPTS).resolve(roots(roots));
  }

  Resolver resolver(int maxAttempts) {
    return new Resolver(index, FakeIndex.PURE, LINUX_311, Version.parse("3.11.7"), maxAttempts);
  }

  static List<Resolver.Root> roots(String... roots) {
    List<Resolver.Root> out = new ArrayList<>();
    for (String r : roots) {
      out.add(new Resolver.Root(Requirement.parse(r), r, "delta's build-system.requires"));
    }
    return out;
  }

  static Map<String, String> pins(List<Resolver.Resolved> resolved) {
    Map<String, String> out = new LinkedHashMap<>();
    resolved.forEach(r -> out.put(r.name(), r.version().toString()));
    return out;
  }

  ResolutionException failure(String... roots) {
    return assertThrows(ResolutionException.class, () -> resolveAll(roots));
  }

  @Test
  void picksTheHighestVersionsWithTheirTransitiveRequirements() {
    index.add("alpha", "1.0").requires("beta>=1");
    index.add("beta", "1.0");
    index.add("beta", "2.0").requires("gamma<2");
    index.add("gamma", "1.0");
    index.add("gamma", "1.5");
    index.add("gamma", "2.0");
    index.add("unrelated", "9.0");
    assertEquals(Map.of("alpha", "1.0", "beta", "2.0", "gamma", "1.5"), resolve("alpha"));
  }

  @Test
  void markersAreEvaluatedForTheTargetInterpreter() {
    index.add("app", "1.0").requires("winonly; sys_platform == \"win32\"",
        "linuxonly; sys_platform == \"linux\"", "old; python_version < \"3.8\"");
    index.add("linuxonly", "1.0");
    assertEquals(Map.of("app", "1.0", "linuxonly", "1.0"), resolve("app"));
  }

  @Test
  void rootMarkersApplyToo() {
    index.add("app", "1.0");
    assertEquals(Map.of("app", "1.0"), resolve("app", "winonly; os_name == \"nt\""));
  }

  @Test
  void extrasBringTheirRequirementsOnlyWhenAskedFor() {
    index.add("engine", "1.0").requires("core").extra("fast", "speedy>=2");
    index.add("core", "1.0");
    index.add("speedy", "1.0");
    index.add("speedy", "2.0");
    assertEquals(Map.of("engine", "1.0", "core", "1.0"), resolve("engine"));
    List<Resolver.Resolved> withExtra = resolveAll("engine[fast]");
    assertEquals(Map.of("core", "1.0", "engine", "1.0", "speedy", "2.0"), pins(withExtra));
    assertEquals(Set.of("fast"), withExtra.stream().filter(r -> r.name().equals("engine"))
        .findFirst().orElseThrow().extras());
  }

  @Test
  void anExtraAskedForAfterTheProjectWasChosenStillBringsItsRequirements() {
    index.add("engine", "1.0").extra("fast", "speedy");
    index.add("speedy", "1.0");
    index.add("plugin", "1.0").requires("engine[fast]");
    // engine is decided first (a root); plugin asks for its extra afterwards.
    assertEquals(Map.of("engine", "1.0", "plugin", "1.0", "speedy", "1.0"), resolve("engine", "plugin"));
  }

  @Test
  void backtracksToAnOlderVersionWhenTheNewestConflicts() {
    index.add("alpha", "1.0");
    index.add("alpha", "2.0").requires("gamma<2");
    index.add("beta", "1.0").requires("gamma>=2");
    index.add("gamma", "1.0");
    index.add("gamma", "2.0");
    Resolver resolver = resolver(100);
    Map<String, String> pins = pins(resolver.resolve(roots("alpha", "beta")));
    assertEquals(Map.of("alpha", "1.0", "beta", "1.0", "gamma", "2.0"), pins);
    assertTrue(resolver.attempts() > 3, "it had to try alpha 2.0 first: " + resolver.attempts());
  }

  @Test
  void backtracksThroughAChainOfDependencies() {
    // tool 3 needs lib 3 which needs base>=3, but pinned base==1 only allows tool 1 (lib 1).
    for (int v = 1; v <= 3; v++) {
      index.add("tool", v + ".0").requires("lib==" + v + ".0");
      index.add("lib", v + ".0").requires("base>=" + v);
      index.add("base", v + ".0");
    }
    assertEquals(Map.of("tool", "1.0", "lib", "1.0", "base", "1.0"), resolve("tool", "base==1.0"));
  }

  @Test
  void aConflictNamesEveryChainOfRequirementsBehindIt() {
    index.add("alpha", "1.0").requires("gamma<2");
    index.add("beta", "1.0").requires("gamma>=2");
    index.add("gamma", "1.0");
    index.add("gamma", "2.0");
    String message = failure("alpha", "beta").getMessage();
    assertTrue(message.startsWith("Conflicting requirements for `gamma`"), message);
    assertTrue(message.contains("`gamma<2` ← required by `alpha 1.0` ← required by delta's build-system.requires"),
        message);
    assertTrue(message.contains("`gamma>=2` ← required by `beta 1.0` ← required by delta's build-system.requires"),
        message);
    assertFalse(message.contains("hint:"), "a conflict is not fixed by more find-links: " + message);
  }

  @Test
  void aMissingVersionNamesTheChainAndWhatIsAvailable() {
    index.add("house-tools", "1.0").requires("house-backend>=2");
    index.add("house-backend", "1.0");
    index.add("house-backend", "1.1");
    ResolutionException e = failure("house-tools");
    String message = e.getMessage();
    assertTrue(message.startsWith("No matching distribution found for house-backend>=2"), message);
    assertTrue(message.contains("available: 1.0, 1.1"), message);
    assertTrue(message.contains("`house-backend>=2` ← required by `house-tools 1.0` ← required by "
        + "delta's build-system.requires"), message);
    assertTrue(message.contains("searched: fake-index"), message);
    assertTrue(message.contains(ResolutionException.HINT), message);
  }

  @Test
  void anUnknownProjectSaysNothingIsThere() {
    String message = failure("nowhere>=1").getMessage();
    assertTrue(message.startsWith("No matching distribution found for nowhere>=1: no files for `nowhere`"),
        message);
    assertTrue(message.contains("`nowhere>=1` ← required by delta's build-system.requires"), message);
  }

  @Test
  void eachCallerReadsItsOwnOrigins() {
    ResolutionException e = failure("nowhere>=1");
    String renamed = e.withOrigins(List.of(new EnvRequirement("nowhere>=1", "nowhere>=1",
        "alpha's get_requires_for_build_wheel"))).getMessage();
    assertTrue(renamed.contains("`nowhere>=1` ← required by alpha's get_requires_for_build_wheel"), renamed);
    assertTrue(e.getMessage().contains("delta's"), "the original is unchanged");
  }

  @Test
  void yankedFilesAreSkippedUnlessPinnedExactly() {
    index.add("tool", "1.0");
    index.add("tool", "2.0").yanked("broken build");
    assertEquals(Map.of("tool", "1.0"), resolve("tool"));
    assertEquals(Map.of("tool", "2.0"), resolve("tool==2.0"));
    assertEquals(Map.of("tool", "1.0"), resolve("tool>=1"));
  }

  @Test
  void onlyYankedFilesFailAndSaySo() {
    index.add("tool", "2.0").yanked("broken build");
    String message = failure("tool>=2").getMessage();
    assertTrue(message.contains("yanked: tool-2.0-py3-none-any.whl (broken build)"), message);
  }

  @Test
  void requiresPythonInTheListingOrTheMetadataExcludesAVersion() {
    index.add("modern", "1.0");
    index.add("modern", "2.0").listedRequiresPython(">=3.12");
    index.add("modern", "3.0").requiresPython(">=3.13");
    assertEquals(Map.of("modern", "1.0"), resolve("modern"));
    assertEquals(2, index.metadataFetches, "3.0 and 1.0 fetched; 2.0 excluded by its listing alone");
  }

  @Test
  void requiresPythonFailureSaysWhichPython() {
    index.add("modern", "3.0").requiresPython(">=3.13");
    String message = failure("modern").getMessage();
    assertTrue(message.contains("`modern 3.0` requires Python >=3.13; the interpreter is 3.11.7"), message);
  }

  @Test
  void preReleasesOnlyWhenNamedOrWhenNothingElseFits() {
    index.add("lib", "1.0");
    index.add("lib", "2.0b1");
    index.add("fresh", "0.1a1");
    assertEquals(Map.of("lib", "1.0"), resolve("lib"));
    assertEquals(Map.of("lib", "2.0b1"), resolve("lib>=2.0b1"));
    assertEquals(Map.of("fresh", "0.1a1"), resolve("fresh"));
  }

  @Test
  void theBestRankedCompatibleWheelOfAVersionIsChosen() {
    index.add("native", "1.0").tag("py3-none-any");
    index.add("native", "1.0").tag("cp311-cp311-linux_x86_64");
    index.add("native", "2.0").tag("cp39-cp39-win_amd64");
    List<Resolver.Resolved> resolved = resolveAll("native");
    assertEquals("native-1.0-cp311-cp311-linux_x86_64.whl", resolved.get(0).file().filename());
    String message = failure("native>=2").getMessage();
    assertTrue(message.contains("no wheel for this interpreter: native-2.0-cp39-cp39-win_amd64.whl"), message);
  }

  @Test
  void aProjectWithOnlyAnSdistSaysSo() {
    index.add("legacy-thing", "1.0").sdistOnly();
    ResolutionException e = failure("legacy-thing");
    assertTrue(e.getMessage().startsWith("`legacy-thing` is only available as an sdist"), e.getMessage());
  }

  @Test
  void withSourceBuildsAnSdistIsChosenOnlyWhenNoWheelFitsAndAsksForItsWheelFirst() {
    index.buildsFromSource = true;
    index.add("legacy-thing", "1.0").sdistOnly();
    index.add("legacy-thing", "2.0").sdistOnly();
    index.add("app", "1.0").requires("legacy-thing<2");
    SourceBuildNeeded need = org.junit.jupiter.api.Assertions.assertThrows(SourceBuildNeeded.class,
        () -> resolve("app"));
    assertEquals("legacy-thing", need.project());
    assertEquals("1.0", need.version(), "the highest version the demands allow");
    assertTrue(need.requiredBy().startsWith("`legacy-thing<2` ← required by `app 1.0`"), need.requiredBy());
    assertTrue(need.getMessage().contains("hint: orchestrate build-all builds such requirements"),
        need.getMessage());

    index.built.add("legacy-thing-1.0.tar.gz"); // its wheel now exists: resolution goes through
    List<Resolver.Resolved> resolved = resolveAll("app");
    assertEquals(Map.of("app", "1.0", "legacy-thing", "1.0"), pins(resolved));
    assertEquals("legacy-thing-1.0.tar.gz", resolved.get(1).file().filename());

    index.add("mixed", "1.0");
    index.add("mixed", "2.0").sdistOnly();
    assertEquals(Map.of("mixed", "1.0"), resolve("mixed"), "a wheel is preferred to a newer sdist");
  }

  @Test
  void aDirectReferenceToAWheelIsUsedAsIsAndMustMeetOtherDemands() throws Exception {
    Path wheel = TestWheel.of("house-backend", "1.0").writeTo(tmp);
    index.add("house-backend", "9.0");
    index.add("plugin", "1.0").requires("house-backend>=1");
    String direct = "house-backend @ " + wheel.toUri();
    List<Resolver.Resolved> resolved = resolveAll(direct, "plugin");
    assertEquals(Map.of("house-backend", "1.0", "plugin", "1.0"), pins(resolved));
    assertTrue(resolved.get(0).direct());

    index.add("strict", "1.0").requires("house-backend>=2");
    String message = failure(direct, "strict").getMessage();
    assertTrue(message.startsWith("Conflicting requirements for `house-backend`"), message);
  }

  @Test
  void aDirectReferenceToADirectoryIsRefusedClearly() {
    String message = failure("thing @ " + tmp.toUri()).getMessage();
    assertTrue(message.contains("is a source tree"), message);
  }

  @Test
  void theSearchStopsAtItsBoundAndSaysSo() {
    // Every version of a needs a b that does not exist: 30 candidates to try, bound 5.
    for (int v = 1; v <= 30; v++) {
      index.add("a", v + ".0").requires("missing==" + v);
    }
    Resolver resolver = resolver(5);
    ResolutionException e = assertThrows(ResolutionException.class, () -> resolver.resolve(roots("a")));
    assertTrue(e.gaveUp());
    assertTrue(e.getMessage().startsWith("resolution gave up after trying 5 candidates; the first "
        + "conflict: No matching distribution found for missing==30"), e.getMessage());
  }

  @Test
  void dependencyCyclesResolve() {
    index.add("ping", "1.0").requires("pong");
    index.add("pong", "1.0").requires("ping>=1");
    assertEquals(Map.of("ping", "1.0", "pong", "1.0"), resolve("ping"));
  }
}
