package dev.orchestrate.env.install;

import static dev.orchestrate.env.install.EnvTestSupport.await;
import static dev.orchestrate.env.install.EnvTestSupport.reqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.env.store.StoreBucket;
import dev.orchestrate.env.store.TestPoints;
import dev.orchestrate.env.store.WheelStore;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store under contention and under {@code kill -9}: entries made once however many threads
 * and processes ask, and a cache that stays usable whenever a builder dies.
 */
class StoreRacesTest extends RealPythonTest {
  @Test
  void threadsRacingForOneEntryMakeItOnce() throws Exception {
    StoreBucket bucket = new StoreBucket(tmp.resolve("bucket"));
    AtomicInteger made = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<StoreBucket.Entry>> entries = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        entries.add(pool.submit(() -> {
          go.await();
          return bucket.get("abc", staging -> {
            made.incrementAndGet();
            Thread.sleep(200);
            Files.writeString(staging.resolve("content"), "made");
          });
        }));
      }
      go.countDown();
      int created = 0;
      for (Future<StoreBucket.Entry> e : entries) {
        StoreBucket.Entry entry = e.get(30, TimeUnit.SECONDS);
        assertEquals("made", Files.readString(entry.path().resolve("content")));
        created += entry.createdNow() ? 1 : 0;
      }
      assertEquals(1, made.get());
      assertEquals(1, created);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoProcessesRacingForOneEnvironmentMakeItOnce() throws Exception {
    Path cache = tmp.resolve("cache");
    // A stops with the environment complete in staging, key lock held, not yet renamed...
    Child a = Child.start(this, cache, "a", "env.metadata", "setuptools", "wheel");
    a.awaitLine("test-point env.metadata");
    // ...B asks for the same key and is about to wait for that lock; only then A goes on.
    Child b = Child.start(this, cache, "b", "env.lock-wait=announce", "wheel", "setuptools");
    b.awaitLine("test-point env.lock-wait");
    assertTrue(b.process.isAlive(), "B waits for A's lock");
    a.resume();
    String outA = a.finish();
    String outB = b.finish();
    assertEquals("created", last(outA).split(" ")[0], outA);
    assertEquals("found", last(outB).split(" ")[0], outB);
    assertEquals(last(outA).split(" ")[1], last(outB).split(" ")[1]);
    assertNoPartialEntries(cache);
  }

  @Test
  void processesNeedingOneWheelForDifferentEnvironmentsUnpackItOnce() throws Exception {
    Path cache = tmp.resolve("cache");
    Process a = child(cache, "a", "setuptools");
    Process b = child(cache, "b", "setuptools", "wheel");
    Path envA = Path.of(last(finish(a)).split(" ")[1]);
    Path envB = Path.of(last(finish(b)).split(" ")[1]);
    Path relative = Path.of("lib", "python" + env.python.majorMinor(), "site-packages", "setuptools", "__init__.py");
    assertEquals(Files.getAttribute(envA.resolve(relative), "unix:ino"),
        Files.getAttribute(envB.resolve(relative), "unix:ino"), "both link the one unpacked file");
    assertEquals(2, WheelInstallationTest.visible(cache.resolve(WheelStore.UNPACKED)).size());
    assertNoPartialEntries(cache);
  }

