import dev.orchestrate.env.index.HttpOptions;
import dev.orchestrate.env.index.Netrc;
import dev.orchestrate.env.index.SourceSet;
import dev.orchestrate.env.index.SourceSettings;
import dev.orchestrate.env.install.NativeEnvironmentBuilder;
import dev.orchestrate.env.install.PackageSources;
import dev.orchestrate.env.install.PipEnvironmentBuilder;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentBuilder;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * One environment holding setuptools + wheel from a find-links directory, made five ways on one
 * interpreter, side by side (run by ops/bench/env-native-vs-pip.sh):
 *
 * <ol>
 *   <li>{@code python -m venv --without-pip}: the floor, an empty venv;
 *   <li>{@code python -m venv} + {@code pip install}: what pypa/build does for each build;
 *   <li>orchestrate's previous path: {@code venv --without-pip} + pip run from its own wheel;
 *   <li>the native path, cold: an empty cache (resolve, unpack, byte-compile, link);
 *   <li>the native path, warm: the wheels already unpacked and compiled, a new environment;
 * </ol>
 * and an existing environment found by its key. Medians of ROUNDS rounds (each round after an
 * untimed one, so the JVM's first-call costs are not in the medians; the first native cold
 * build of the process is printed apart).
 *
 * <p>Usage: {@code java -cp orchestrate.jar EnvBench.java PYTHON WHEELS WORK [ROUNDS]}
 */
public final class EnvBench {
  static final List<String> REQUIREMENTS = List.of("setuptools", "wheel");

