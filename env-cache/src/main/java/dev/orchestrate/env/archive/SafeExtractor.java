package dev.orchestrate.env.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.orchestrate.env.store.TestPoints;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZUtils;

/**
 * Unpacks sdists ({@code .tar.gz}, legacy {@code .zip}) and wheels into a new directory, all or
 * nothing. Blocking: call it from a worker thread.
 *
 * <p>The archive is unpacked into a private temporary directory next to the destination (so the
 * final rename stays on one file system) and renamed into place only once every entry passed.
 * On any failure the temporary directory is deleted and the destination never appears.
 *
 * <p>The rules follow the {@code tarfile} "data" filter (PEP 706) and what pip and uv refuse, a
 * little stricter where being strict costs real sdists nothing:
 *
 * <ul>
 *   <li>names: no absolute paths, no Windows drive letters or backslashes, no NUL, nothing that
 *       normalises to outside the root ({@code a/../b} is fine);
 *   <li>symlinks: relative targets that stay inside the root, checked through the other links;
 *       nothing is ever written through a symlink, even one pointing inside;
 *   <li>hard links: only to a regular file extracted earlier, and unpacked as a copy;
 *   <li>no device files, FIFOs or unknown entry types;
 *   <li>no entry replaces an earlier one, except a directory repeated as a directory;
 *   <li>permissions: 0644, or 0755 when the archive gave any execute bit; never setuid, setgid or
 *       group/world writable. Owners and groups in the archive are ignored;
 *   <li>bombs: limits on bytes written and entries read ({@link ExtractLimits}).
 * </ul>
 */
public final class SafeExtractor {

  private static final int HEAD_BYTES = 512;
  private static final int BUFFER_BYTES = 64 * 1024;
  /**
   * Tar framing around content: a 512-byte header, padding, pax or GNU long-name records. The
   * decompressed stream is capped at the byte limit plus this much per entry, so a bomb made of
   * framing (or of content we would skip) cannot keep the decompressor busy forever either.
   */
  private static final long TAR_FRAMING_PER_ENTRY = 8 * 1024;
  private static final long TAR_FRAMING_SLACK = 1 << 20;
  /** xz's dictionary can ask for gigabytes; real .tar.xz files need far less. */
  private static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;
  private static final int MAX_LISTED_NAMES = 20;

  private SafeExtractor() {}

  /** {@link #extract(Path, Path, ExtractLimits)} with {@link ExtractLimits#DEFAULTS}. */
  public static ExtractResult extract(Path archive, Path destination) throws IOException {
    return extract(archive, destination, ExtractLimits.DEFAULTS);
  }

  /**
   * Unpacks {@code archive} into {@code destination}, which must not exist yet (its parent is
   * created if needed).
   *
   * @throws UnsafeArchiveException an entry breaks a safety rule or a limit
   * @throws UnsupportedArchiveException the name and content do not agree on a format we read
   * @throws ArchiveException the archive is corrupt or truncated, or writing failed
   * @throws FileAlreadyExistsException {@code destination} exists
   */
  public static ExtractResult extract(Path archive, Path destination, ExtractLimits limits)
      throws IOException {
    return run(archive, destination, limits, false);
  }

  /** {@link #extractSdist(Path, Path, ExtractLimits)} with {@link ExtractLimits#DEFAULTS}. */
  public static ExtractResult extractSdist(Path archive, Path destination) throws IOException {
    return extractSdist(archive, destination, ExtractLimits.DEFAULTS);
  }

  /**
   * {@link #extract(Path, Path, ExtractLimits)}, and the result must be laid out like an sdist:
   * exactly one top-level directory, returned as {@link ExtractResult#topLevelDirectory()}. A
   * missing {@code PKG-INFO} in it is a warning in the result, not a failure (old sdists and
   * hand-made ones lack it; the build backend can still produce metadata).
   *
   * @throws InvalidSdistException the layout is wrong; nothing is left behind
   */
  public static ExtractResult extractSdist(Path archive, Path destination, ExtractLimits limits)
      throws IOException {
    return run(archive, destination, limits, true);
  }

