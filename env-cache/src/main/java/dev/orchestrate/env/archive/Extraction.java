package dev.orchestrate.env.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One extraction into a fresh private directory ({@code root}), entry by entry, in archive order.
 * The format readers translate their entries into the calls below; everything that decides what
 * is safe lives here, so tar and zip follow exactly the same rules.
 *
 * <p>Nothing here ever follows a link in the tree: parents are checked with {@code NOFOLLOW_LINKS}
 * one segment at a time, files are opened {@code CREATE_NEW} + {@code NOFOLLOW_LINKS}, and an
 * existing path is never replaced. Because of that, the only way an entry can reach outside the
 * root is through a symlink's target, and those are checked twice: when created, and again at the
 * end, when every other link they might pass through exists.
 */
final class Extraction {

  /** Longer than any real symlink target (PATH_MAX is 4096 on Linux). */
  static final int MAX_LINK_TARGET = 4096;
  /** Like the kernel's limit on symlink chains (40 on Linux). */
  private static final int MAX_LINK_HOPS = 40;
  /** Times outside 1970..9999 are junk (or a probe for overflow bugs); such files keep "now". */
  private static final long MAX_MTIME_SECONDS = 253_402_300_799L;

  private static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> EXECUTABLE_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private record Symlink(String entry, List<String> segments) {}

  private final Path archive;
  private final Path root;
  private final ExtractLimits limits;
  private final boolean posix;
  /** Normalised path of every regular file written: the only legal hard-link targets. */
  private final Map<String, Path> regularFiles = new HashMap<>();
  private final List<Symlink> symlinks = new ArrayList<>();
  private int entries;
  private int files;
  private long bytes;
  private String currentEntry;