  public static void main(String[] args) throws Exception {
    String python = args[0];
    Path wheels = Path.of(args[1]).toAbsolutePath();
    Path work = Path.of(args[2]).toAbsolutePath();
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Vertx vertx = Vertx.vertx();
    try {
      WorkerExecutor workers = vertx.createSharedWorkerExecutor("bench", 8, 1, TimeUnit.HOURS);
      Files.createDirectories(work);
      InterpreterInfo interpreter = await(InterpreterProbe.probe(vertx, workers, python,
          ShimScript.materialize(work), work));
      SourceSet sources = SourceSet.of(vertx, SourceSettings.findLinksOnly(List.of(wheels)),
          Netrc.empty(), HttpOptions.defaults());
      List<EnvRequirement> reqs = REQUIREMENTS.stream().map(r -> new EnvRequirement(r, r)).toList();
      int[] n = {0};

      double floor = median(rounds, () -> {
        Path venv = work.resolve("floor-" + n[0]++);
        run(work, interpreter.executable(), "-m", "venv", "--without-pip", venv.toString());
        return null;
      }, () -> AtomicFiles.deleteTree(work.resolve("floor-" + (n[0] - 1))));

      double pypa = median(rounds, () -> {
        Path venv = work.resolve("pypa-" + n[0]++);
        run(work, interpreter.executable(), "-m", "venv", venv.toString());
        run(work, venv.resolve("bin/python").toString(), "-m", "pip", "install", "--no-index",
            "--disable-pip-version-check", "--find-links", wheels.toString(), "setuptools", "wheel");
        return null;
      }, () -> AtomicFiles.deleteTree(work.resolve("pypa-" + (n[0] - 1))));

      Path pipCache = work.resolve("pip-cache");
      double previous = median(rounds, () -> {
        Path cache = work.resolve("previous-" + n[0]++);
        EnvironmentBuilder pip = new PipEnvironmentBuilder(vertx, workers,
            new PackageSources(List.of(wheels), Optional.empty()), pipCache, Duration.ofMinutes(10));
        ensure(new EnvironmentCache(workers, cache, pip), interpreter, reqs, work);
        return null;
      }, () -> AtomicFiles.deleteTree(work.resolve("previous-" + (n[0] - 1))));

      List<Double> coldTimes = new ArrayList<>();
      double cold = median(rounds, () -> {
        Path cache = work.resolve("cold-" + n[0]++);
        long t0 = System.nanoTime();
        ensure(nativeCache(vertx, workers, sources, cache), interpreter, reqs, work);
        coldTimes.add((System.nanoTime() - t0) / 1e9);
        return null;
      }, () -> AtomicFiles.deleteTree(work.resolve("cold-" + (n[0] - 1))));
      double firstCold = coldTimes.get(0);

      Path warmCache = work.resolve("warm");
      ensure(nativeCache(vertx, workers, sources, warmCache), interpreter, reqs, work); // fills the store
      double warm = median(rounds, () -> {
        // Same wheels, a requirement set never seen: a new key, so a new environment.
        List<EnvRequirement> fresh = List.of(new EnvRequirement("setuptools!=0.0." + n[0]++, "setuptools"),
            new EnvRequirement("wheel", "wheel"));
        ensure(nativeCache(vertx, workers, sources, warmCache), interpreter, fresh, work);
        return null;
      }, () -> { });

      double found = median(rounds * 4, () -> {
        Environment e = ensure(nativeCache(vertx, workers, sources, warmCache), interpreter, reqs, work);
        if (e.createdNow()) {
          throw new IllegalStateException("expected an existing environment");
        }
        return null;
      }, () -> { });

      System.out.printf(Locale.ROOT, "environment with setuptools + wheel from a find-links directory; %s %s; "
          + "%d cores; median of %d rounds%n", interpreter.implementation(), interpreter.version(),
          Runtime.getRuntime().availableProcessors(), rounds);
      row("python -m venv --without-pip (the floor)", floor, "");
      row("python -m venv + pip install (pypa/build)", pypa, "");
      row("previous: venv --without-pip + pip wheel", previous, ratio(pypa, previous) + " vs venv+pip");
      row("native, cold (empty store)", cold, ratio(pypa, cold) + " vs venv+pip, "
          + ratio(previous, cold) + " vs previous");
      row("native, warm (wheels unpacked)", warm, ratio(pypa, warm) + " vs venv+pip, "
          + ratio(previous, warm) + " vs previous, " + String.format(Locale.ROOT, "%.2fx", warm / floor)
          + " the floor");
      System.out.printf(Locale.ROOT, "  %-44s %9.1f ms%n", "existing environment found by key", found * 1000);
      System.out.printf(Locale.ROOT, "  (first native cold build in this JVM, JIT cold: %.2f s)%n", firstCold);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static EnvironmentCache nativeCache(Vertx vertx, WorkerExecutor workers, SourceSet sources, Path cache) {
    return new EnvironmentCache(workers, cache, new NativeEnvironmentBuilder(vertx, sources, cache));
  }

  static Environment ensure(EnvironmentCache cache, InterpreterInfo interpreter, List<EnvRequirement> reqs,
      Path work) throws Exception {
    try {
      return await(cache.ensure(interpreter, reqs, work.resolve("env.log")));
    } finally {
      cache.close();
    }
  }

  interface Cleanup {
    void run() throws Exception;
  }

  /** One untimed round, then {@code rounds} timed ones; the median in seconds. */
  static double median(int rounds, Callable<Void> body, Cleanup cleanup) throws Exception {
    body.call();
    cleanup.run();
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      body.call();
      times.add((System.nanoTime() - t0) / 1e9);
      cleanup.run();
    }
    Collections.sort(times);
    return times.get(times.size() / 2);
  }

  static void row(String what, double seconds, String note) {
    System.out.printf(Locale.ROOT, "  %-44s %9.3f s   %s%n", what, seconds, note);
  }

  static String ratio(double slow, double fast) {
    return String.format(Locale.ROOT, "%.1fx faster", slow / fast);
  }

  static void run(Path cwd, String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectOutput(cwd.resolve("subprocess.log").toFile()).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed: see " + cwd.resolve("subprocess.log"));
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
