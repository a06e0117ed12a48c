package dev.orchestrate.state;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What a file's metadata says about its content, as git's index keeps it: while size,
 * modification time and identity (device and inode) are unchanged, the content is taken to be
 * unchanged too.
 *
 * @param fileKey the file system's identity of the file ({@code (dev=..,ino=..)} on Linux), or ""
 */
public record Stamp(long size, long mtimeNanos, String fileKey) {
  /**
   * A file modified this shortly before we looked may change again within the same clock tick
   * without its stamp changing ("racy git"): such stamps are not trusted across runs. File
   * systems with sub-second timestamps tick in milliseconds; the others (FAT, some network
   * file systems) in up to two seconds.
   */
  static final long RACY_FINE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  static final long RACY_COARSE_NANOS = TimeUnit.SECONDS.toNanos(2);

  public Stamp {
    Objects.requireNonNull(fileKey, "fileKey");
  }

  public static Stamp of(BasicFileAttributes attributes) {
    Object key = attributes.fileKey();
    return new Stamp(attributes.isDirectory() ? 0 : attributes.size(),
        attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), key == null ? "" : key.toString());
  }

  /** Whether the file changed so shortly before {@code nowNanos} (epoch) that this stamp may lie. */
  public boolean racyAt(long nowEpochNanos) {
    boolean fine = mtimeNanos % 1_000_000_000L != 0;
    return nowEpochNanos - mtimeNanos < (fine ? RACY_FINE_NANOS : RACY_COARSE_NANOS);
  }

  /** {@code size:mtime:key}, as the state files store it. */
  public String text() {
    return size + ":" + mtimeNanos + ":" + fileKey;
  }

  public static Stamp parse(String text) {
    int a = text.indexOf(':');
    int b = text.indexOf(':', a + 1);
    if (a < 0 || b < 0) {
      throw new IllegalArgumentException("not a stamp: " + text);
    }
    return new Stamp(Long.parseLong(text.substring(0, a)), Long.parseLong(text.substring(a + 1, b)),
        text.substring(b + 1));
  }

  static long nowEpochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
