package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person reads when a build cannot work as written, each a snapshot of the real CLI's
 * output on a fixture (non-terminal output, one job, paths and times filtered): the backend
 * that cannot be imported (a typo, with the close name suggested from what is installed or from
 * backend-path; backend-path without the module; a requirement missing from requires), a
 * requirement no source has, a hook that crashed or timed out, an invalid pyproject.toml, a cycle.
 */
class DiagnosticsSnapshotTest {
  @TempDir static Path cache;
  @TempDir Path tmp;

  private String run(Path root, Map<String, String> env, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("build-all", root.toString(), "--cache-dir",
        cache.toString(), "-j", "1"));
    args.addAll(List.of(extra));
    Cli.Result r = Cli.run(tmp.resolve("cli"), env, args.toArray(String[]::new));
    return Snapshots.transcript(filter(), r, args.toArray(String[]::new));
  }

  /** Makes the empty environment most fixtures use, so that each snapshot says "0 created". */
  @BeforeAll
  static void warmTheCache(@TempDir Path scratch) throws Exception {
    Cli.Result r = Cli.run(scratch.resolve("cli"), "build-all",
        Cli.fixtureWorkspace(scratch.resolve("ws"), "config-echo").toString(), "--cache-dir", cache.toString());
    assertEquals(0, r.exitCode(), r.toString());
  }

  private Snapshots.Filter filter() {
    return Snapshots.Filter.standard().path(cache, "[CACHE]").path(tmp, "[TMP]");
  }

  private String fixture(String name, String... extra) throws Exception {
    return run(Cli.fixtureWorkspace(tmp.resolve("ws"), name), Map.of(), extra);
  }

  @Test
  void aMistypedBackendThatIsInstalledSuggestsTheInstalledName() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("mono"));
    Cli.copy(Cli.fixture("backend-typo-installed"), root.resolve("packages/backend-typo-installed"));
    List<String> args = List.of("build", "backend-typo-installed", "--root", root.toString(),
        "--cache-dir", cache.toString(), "-j", "1");
    Cli.Result r = Cli.run(tmp.resolve("cli"), args.toArray(String[]::new));
    assertEquals(1, r.exitCode(), r.toString());
    Snapshots.assertMatches("diagnostics/backend-typo-installed",
        Snapshots.transcript(filter(), r, args.toArray(String[]::new)));
  }

  @Test
  void aMistypedBackendInBackendPathSuggestsTheModuleThere() throws Exception {
    Snapshots.assertMatches("diagnostics/backend-path-typo", fixture("backend-path-typo"));
  }

  @Test
  void aBackendNothingProvidesSaysRequiresIsEmpty() throws Exception {
    Snapshots.assertMatches("diagnostics/bad-backend-typo", fixture("bad-backend-typo"));
  }

  @Test
  void backendPathWithoutTheModuleSaysWhatItHolds() throws Exception {
    Snapshots.assertMatches("diagnostics/backend-path-missing-module", fixture("backend-path-missing-module"));
  }

  @Test
  void anInTreeBackendImportingWhatRequiresLacksSaysToAddIt() throws Exception {
    Snapshots.assertMatches("diagnostics/backend-needs-requirement", fixture("backend-needs-requirement"));
  }

  @Test
  void aRequirementNoSourceHasSaysWhereItLooked() throws Exception {
    Snapshots.assertMatches("diagnostics/requirement-not-found", fixture("requirement-not-found"));
  }

  @Test
  void aCrashedHookSaysHowItEnded() throws Exception {
    Snapshots.assertMatches("diagnostics/crash", fixture("crash"));
  }

  @Test
  void aHookThatTimesOutSaysSoAndWhatToRaise() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "hangs");
    Snapshots.assertMatches("diagnostics/hangs", run(root,
        Map.of("HANGS_PID_FILE", tmp.resolve("hangs.pids").toString()), "--hook-timeout", "2s"));
  }

  @Test
  void anInvalidPyprojectShowsFileLineKeyAndTheLine() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "invalid-toml", "invalid-values", "config-echo");
    Snapshots.assertMatches("diagnostics/invalid-pyproject", run(root, Map.of()));
  }

  @Test
  void aCycleNamesEachLinkAndTheLineThatMakesIt() throws Exception {
    Path root = Cli.copy(Cli.fixture("cycle"), tmp.resolve("cycle"));
    Snapshots.assertMatches("diagnostics/cycle", run(root, Map.of()));
  }
}
