package dev.orchestrate.shim;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Asks an interpreter, through the shim, what it is. */
public final class InterpreterProbe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InterpreterProbe() {}

  /**
   * Runs {@code python shim interpreter OUT} in {@code workDir}; {@code python} may be a bare
   * name looked up on PATH (a pyenv shim resolves to the real binary in the answer).
   */
  public static Future<InterpreterInfo> probe(
      Vertx vertx, WorkerExecutor workers, String python, Path shim, Path workDir) {
    Path out = workDir.resolve("interpreter-" + ProcessHandle.current().pid() + "-"
        + System.nanoTime() + ".json");
    Path log = workDir.resolve(out.getFileName() + ".log");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("PYTHONPATH");
    env.remove("PYTHONHOME");
    env.put("PYTHONNOUSERSITE", "1");
    Subprocess.Command command = new Subprocess.Command(
        List.of(python, shim.toString(), "interpreter", out.toString()), workDir, env, log,
        Duration.ofSeconds(60));
    return workers.executeBlocking(() -> Files.createDirectories(workDir), false)
        .compose(ignored -> Subprocess.run(vertx, workers, command))
        .compose(exit -> workers.executeBlocking(() -> {
          try {
            if (!exit.succeeded() || !Files.isRegularFile(out)) {
              throw new IllegalStateException("cannot use the interpreter `" + python + "`: it "
                  + exit.describe() + "\n" + HookRunner.tail(log).strip()
                  + "\nhint: pass --python with the path of a Python 3.8+ interpreter");
            }
            return JSON.readValue(out.toFile(), InterpreterInfo.class);
          } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(log);
          }
        }, false));
  }
}
