package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.report.ScreenReplay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees while a run goes and when it ends: plain time-stamped lines on a
 * non-terminal (CI logs), the live view on a terminal (a real pseudo-terminal through
 * util-linux {@code script}), quiet, and the backends' output at -vv; for a successful, a
 * partly failed and an up-to-date run. Snapshots of the filtered text; the live view's
 * snapshot is the screen it leaves behind, replayed.
 */
class ConsoleOutputSnapshotTest {
  @TempDir static Path cache;
  @TempDir Path tmp;

  /**
   * Makes the build environments every test here uses, so that each snapshot says "0 created"
   * whatever order the tests run in.
   */
  @BeforeAll
  static void warmTheCache(@TempDir Path scratch) throws Exception {
    ConsoleOutputSnapshotTest warm = new ConsoleOutputSnapshotTest();
    warm.tmp = scratch;
    for (Path root : List.of(warm.partlyFailing(), warm.monorepo("mono-ok"))) {
      Cli.Result r = warm.run(warm.args(root));
      assertTrue(r.exitCode() <= 1, r.toString());
    }
  }

  private Snapshots.Filter filter() {
    return Snapshots.Filter.standard().path(cache, "[CACHE]").path(tmp, "[TMP]");
  }

  private Path monorepo() throws Exception {
    return monorepo("mono");
  }

