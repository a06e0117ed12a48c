package dev.orchestrate.env.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An sdist written by CPython's own {@code tarfile}, the way setuptools and hatchling write
 * theirs (pax format, normalised owners), so the reader is checked against the real producer and
 * not only against archives commons-compress wrote for itself.
 */
class PythonSdistTest {

  /** Long enough to need a pax header (ustar names stop at 100 + 155 bytes). */
  private static final String LONG_NAME = "a".repeat(120) + "/" + "b".repeat(150) + ".py";

  private static final String SCRIPT = """
      import sys, tarfile
      out, root, arcname = sys.argv[1:4]

      def normalise(info):
          # What setuptools' sdist does: no real owners in the archive.
          info.uid = info.gid = 0
          info.uname = info.gname = ""
          return info

      with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as tar:
          tar.add(root, arcname=arcname, filter=normalise)
      """;

  @TempDir
  Path tmp;

  @Test
  void extractsAnSdistWrittenByPythonTarfile() throws Exception {
    Path python = resolvePython();
    Path project = tmp.resolve("src").resolve("demo_pkg-2.3.1");
    Files.createDirectories(project.resolve("src/demo_pkg"));
    Files.writeString(project.resolve("PKG-INFO"),
        "Metadata-Version: 2.1\nName: demo-pkg\nVersion: 2.3.1\n");
    Files.writeString(project.resolve("pyproject.toml"),
        "[project]\nname = \"demo-pkg\"\nversion = \"2.3.1\"\n");
    Files.writeString(project.resolve("src/demo_pkg/__init__.py"), "VALUE = 1\n");
    Files.writeString(project.resolve("src/demo_pkg/données.txt"), "é\n");
    Path script = Files.writeString(project.resolve("run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(project.resolve("pkg"), Path.of("src/demo_pkg"));
    Path longFile = project.resolve(LONG_NAME);
    Files.createDirectories(longFile.getParent());
    Files.writeString(longFile, "long = True\n");

    Path sdist = tmp.resolve("dist").resolve("demo_pkg-2.3.1.tar.gz");
    Files.createDirectories(sdist.getParent());
    Path scriptFile = Files.writeString(tmp.resolve("make_sdist.py"), SCRIPT);
    run(List.of(python.toString(), scriptFile.toString(), sdist.toString(), project.toString(),
        "demo_pkg-2.3.1"));

    Path destination = tmp.resolve("unpacked");
    ExtractResult result = SafeExtractor.extractSdist(sdist, destination);

    Path top = destination.resolve("demo_pkg-2.3.1");
    assertEquals(Optional.of(top), result.topLevelDirectory());
    assertEquals(List.of(), result.warnings());
    assertEquals(ArchiveFormat.TAR_GZ, result.format());
    assertEquals(6, result.fileCount());
    assertEquals("VALUE = 1\n", Files.readString(top.resolve("src/demo_pkg/__init__.py")));
    assertEquals("é\n", Files.readString(top.resolve("src/demo_pkg/données.txt")));
    assertEquals("long = True\n", Files.readString(top.resolve(LONG_NAME)));
    assertTrue(Files.isExecutable(top.resolve("run.sh")));
    assertEquals(Path.of("src/demo_pkg"), Files.readSymbolicLink(top.resolve("pkg")));
    assertEquals("VALUE = 1\n", Files.readString(top.resolve("pkg/__init__.py")));
  }

  /**
   * The interpreter behind {@code python3}. On PATH it is a pyenv shim (a shell script that
   * picks a version per directory), so ask it for {@code sys.executable} and run that.
   */
  private static Path resolvePython() throws InterruptedException {
    try {
      String out = run(List.of("python3", "-c", "import sys; print(sys.executable)")).strip();
      assumeTrue(!out.isEmpty(), "python3 printed no sys.executable");
      return Path.of(out);
    } catch (IOException e) {
      assumeTrue(false, "no python3 on PATH: " + e.getMessage());
      throw new AssertionError(e);
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    String text = new String(output, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), () -> command + " failed:\n" + text);
    return text;
  }
}