  /**
   * The single top-level directory of an already extracted sdist.
   *
   * @throws InvalidSdistException {@code extracted} is empty, holds more than one entry (they are
   *     named in the message), or its only entry is not a directory
   */
  public static Path singleTopLevelDirectory(Path extracted) throws IOException {
    return extracted.resolve(sdistDirectoryName(extracted, extracted));
  }

  private static ExtractResult run(Path archive, Path destination, ExtractLimits limits,
      boolean sdist) throws IOException {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(limits, "limits");
    Path target = destination.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("Cannot extract into the file system root: " + target);
    }
    ArchiveFormat format = detect(archive);
    if (Files.exists(target, NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString(), null,
          "the extraction destination must not exist yet");
    }
    Files.createDirectories(parent);
    // Same directory as the destination: same file system, so the final move is a rename. The
    // dot keeps it out of casual listings; createTempDirectory makes it 0700 until we are done.
    String base = target.getFileName().toString();
    Path staging = Files.createTempDirectory(parent,
        "." + base.substring(0, Math.min(base.length(), 64)) + ".partial-");
    try {
      Extraction extraction = new Extraction(archive, staging, limits);
      unpack(format, archive, extraction, limits);

      List<String> names = topLevelNames(staging);
      Optional<String> top = names.size() == 1
          && Files.isDirectory(staging.resolve(names.get(0)), NOFOLLOW_LINKS)
          ? Optional.of(names.get(0)) : Optional.empty();
      List<String> warnings = new ArrayList<>();
      if (sdist) {
        String name = sdistDirectoryName(archive, staging);
        if (!Files.isRegularFile(staging.resolve(name).resolve("PKG-INFO"), NOFOLLOW_LINKS)) {
          warnings.add(archive.getFileName() + ": " + name + "/PKG-INFO is missing; the sdist"
              + " does not follow the sdist specification, so its metadata has to come from"
              + " the build backend");
        }
      }
      if (staging.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return new ExtractResult(target, format, top.map(target::resolve),
          extraction.fileCount(), extraction.totalBytes(), warnings);
    } catch (Throwable t) {
      deleteTree(staging, t);
      throw t;
    }
  }

  /** The format the name promises, once the content has confirmed it. */
  private static ArchiveFormat detect(Path archive) throws IOException {
    Path fileName = archive.getFileName();
    Optional<ArchiveFormat> byName =
        ArchiveFormat.fromFileName(fileName == null ? "" : fileName.toString());
    byte[] head = new byte[HEAD_BYTES];
    int length;
    try (InputStream in = Files.newInputStream(archive)) {
      length = in.readNBytes(head, 0, head.length);
    }
    Optional<ArchiveFormat> byContent = ArchiveFormat.sniff(head, length);
    String content = ArchiveFormat.describeContent(head, length);
    if (byName.isEmpty()) {
      throw new UnsupportedArchiveException(archive, "Cannot tell the format of " + archive
          + " from its name (it contains " + content + "); expected a name ending in "
          + ArchiveFormat.allSuffixes());
    }
    ArchiveFormat format = byName.get();
    if (byContent.isEmpty() || byContent.get() != format) {
      throw new UnsupportedArchiveException(archive, archive + " is named like a "
          + format.description() + " archive but contains " + content);
    }
    if (format == ArchiveFormat.TAR_XZ && !XZUtils.isXZCompressionAvailable()) {
      throw new UnsupportedArchiveException(archive, "Cannot extract " + archive
          + ": xz needs the optional org.tukaani:xz library, which is not on the class path");
    }
    return format;
  }