  Extraction(Path archive, Path root, ExtractLimits limits) {
    this.archive = archive;
    this.root = root;
    this.limits = limits;
    this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  int fileCount() {
    return files;
  }

  long totalBytes() {
    return bytes;
  }

  /** The entry being extracted, for errors raised below the entry level (a truncated stream). */
  String currentEntry() {
    return currentEntry;
  }

  UnsafeArchiveException unsafe(String entry, String reason) {
    return new UnsafeArchiveException(archive, entry, reason);
  }

  void directory(String name) throws IOException {
    List<String> segments = begin(name);
    if (segments.isEmpty()) {
      return; // "./": the root, which exists
    }
    Path target = prepareParents(name, segments);
    BasicFileAttributes existing = attributes(target);
    if (existing == null) {
      createDirectory(target);
    } else if (!existing.isDirectory()) {
      // Repeated directory entries are normal (tar -r, hand-made tars); anything else is not.
      throw unsafe(name, "duplicates an earlier entry: it would replace a " + describe(existing)
          + " with a directory");
    }
  }

  void file(String name, int mode, long declaredSize, FileTime modified, InputStream content)
      throws IOException {
    List<String> segments = beginNonRoot(name);
    Path target = prepareParents(name, segments);
    requireAbsent(name, target, "a file");
    checkDeclaredSize(name, declaredSize);
    write(name, target, mode, content);
    setModified(target, modified);
    regularFiles.put(EntryNames.join(segments), target);
    files++;
  }

  /**
   * A hard link becomes a copy of its target. The target must be a regular file this extraction
   * already wrote (tar hard links point backwards by definition), which rules out links to
   * anything outside, to directories, to symlinks and to themselves. Copying rather than linking
   * keeps each file's mode its own and makes every copy count towards the size limit, so a
   * thousand links to one large file cannot dodge it.
   */
  void hardLink(String name, String linkTarget, int mode, FileTime modified) throws IOException {
    List<String> segments = beginNonRoot(name);
    String quotedTarget = EntryNames.quote(linkTarget);
    if (linkTarget == null || linkTarget.length() > MAX_LINK_TARGET) {
      throw unsafe(name, "is a hard link with a missing or overlong target");
    }
    List<String> targetSegments;
    try {
      targetSegments = EntryNames.normalise(linkTarget);
    } catch (Refusal r) {
      throw unsafe(name, "is a hard link whose target " + quotedTarget + " " + r.getMessage());
    }
    Path source = regularFiles.get(EntryNames.join(targetSegments));
    if (source == null) {
      throw unsafe(name, "is a hard link to " + quotedTarget
          + ", which is not a regular file extracted earlier from this archive");
    }
    Path target = prepareParents(name, segments);
    requireAbsent(name, target, "a hard link");
    checkDeclaredSize(name, Files.size(source));
    try (InputStream in = Files.newInputStream(source, NOFOLLOW_LINKS)) {
      write(name, target, mode, in);
    }
    setModified(target, modified);
    regularFiles.put(EntryNames.join(segments), target);
    files++;
  }

  void symlink(String name, String linkTarget) throws IOException {
    List<String> segments = beginNonRoot(name);
    if (linkTarget == null || linkTarget.length() > MAX_LINK_TARGET) {
      throw unsafe(name, "is a symbolic link with a missing or overlong target");
    }
    Path target = prepareParents(name, segments);
    requireAbsent(name, target, "a symbolic link");
    checkLinkTarget(name, segments, linkTarget);
    Files.createSymbolicLink(target, root.getFileSystem().getPath(linkTarget));
    symlinks.add(new Symlink(name, segments));
  }

  /** Device files, FIFOs and unknown types: nothing a Python package legitimately contains. */
  void refuse(String name, String reason) throws IOException {
    begin(name);
    throw unsafe(name, reason);
  }

  /**
   * Rechecks every symlink now that the tree is complete: {@code y -> x/../etc} looks harmless
   * while {@code x} is missing, but not once a later entry made {@code x -> .}.
   */
  void finish() throws IOException {
    for (Symlink link : symlinks) {
      String linkTarget = Files.readSymbolicLink(resolve(link.segments())).toString();
      checkLinkTarget(link.entry(), link.segments(), linkTarget);
    }
  }

  private List<String> begin(String name) throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("Extraction of " + archive + " was interrupted");
    }
    currentEntry = name;
    if (++entries > limits.maxEntries()) {
      throw unsafe(name, "is past the limit of " + limits.maxEntries()
          + " entries per archive (ExtractLimits.maxEntries)");
    }
    try {
      return EntryNames.normalise(name);
    } catch (Refusal r) {
      throw unsafe(name, r.getMessage());
    }
  }

  private List<String> beginNonRoot(String name) throws IOException {
    List<String> segments = begin(name);
    if (segments.isEmpty()) {
      throw unsafe(name, "would replace the extraction root itself");
    }
    return segments;
  }

  /**
   * Walks the parents one segment at a time without following links, creating missing ones as
   * plain directories. A parent that is a symlink is refused even when it points inside the
   * root: writing through links is the classic {@code link -> /tmp}, {@code link/evil} attack,
   * and refusing it outright means no later entry depends on where a link points.
   */
  private Path prepareParents(String name, List<String> segments) throws IOException {
    Path path = root;
    for (int i = 0; i < segments.size() - 1; i++) {
      path = path.resolve(segments.get(i));
      BasicFileAttributes existing = attributes(path);
      if (existing == null) {
        createDirectory(path);
      } else if (existing.isSymbolicLink()) {
        throw unsafe(name, "would be written through the symbolic link "
            + EntryNames.quote(EntryNames.join(segments.subList(0, i + 1))));
      } else if (!existing.isDirectory()) {
        throw unsafe(name, "would be written inside "
            + EntryNames.quote(EntryNames.join(segments.subList(0, i + 1)))
            + ", which is not a directory");
      }
    }
    Path target = path.resolve(segments.get(segments.size() - 1));
    if (!target.normalize().startsWith(root)) {
      // Unreachable after EntryNames.normalise; kept so a future change there cannot go unnoticed.
      throw unsafe(name, "escapes the extraction root");
    }
    return target;
  }

  private void requireAbsent(String name, Path target, String what) throws IOException {
    BasicFileAttributes existing = attributes(target);
    if (existing != null) {
      throw unsafe(name, "duplicates an earlier entry: it would replace a " + describe(existing)
          + " with " + what);
    }
  }

  /**
   * Resolves a symlink target the way the kernel would, following the links already in the tree
   * (a link in the middle of the target changes what a later {@code ..} means), and refuses it if
   * any step leaves the root. Absolute targets are refused outright: they name the host's file
   * system, not the archive's. Components that do not exist yet resolve lexically.
   */
  private void checkLinkTarget(String name, List<String> segments, String linkTarget)
      throws IOException {
    try {
      resolveLink(segments.subList(0, segments.size() - 1), linkTarget, new int[] {0});
    } catch (Refusal r) {
      throw unsafe(name, "is a symbolic link whose target " + EntryNames.quote(linkTarget) + " "
          + r.getMessage());
    }
  }

  private List<String> resolveLink(List<String> base, String linkTarget, int[] hops)
      throws Refusal, IOException {
    EntryNames.checkSyntax(linkTarget);
    List<String> at = new ArrayList<>(base);
    for (String segment : linkTarget.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (at.isEmpty()) {
          throw new Refusal("points outside the extraction root");
        }
        at.remove(at.size() - 1);
        continue;
      }
      at.add(segment);
      Path path = resolve(at);
      if (Files.isSymbolicLink(path)) {
        if (++hops[0] > MAX_LINK_HOPS) {
          throw new Refusal("goes through too many levels of symbolic links");
        }
        String next = Files.readSymbolicLink(path).toString();
        at.remove(at.size() - 1);
        at = resolveLink(at, next, hops);
      }
    }
    return at;
  }

  private void checkDeclaredSize(String name, long declaredSize) throws UnsafeArchiveException {
    // Fails early on an honest header; the real guard is the byte count in write().
    if (declaredSize > 0 && declaredSize > limits.maxTotalBytes() - bytes) {
      throw unsafe(name, "declares " + declaredSize + " bytes, which would take the archive past"
          + " the limit of " + limits.maxTotalBytes() + " extracted bytes"
          + " (ExtractLimits.maxTotalBytes)");
    }
  }

  private void write(String name, Path target, int mode, InputStream content) throws IOException {
    Set<OpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW_LINKS);
    // Any x bit in the archive makes the file executable (as pip does); everything else, setuid,
    // setgid, sticky and group/other write included, is dropped.
    boolean executable = (mode & 0111) != 0;
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(executable ? EXECUTABLE_MODE : FILE_MODE)}
        : new FileAttribute<?>[0];
    try (OutputStream out = Channels.newOutputStream(
        Files.newByteChannel(target, options, attributes))) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = content.read(buffer)) > 0) {
        bytes += n;
        if (bytes > limits.maxTotalBytes()) {
          throw unsafe(name, "takes the archive past the limit of " + limits.maxTotalBytes()
              + " extracted bytes (ExtractLimits.maxTotalBytes)");
        }
        out.write(buffer, 0, n);
      }
    }
  }

  private void createDirectory(Path path) throws IOException {
    if (posix) {
      Files.createDirectory(path, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
    } else {
      Files.createDirectory(path);
    }
  }

  private static void setModified(Path target, FileTime modified) throws IOException {
    if (modified != null) {
      long seconds = modified.to(TimeUnit.SECONDS);
      if (seconds >= 0 && seconds <= MAX_MTIME_SECONDS) {
        Files.setLastModifiedTime(target, modified);
      }
    }
  }

  private Path resolve(List<String> segments) {
    Path path = root;
    for (String segment : segments) {
      path = path.resolve(segment);
    }
    return path;
  }

  private static BasicFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static String describe(BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "directory";
    } else if (attributes.isSymbolicLink()) {
      return "symbolic link";
    } else if (attributes.isRegularFile()) {
      return "file";
    }
    return "special file";
  }
}
