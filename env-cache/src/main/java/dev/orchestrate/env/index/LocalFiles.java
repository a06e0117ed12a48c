package dev.orchestrate.env.index;

import dev.orchestrate.env.pep508.PackageName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Blocking work on local distributions ({@code file:} URLs): copying in and reading metadata. */
final class LocalFiles {
  private LocalFiles() {}

  /** The path a {@code file:} URL names. */
  static Path path(DistributionFile file) {
    try {
      URI uri = URI.create(file.url());
      if (!"file".equalsIgnoreCase(uri.getScheme())) {
        throw new IndexException(file.filename() + " is not a local file (" + IndexUrls.redact(file.url()) + ")");
      }
      return Path.of(uri);
    } catch (IllegalArgumentException e) {
      throw new IndexException("invalid file URL for " + file.filename() + ": " + e.getMessage());
    }
  }

  /**
   * Copies the file into {@code directory} through a temporary file, checking a promised sha256,
   * and renames it into place. The source is copied, not linked: a find-links directory may be
   * rewritten later and the copy must not change with it.
   */
  static Path copyInto(DistributionFile file, Path directory) throws IOException {
    if (!IndexUrls.isSafeFilename(file.filename())) {
      throw new IndexException("refusing to copy `" + file.filename() + "`: not a plain file name");
    }
    Path source = path(file);
    if (!Files.isRegularFile(source)) {
      throw new IndexException(file.filename() + " is gone from " + file.source() + " (" + source + ")");
    }
    Path target = directory.resolve(file.filename());
    Files.createDirectories(directory);
    Path temp = Files.createTempFile(directory, "." + file.filename() + ".", ".part");
    try {
      MessageDigest digest = HashingSink.sha256();
      try (InputStream in = Files.newInputStream(source);
           OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
        in.transferTo(out);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (file.sha256().isPresent() && !file.sha256().get().equals(actual)) {
        throw new IndexException.HashMismatch(file.filename() + " from " + file.source()
            + " does not match its promised sha256: expected " + file.sha256().get() + ", got "
            + actual + "; the copy was discarded");
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * The METADATA file of a local wheel: the {@code *.dist-info/METADATA} at the top of the zip
   * whose directory names the project (or the only one). Empty for a zip without one.
   */
  static Optional<byte[]> wheelMetadata(DistributionFile file) throws IOException {
    Path wheel = path(file);
    String project = PackageName.normalize(file.project());
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      ZipEntry only = null;
      int count = 0;
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        String name = entry.getName();
        int slash = name.indexOf('/');
        if (slash < 0 || !name.substring(slash).equals("/METADATA")
            || !name.substring(0, slash).toLowerCase(Locale.ROOT).endsWith(".dist-info")) {
          continue;
        }
        String dir = name.substring(0, slash);
        int dash = dir.lastIndexOf('-');
        if (dash > 0 && PackageName.normalize(dir.substring(0, dash)).equals(project)) {
          return Optional.of(read(zip, entry));
        }
        only = entry;
        count++;
      }
      return count == 1 ? Optional.of(read(zip, only)) : Optional.empty();
    }
  }

  private static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readNBytes(16 * 1024 * 1024); // METADATA is small; a huge one is not ours to load
    }
  }
}