  /**
   * Killed (SIGKILL) at each step of making an environment: the venv template, a wheel half
   * extracted, an unpacked wheel complete but not renamed, renamed with its lock held, the
   * bytecode, the environment in staging before and after its metadata, renamed. What is
   * visible is whole or absent each time, and the next builder makes or reuses it and it works.
   */
  @ParameterizedTest
  @ValueSource(strings = {"bucket.venv-template-v1.made", "unpack.partial", "bucket.unpacked-v1.staging",
      "bucket.unpacked-v1.made", "bucket.unpacked-v1.published", "BYTECODE.made", "env.staging",
      "env.installed", "env.metadata", "env.published"})
  void aBuilderKilledAtAnyPointLeavesACacheTheNextOneUses(String point) throws Exception {
    point = point.replace("BYTECODE", "bucket." + env.python.cacheTag());
    Path cache = tmp.resolve("cache");
    Child p = Child.start(this, cache, "killed", point, "setuptools", "wheel");
    p.awaitLine("test-point " + point);
    p.process.destroyForcibly(); // SIGKILL, stopped at exactly that point
    assertTrue(p.process.waitFor(30, TimeUnit.SECONDS));
    assertNoPartialEntries(cache);
    if (point.equals("env.installed") || point.equals("env.metadata")) {
      assertTrue(staging(cache.resolve(EnvironmentCache.BUCKET)), "killed while making the environment");
    }

    EnvironmentCache next = env.cache(cache, wheels);
    Environment e = await(next.ensure(env.python, reqs("setuptools", "wheel"), tmp.resolve("next.log")));
    assertEquals(!point.equals("env.published"), e.createdNow(), "a published environment is reused");
    var imported = EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c",
        "import setuptools, wheel, importlib.metadata as m; print(m.version('wheel'), 'ok')");
    assertTrue(imported.output().strip().endsWith("ok"), "after a kill at " + point + ": " + imported.output());
    next.close();
    assertNoPartialEntries(cache);
  }

  /** Whether a staging directory lies anywhere under {@code dir}. */
  private static boolean staging(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir, 2)) {
      return walk.anyMatch(q -> q.getFileName().toString().startsWith(".tmp-"));
    }
  }

  /** Every visible entry is complete: what a reader may see is whole or absent. */
  static void assertNoPartialEntries(Path cache) throws Exception {
    for (String sha : WheelInstallationTest.visible(cache.resolve(WheelStore.UNPACKED))) {
      Path entry = cache.resolve(WheelStore.UNPACKED).resolve(sha);
      assertTrue(Files.isRegularFile(entry.resolve("wheel.json")), entry + " is incomplete");
    }
    Path bytecode = cache.resolve(WheelStore.BYTECODE);
    for (String tag : WheelInstallationTest.visible(bytecode)) {
      for (String sha : WheelInstallationTest.visible(bytecode.resolve(tag))) {
        assertTrue(Files.isRegularFile(bytecode.resolve(tag).resolve(sha).resolve("bytecode.json")));
      }
    }
    Path envs = cache.resolve(EnvironmentCache.BUCKET);
    for (String interp : WheelInstallationTest.visible(envs)) {
      for (String key : WheelInstallationTest.visible(envs.resolve(interp))) {
        assertTrue(Files.isRegularFile(envs.resolve(interp).resolve(key).resolve(EnvironmentCache.METADATA)),
            key + " is incomplete");
      }
    }
  }

  private Process child(Path cache, String name, String... requirements) throws Exception {
    return new ProcessBuilder(argv(cache, name, "", requirements)).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
  }

  private List<String> argv(Path cache, String name, String points, String... requirements) throws Exception {
    List<String> argv = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (!points.isEmpty()) {
      argv.add("-D" + TestPoints.PROPERTY + "=" + points);
    }
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), BuildEnvMain.class.getName(),
        cache.toString(), wheels.toString(), Files.createDirectories(tmp.resolve(name)).toString()));
    argv.addAll(List.of(requirements));
    return argv;
  }

  /** A builder process stopped at test points: its output read line by line, its stdin to resume it. */
  private static final class Child {
    final Process process;
    final BufferedReader out;
    final StringBuilder seen = new StringBuilder();

    private Child(Process process) {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static Child start(StoreRacesTest test, Path cache, String name, String points, String... requirements)
        throws Exception {
      return new Child(new ProcessBuilder(test.argv(cache, name, points, requirements))
          .redirectErrorStream(true).start());
    }

    void awaitLine(String line) throws Exception {
      String l;
      while ((l = out.readLine()) != null) {
        seen.append(l).append('\n');
        if (l.strip().equals(line)) {
          return;
        }
      }
      throw new AssertionError("the child ended before printing " + line + ":\n" + seen);
    }

    void resume() throws Exception {
      process.getOutputStream().write('\n');
      process.getOutputStream().flush();
    }

    String finish() throws Exception {
      process.getOutputStream().close(); // any further point goes straight on
      String l;
      while ((l = out.readLine()) != null) {
        seen.append(l).append('\n');
      }
      assertTrue(process.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, process.exitValue(), seen.toString());
      return seen.toString();
    }
  }

  private static String finish(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static String last(String output) {
    try (Stream<String> lines = output.lines()) {
      return lines.filter(l -> l.startsWith("created ") || l.startsWith("found ")).reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError(output));
    }
  }
}
