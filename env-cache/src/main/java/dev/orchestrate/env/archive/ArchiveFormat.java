package dev.orchestrate.env.archive;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * The archive formats sdists and wheels come in. The name picks the format; the first bytes must
 * then agree, so a mislabelled download (an HTML error page saved as {@code .tar.gz}) fails with a
 * message saying what the file really is instead of a decompressor's stack trace.
 */
public enum ArchiveFormat {
  /** A plain tar. */
  TAR("tar", List.of(".tar")),
  /** What sdists are (PEP 625). */
  TAR_GZ("gzip-compressed tar", List.of(".tar.gz", ".tgz")),
  TAR_BZ2("bzip2-compressed tar", List.of(".tar.bz2", ".tbz2", ".tbz")),
  /** Readable only when the optional {@code org.tukaani:xz} library is on the class path. */
  TAR_XZ("xz-compressed tar", List.of(".tar.xz", ".txz")),
  /** Wheels and legacy zip sdists. */
  ZIP("zip", List.of(".zip", ".whl"));

  private final String description;
  private final List<String> suffixes;

  ArchiveFormat(String description, List<String> suffixes) {
    this.description = description;
    this.suffixes = suffixes;
  }

  /** The file name endings that select this format, lower case, with the dot. */
  public List<String> suffixes() {
    return suffixes;
  }

  /** For messages: "gzip-compressed tar". */
  public String description() {
    return description;
  }

  public boolean isTar() {
    return this != ZIP;
  }

  /** The format a file name promises (case-insensitively), if it promises one. */
  public static Optional<ArchiveFormat> fromFileName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    for (ArchiveFormat format : values()) {
      for (String suffix : format.suffixes) {
        // A bare ".tar" names no archive, just a suffix.
        if (lower.endsWith(suffix) && lower.length() > suffix.length()) {
          return Optional.of(format);
        }
      }
    }
    return Optional.empty();
  }

  /** Every suffix we accept, for "expected one of" messages. */
  static String allSuffixes() {
    StringBuilder sb = new StringBuilder();
    for (ArchiveFormat format : values()) {
      for (String suffix : format.suffixes) {
        sb.append(sb.length() == 0 ? "" : ", ").append(suffix);
      }
    }
    return sb.toString();
  }

  /** The format the first bytes of a file show, if they show one we read. */
  static Optional<ArchiveFormat> sniff(byte[] head, int length) {
    if (startsWith(head, length, 0x1f, 0x8b)) {
      return Optional.of(TAR_GZ);
    }
    if (startsWith(head, length, 'B', 'Z', 'h')) {
      return Optional.of(TAR_BZ2);
    }
    if (startsWith(head, length, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return Optional.of(TAR_XZ);
    }
    // A local file header, or the end-of-central-directory record of an empty zip.
    if (startsWith(head, length, 'P', 'K', 3, 4) || startsWith(head, length, 'P', 'K', 5, 6)) {
      return Optional.of(ZIP);
    }
    if (looksLikeTar(head, length)) {
      return Optional.of(TAR);
    }
    return Optional.empty();
  }

  /**
   * A ustar/GNU/pax header has "ustar" at offset 257; a pre-POSIX (v7) header has no magic, so a
   * valid header checksum has to do. An all-zero block is the end marker of an empty tar.
   */
  static boolean looksLikeTar(byte[] head, int length) {
    if (length < 512) {
      return false;
    }
    if (head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a'
        && head[261] == 'r') {
      return true;
    }
    boolean allZero = true;
    for (int i = 0; i < 512 && allZero; i++) {
      allZero = head[i] == 0;
    }
    return allZero || TarUtils.verifyCheckSum(head);
  }

  /** What the first bytes look like, for a message: "zip data", "text starting '<!DOCTYPE h'". */
  static String describeContent(byte[] head, int length) {
    if (length == 0) {
      return "an empty file";
    }
    Optional<ArchiveFormat> sniffed = sniff(head, length);
    if (sniffed.isPresent()) {
      return switch (sniffed.get()) {
        case TAR_GZ -> "gzip data";
        case TAR_BZ2 -> "bzip2 data";
        case TAR_XZ -> "xz data";
        case ZIP -> "a zip archive";
        case TAR -> "a tar archive";
      };
    }
    int n = Math.min(length, 32);
    boolean printable = true;
    for (int i = 0; i < n && printable; i++) {
      int b = head[i] & 0xff;
      printable = (b >= 0x20 && b < 0x7f) || b == '\n' || b == '\r' || b == '\t';
    }
    if (printable) {
      String text = new String(head, 0, n, StandardCharsets.US_ASCII)
          .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
      return "text starting '" + text + "'";
    }
    StringBuilder hex = new StringBuilder("unrecognised bytes");
    for (int i = 0; i < Math.min(length, 8); i++) {
      hex.append(String.format(" %02x", head[i] & 0xff));
    }
    return hex.toString();
  }

  private static boolean startsWith(byte[] head, int length, int... magic) {
    if (length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
