package dev.orchestrate.env.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.install.PackageSources;
import dev.orchestrate.env.install.PipEnvironmentBuilder;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real venvs made by a real interpreter; requirement sets that need no index. */
class EnvironmentCacheTest {
  static Vertx vertx;
  static WorkerExecutor workers;
  static InterpreterInfo python;
  @TempDir static Path shared;
  @TempDir Path cache;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    workers = vertx.createSharedWorkerExecutor("test-env", 8);
    python = await(InterpreterProbe.probe(vertx, workers, "python3", ShimScript.materialize(shared), shared));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  private EnvironmentCache newCache() {
    return new EnvironmentCache(workers, cache, new PipEnvironmentBuilder(vertx, workers,
        PackageSources.offline(), cache.resolve("pip"), Duration.ofMinutes(2)));
  }

  @Test
  void keysIgnoreOrderAndDuplicatesButNotContent() {
    var a = new EnvRequirement("setuptools>=61", "setuptools>=61");
    var b = new EnvRequirement("wheel", "wheel");
    assertEquals(EnvKey.of(python, List.of(a, b)), EnvKey.of(python, List.of(b, a, b)));
    assertNotEquals(EnvKey.of(python, List.of(a)), EnvKey.of(python, List.of(a, b)));
  }

  @Test
  void twoCachesRacingForOneKeyMakeItOnceAndBothGetIt() throws Exception {
    // Two instances stand for two processes: they share only the directory and its locks.
    Future<Environment> first = newCache().ensure(python, List.of(), cache.resolve("a.log"));
    Future<Environment> second = newCache().ensure(python, List.of(), cache.resolve("b.log"));
    Environment x = await(first);
    Environment y = await(second);
    assertEquals(x.root(), y.root());
    assertTrue(x.createdNow() ^ y.createdNow(), "exactly one of them created it");
    assertTrue(Files.isExecutable(x.python()));
    try (Stream<Path> entries = Files.list(x.root().getParent())) {
      assertEquals(List.of(x.root().getFileName().toString()), entries.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".")).toList());
    }
  }

  @Test
  void aStagingDirectoryLeftByACrashIsRemovedAndTheEnvironmentMadeWhole() throws Exception {
    EnvironmentCache envs = newCache();
    EnvKey key = EnvKey.of(python, List.of());
    Path target = envs.pathOf(key);
    Path stale = target.resolveSibling(".tmp-" + key.requirementsDigest() + "-crashed");
    Files.createDirectories(stale.resolve("bin"));
    Files.writeString(stale.resolve("half-written"), "x");
    Environment env = await(envs.ensure(python, List.of(), cache.resolve("c.log")));
    assertTrue(env.createdNow());
    assertFalse(Files.exists(stale), "the crashed staging directory is gone");
    assertTrue(Files.isRegularFile(env.root().resolve(EnvironmentCache.METADATA)));
    // Published and reused, never remade.
    Environment again = await(newCache().ensure(python, List.of(), cache.resolve("d.log")));
    assertFalse(again.createdNow());
  }

  @Test
  void aMissingRequirementFailsWithWhatWasSearchedAndLeavesNothingBehind() throws Exception {
    EnvironmentCache envs = newCache();
    var missing = new EnvRequirement("no-such-package-xyz", "no-such-package-xyz");
    Throwable error = envs.ensure(python, List.of(missing), cache.resolve("e.log"))
        .toCompletionStage().toCompletableFuture().handle((ok, err) -> err).get(120, TimeUnit.SECONDS);
    EnvironmentException e = (EnvironmentException) (error.getCause() == null ? error : error.getCause());
    assertTrue(e.getMessage().contains("No matching distribution found for no-such-package-xyz"), e.getMessage());
    assertTrue(e.getMessage().contains("searched: no index"), e.getMessage());
    Path target = envs.pathOf(EnvKey.of(python, List.of(missing)));
    assertFalse(Files.exists(target));
    try (Stream<Path> entries = Files.list(target.getParent())) {
      assertTrue(entries.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")));
    }
  }
}
