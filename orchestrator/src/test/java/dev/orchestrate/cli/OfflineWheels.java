package dev.orchestrate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A find-links directory for setuptools builds without a package index: setuptools from the
 * interpreter's ensurepip bundle, wheel from Debian's python3-wheel-whl (STACK.md).
 */
final class OfflineWheels {
  static final Path DEBIAN_WHEELS = Path.of("/usr/share/python-wheels");

  private OfflineWheels() {}

  static Path setuptoolsAndWheel(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path bundled = Path.of(python("import ensurepip, os; print(os.path.dirname(ensurepip.__file__))"))
        .resolve("_bundled");
    copyFirst(bundled, "setuptools-", dir, "the interpreter's ensurepip bundle");
    copyFirst(DEBIAN_WHEELS, "wheel-", dir, "Debian's python3-wheel-whl (apt-get install python3-wheel-whl)");
    return dir;
  }

  private static void copyFirst(Path from, String prefix, Path to, String where) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      Path wheel = files.filter(p -> p.getFileName().toString().startsWith(prefix)
              && p.getFileName().toString().endsWith(".whl")).sorted().findFirst()
          .orElseThrow(() -> new AssertionError("no " + prefix + "*.whl in " + where));
      Files.copy(wheel, to.resolve(wheel.getFileName()));
    }
  }

  static String python(String code) throws Exception {
    Process p = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new AssertionError("python3 failed: " + out);
    }
    return out;
  }
}