  /**
   * Runs the format's reader. Anything but our own verdicts (a truncated stream, a malformed
   * header, a full disk) becomes an {@link ArchiveException} naming the archive and the entry.
   */
  private static void unpack(ArchiveFormat format, Path archive, Extraction extraction,
      ExtractLimits limits) throws IOException {
    try {
      if (format == ArchiveFormat.ZIP) {
        unpackZip(archive, extraction);
      } else {
        unpackTar(format, archive, extraction, limits);
      }
      extraction.finish();
    } catch (ArchiveException | InterruptedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String at = extraction.currentEntry() == null
          ? "" : " at entry " + EntryNames.quote(extraction.currentEntry());
      throw new ArchiveException(archive, "Cannot extract " + archive + at + ": "
          + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static void unpackTar(ArchiveFormat format, Path archive, Extraction extraction,
      ExtractLimits limits) throws IOException {
    long cap = limits.maxTotalBytes() + TAR_FRAMING_SLACK
        + TAR_FRAMING_PER_ENTRY * (limits.maxEntries() + 1L);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), BUFFER_BYTES);
        InputStream decompressed = decompress(format, raw)) {
      CappedInputStream capped = new CappedInputStream(decompressed, cap);
      InputStream in = new BufferedInputStream(capped, BUFFER_BYTES);
      in.mark(HEAD_BYTES);
      byte[] head = in.readNBytes(HEAD_BYTES);
      in.reset();
      if (!ArchiveFormat.looksLikeTar(head, head.length)) {
        throw new UnsupportedArchiveException(archive, archive + " is named like a "
            + format.description() + " archive, but what it decompresses to is not a tar: "
            + ArchiveFormat.describeContent(head, head.length));
      }
      try {
        readTar(archive, new TarArchiveInputStream(in, StandardCharsets.UTF_8.name()),
            extraction);
      } catch (IOException e) {
        if (capped.exceeded() && !(e instanceof ArchiveException)) {
          // Framing, not content: blame the entry whose headers or data were being read.
          String entry = extraction.currentEntry() == null
              ? "(start of archive)" : extraction.currentEntry();
          throw extraction.unsafe(entry, "is at or before the point where the decompressed"
              + " archive passed " + cap + " bytes, more than the byte and entry limits allow"
              + " for");
        }
        throw e;
      }
    }
  }

  private static InputStream decompress(ArchiveFormat format, InputStream raw)
      throws IOException {
    return switch (format) {
      case TAR -> raw;
      case TAR_GZ -> GzipCompressorInputStream.builder()
          .setInputStream(raw).setDecompressConcatenated(true).get();
      case TAR_BZ2 -> new BZip2CompressorInputStream(raw, true);
      case TAR_XZ -> XZCompressorInputStream.builder().setInputStream(raw)
          .setDecompressConcatenated(true).setMemoryLimitKiB(XZ_MEMORY_LIMIT_KIB).get();
      case ZIP -> throw new IllegalArgumentException("not a tar format: " + format);
    };
  }

  private static void readTar(Path archive, TarArchiveInputStream tar, Extraction extraction)
      throws IOException {
    TarArchiveEntry entry;
    while ((entry = tar.getNextEntry()) != null) {
      if (entry.isPaxHeader() || entry.isGlobalPaxHeader()) {
        continue; // metadata for other entries, applied by the reader
      }
      String name = entry.getName();
      // Type flags first: isFile() and isDirectory() also answer true for some other types.
      if (entry.isSymbolicLink()) {
        extraction.symlink(name, entry.getLinkName());
      } else if (entry.isLink()) {
        extraction.hardLink(name, entry.getLinkName(), entry.getMode(),
            entry.getLastModifiedTime());
      } else if (entry.isCharacterDevice()) {
        extraction.refuse(name, "is a character device");
      } else if (entry.isBlockDevice()) {
        extraction.refuse(name, "is a block device");
      } else if (entry.isFIFO()) {
        extraction.refuse(name, "is a FIFO (named pipe)");
      } else if (entry.isDirectory()) {
        extraction.directory(name);
      } else if (isRegularFile(entry)) {
        if (!tar.canReadEntryData(entry)) {
          throw new UnsupportedArchiveException(archive, "Cannot extract " + archive
              + ": entry " + EntryNames.quote(name) + " is stored in a form (a sparse file"
              + " variant) this extractor cannot read");
        }
        extraction.file(name, entry.getMode(), entry.getRealSize(),
            entry.getLastModifiedTime(), tar);
      } else {
        extraction.refuse(name, "has an unsupported tar entry type "
            + EntryNames.quote(String.valueOf((char) entry.getLinkFlag())));
      }
    }
  }

  private static boolean isRegularFile(TarArchiveEntry entry) {
    byte flag = entry.getLinkFlag();
    return flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_NORMAL
        || flag == TarConstants.LF_CONTIG || entry.isSparse();
  }

