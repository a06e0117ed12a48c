package dev.orchestrate.env.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.archive.TestArchives.Tar;
import dev.orchestrate.env.archive.TestArchives.Zip;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every archive here is hostile. Each must be refused with a message naming the archive and the
 * entry, write nothing anywhere (the whole temp tree is compared before and after), and leave no
 * destination and no staging directory behind.
 */
class UnsafeArchiveTest {

  @TempDir
  Path tmp;
  Path archives;
  Path outside;
  Path destination;

  @BeforeEach
  void setUp() throws IOException {
    archives = Files.createDirectories(tmp.resolve("archives"));
    // Where escapes would land if they worked: next to the destination, and a known directory
    // for absolute links to point at.
    outside = Files.createDirectories(tmp.resolve("outside"));
    destination = tmp.resolve("out").resolve("dest");
  }

  @Test
  void parentTraversal() throws IOException {
    Path archive = new Tar().file("../evil", "pwned").writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "../evil", "escapes the extraction root");
  }

  @Test
  void absolutePath() throws IOException {
    Path archive = new Tar().file("/abs/evil", "pwned").writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "/abs/evil", "is an absolute path");
    assertFalse(Files.exists(Path.of("/abs/evil"), NOFOLLOW_LINKS));
  }

  @Test
  void normalisedTraversal() throws IOException {
    Path archive = new Tar().dir("a/").file("a/../../evil", "pwned")
        .writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "a/../../evil", "escapes the extraction root");
  }

  @ParameterizedTest
  @ValueSource(strings = {"C:/evil", "c:evil", "pkg\\..\\..\\evil"})
  void windowsTricks(String name) throws IOException {
    Path archive = new Tar().file(name, "pwned").writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, name);
  }

  @Test
  void nulInName() throws IOException {
    // A tar header cannot hold a NUL in a name (it ends the name); a zip's length-prefixed one can.
    Path archive = new Zip().file("pkg/\0evil", "pwned").write(archives.resolve("a.zip"));
    assertRefused(archive, "pkg/\0evil", "contains a NUL character");
  }

  @Test
  void absoluteSymlinkThenFileThroughIt() throws IOException {
    Path archive = new Tar().symlink("link", "/etc").file("link/evil", "pwned")
        .writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "link", "is a symbolic link whose target '/etc' is an absolute path");
    assertFalse(Files.exists(Path.of("/etc/evil"), NOFOLLOW_LINKS));
  }

  @Test
  void absoluteSymlinkToObservableDirectory() throws IOException {
    Path archive = new Tar().symlink("link", outside.toString()).file("link/evil", "pwned")
        .writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "link", "is an absolute path");
  }

  @Test
  void writeThroughInternalSymlink() throws IOException {
    // Even a link that points inside is never written through: the file must not land in sub/.
    Path archive = new Tar().dir("pkg/").dir("pkg/sub/").symlink("pkg/link", "sub")
        .file("pkg/link/evil", "pwned").writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "pkg/link/evil", "would be written through the symbolic link 'pkg/link'");
  }

  @Test
  void relativeSymlinkEscape() throws IOException {
    Path archive = new Tar().dir("pkg/").symlink("pkg/x", "../../x")
        .writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "pkg/x", "target '../../x' points outside the extraction root");
  }

  static Stream<Arguments> symlinkChains() {
    // d/y -> x/../../evil is inside by spelling (d/x/../../evil = evil) but with d/x -> . it
    // really is d/../../evil, above the root. Either order must be caught.
    return Stream.of(
        Arguments.of("link first", List.of("y", "x")),
        Arguments.of("link after", List.of("x", "y")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("symlinkChains")
  void symlinkChainEscape(String label, List<String> order) throws IOException {
    Tar tar = new Tar().dir("d/");
    for (String which : order) {
      if (which.equals("y")) {
        tar.symlink("d/y", "x/../../evil");
      } else {
        tar.symlink("d/x", ".");
      }
    }
    Path archive = tar.writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "d/y", "points outside the extraction root");
  }

  @Test
  void symlinkLoop() throws IOException {
    Path archive = new Tar().symlink("a", "b").symlink("b", "a")
        .writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, null, "too many levels of symbolic links");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../etc/passwd", "/etc/passwd"})
  void hardLinkOutside(String target) throws IOException {
    Path archive = new Tar().dir("pkg/").hardLink("pkg/hl", target)
        .writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "pkg/hl", "is a hard link whose target");
  }

  @Test
  void hardLinkToEntryNotYetExtracted() throws IOException {
    Path archive = new Tar().dir("pkg/").hardLink("pkg/hl", "pkg/later")
        .file("pkg/later", "x").writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "pkg/hl", "not a regular file extracted earlier");
  }

  @Test
  void hardLinkThroughSymlink() throws IOException {
    // pkg/link/passwd names no file we wrote, whatever pkg/link points at.
    Path archive = new Tar().dir("pkg/").dir("pkg/etc/").file("pkg/etc/passwd", "x")
        .symlink("pkg/link", "etc").hardLink("pkg/hl", "pkg/link/passwd")
        .writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "pkg/hl", "not a regular file extracted earlier");
  }

  @ParameterizedTest
  @ValueSource(bytes = {TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO})
  void specialFiles(byte flag) throws IOException {
    Path archive = new Tar().dir("pkg/").special("pkg/dev", flag)
        .writeTarGz(archives.resolve("a.tar.gz"));
    UnsafeArchiveException e = assertRefused(archive, "pkg/dev");
    assertTrue(e.reason().startsWith("is a "), e.reason());
  }

  @Test
  void unknownTarType() throws IOException {
    Path archive = new Tar().special("pkg/v", (byte) 'V').writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "pkg/v", "unsupported tar entry type 'V'");
  }

  @Test
  void gzipBombOverByteLimit() throws IOException {
    Path archive = new Tar().dir("pkg/").file("pkg/ok", "fine")
        .zeros("pkg/bomb", 10L << 20).writeTarGz(archives.resolve("a.tar.gz"));
    assertTrue(Files.size(archive) < 100_000, "the point of a bomb: small archive");
    assertRefusedWith(archive, new ExtractLimits(1L << 20, 100), "pkg/bomb", "limit of 1048576");
  }

  @Test
  void bombInTarFraming() throws IOException {
    // Bytes that are no file's content still have to be decompressed: here a 20 MiB pax header
    // (one "comment" record). The cap on the decompressed stream stops it long before the end.
    int valueLength = 20 << 20;
    int recordLength = valueLength + 18; // "20971538 comment=" + value + "\n"
    byte[] record = (recordLength + " comment=" + "a".repeat(valueLength) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    assertEquals(recordLength, record.length);
    byte[] header = new byte[512];
    TarArchiveEntry pax = new TarArchiveEntry("PaxHeaders/pkg",
        TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
    pax.setSize(record.length);
    pax.writeEntryHeader(header);
    Path archive = archives.resolve("a.tar.gz");
    try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(archive))) {
      out.write(header);
      out.write(record);
      out.write(new byte[(512 - record.length % 512) % 512]);
      TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
      tar.putArchiveEntry(new TarArchiveEntry("pkg/after", TarConstants.LF_NORMAL, true));
      tar.closeArchiveEntry();
      tar.finish();
    }
    assertRefusedWith(archive, new ExtractLimits(1L << 20, 10), "(start of archive)",
        "decompressed archive passed");
  }

  @Test
  void zipAbsolutePath() throws IOException {
    Path archive = new Zip().file("/abs/evil", "pwned").write(archives.resolve("a.zip"));
    assertRefused(archive, "/abs/evil", "is an absolute path");
  }

  @Test
  void zipBombOverByteLimit() throws IOException {
    Path archive = new Zip().zeros("bomb.bin", 10L << 20).write(archives.resolve("a.zip"));
    assertRefusedWith(archive, new ExtractLimits(1L << 20, 100), "bomb.bin", "limit of 1048576");
  }

  @Test
  void tooManyEntries() throws IOException {
    Tar tar = new Tar().dir("pkg/");
    for (int i = 0; i < 20; i++) {
      tar.file("pkg/f" + i, "x");
    }
    Path archive = tar.writeTarGz(archives.resolve("a.tar.gz"));
    assertRefusedWith(archive, ExtractLimits.DEFAULTS.withMaxEntries(10), "pkg/f9",
        "limit of 10 entries");
  }

  @Test
  void bytesAreCountedNotDeclared(@TempDir Path root) throws IOException {
    // A zip's declared size is whatever its author wrote; the count of bytes actually written
    // is what stops a bomb. Declare "unknown" (-1) and stream past the limit.
    Extraction extraction = new Extraction(archives.resolve("x.zip"), root,
        new ExtractLimits(1000, 10));
    InputStream content = new ByteArrayInputStream(new byte[5000]);
    UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
        () -> extraction.file("big", 0644, -1, null, content));
    assertEquals("big", e.entry());
    assertTrue(e.reason().contains("limit of 1000"), e.reason());
  }

  @Test
  void zipBackslashTraversal() throws IOException {
    // Written by a "DOS" zip tool: commons-compress turns the backslashes into slashes on
    // reading, as Windows would, so this is caught as traversal.
    Path archive = new Zip().file("..\\evil", "pwned").write(archives.resolve("a.zip"));
    assertRefused(archive, null, "evil");
  }

  @Test
  void zipBackslashAfterSlash() throws IOException {
    // With a "/" in the name commons-compress leaves backslashes alone; refused all the same.
    Path archive = new Zip().file("pkg/..\\..\\evil", "pwned", 0100644)
        .write(archives.resolve("a.zip"));
    assertRefused(archive, "pkg/..\\..\\evil", "contains a backslash");
  }

  @Test
  void zipSymlinkEscape() throws IOException {
    Path archive = new Zip().file("pkg/a.py", "", 0100644).symlink("pkg/up", "../../x")
        .write(archives.resolve("a.whl"));
    assertRefused(archive, "pkg/up", "points outside the extraction root");
  }

  @Test
  void zipSymlinkThenFileThroughIt() throws IOException {
    Path archive = new Zip().symlink("link", outside.toString()).file("link/evil", "pwned")
        .write(archives.resolve("a.zip"));
    assertRefused(archive, "link", "is an absolute path");
  }

  @Test
  void duplicateReplacesDirectoryWithFile() throws IOException {
    Path archive = new Tar().dir("pkg/").file("pkg/a.py", "").file("pkg", "surprise")
        .writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "pkg", "would replace a directory with a file");
  }

  @Test
  void duplicateReplacesFileWithDirectory() throws IOException {
    Path archive = new Tar().file("pkg", "x").dir("pkg/").writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "pkg/", "would replace a file with a directory");
  }

  @Test
  void duplicateReplacesSymlinkWithFile() throws IOException {
    // The second entry would otherwise be written through the link.
    Path archive = new Tar().dir("pkg/").file("pkg/target", "").symlink("pkg/x", "target")
        .file("pkg/x", "pwned").writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "pkg/x", "would replace a symbolic link with a file");
  }

  @Test
  void duplicateZipEntries() throws IOException {
    Path archive = new Zip().file("pkg/a.py", "one").file("pkg/a.py", "two")
        .write(archives.resolve("a.zip"));
    assertRefused(archive, "pkg/a.py", "duplicates an earlier entry");
  }

  @Test
  void zipDirectoryAndFileOfTheSameName() throws IOException {
    Path archive = new Zip().dir("pkg/").file("pkg", "x").write(archives.resolve("a.zip"));
    assertRefused(archive, "pkg", "would replace a directory with a file");
  }

  @Test
  void entryReplacingTheRoot() throws IOException {
    Path archive = new Tar().file(".", "x").writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, ".", "would replace the extraction root itself");
  }

  @Test
  void lateFailureUndoesEverything() throws IOException {
    // Plenty of good entries first: all of them must go when the last one is refused.
    Tar tar = new Tar().dir("pkg-1.0/").file("pkg-1.0/PKG-INFO", "Name: pkg\n");
    for (int i = 0; i < 50; i++) {
      tar.file("pkg-1.0/src/m" + i + ".py", "x = " + i + "\n");
    }
    Path archive = tar.file("../evil", "pwned").writeTarGz(archives.resolve("a.tar.gz"));
    assertRefused(archive, "../evil", "escapes");
  }

  private UnsafeArchiveException assertRefused(Path archive, String entry, String... fragments)
      throws IOException {
    return assertRefusedWith(archive, ExtractLimits.DEFAULTS, entry, fragments);
  }

  private UnsafeArchiveException assertRefusedWith(Path archive, ExtractLimits limits,
      String entry,
      String... fragments) throws IOException {
    Set<String> before = snapshot();
    UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
        () -> SafeExtractor.extract(archive, destination, limits));
    String message = e.getMessage();
    assertTrue(message.contains(archive.toString()), message);
    if (entry != null) {
      assertEquals(entry, e.entry(), message);
      assertTrue(message.contains(EntryNames.quote(entry)), message);
    }
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), () -> "expected '" + fragment + "' in: " + message);
    }
    assertFalse(Files.exists(destination, NOFOLLOW_LINKS), "destination must not exist");
    // The destination's parent is created up front; nothing else may appear, anywhere.
    Set<String> after = snapshot();
    after.remove("out");
    assertEquals(before, after, "files appeared or vanished");
    try (Stream<Path> left = Files.list(destination.getParent())) {
      assertEquals(List.of(), left.toList(), "staging directory left behind");
    }
    return e;
  }

  private Set<String> snapshot() throws IOException {
    try (Stream<Path> all = Files.walk(tmp)) {
      Set<String> paths = new TreeSet<>();
      all.filter(p -> !p.equals(tmp)).forEach(p -> paths.add(tmp.relativize(p).toString()));
      return paths;
    }
  }
}
