package dev.orchestrate.env.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.orchestrate.env.archive.TestArchives.Tar;
import dev.orchestrate.env.archive.TestArchives.Zip;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.xz.XZUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Honest archives come out whole, with sane permissions; bad names and layouts fail clearly. */
class SafeExtractorTest {

  @TempDir
  Path tmp;
  Path archives;
  Path destination;

  @BeforeEach
  void setUp() throws IOException {
    archives = Files.createDirectories(tmp.resolve("archives"));
    destination = tmp.resolve("out").resolve("dest");
  }

  /** The sdist a setuptools/hatchling project would produce, plus the awkward bits. */
  private static Tar realisticSdist() {
    return new Tar()
        .dir("pkg-1.0/")
        .file("pkg-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n")
        .file("pkg-1.0/pyproject.toml", "[build-system]\nrequires = [\"setuptools\"]\n")
        .dir("pkg-1.0/src/")
        .dir("pkg-1.0/src/pkg/")
        .file("pkg-1.0/src/pkg/__init__.py", "__version__ = '1.0'\n")
        .file("pkg-1.0/bin/run.sh", "#!/bin/sh\necho hi\n", 0755)
        // setuid + world-writable in the archive: both must go, the x bit must stay.
        .file("pkg-1.0/bin/suid.sh", "#!/bin/sh\n", 04777)
        .file("pkg-1.0/world.txt", "w\n", 0666)
        .symlink("pkg-1.0/link", "src");
  }

  @Test
  void realisticSdist_tarGz() throws IOException {
    Path archive = realisticSdist().writeTarGz(archives.resolve("pkg-1.0.tar.gz"));

    ExtractResult result = SafeExtractor.extractSdist(archive, destination);

    Path top = destination.resolve("pkg-1.0");
    assertEquals(destination, result.destination());
    assertEquals(ArchiveFormat.TAR_GZ, result.format());
    assertEquals(Optional.of(top), result.topLevelDirectory());
    assertEquals(List.of(), result.warnings());
    assertEquals(6, result.fileCount());
    long expectedBytes = 0;
    for (String f : List.of("PKG-INFO", "pyproject.toml", "src/pkg/__init__.py", "bin/run.sh",
        "bin/suid.sh", "world.txt")) {
      expectedBytes += Files.size(top.resolve(f));
    }
    assertEquals(expectedBytes, result.totalBytes());
    assertEquals("__version__ = '1.0'\n",
        Files.readString(top.resolve("src/pkg/__init__.py")));

    assertEquals(Path.of("src"), Files.readSymbolicLink(top.resolve("link")));
    assertTrue(Files.isRegularFile(top.resolve("link/pkg/__init__.py")));

    assertTrue(Files.isExecutable(top.resolve("bin/run.sh")));
    int suid = mode(top.resolve("bin/suid.sh"));
    assertEquals(0, suid & 07000, "no setuid/setgid/sticky: " + Integer.toOctalString(suid));
    assertTrue((suid & 0100) != 0, "keeps the x bit");
    for (Path p : List.of(top.resolve("bin/suid.sh"), top.resolve("world.txt"),
        top.resolve("PKG-INFO"), top, top.resolve("src"), destination)) {
      assertEquals(0, mode(p) & 0022, "group/world writable: " + p);
    }
    assertEquals(0, mode(top.resolve("world.txt")) & 0111, "not executable");
    assertEquals(0755, mode(destination) & 0777);
    try (Stream<Path> siblings = Files.list(destination.getParent())) {
      assertEquals(List.of(destination), siblings.toList(), "staging directory left behind");
    }
  }

  @Test
  void plainTarAndBzip2() throws IOException {
    Path tar = realisticSdist().writeTar(archives.resolve("pkg-1.0.tar"));
    Path bz2 = realisticSdist().writeTarBz2(archives.resolve("pkg-1.0.tar.bz2"));

    ExtractResult plain = SafeExtractor.extract(tar, tmp.resolve("plain"));
    ExtractResult bzip = SafeExtractor.extract(bz2, tmp.resolve("bzip"));

    assertEquals(ArchiveFormat.TAR, plain.format());
    assertEquals(ArchiveFormat.TAR_BZ2, bzip.format());
    for (ExtractResult r : List.of(plain, bzip)) {
      assertEquals(6, r.fileCount());
      assertEquals(Optional.of(r.destination().resolve("pkg-1.0")), r.topLevelDirectory());
      assertTrue(Files.isExecutable(r.destination().resolve("pkg-1.0/bin/run.sh")));
    }
  }

