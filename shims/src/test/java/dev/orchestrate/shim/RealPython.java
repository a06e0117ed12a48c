package dev.orchestrate.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The real interpreter behind {@code python3} on PATH (which may be a pyenv shell shim). */
public final class RealPython {
  private static String cached;

  private RealPython() {}

  public static synchronized String path() {
    if (cached == null) {
      try {
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || out.isEmpty()) {
          throw new IllegalStateException("python3 is needed for the tests: " + out);
        }
        cached = out;
      } catch (IOException e) {
        throw new IllegalStateException("python3 is needed for the tests", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return cached;
  }
}