  private Path monorepo(String name) throws Exception {
    return Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve(name));
  }

  /** The monorepo plus the raises fixture, which delta now needs: built, failed and skipped. */
  private Path partlyFailing() throws Exception {
    Path root = monorepo();
    Cli.copy(Cli.fixture("raises"), root.resolve("packages/raises"));
    Path delta = root.resolve("packages/delta/pyproject.toml");
    String toml = Files.readString(delta);
    String changed = toml.replaceFirst("requires = \\[", "requires = [\"raises\", ");
    assertFalse(toml.equals(changed), "delta's requires moved: " + toml);
    Files.writeString(delta, changed);
    return root;
  }

  private List<String> args(Path root, String... extra) {
    List<String> args = new ArrayList<>(List.of("build-all", root.toString(), "--cache-dir",
        cache.toString(), "-j", "1"));
    args.addAll(List.of(extra));
    return args;
  }

  private Cli.Result run(List<String> args) throws Exception {
    return Cli.run(tmp.resolve("cli"), args.toArray(String[]::new));
  }

  @Test
  void plainOutputOfASuccessfulRun() throws Exception {
    List<String> args = args(monorepo());
    Cli.Result r = run(args);
    assertEquals(0, r.exitCode(), r.toString());
    assertFalse(r.all().contains("\u001b"), "no control codes off a terminal");
    assertTrue(Pattern.compile("^\\[\\d\\d:\\d\\d\\.\\d\\] built    house-backend 1.2.0", Pattern.MULTILINE)
        .matcher(r.stdout()).find(), r.toString());
    Snapshots.assertMatches("console/plain-success", Snapshots.transcript(filter(), r, args.toArray(String[]::new)));
  }

  @Test
  void plainOutputOfAPartlyFailedRun() throws Exception {
    List<String> args = args(partlyFailing());
    Cli.Result r = run(args);
    assertEquals(1, r.exitCode(), r.toString());
    Snapshots.assertMatches("console/plain-partly-failed", Snapshots.transcript(filter(), r, args.toArray(String[]::new)));
  }

  @Test
  void plainOutputOfAnUpToDateRun() throws Exception {
    Path root = monorepo();
    Cli.Result first = run(args(root));
    assertEquals(0, first.exitCode(), first.toString());
    List<String> args = args(root);
    Cli.Result again = run(args);
    assertEquals(0, again.exitCode(), again.toString());
    Snapshots.assertMatches("console/plain-up-to-date", Snapshots.transcript(filter(), again, args.toArray(String[]::new)));
  }

  @Test
  void quietPrintsOnlyTheFailuresAndNothingWhenAllIsWell() throws Exception {
    List<String> args = args(partlyFailing(), "-q");
    Cli.Result r = run(args);
    assertEquals(1, r.exitCode(), r.toString());
    Snapshots.assertMatches("console/quiet-partly-failed", Snapshots.transcript(filter(), r, args.toArray(String[]::new)));
    Cli.Result ok = run(args(Cli.fixtureWorkspace(tmp.resolve("ok"), "config-echo"), "--quiet"));
    assertEquals(0, ok.exitCode(), ok.toString());
    assertEquals("", ok.stdout() + ok.stderr());
  }

  @Test
  void veryVerboseStreamsTheBackendsOutputLineByLinePrefixedWithThePackage() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "raises", "config-echo", "non-utf8-output");
    Cli.Result r = run(List.of("build-all", root.toString(), "--cache-dir", cache.toString(), "-vv", "-j", "3"));
    assertEquals(1, r.exitCode(), r.toString());
    // config-echo prints the settings each hook saw; raises prints to stderr before raising.
    assertTrue(Pattern.compile("^\\[[^]]+\\] config-echo \\| ", Pattern.MULTILINE).matcher(r.stdout()).find(), r.stdout());
    assertTrue(Pattern.compile("^\\[[^]]+\\] raises \\| .*", Pattern.MULTILINE).matcher(r.stdout()).find(), r.stdout());
    // Whole lines only: every streamed line is one package's, none is cut into another.
    for (String line : r.stdout().split("\n")) {
      if (line.contains(" | ") && !line.contains("         | ")) {
        assertTrue(line.matches("\\[[^]]+\\] (raises|config-echo|non-utf8-output) \\| .*"), line);
      }
    }
    // The hooks' start and end lines of -vv are there too.
    assertTrue(r.stdout().contains("  raises: build_wheel started"), r.stdout());
  }

  /**
   * A backend that prints as if on a terminal (colours, a {@code \r} progress bar, a title, a bell):
   * off a terminal, -vv streams what a terminal would have kept of each line, prefixed with the
   * package, and nothing of the output holds a control code other than the newline. The
   * snapshot is the streamed lines in order (their place among the event lines depends on when
   * the logs are polled).
   */
  @Test
  void veryVerboseOffATerminalStreamsBackendOutputWithoutControlCodes() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ansi"), "ansi-output");
    for (List<String> flags : List.<List<String>>of(List.of(), List.of("--progress", "plain", "--color", "never"))) {
      List<String> args = new ArrayList<>(List.of("build-all", root.toString(), "--cache-dir",
          cache.toString(), "-vv", "-j", "1", "--force"));
      args.addAll(flags);
      Cli.Result r = run(args);
      assertEquals(0, r.exitCode(), r.toString());
      String all = r.stdout() + r.stderr();
      for (int i = 0; i < all.length(); i++) {
        char c = all.charAt(i);
        assertFalse(c != '\n' && c != '\t' && (c < 0x20 || c >= 0x7f && c <= 0x9f),
            "control code U+" + String.format("%04X", (int) c) + " at " + i + " in\n" + all);
      }
      StringBuilder streamed = new StringBuilder("$ orchestrate " + String.join(" ", args) + "\n");
      for (String line : r.stdout().split("\n")) {
        if (line.matches("\\[[^]]+\\] ansi-output \\| .*")) {
          streamed.append(line).append('\n');
        } else {
          assertFalse(line.contains(" | ") && !line.contains("         | "), "not whole: " + line);
        }
      }
      String expected = "console/very-verbose-control-codes" + (flags.isEmpty() ? "" : "-never");
      Snapshots.assertMatches(expected, filter().apply(streamed.toString()));
    }
  }

  /** Runs the CLI in a pseudo-terminal, as a person at a terminal would. */
  private String inTerminal(List<String> args, Map<String, String> env) throws Exception {
    List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    java.addAll(args);
    String command = String.join(" ", java.stream().map(ConsoleOutputSnapshotTest::shellQuote).toList());
    Path out = tmp.resolve("terminal.out");
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", command, "/dev/null")
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(out.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the run in a terminal did not finish");
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Test
  void aTerminalGetsTheLiveViewAndIsLeftWithTheLinesAndTheSummary() throws Exception {
    List<String> args = args(partlyFailing());
    String raw = inTerminal(args, Map.of("TERM", "xterm-256color", "COLUMNS", "100", "LANG", "C.UTF-8"));
    // The status area was drawn and redrawn while packages built...
    assertTrue(ScreenReplay.redraws(raw) >= 3, raw);
    assertTrue(raw.contains("elapsed"), raw);
    // ...in colour...
    assertTrue(raw.contains("\u001b[32mbuilt\u001b[0m") && raw.contains("\u001b[1;31mFAILED\u001b[0m"), raw);
    // ...and what remains on the screen is the lines and the summary, not the status.
    String screen = ScreenReplay.screen(raw.replace("\r\n", "\n"));
    assertFalse(screen.contains("elapsed"), screen);
    Snapshots.assertMatches("console/terminal-partly-failed", filter().apply("$ orchestrate "
        + String.join(" ", args) + "\n" + screen));
  }

  @Test
  void aTerminalShowsASuccessfulRunAndThenAnUpToDateOne() throws Exception {
    Path root = monorepo();
    Map<String, String> env = Map.of("TERM", "xterm-256color", "COLUMNS", "100", "LANG", "C.UTF-8");
    List<String> args = args(root);
    String first = inTerminal(args, env);
    assertTrue(ScreenReplay.redraws(first) >= 3, first);
    Snapshots.assertMatches("console/terminal-success", filter().apply("$ orchestrate "
        + String.join(" ", args) + "\n" + ScreenReplay.screen(first.replace("\r\n", "\n"))));
    String again = inTerminal(args, env);
    Snapshots.assertMatches("console/terminal-up-to-date", filter().apply("$ orchestrate "
        + String.join(" ", args) + "\n" + ScreenReplay.screen(again.replace("\r\n", "\n"))));
  }

  @Test
  void noColorAndColorNeverKeepTheLiveViewButDropTheColours() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "config-echo");
    String raw = inTerminal(args(root), Map.of("TERM", "xterm", "COLUMNS", "100", "NO_COLOR", "1"));
    assertFalse(raw.contains("\u001b[32m"), raw);
    assertTrue(ScreenReplay.redraws(raw) >= 1, raw);
    String never = inTerminal(args(root, "--color", "never", "--progress", "plain"),
        Map.of("TERM", "xterm", "COLUMNS", "100"));
    assertFalse(never.contains("\u001b"), never);
  }

  @Test
  void forcedLiveProgressAndColourWorkWithoutATerminal() throws Exception {
    List<String> args = args(partlyFailing(), "--progress", "live", "--color", "always");
    Cli.Result r = run(args);
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.stdout().contains("\u001b[1;31mFAILED\u001b[0m"), r.stdout());
    String screen = ScreenReplay.screen(r.stdout());
    Snapshots.assertMatches("console/forced-live-partly-failed", filter().apply("$ orchestrate "
        + String.join(" ", args) + "\n" + screen));
  }
}
