package dev.orchestrate.env.install;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code entry_points.txt} (an INI file) and the scripts its {@code console_scripts} and
 * {@code gui_scripts} sections make, written the way pip writes them.
 */
final class EntryPoints {
  /** {@code module:attr.attr}: dotted identifiers, an optional {@code [extras]} after. */
  private static final Pattern REFERENCE = Pattern.compile(
      "([\\w.]+)\\s*:\\s*([\\w.]+)\\s*(\\[[^\\]]*\\])?");
  /** Shebangs longer than this, or with spaces, go through /bin/sh (as distlib does). */
  static final int MAX_SHEBANG = 127;

  private EntryPoints() {}

  /** Sections to {@code name = value} entries, in order; comments and blank lines skipped. */
  static Map<String, Map<String, String>> parse(String text) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current = sections.computeIfAbsent(line.substring(1, line.length() - 1).strip(),
            k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (current != null && eq > 0) {
        current.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return sections;
  }

  /**
   * The script for {@code reference} ({@code module:function}) run by {@code python}.
   *
   * @throws IllegalArgumentException the reference names no function
   */
  static byte[] script(String reference, String python) {
    var m = REFERENCE.matcher(reference.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("`" + reference + "` is not a `module:function` reference");
    }
    String module = m.group(1);
    String attrs = m.group(2);
    String importName = attrs.split("\\.")[0];
    String body = "# -*- coding: utf-8 -*-\n"
        + "import re\n"
        + "import sys\n"
        + "from " + module + " import " + importName + "\n"
        + "if __name__ == '__main__':\n"
        + "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
        + "    sys.exit(" + attrs + "())\n";
    return (shebang(python) + body).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code #!python} for a path the kernel can run directly, else a /bin/sh line that execs it
   * (long paths, paths with blanks), as pip's and uv's script writers do: the kernel reads at
   * most {@value #MAX_SHEBANG} bytes of that line (bytes, not characters) and splits it at
   * blanks. For sh the second line execs the interpreter on the script; for Python the lines
   * after the first are a string. The path is single-quoted for sh, so that {@code $},
   * backquotes and backslashes in it stay themselves.
   */
  static String shebang(String python) {
    if (python.getBytes(StandardCharsets.UTF_8).length + 2 <= MAX_SHEBANG
        && python.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      return "#!" + python + "\n";
    }
    return "#!/bin/sh\n'''exec' '" + python.replace("'", "'\\''") + "' \"$0\" \"$@\"\n' '''\n";
  }

  /** A script name that stays a plain file name in bin/. */
  static boolean isSafeName(String name) {
    return !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.equals(".")
        && !name.equals("..") && !name.contains("\0");
  }
}
