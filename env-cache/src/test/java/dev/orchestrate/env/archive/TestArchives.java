package dev.orchestrate.env.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Writes test archives entry by entry, including the kinds no honest tool produces: names are
 * stored exactly as given (no stripping of "/" or "..").
 */
final class TestArchives {

  private TestArchives() {}

  /** A tar under construction; {@link #writeTarGz} and friends write it out. */
  static final class Tar {
    private record Entry(String name, byte flag, String link, byte[] content, long zeros,
        int mode) {}

    private final List<Entry> entries = new ArrayList<>();

    Tar dir(String name) {
      entries.add(new Entry(name, TarConstants.LF_DIR, null, new byte[0], 0, 0755));
      return this;
    }

    Tar file(String name, String content) {
      return file(name, content, 0644);
    }

    Tar file(String name, String content, int mode) {
      entries.add(new Entry(name, TarConstants.LF_NORMAL, null,
          content.getBytes(StandardCharsets.UTF_8), 0, mode));
      return this;
    }

    /** A file of {@code size} zero bytes: compresses to almost nothing. */
    Tar zeros(String name, long size) {
      entries.add(new Entry(name, TarConstants.LF_NORMAL, null, new byte[0], size, 0644));
      return this;
    }

    Tar symlink(String name, String target) {
      entries.add(new Entry(name, TarConstants.LF_SYMLINK, target, new byte[0], 0, 0777));
      return this;
    }

    Tar hardLink(String name, String target) {
      entries.add(new Entry(name, TarConstants.LF_LINK, target, new byte[0], 0, 0644));
      return this;
    }

    Tar special(String name, byte flag) {
      entries.add(new Entry(name, flag, null, new byte[0], 0, 0644));
      return this;
    }

    Path writeTar(Path path) throws IOException {
      try (OutputStream out = Files.newOutputStream(path)) {
        write(out);
      }
      return path;
    }

    Path writeTarGz(Path path) throws IOException {
      try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(path))) {
        write(out);
      }
      return path;
    }

    Path writeTarBz2(Path path) throws IOException {
      try (OutputStream out = new BZip2CompressorOutputStream(Files.newOutputStream(path))) {
        write(out);
      }
      return path;
    }

    private void write(OutputStream out) throws IOException {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      for (Entry e : entries) {
        // preserveAbsolutePath = true: keep "/abs" and "C:" exactly as written.
        TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.flag(), true);
        entry.setMode(e.mode());
        if (e.link() != null) {
          entry.setLinkName(e.link());
        }
        long size = e.flag() == TarConstants.LF_NORMAL ? e.content().length + e.zeros() : 0;
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        tar.write(e.content());
        byte[] chunk = new byte[64 * 1024];
        for (long left = e.zeros(); left > 0; left -= chunk.length) {
          tar.write(chunk, 0, (int) Math.min(left, chunk.length));
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }

  /** A zip under construction. */
  static final class Zip {
    private record Entry(String name, byte[] content, int unixMode, long zeros) {}

    private final List<Entry> entries = new ArrayList<>();

    Zip dir(String name) {
      entries.add(new Entry(name, new byte[0], 0, 0));
      return this;
    }

    Zip file(String name, String content) {
      entries.add(new Entry(name, content.getBytes(StandardCharsets.UTF_8), 0, 0));
      return this;
    }

    /** With a Unix mode, which also marks the entry as made on Unix. */
    Zip file(String name, String content, int unixMode) {
      entries.add(new Entry(name, content.getBytes(StandardCharsets.UTF_8), unixMode, 0));
      return this;
    }

    Zip zeros(String name, long size) {
      entries.add(new Entry(name, new byte[0], 0, size));
      return this;
    }

    Zip symlink(String name, String target) {
      entries.add(new Entry(name, target.getBytes(StandardCharsets.UTF_8), 0120777, 0));
      return this;
    }

    Path write(Path path) throws IOException {
      try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(path)) {
        for (Entry e : entries) {
          ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
          if (e.unixMode() != 0) {
            entry.setUnixMode(e.unixMode());
          }
          zip.putArchiveEntry(entry);
          zip.write(e.content());
          byte[] chunk = new byte[64 * 1024];
          for (long left = e.zeros(); left > 0; left -= chunk.length) {
            zip.write(chunk, 0, (int) Math.min(left, chunk.length));
          }
          zip.closeArchiveEntry();
        }
      }
      return path;
    }
  }
}
