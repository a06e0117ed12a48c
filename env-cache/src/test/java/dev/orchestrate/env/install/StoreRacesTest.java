package dev.orchestrate.env.install;

import static dev.orchestrate.env.install.EnvTestSupport.await;
import static dev.orchestrate.env.install.EnvTestSupport.reqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.env.store.StoreBucket;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store under contention and under {@code kill -9}: entries made once however many threads
 * and processes ask, and a cache that stays usable whenever a builder dies.
 */
class StoreRacesTest {
  static EnvTestSupport env;
  static Path wheels;
  @TempDir static Path shared;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    env = EnvTestSupport.start(shared);
    wheels = env.setuptoolsAndWheel(shared.resolve("wheels"));
  }

  @AfterAll
  static void stop() throws Exception {
    env.close();
  }

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
    Process a = child(cache, "a", "setuptools", "wheel");
    Process b = child(cache, "b", "wheel", "setuptools");
    String outA = finish(a);
    String outB = finish(b);
    List<String> results = List.of(last(outA), last(outB));
    assertEquals(1, results.stream().filter(l -> l.startsWith("created ")).count(), results.toString());
    assertEquals(1, results.stream().filter(l -> l.startsWith("found ")).count(), results.toString());
    assertEquals(results.get(0).split(" ")[1], results.get(1).split(" ")[1]);
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

  @Test
  void aBuilderKilledAtAnyPointLeavesACacheTheNextOneUses() throws Exception {
    long[] delays = {0, 250, 600, 1000, 1600};
    for (long delay : delays) {
      Path cache = tmp.resolve("cache-" + delay);
      Process p = child(cache, "killed-" + delay, "setuptools", "wheel");
      awaitLine(p, "started");
      Thread.sleep(delay);
      p.destroyForcibly(); // SIGKILL
      p.waitFor(30, TimeUnit.SECONDS);
      assertNoPartialEntries(cache);

      EnvironmentCache next = env.cache(cache, wheels);
      Environment e = await(next.ensure(env.python, reqs("setuptools", "wheel"), tmp.resolve("next.log")));
      var imported = EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c",
          "import setuptools, wheel; print('ok')");
      assertEquals("ok", imported.output().strip(), "after a kill at +" + delay + " ms: " + imported.output());
      next.close();
      assertNoPartialEntries(cache);
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
    List<String> argv = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), BuildEnvMain.class.getName(),
        cache.toString(), wheels.toString(), Files.createDirectories(tmp.resolve(name)).toString()));
    argv.addAll(List.of(requirements));
    return new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
  }

  private static void awaitLine(Process p, String line) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String l;
    while ((l = reader.readLine()) != null) {
      if (l.strip().equals(line)) {
        return;
      }
    }
    throw new AssertionError("the child ended before printing " + line);
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
