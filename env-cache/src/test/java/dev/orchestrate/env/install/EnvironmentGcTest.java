package dev.orchestrate.env.install;

import static dev.orchestrate.env.install.EnvTestSupport.await;
import static dev.orchestrate.env.install.EnvTestSupport.reqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.env.store.EnvironmentCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * {@link EnvironmentCatalog#gc} on real environments: the least recently used go first, exactly
 * until the rest fit; old ones go by age; one a cache still holds is never removed.
 */
class EnvironmentGcTest extends RealPythonTest {
  /** Four environments, oldest first: plain, wheel, setuptools, setuptools + wheel. */
  private List<Path> fourEnvironments(Path cache) throws Exception {
    List<List<EnvRequirement>> sets = List.of(reqs(), reqs("wheel"), reqs("setuptools"),
        reqs("setuptools", "wheel"));
    List<Path> made = new ArrayList<>();
    Instant now = Instant.now();
    try (EnvironmentCache envs = env.cache(cache, wheels)) {
      for (int i = 0; i < sets.size(); i++) {
        Environment e = await(envs.ensure(env.python, sets.get(i), tmp.resolve("env-" + i + ".log")));
        made.add(e.root());
      }
    }
    for (int i = 0; i < made.size(); i++) {
      EnvironmentCatalog.setLastUsed(made.get(i), now.minus(Duration.ofDays(made.size() - i)));
    }
    return made;
  }

  private static Map<Path, Long> sizes(EnvironmentCatalog catalog) throws Exception {
    Map<Path, Long> sizes = new HashMap<>();
    for (EnvironmentCatalog.Entry e : catalog.list()) {
      assertTrue(e.size() > 0, e.toString());
      sizes.put(e.path(), e.size());
    }
    return sizes;
  }

  private static List<Path> paths(List<EnvironmentCatalog.Entry> entries) {
    return entries.stream().map(EnvironmentCatalog.Entry::path).toList();
  }

  @Test
  void theLeastRecentlyUsedGoUntilTheRestFitToTheByte() throws Exception {
    Path cache = tmp.resolve("cache");
    List<Path> envs = fourEnvironments(cache);
    EnvironmentCatalog catalog = new EnvironmentCatalog(cache);
    Map<Path, Long> size = sizes(catalog);
    assertEquals(4, size.size());
    long total = size.values().stream().mapToLong(Long::longValue).sum();

    // Exactly the total fits: nothing goes.
    var none = catalog.gc(Optional.empty(), OptionalLong.of(total), Instant.now());
    assertEquals(List.of(), none.removed());

    // One byte less: the oldest goes, and only it.
    var one = catalog.gc(Optional.empty(), OptionalLong.of(total - 1), Instant.now());
    assertEquals(List.of(envs.get(0)), paths(one.removed()));
    assertFalse(Files.exists(envs.get(0)));

    // Room for the two newest less a byte: the next two oldest go, the newest stays.
    long limit = size.get(envs.get(2)) + size.get(envs.get(3)) - 1;
    var two = catalog.gc(Optional.empty(), OptionalLong.of(limit), Instant.now());
    assertEquals(List.of(envs.get(1), envs.get(2)), paths(two.removed()));
    assertEquals(List.of(envs.get(3)), paths(catalog.list()));
    assertTrue(two.freed() > 0, two.toString());

    // What is left still works, and a removed one is simply made again.
    try (EnvironmentCache again = env.cache(cache, wheels)) {
      Environment e = await(again.ensure(env.python, reqs("wheel"), tmp.resolve("again.log")));
      assertTrue(e.createdNow());
      var run = EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c", "import wheel; print('ok')");
      assertEquals("ok", run.output().strip(), run.output());
    }
  }

  @Test
  void oldOnesGoByAgeAndRecentOnesStay() throws Exception {
    Path cache = tmp.resolve("cache");
    List<Path> envs = fourEnvironments(cache); // last used 4, 3, 2 and 1 days ago
    EnvironmentCatalog catalog = new EnvironmentCatalog(cache);
    var gc = catalog.gc(Optional.of(Duration.ofHours(60)), OptionalLong.empty(), Instant.now());
    assertEquals(List.of(envs.get(0), envs.get(1)), paths(gc.removed()));
    assertEquals(List.of(envs.get(3), envs.get(2)), paths(catalog.list())); // most recent first
  }

  @Test
  void anEnvironmentInUseIsKeptWhateverItsAgeOrTheSizeLimit() throws Exception {
    Path cache = tmp.resolve("cache");
    List<Path> envs = fourEnvironments(cache);
    EnvironmentCatalog catalog = new EnvironmentCatalog(cache);
    // A build holds the oldest (its "in use" lock, shared, until the cache is closed).
    EnvironmentCache build = env.cache(cache, wheels);
    try {
      Environment held = await(build.ensure(env.python, reqs(), tmp.resolve("held.log")));
      assertEquals(envs.get(0), held.root());
      EnvironmentCatalog.setLastUsed(held.root(), Instant.now().minus(Duration.ofDays(30)));
      var gc = catalog.gc(Optional.of(Duration.ofDays(1)), OptionalLong.of(0), Instant.now());
      assertEquals(List.of(envs.get(0)), paths(gc.inUse()));
      assertEquals(List.of(envs.get(1), envs.get(2), envs.get(3)), paths(gc.removed()));
      assertTrue(Files.isExecutable(held.python()));
      var run = EnvTestSupport.run(tmp, Map.of(), held.python().toString(), "-c", "print('ok')");
      assertEquals("ok", run.output().strip(), run.output());
    } finally {
      build.close();
    }
    var after = catalog.gc(Optional.empty(), OptionalLong.of(0), Instant.now());
    assertEquals(List.of(envs.get(0)), paths(after.removed()));
    assertEquals(List.of(), catalog.list());
  }
}
