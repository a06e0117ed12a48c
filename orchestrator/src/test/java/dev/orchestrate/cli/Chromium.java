package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, to open the HTML pages as a person's browser would (`.ci/run`
 * installs it). A fresh profile each time; no network, no first-run or background traffic.
 */
final class Chromium {
  private Chromium() {}

  static String executable() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("no chromium: apt-get install -y chromium (.ci/run does)");
  }

  /** The DOM after the page's scripts ran ({@code --dump-dom}). */
  static String dumpDom(Path page, Path scratch) throws Exception {
    return run(page, scratch, List.of("--dump-dom"));
  }

  /** A PNG of the page at the given window size. */
  static Path screenshot(Path page, Path png, int width, int height, Path scratch) throws Exception {
    run(page, scratch, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        "--hide-scrollbars"));
    assertTrue(Files.size(png) > 1000, "no screenshot written");
    return png;
  }

  private static String run(Path page, Path scratch, List<String> extra) throws Exception {
    Path profile = Files.createTempDirectory(Files.createDirectories(scratch), "chromium-profile-");
    List<String> argv = new ArrayList<>(List.of(executable(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
        "--virtual-time-budget=5000"));
    argv.addAll(extra);
    argv.add(page.toUri().toString());
    Path out = scratch.resolve(profile.getFileName() + ".out");
    Path err = scratch.resolve(profile.getFileName() + ".err");
    Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish: " + Files.readString(err));
    }
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium exited with " + p.exitValue() + ": " + Files.readString(err));
    }
    return dom;
  }
}