  @Test
  void harmlessOddities() throws IOException {
    // "./" prefixes (tar -C dir .), a/../b inside the root, repeated directories, implicit
    // parents, a hard link to an earlier file, a link to a sibling directory.
    Path archive = new Tar()
        .dir("./")
        .file("./pkg-1.0/PKG-INFO", "Name: pkg\n")
        .file("pkg-1.0/a/../b.txt", "b\n")
        .dir("pkg-1.0/")
        .dir("pkg-1.0/")
        .file("pkg-1.0/deep/er/still/x.py", "x\n", 0755)
        .hardLink("pkg-1.0/copy", "pkg-1.0/PKG-INFO")
        .symlink("pkg-1.0/deep/up", "../b.txt")
        .symlink("pkg-1.0/self", ".")
        .writeTarGz(archives.resolve("pkg-1.0.tgz"));

    ExtractResult result = SafeExtractor.extractSdist(archive, destination);

    Path top = destination.resolve("pkg-1.0");
    assertEquals(Optional.of(top), result.topLevelDirectory());
    assertEquals("b\n", Files.readString(top.resolve("b.txt")));
    assertFalse(Files.exists(top.resolve("a")));
    assertEquals("Name: pkg\n", Files.readString(top.resolve("copy")));
    assertFalse(Files.isSymbolicLink(top.resolve("copy")));
    assertEquals("b\n", Files.readString(top.resolve("deep/up")));
    assertTrue(Files.isExecutable(top.resolve("deep/er/still/x.py")));
    assertEquals(4, result.fileCount());
    assertEquals(10 + 2 + 2 + 10, result.totalBytes());
  }

  @Test
  void wheel() throws IOException {
    Path archive = new Zip()
        .file("demo/__init__.py", "")
        .file("demo/core.py", "def f():\n    return 1\n")
        .file("demo-1.0.data/scripts/demo-cli", "#!python\n", 0100755)
        .file("demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\n")
        .file("demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n")
        .file("demo-1.0.dist-info/RECORD", "")
        .write(archives.resolve("demo-1.0-py3-none-any.whl"));

    ExtractResult result = SafeExtractor.extract(archive, destination);

    assertEquals(ArchiveFormat.ZIP, result.format());
    assertEquals(Optional.empty(), result.topLevelDirectory(), "a wheel has several");
    assertEquals(6, result.fileCount());
    assertTrue(Files.isExecutable(destination.resolve("demo-1.0.data/scripts/demo-cli")));
    assertFalse(Files.isExecutable(destination.resolve("demo/core.py")));
    assertEquals("Wheel-Version: 1.0\n",
        Files.readString(destination.resolve("demo-1.0.dist-info/WHEEL")));
  }

  @Test
  void legacyZipSdistWithSymlink() throws IOException {
    Path archive = new Zip()
        .dir("old-0.1/")
        .file("old-0.1/PKG-INFO", "Name: old\n")
        .file("old-0.1/setup.py", "from distutils.core import setup\n")
        .symlink("old-0.1/alias.py", "setup.py")
        .write(archives.resolve("old-0.1.zip"));

    ExtractResult result = SafeExtractor.extractSdist(archive, destination);

    Path top = destination.resolve("old-0.1");
    assertEquals(Optional.of(top), result.topLevelDirectory());
    assertEquals(Path.of("setup.py"), Files.readSymbolicLink(top.resolve("alias.py")));
  }

  @Test
  void sdistWithoutPkgInfoIsAWarning() throws IOException {
    Path archive = new Tar().dir("pkg-1.0/").file("pkg-1.0/setup.py", "")
        .writeTarGz(archives.resolve("pkg-1.0.tar.gz"));

    ExtractResult result = SafeExtractor.extractSdist(archive, destination);

    assertEquals(1, result.warnings().size(), result.warnings().toString());
    assertTrue(result.warnings().get(0).contains("pkg-1.0/PKG-INFO is missing"));
  }

  @Test
  void sdistWithTwoTopLevelEntriesIsRefusedByName() throws IOException {
    Path archive = new Tar().file("pkg-1.0/PKG-INFO", "").file("setup.py", "")
        .file("stray/x", "").writeTarGz(archives.resolve("pkg-1.0.tar.gz"));

    InvalidSdistException e = assertThrows(InvalidSdistException.class,
        () -> SafeExtractor.extractSdist(archive, destination));

    assertTrue(e.getMessage().contains("3 top-level entries: 'pkg-1.0', 'setup.py', 'stray'"),
        e.getMessage());
    assertTrue(e.getMessage().contains(archive.toString()), e.getMessage());
    assertFalse(Files.exists(destination));
    try (Stream<Path> left = Files.list(destination.getParent())) {
      assertEquals(0, left.count());
    }
    // The same archive is fine when nobody asks for an sdist layout.
    assertEquals(Optional.empty(),
        SafeExtractor.extract(archive, destination).topLevelDirectory());
  }

  @Test
  void sdistWhoseOnlyEntryIsAFile() throws IOException {
    Path archive = new Tar().file("README", "").writeTarGz(archives.resolve("x-1.tar.gz"));
    InvalidSdistException e = assertThrows(InvalidSdistException.class,
        () -> SafeExtractor.extractSdist(archive, destination));
    assertTrue(e.getMessage().contains("'README', is not a directory"), e.getMessage());
  }

  @Test
  void singleTopLevelDirectoryOfAnExtractedTree() throws IOException {
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    Files.createDirectories(tree.resolve("pkg-2.0"));
    assertEquals(tree.resolve("pkg-2.0"), SafeExtractor.singleTopLevelDirectory(tree));

    Files.writeString(tree.resolve("extra.txt"), "");
    InvalidSdistException e = assertThrows(InvalidSdistException.class,
        () -> SafeExtractor.singleTopLevelDirectory(tree));
    assertTrue(e.getMessage().contains("'extra.txt', 'pkg-2.0'"), e.getMessage());

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThrows(InvalidSdistException.class, () -> SafeExtractor.singleTopLevelDirectory(empty));
  }

