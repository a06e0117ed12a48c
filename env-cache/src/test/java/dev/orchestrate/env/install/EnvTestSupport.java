package dev.orchestrate.env.install;

import dev.orchestrate.env.index.HttpOptions;
import dev.orchestrate.env.index.Netrc;
import dev.orchestrate.env.index.SourceSet;
import dev.orchestrate.env.index.SourceSettings;
import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real interpreter, real find-links directories and native environment caches for tests. */
public final class EnvTestSupport implements AutoCloseable {
  public final Vertx vertx;
  public final WorkerExecutor workers;
  public final InterpreterInfo python;

  private EnvTestSupport(Vertx vertx, WorkerExecutor workers, InterpreterInfo python) {
    this.vertx = vertx;
    this.workers = workers;
    this.python = python;
  }

  public static EnvTestSupport start(Path scratch) throws Exception {
    Vertx vertx = Vertx.vertx();
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("test-env", 8);
    InterpreterInfo python = await(InterpreterProbe.probe(vertx, workers, "python3",
        ShimScript.materialize(scratch), scratch));
    return new EnvTestSupport(vertx, workers, python);
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }

  /** A source over find-links directories only. */
  public SourceSet findLinks(Path... dirs) {
    return SourceSet.of(vertx, SourceSettings.findLinksOnly(List.of(dirs)), Netrc.empty(),
        HttpOptions.defaults());
  }

  /** An environment cache that builds natively from {@code dirs}. */
  public EnvironmentCache cache(Path cacheRoot, Path... dirs) {
    return new EnvironmentCache(workers, cacheRoot,
        new NativeEnvironmentBuilder(vertx, findLinks(dirs), cacheRoot));
  }

  public static List<EnvRequirement> reqs(String... requirements) {
    List<EnvRequirement> out = new ArrayList<>();
    for (String r : requirements) {
      out.add(new EnvRequirement(r, r));
    }
    return out;
  }

  /** Copies setuptools from the interpreter's ensurepip bundle and wheel from Debian's wheels. */
  public Path setuptoolsAndWheel(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path setuptools = python.bundledWheel("setuptools").orElseThrow(
        () -> new AssertionError("the interpreter bundles no setuptools wheel"));
    Files.copy(setuptools, dir.resolve(setuptools.getFileName()));
    try (Stream<Path> debian = Files.list(Path.of("/usr/share/python-wheels"))) {
      Path wheel = debian.filter(p -> p.getFileName().toString().startsWith("wheel-")).findFirst()
          .orElseThrow(() -> new AssertionError("no wheel-*.whl in /usr/share/python-wheels"));
      Files.copy(wheel, dir.resolve(wheel.getFileName()));
    }
    return dir;
  }

  /** Runs a command, returns exit code and output. */
  public static Run run(Path cwd, Map<String, String> env, String... argv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().remove("PYTHONPATH");
    pb.environment().remove("VIRTUAL_ENV");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", argv) + " did not finish");
    }
    return new Run(p.exitValue(), out);
  }

  public record Run(int exit, String output) {}

  @Override
  public void close() throws Exception {
    await(vertx.close());
  }
}
