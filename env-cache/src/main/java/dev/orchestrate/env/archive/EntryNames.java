package dev.orchestrate.env.archive;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns archive entry names into safe relative paths. Works on the name as a string, before any
 * file system is involved, the way the {@code tarfile} "data" filter (PEP 706) does: a name is
 * refused if it is absolute, could be absolute or special on Windows, or normalises to a path
 * above the root. {@code a/../b} stays fine, it normalises to {@code b}.
 */
final class EntryNames {

  private EntryNames() {}

  /**
   * The normalised segments of a name, relative to the extraction root; empty for the root itself
   * ({@code ./} entries are common in tars made with {@code tar -C dir .}).
   */
  static List<String> normalise(String name) throws Refusal {
    return resolve(List.of(), name, "escapes the extraction root");
  }

  /**
   * Lexically resolves {@code path} (an entry name or a symlink target) against {@code base}
   * segments. Refuses the same things as {@link #normalise}.
   */
  static List<String> resolve(List<String> base, String path, String escapeReason)
      throws Refusal {
    checkSyntax(path);
    List<String> segments = new ArrayList<>(base);
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (segments.isEmpty()) {
          throw new Refusal(escapeReason);
        }
        segments.remove(segments.size() - 1);
      } else {
        segments.add(segment);
      }
    }
    return segments;
  }

  /** Refusals that need no resolving: they are wrong whatever the path points at. */
  static void checkSyntax(String path) throws Refusal {
    if (path.isEmpty()) {
      throw new Refusal("is empty");
    }
    if (path.indexOf('\0') >= 0) {
      throw new Refusal("contains a NUL character");
    }
    // On POSIX a backslash is an ordinary character, but the same archive unpacked on Windows
    // (or by a tool that "helpfully" converts separators) would see "..\evil" as "../evil".
    if (path.indexOf('\\') >= 0) {
      throw new Refusal("contains a backslash, which Windows reads as a path separator");
    }
    if (path.length() >= 2 && path.charAt(1) == ':' && isAsciiLetter(path.charAt(0))) {
      throw new Refusal("starts with a Windows drive letter");
    }
    if (path.startsWith("/")) {
      throw new Refusal("is an absolute path");
    }
  }

  static String join(List<String> segments) {
    return String.join("/", segments);
  }

  /**
   * Quotes a name for a message, escaping control characters so a hostile name cannot rewrite the
   * terminal or forge log lines.
   */
  static String quote(String name) {
    if (name == null) {
      return "(unnamed)";
    }
    StringBuilder sb = new StringBuilder(name.length() + 2).append('\'');
    name.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp)) {
        sb.append(String.format("\\u%04x", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.append('\'').toString();
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
