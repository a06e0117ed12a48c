package dev.orchestrate.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the output is written to, as far as drawing goes: whether a live view may redraw lines,
 * whether colours are wanted, how wide a line may be and whether Unicode glyphs display.
 *
 * @param live redraw a status area (only on an interactive terminal)
 * @param color ANSI colours
 * @param width columns; status lines are cut to fit, since a wrapped line breaks the redraw
 * @param unicode the locale is UTF-8: spinner and bar glyphs rather than ASCII
 */
public record Terminal(boolean live, boolean color, int width, boolean unicode) {
  static final int DEFAULT_WIDTH = 100;

  /** Plain lines, no colour: what a CI log or a file gets. */
  public static Terminal plain() {
    return new Terminal(false, false, DEFAULT_WIDTH, false);
  }

  /**
   * Decides from the options, the environment and whether stdin/stdout are a terminal
   * ({@code System.console() != null} on Java 17).
   */
  public static Terminal detect(Presentation presentation, Map<String, String> env, boolean console) {
    String term = env.getOrDefault("TERM", "");
    boolean interactive = console && !term.isEmpty() && !term.equals("dumb");
    boolean live = !presentation.quiet() && switch (presentation.progress()) {
      case LIVE -> true;
      case PLAIN -> false;
      case AUTO -> interactive;
    };
    // https://no-color.org: a non-empty NO_COLOR turns colour off; an explicit --color wins.
    boolean noColor = !env.getOrDefault("NO_COLOR", "").isEmpty();
    boolean color = switch (presentation.color()) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> interactive && !noColor;
    };
    String locale = env.getOrDefault("LC_ALL", "") + env.getOrDefault("LC_CTYPE", "")
        + env.getOrDefault("LANG", "");
    boolean unicode = locale.toUpperCase(Locale.ROOT).replace("-", "").contains("UTF8");
    return new Terminal(live, color, width(env, live && console), unicode);
  }

  /** {@code COLUMNS} when set, else the terminal's own size when there is one, else 100. */
  static int width(Map<String, String> env, boolean askTheTerminal) {
    try {
      int columns = Integer.parseInt(env.getOrDefault("COLUMNS", "").trim());
      if (columns > 0) {
        return columns;
      }
    } catch (NumberFormatException notSet) {
      // fall through
    }
    if (askTheTerminal) {
      int asked = sttyColumns();
      if (asked > 0) {
        return asked;
      }
    }
    return DEFAULT_WIDTH;
  }

  /** Asks {@code stty size} about the controlling terminal; 0 when it cannot say. Once per run. */
  private static int sttyColumns() {
    try {
      Process p = new ProcessBuilder("stty", "size")
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return 0;
      }
      String[] parts = out.split("\\s+");
      return parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
