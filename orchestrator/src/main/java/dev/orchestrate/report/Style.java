package dev.orchestrate.report;

import java.util.regex.Pattern;

/** ANSI colours when wanted, the text unchanged when not. */
public final class Style {
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");
  static final Style NONE = new Style(false);

  private final boolean enabled;

  public Style(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  public String bold(String s) {
    return wrap("1", s);
  }

  public String dim(String s) {
    return wrap("2", s);
  }

  public String red(String s) {
    return wrap("31", s);
  }

  public String boldRed(String s) {
    return wrap("1;31", s);
  }

  public String green(String s) {
    return wrap("32", s);
  }

  public String yellow(String s) {
    return wrap("33", s);
  }

  public String cyan(String s) {
    return wrap("36", s);
  }

  /**
   * Colours the first word of a progress line by what it says ({@code built}, {@code FAILED},
   * {@code skipped}, {@code up-to-date}), so that colour follows the text and the text decides.
   */
  public String line(String line) {
    if (!enabled) {
      return line;
    }
    int space = line.indexOf(' ');
    if (space <= 0) {
      return line;
    }
    String word = line.substring(0, space);
    String rest = line.substring(space);
    return switch (word) {
      case "built" -> green(word) + rest;
      case "FAILED" -> boldRed(word) + rest;
      case "skipped" -> yellow(word) + rest;
      case "up-to-date", "fresh" -> dim(word) + rest;
      case "error:" -> boldRed(word) + rest;
      case "warning:" -> yellow(word) + rest;
      case "restored" -> green(word) + rest;
      default -> line.startsWith("up to date ") ? dim(line)
          : line.startsWith("         hint: ") ? line.replaceFirst("hint:", cyan("hint:")) : line;
    };
  }

  /** The text without ANSI escape sequences. */
  public static String strip(String s) {
    return ANSI.matcher(s).replaceAll("");
  }

  /** How many columns the text takes on screen (escapes take none). */
  static int visibleLength(String s) {
    return strip(s).codePointCount(0, strip(s).length());
  }

  /** Cuts the text to {@code width} visible columns, keeping escapes and closing any colour. */
  static String fit(String s, int width) {
    if (visibleLength(s) <= width) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    int shown = 0;
    int i = 0;
    boolean escaped = false;
    while (i < s.length() && shown < width - 1) {
      char c = s.charAt(i);
      if (c == '\u001b') {
        int end = i + 1;
        while (end < s.length() && !Character.isLetter(s.charAt(end))) {
          end++;
        }
        out.append(s, i, Math.min(end + 1, s.length()));
        escaped = true;
        i = end + 1;
        continue;
      }
      int cp = s.codePointAt(i);
      out.appendCodePoint(cp);
      i += Character.charCount(cp);
      shown++;
    }
    out.append('~');
    if (escaped) {
      out.append("\u001b[0m");
    }
    return out.toString();
  }

  private String wrap(String code, String s) {
    return enabled ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
