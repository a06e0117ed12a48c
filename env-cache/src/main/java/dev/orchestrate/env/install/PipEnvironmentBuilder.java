package dev.orchestrate.env.install;

import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.EnvironmentBuilder;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.env.store.Pin;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.shim.HookRunner;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.Subprocess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes an environment with {@code python -m venv --without-pip} (fast: no pip inside), then
 * installs the requirements with pip run from its own wheel (the interpreter's bundled one), so
 * that nothing but the requirements ends up in the environment.
 *
 * <p>This is the interim installer; a native one replaces pip later, behind the same
 * {@link EnvironmentBuilder} interface and cache layout.
 */
public final class PipEnvironmentBuilder implements EnvironmentBuilder {
  private static final Path DEBIAN_WHEELS = Path.of("/usr/share/python-wheels");

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final PackageSources sources;
  private final Path pipCache;
  private final Duration timeout;

  public PipEnvironmentBuilder(Vertx vertx, WorkerExecutor workers, PackageSources sources,
      Path pipCache, Duration timeout) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.workers = Objects.requireNonNull(workers, "workers");
    this.sources = Objects.requireNonNull(sources, "sources");
    this.pipCache = Objects.requireNonNull(pipCache, "pipCache");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public Future<List<Pin>> build(InterpreterInfo interpreter, List<EnvRequirement> requirements,
      Path staging, Path finalPath, Path log) {
    Map<String, String> env = cleanEnvironment();
    Subprocess.Command venv = new Subprocess.Command(
        List.of(interpreter.executable(), "-m", "venv", "--without-pip", staging.toString()),
        staging.getParent(), env, log, timeout);
    Future<Void> made = workers.executeBlocking(() -> Files.createDirectories(staging.getParent()), false)
        .compose(v -> step(venv, "create the virtual environment " + staging, log, Optional.empty()));
    if (requirements.isEmpty()) {
      return made.map(List.of());
    }
    return made
        .compose(v -> workers.executeBlocking(() -> pipCommand(interpreter, requirements, staging, env, log), false))
        .compose(pip -> step(pip, "install " + requirements.stream().map(EnvRequirement::keyForm)
            .collect(Collectors.joining(", ")), log, Optional.of(requirements)))
        .compose(v -> compile(interpreter, staging, finalPath, env, log))
        .compose(v -> workers.executeBlocking(() -> {
          retarget(staging, finalPath);
          // pip does not say which files it chose: names and versions only.
          return EnvironmentCache.scanInstalled(staging).entrySet().stream()
              .map(e -> new Pin(e.getKey(), e.getValue(), "", Optional.empty(), sources.describe()))
              .toList();
        }, false));
  }

  private Future<Void> step(Subprocess.Command command, String what, Path log,
      Optional<List<EnvRequirement>> requirements) {
    return Subprocess.run(vertx, workers, command).compose(exit -> {
      if (exit.succeeded()) {
        return Future.succeededFuture();
      }
      String errors = pipErrors(log);
      StringBuilder message = new StringBuilder("could not ").append(what).append(": ")
          .append(exit.describe());
      if (!errors.isEmpty()) {
        message.append("\n").append(errors);
      }
      requirements.ifPresent(r -> message.append("\nsearched: ").append(sources.describe())
          .append("\nhint: put wheels of the build requirements in a --find-links directory, or pass --index-url"));
      return Future.failedFuture(new EnvironmentException(message.toString(), log));
    });
  }

  private Subprocess.Command pipCommand(InterpreterInfo interpreter, List<EnvRequirement> requirements,
      Path staging, Map<String, String> env, Path log) {
    Path pipWheel = findPipWheel(interpreter).orElseThrow(() -> new EnvironmentException(
        "no pip wheel to install build requirements with: the interpreter " + interpreter.executable()
            + " bundles none (ensurepip) and " + DEBIAN_WHEELS + " has none"
            + "\nhint: install python3-pip-whl, or use an interpreter that ships ensurepip", log));
    List<String> argv = new ArrayList<>(List.of(
        staging.resolve("bin").resolve("python").toString(), pipWheel.resolve("pip").toString(),
        "install", "--no-compile", "--no-input", "--disable-pip-version-check",
        "--no-warn-script-location", "--only-binary", ":all:",
        "--cache-dir", pipCache.toString()));
    sources.indexUrl().ifPresentOrElse(u -> argv.addAll(List.of("--index-url", u)), () -> argv.add("--no-index"));
    sources.findLinks().forEach(d -> argv.addAll(List.of("--find-links", d.toString())));
    argv.add("--");
    requirements.forEach(r -> argv.add(r.installArg()));
    return new Subprocess.Command(argv, staging, env, log, timeout);
  }

  /**
   * Byte-compiles site-packages now, with the final path recorded in the code objects, so that
   * hooks never write bytecode into a published (immutable) environment and still start fast.
   */
  private Future<Void> compile(InterpreterInfo interpreter, Path staging, Path finalPath,
      Map<String, String> env, Path log) {
    List<Integer> v = interpreter.versionInfo();
    if (v.size() < 2 || (v.get(0) == 3 && v.get(1) < 9)) {
      return Future.succeededFuture(); // compileall's -s/-p arrived in 3.9; 3.8 runs from source
    }
    Path python = staging.resolve("bin").resolve("python");
    Subprocess.Command compile = new Subprocess.Command(
        List.of(python.toString(), "-m", "compileall", "-q", "-j", "0",
            "-s", staging.toString(), "-p", finalPath.toString(), staging.resolve("lib").toString()),
        staging, env, log, timeout);
    // Some packages ship files that do not compile (Python 2 test data): that is not fatal.
    return Subprocess.run(vertx, workers, compile).mapEmpty();
  }

  /** Scripts pip wrote point at the staging directory: point them at the final one. */
  static void retarget(Path staging, Path finalPath) throws IOException {
    Path bin = staging.resolve("bin");
    byte[] from = staging.toString().getBytes(StandardCharsets.UTF_8);
    byte[] to = finalPath.toString().getBytes(StandardCharsets.UTF_8);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(bin)) {
      for (Path file : files) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > (1 << 20)) {
          continue;
        }
        byte[] content = Files.readAllBytes(file);
        byte[] replaced = replaceAll(content, from, to);
        if (replaced != content) {
          Files.write(file, replaced);
        }
      }
    }
  }

  static byte[] replaceAll(byte[] content, byte[] from, byte[] to) {
    int i = indexOf(content, from, 0);
    if (i < 0) {
      return content;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(content.length + 64);
    int start = 0;
    while (i >= 0) {
      out.write(content, start, i - start);
      out.write(to, 0, to.length);
      start = i + from.length;
      i = indexOf(content, from, start);
    }
    out.write(content, start, content.length - start);
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static Optional<Path> findPipWheel(InterpreterInfo interpreter) {
    Optional<Path> bundled = interpreter.bundledWheel("pip");
    if (bundled.isPresent()) {
      return bundled;
    }
    if (!Files.isDirectory(DEBIAN_WHEELS)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(DEBIAN_WHEELS)) {
      return files.filter(p -> p.getFileName().toString().startsWith("pip-")).sorted().reduce((a, b) -> b);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The lines of pip's output that say what went wrong. */
  static String pipErrors(Path log) {
    String tail = HookRunner.tail(log);
    return Arrays.stream(tail.split("\n"))
        .filter(l -> l.startsWith("ERROR") || l.contains("Error:") || l.startsWith("Error"))
        .map(l -> "  " + l.strip())
        .distinct()
        .collect(Collectors.joining("\n"));
  }

  /** The caller's environment minus what would make pip or Python look outside the sources given. */
  static Map<String, String> cleanEnvironment() {
    Map<String, String> env = new HashMap<>();
    System.getenv().forEach((k, v) -> {
      if (!k.startsWith("PIP_") && !k.startsWith("PYTHON") && !k.equals("VIRTUAL_ENV")) {
        env.put(k, v);
      }
    });
    env.put("PIP_CONFIG_FILE", "/dev/null");
    env.put("PYTHONNOUSERSITE", "1");
    return env;
  }
}
