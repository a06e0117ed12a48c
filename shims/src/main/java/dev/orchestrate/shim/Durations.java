package dev.orchestrate.shim;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing and printing of the short durations people type and read: {@code 90s}, {@code 15m}, {@code 1h30m}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+");

  private Durations() {}

  /** Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h30m}, or a bare number of seconds. */
  public static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    long millis;
    if (s.matches("\\d+(\\.\\d+)?")) {
      millis = Math.round(Double.parseDouble(s) * 1000);
    } else if (WHOLE.matcher(s).matches()) {
      millis = 0;
      Matcher m = PART.matcher(s);
      while (m.find()) {
        millis += Math.round(Double.parseDouble(m.group(1)) * switch (m.group(2)) {
          case "ms" -> 1;
          case "s" -> 1000;
          case "m" -> 60_000;
          default -> 3_600_000;
        });
      }
    } else {
      throw new IllegalArgumentException(
          "invalid duration `" + text + "`: expected e.g. 90s, 15m, 1h30m or 500ms");
    }
    if (millis <= 0) {
      throw new IllegalArgumentException("invalid duration `" + text + "`: must be positive");
    }
    return Duration.ofMillis(millis);
  }

  /** Prints a duration compactly: {@code 0.42s}, {@code 12.3s}, {@code 2m05s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 10_000) {
      return String.format(Locale.ROOT, "%.2fs", ms / 1000.0);
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