  /**
   * Zip entries come from the central directory, in its order, as Python's {@code zipfile}
   * reads them; a Unix mode in the external attributes says whether an entry is a symlink (its
   * content is the target) or a special file.
   */
  private static void unpackZip(Path archive, Extraction extraction) throws IOException {
    try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
      Enumeration<ZipArchiveEntry> entries = zip.getEntries();
      int files = 0;
      while (entries.hasMoreElements()) {
        ZipArchiveEntry entry = entries.nextElement();
        String name = entry.getName();
        int mode = entry.getUnixMode(); // 0 unless the zip was made on Unix
        int type = mode & 0170000;
        if (name.endsWith("/") || type == 0040000) {
          extraction.directory(name);
        } else if (type == 0 || type == 0100000) {
          if (!zip.canReadEntryData(entry)) {
            throw new UnsupportedArchiveException(archive, "Cannot extract " + archive
                + ": entry " + EntryNames.quote(name) + " is encrypted or uses unsupported"
                + " compression method " + entry.getMethod());
          }
          try (InputStream in = zip.getInputStream(entry)) {
            extraction.file(name, mode, entry.getSize(), entry.getLastModifiedTime(), in);
          }
          if (++files == 5) {
            TestPoints.reach("unpack.partial"); // tests kill a process with a half-written tree
          }
        } else if (type == 0120000) {
          String target;
          try (InputStream in = zip.getInputStream(entry)) {
            // One byte over the limit is enough for symlink() to refuse an overlong target.
            target = new String(in.readNBytes(Extraction.MAX_LINK_TARGET + 1),
                StandardCharsets.UTF_8);
          }
          extraction.symlink(name, target);
        } else if (type == 0020000) {
          extraction.refuse(name, "is a character device");
        } else if (type == 0060000) {
          extraction.refuse(name, "is a block device");
        } else if (type == 0010000) {
          extraction.refuse(name, "is a FIFO (named pipe)");
        } else if (type == 0140000) {
          extraction.refuse(name, "is a socket");
        } else {
          extraction.refuse(name, "has an unknown file type " + Integer.toOctalString(type));
        }
      }
    }
  }

  private static String sdistDirectoryName(Path subject, Path tree) throws IOException {
    List<String> names = topLevelNames(tree);
    if (names.isEmpty()) {
      throw new InvalidSdistException(subject, "Not a valid sdist: " + subject
          + " is empty; expected a single top-level {name}-{version}/ directory");
    }
    if (names.size() > 1) {
      throw new InvalidSdistException(subject, "Not a valid sdist: " + subject
          + " must contain exactly one top-level {name}-{version}/ directory, but has "
          + names.size() + " top-level entries: " + list(names));
    }
    String only = names.get(0);
    if (!Files.isDirectory(tree.resolve(only), NOFOLLOW_LINKS)) {
      throw new InvalidSdistException(subject, "Not a valid sdist: the only top-level entry of "
          + subject + ", " + EntryNames.quote(only) + ", is not a directory");
    }
    return only;
  }

  private static List<String> topLevelNames(Path tree) throws IOException {
    try (Stream<Path> children = Files.list(tree)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String list(List<String> names) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size() && i < MAX_LISTED_NAMES; i++) {
      sb.append(i == 0 ? "" : ", ").append(EntryNames.quote(names.get(i)));
    }
    if (names.size() > MAX_LISTED_NAMES) {
      sb.append(" and ").append(names.size() - MAX_LISTED_NAMES).append(" more");
    }
    return sb.toString();
  }

  /** Deletes what a failed extraction wrote, never following links out of it. */
  private static void deleteTree(Path tree, Throwable failure) {
    try {
      Files.walkFileTree(tree, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
            throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** Counts decompressed bytes and fails once they pass the cap; remembers that it did. */
  private static final class CappedInputStream extends FilterInputStream {
    private final long cap;
    private long count;
    private boolean exceeded;

    CappedInputStream(InputStream in, long cap) {
      super(in);
      this.cap = cap;
    }

    boolean exceeded() {
      return exceeded;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Through read(), so skipped bytes count too.
      byte[] scratch = new byte[(int) Math.min(n, BUFFER_BYTES)];
      int read = read(scratch, 0, scratch.length);
      return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void add(long n) throws IOException {
      count += n;
      if (count > cap) {
        exceeded = true;
        throw new IOException("decompressed archive exceeds " + cap + " bytes");
      }
    }
  }
}
