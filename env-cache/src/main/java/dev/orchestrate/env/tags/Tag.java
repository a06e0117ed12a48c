package dev.orchestrate.env.tags;

import java.util.Locale;
import java.util.Objects;

/**
 * One interpreter-abi-platform triple (PEP 425), lower case, e.g. {@code cp311-abi3-linux_x86_64}.
 * Compressed tag sets ({@code py2.py3-none-any}) are expanded by {@link WheelFilename#tags()}.
 */
public record Tag(String interpreter, String abi, String platform) {

  public Tag {
    interpreter = part(interpreter, "interpreter");
    abi = part(abi, "abi");
    platform = part(platform, "platform");
  }

  /** Parses {@code interpreter-abi-platform}; a compressed set is not one tag and is refused. */
  public static Tag parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.split("-", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("invalid wheel tag `" + text
          + "`: expected interpreter-abi-platform, such as `py3-none-any`");
    }
    for (String p : parts) {
      if (p.isEmpty() || p.indexOf('.') >= 0) {
        throw new IllegalArgumentException("invalid wheel tag `" + text
            + "`: each part must be one non-empty tag (a compressed set `a.b` is several tags)");
      }
    }
    return new Tag(parts[0], parts[1], parts[2]);
  }

  private static String part(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty() || value.indexOf('-') >= 0) {
      throw new IllegalArgumentException("invalid " + what + " tag `" + value + "`");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return interpreter + "-" + abi + "-" + platform;
  }
}
