package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Snapshot tests of exactly what a person reads: the output, filtered of what differs from run
 * to run (paths, durations, keys), compared with a file under
 * {@code src/test/resources/snapshots/}. {@code -Dsnapshots.update=true} rewrites the files from
 * what the tests see; a missing file is written and the test fails, so that it gets reviewed.
 */
public final class Snapshots {
  static final Path DIR = Path.of("src", "test", "resources", "snapshots");
  static final boolean UPDATE = Boolean.getBoolean("snapshots.update");

  private Snapshots() {}

  public static void assertMatches(String name, String actual) throws IOException {
    Path file = DIR.resolve(name + ".txt");
    if (UPDATE) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      fail("new snapshot " + file + " written: review it, then run again\n" + actual);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
        "snapshot " + file + " differs (rerun with -Dsnapshots.update=true to accept the new output)");
  }

  /** Replaces what changes between runs with placeholders; paths first, longest first. */
  public static final class Filter {
    private final Map<String, String> literals = new LinkedHashMap<>();
    private final List<Map.Entry<Pattern, String>> patterns = new ArrayList<>();

    public Filter path(Path path, String placeholder) {
      literals.put(path.toAbsolutePath().normalize().toString(), placeholder);
      return this;
    }

    public Filter literal(String text, String placeholder) {
      literals.put(text, placeholder);
      return this;
    }

    public Filter pattern(String regex, String replacement) {
      patterns.add(Map.entry(Pattern.compile(regex, Pattern.MULTILINE), replacement));
      return this;
    }

    /** The filters every run's output needs: runs, keys, the interpreter, times, pids. */
    public static Filter standard() {
      return new Filter()
          .pattern("runs/\\d{8}-\\d{6}-\\d+", "runs/[RUN]")
          .pattern("environments-v1/[0-9a-f]+/[0-9a-f]+", "environments-v1/[ENV]")
          .pattern("sha256:[0-9a-f]{64}", "sha256:[SHA256]")
          .pattern("python \\S+ \\(/[^)]*\\)", "python [VERSION] ([PYTHON])")
          .pattern("\\[\\d\\d:\\d\\d\\.\\d\\]|\\[\\d+:\\d\\d:\\d\\d\\]", "[ELAPSED]")
          .pattern("\\b\\d+(\\.\\d+)?(ms|s)\\b|\\b\\d+m\\d\\ds\\b|\\b\\d+h\\d\\dm\\b", "[TIME]")
          .pattern("\\bpid \\d+", "pid [PID]")
          // Which package or hook was slowest differs from run to run: keep the row, not its content.
          .pattern("^(  slowest hooks  ).*(\\n {18}\\S.*)*", "$1[...]")
          .pattern("^(  slowest  +).*", "$1[...]");
    }

    public String apply(String text) {
      String out = text.replace("\r\n", "\n");
      for (Map.Entry<String, String> e : literals.entrySet().stream()
          .sorted((a, b) -> b.getKey().length() - a.getKey().length()).toList()) {
        out = out.replace(e.getKey(), e.getValue());
      }
      for (Map.Entry<Pattern, String> p : patterns) {
        Matcher m = p.getKey().matcher(out);
        out = m.replaceAll(p.getValue());
      }
      return out;
    }
  }

  /** The run as the snapshot shows it: the command, the exit code, stdout, stderr. */
  static String transcript(Filter filter, Cli.Result result, String... args) {
    return filter.apply("$ orchestrate " + String.join(" ", args) + "\nexit " + result.exitCode()
        + "\n--- stdout\n" + result.stdout() + "--- stderr\n" + result.stderr());
  }
}