  @Test
  void destinationMustNotExist() throws IOException {
    Path archive = realisticSdist().writeTarGz(archives.resolve("pkg-1.0.tar.gz"));
    Files.createDirectories(destination);
    assertThrows(FileAlreadyExistsException.class,
        () -> SafeExtractor.extract(archive, destination));
  }

  @Test
  void contentMustMatchTheName() throws IOException {
    Path zipNamedTarGz = new Zip().file("a", "").write(archives.resolve("pkg-1.0.tar.gz"));
    UnsupportedArchiveException e = assertThrows(UnsupportedArchiveException.class,
        () -> SafeExtractor.extract(zipNamedTarGz, destination));
    assertTrue(e.getMessage().contains("named like a gzip-compressed tar archive but contains a"
        + " zip archive"), e.getMessage());

    Path html = Files.writeString(archives.resolve("pkg-2.0.tar.gz"),
        "<!DOCTYPE html><html>404</html>");
    e = assertThrows(UnsupportedArchiveException.class,
        () -> SafeExtractor.extract(html, destination));
    assertTrue(e.getMessage().contains("text starting '<!DOCTYPE html><html>404</html>'"), e.getMessage());

    Path unnamed = Files.copy(zipNamedTarGz, archives.resolve("pkg-1.0.download"));
    e = assertThrows(UnsupportedArchiveException.class,
        () -> SafeExtractor.extract(unnamed, destination));
    assertTrue(e.getMessage().contains("Cannot tell the format"), e.getMessage());
    assertTrue(e.getMessage().contains(".tar.gz"), e.getMessage());

    assertFalse(Files.exists(destination.getParent()), "nothing created before the checks");
  }

  @Test
  void gzipThatIsNotATar() throws IOException {
    Path archive = archives.resolve("pkg-1.0.tar.gz");
    try (var out = new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(
        Files.newOutputStream(archive))) {
      out.write("just some text, not a tar".getBytes(StandardCharsets.UTF_8));
    }
    UnsupportedArchiveException e = assertThrows(UnsupportedArchiveException.class,
        () -> SafeExtractor.extract(archive, destination));
    assertTrue(e.getMessage().contains("not a tar"), e.getMessage());
    assertFalse(Files.exists(destination));
  }

  @Test
  void truncatedArchiveIsAnArchiveErrorAndLeavesNothing() throws IOException {
    Tar tar = new Tar().dir("pkg-1.0/");
    for (int i = 0; i < 200; i++) {
      tar.file("pkg-1.0/m" + i + ".py", ("value_" + i + " = " + i * 7919 + "\n").repeat(50));
    }
    Path whole = tar.writeTarGz(archives.resolve("whole.tar.gz"));
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated = Files.write(archives.resolve("pkg-1.0.tar.gz"),
        Arrays.copyOf(bytes, bytes.length / 2));

    ArchiveException e = assertThrows(ArchiveException.class,
        () -> SafeExtractor.extract(truncated, destination));

    assertFalse(e instanceof UnsafeArchiveException);
    assertTrue(e.getMessage().startsWith("Cannot extract " + truncated + " at entry 'pkg-1.0/m"),
        e.getMessage());
    assertFalse(Files.exists(destination));
    try (Stream<Path> left = Files.list(destination.getParent())) {
      assertEquals(0, left.count());
    }
  }

  @Test
  void xzWithoutTheOptionalLibrarySaysSo() throws IOException {
    assumeFalse(XZUtils.isXZCompressionAvailable(), "org.tukaani:xz is on the class path");
    Path archive = Files.write(archives.resolve("pkg-1.0.tar.xz"),
        new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4});
    UnsupportedArchiveException e = assertThrows(UnsupportedArchiveException.class,
        () -> SafeExtractor.extract(archive, destination));
    assertTrue(e.getMessage().contains("org.tukaani:xz"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
      "pkg-1.0.tar.gz, TAR_GZ", "PKG-1.0.TGZ, TAR_GZ", "pkg-1.0.tar, TAR",
      "pkg-1.0.tar.bz2, TAR_BZ2", "pkg-1.0.tar.xz, TAR_XZ", "pkg-1.0.zip, ZIP",
      "demo-1.0-py3-none-any.whl, ZIP"})
  void formatFromFileName(String name, ArchiveFormat expected) {
    assertEquals(Optional.of(expected), ArchiveFormat.fromFileName(name));
  }

  @ParameterizedTest
  @CsvSource({"pkg-1.0.gz", "pkg-1.0.tar.gz.asc", ".tar", "pkg-1.0.egg", "setup.py"})
  void notAnArchiveName(String name) {
    assertEquals(Optional.empty(), ArchiveFormat.fromFileName(name));
  }

  private static int mode(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:mode", NOFOLLOW_LINKS);
  }
}
