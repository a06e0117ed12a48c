package dev.orchestrate.report;

/**
 * Text a backend wrote, made safe to print as one line: what a terminal would have shown of it,
 * with nothing that could move a cursor, change a colour or ring a bell. Escape sequences (CSI
 * such as colours, OSC such as titles and hyperlinks, the two-character ones) are removed whole,
 * not just their ESC byte; a carriage return keeps what came after it, as a progress bar
 * redrawn in place ends showing its last state; a backspace erases the character before it;
 * every other C0 and C1 control and DEL is dropped. Tabs stay.
 */
public final class ControlCodes {
  private static final char ESC = '\u001b';
  private static final char BEL = '\u0007';

  private ControlCodes() {}

  /** Cleans one line (no {@code \n} expected; any found is dropped like other controls). */
  public static String clean(String line) {
    if (!needsCleaning(line)) {
      return line;
    }
    StringBuilder out = new StringBuilder(line.length());
    int n = line.length();
    int i = 0;
    while (i < n) {
      char c = line.charAt(i);
      if (c == ESC) {
        i = skipEscape(line, i + 1);
      } else if (c == '\u009b') {
        i = skipCsi(line, i + 1); // the C1 form of ESC [
      } else if (c == '\u009d' || c == '\u0090' || c == '\u009e' || c == '\u009f') {
        i = skipString(line, i + 1); // C1 OSC, DCS, PM, APC: up to their terminator
      } else if (c == '\r') {
        // "\r\n" line ends leave a lone trailing \r: nothing follows it, so keep the line.
        if (i + 1 < n) {
          out.setLength(0);
        }
        i++;
      } else if (c == '\b') {
        if (out.length() > 0) {
          out.setLength(out.length() - 1);
        }
        i++;
      } else if (c == '\t' || !isControl(c)) {
        out.append(c);
        i++;
      } else {
        i++;
      }
    }
    return out.toString();
  }

  /** Whether {@code s} holds anything but printable text and tabs. */
  public static boolean needsCleaning(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\t' && isControl(c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
  }

  /** {@code from} is just after an ESC: the index after the whole sequence. */
  private static int skipEscape(String s, int from) {
    if (from >= s.length()) {
      return from;
    }
    char c = s.charAt(from);
    return switch (c) {
      case '[' -> skipCsi(s, from + 1);
      case ']', 'P', '^', '_', 'X' -> skipString(s, from + 1);
      default -> {
        // ESC, intermediates (0x20-0x2F), one final byte: ESC ( B, ESC 7, ESC M...
        int i = from;
        while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2f) {
          i++;
        }
        yield i < s.length() && !isControl(s.charAt(i)) ? i + 1 : i;
      }
    };
  }

  /** Parameters and intermediates, then one final byte in 0x40-0x7E. */
  private static int skipCsi(String s, int from) {
    int i = from;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c >= 0x40 && c <= 0x7e) {
        return i + 1;
      }
      if (c < 0x20 || c > 0x7e) {
        return i; // malformed: stop at the first byte that cannot belong to it
      }
      i++;
    }
    return i;
  }

  /** An OSC/DCS-like string: up to BEL, ST (ESC \) or the C1 ST. */
  private static int skipString(String s, int from) {
    int i = from;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == BEL || c == '\u009c') {
        return i + 1;
      }
      if (c == ESC) {
        return i + 1 < s.length() && s.charAt(i + 1) == '\\' ? i + 2 : i;
      }
      i++;
    }
    return i;
  }
}
