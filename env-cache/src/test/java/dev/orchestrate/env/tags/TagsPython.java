package dev.orchestrate.env.tags;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a Python snippet under the real interpreter (python3 on PATH) and returns its stdout. */
final class TagsPython {
  private TagsPython() {}

  static String run(String script, String stdin) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("python3", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("python3 failed: " + out);
    }
    return out;
  }
}
