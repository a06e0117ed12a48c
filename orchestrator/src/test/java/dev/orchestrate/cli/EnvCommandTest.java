package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrate.env.index.HttpOptions;
import dev.orchestrate.env.index.Netrc;
import dev.orchestrate.env.index.SourceSet;
import dev.orchestrate.env.index.SourceSettings;
import dev.orchestrate.env.install.NativeEnvironmentBuilder;
import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.env.store.EnvironmentCatalog;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orchestrate env list|show|gc} through the real CLI, on environments real builds made. */
class EnvCommandTest {
  @TempDir Path tmp;

  @Test
  void listShowAndGcTheEnvironmentsOfARun() throws Exception {
    Path root = Cli.copy(Cli.examples().resolve("monorepo"), tmp.resolve("monorepo"));
    // Include the member that needs a distribution that exists nowhere.
    Files.writeString(root.resolve("pyproject.toml"),
        "[tool.orchestrate.workspace]\nmembers = [\"tools/*\", \"packages/*\"]\n");
    Path cache = tmp.resolve("cache");
    Path report = tmp.resolve("report.json");
    Cli.Result build = Cli.run(tmp, "build-all", root.toString(), "--cache-dir", cache.toString(),
        "--report", report.toString());
    assertEquals(1, build.exitCode(), build.toString()); // experimental-widgets fails on purpose
    // ...and resolution says which requirement of whose, found nowhere.
    String widgets = Cli.pkg(Cli.report(report), "experimental-widgets").toString();
    assertTrue(widgets.contains("No matching distribution found for widget-toolkit-that-does-not-exist>=99"),
        widgets);
    assertTrue(widgets.contains("`widget-toolkit-that-does-not-exist>=99` ← required by "
        + "experimental-widgets's build-system.requires"), widgets);

    Cli.Result list = Cli.run(tmp, "env", "list", "--cache-dir", cache.toString());
    assertEquals(0, list.exitCode(), list.toString());
    assertTrue(list.stdout().contains("requirements: house-backend @ sha256:"), list.stdout());
    assertTrue(list.stdout().contains("resolved:     house-backend 1.2.0"), list.stdout());
    assertTrue(list.stdout().contains("requirements: (none)"), list.stdout());

    JsonNode all = Cli.JSON.readTree(Cli.run(tmp, "env", "list", "--json", "--cache-dir", cache.toString()).stdout());
    assertEquals(3, all.size(), all.toString());
    List<String> keys = new ArrayList<>();
    all.forEach(e -> keys.add(e.get("key").asText()));
    for (JsonNode e : all) {
      assertTrue(e.get("size").asLong() > 0, e.toString());
      assertTrue(Files.isDirectory(Path.of(e.get("path").asText())));
    }

    Cli.Result byPackage = Cli.run(tmp, "env", "show", "house-backend", "--cache-dir", cache.toString());
    assertEquals(0, byPackage.exitCode(), byPackage.toString());
    assertTrue(byPackage.stdout().contains("house-backend==1.2.0  house_backend-1.2.0-py3-none-any.whl  sha256:"),
        byPackage.stdout());
    assertTrue(byPackage.stdout().contains("from file:"), byPackage.stdout());

    String key = keys.get(0);
    String prefix = key.substring(key.indexOf('/') + 1, key.indexOf('/') + 9);
    Cli.Result byKey = Cli.run(tmp, "env", "show", prefix, "--cache-dir", cache.toString());
    assertEquals(0, byKey.exitCode(), byKey.toString());
    assertTrue(byKey.stdout().startsWith(key + "\n"), byKey.stdout());

    Cli.Result missing = Cli.run(tmp, "env", "show", "nothing-holds-this", "--cache-dir", cache.toString());
    assertEquals(1, missing.exitCode(), missing.toString());
    assertTrue(missing.stderr().contains("no environment has the key or holds the package `nothing-holds-this`"),
        missing.toString());

    // Recently used ones stay; ten days without use makes them old.
    Cli.Result keep = Cli.run(tmp, "env", "gc", "--older-than", "7d", "--cache-dir", cache.toString());
    assertEquals(0, keep.exitCode(), keep.toString());
    assertTrue(keep.stdout().contains("removed 0 environments"), keep.stdout());
    for (JsonNode e : all) {
      EnvironmentCatalog.setLastUsed(Path.of(e.get("path").asText()), Instant.now().minus(Duration.ofDays(10)));
    }
    Cli.Result gc = Cli.run(tmp, "env", "gc", "--older-than", "7d", "--cache-dir", cache.toString());
    assertEquals(0, gc.exitCode(), gc.toString());
    assertTrue(gc.stdout().contains("removed 3 environments"), gc.stdout());
    for (JsonNode e : all) {
      assertFalse(Files.exists(Path.of(e.get("path").asText())));
    }
    JsonNode after = Cli.JSON.readTree(Cli.run(tmp, "env", "list", "--json", "--cache-dir", cache.toString()).stdout());
    assertEquals(0, after.size(), after.toString());

    // And the next build simply makes them again (--force: its inputs did not change).
    Cli.Result again = Cli.run(tmp, "build-all", root.toString(), "--cache-dir", cache.toString(),
        "--force");
    assertEquals(1, again.exitCode(), again.toString());
    assertEquals(3, Cli.JSON.readTree(Cli.run(tmp, "env", "list", "--json", "--cache-dir",
        cache.toString()).stdout()).size());
  }

  @Test
  void gcNeverRemovesAnEnvironmentARunningBuildUses() throws Exception {
    Path root = Cli.fixtureWorkspace(tmp.resolve("ws"), "hangs");
    Path cache = tmp.resolve("cache");
    Path pids = tmp.resolve("hangs.json");
    Process cli = Cli.start(Map.of("HANGS_PID_FILE", pids.toString()), tmp.resolve("out.log"),
        "build-all", root.toString(), "--cache-dir", cache.toString());
    try {
      for (int i = 0; i < 600 && !Files.exists(pids); i++) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(pids), "the hanging hook never started");
      Cli.Result gc = Cli.run(tmp, "env", "gc", "--max-size", "0", "--cache-dir", cache.toString());
      assertEquals(0, gc.exitCode(), gc.toString());
      assertTrue(gc.stdout().contains("(in use by a running build)"), gc.stdout());
      assertTrue(gc.stdout().contains("removed 0 environments"), gc.stdout());
      JsonNode list = Cli.JSON.readTree(Cli.run(tmp, "env", "list", "--json", "--cache-dir", cache.toString()).stdout());
      assertEquals(1, list.size(), list.toString());
    } finally {
      cli.destroy(); // SIGTERM: the run stops its backends and exits
      assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
    }
    Cli.Result gc = Cli.run(tmp, "env", "gc", "--max-size", "0", "--cache-dir", cache.toString());
    assertTrue(gc.stdout().contains("removed 1 environment,"), gc.stdout());
  }

  @Test
  void badAgesAndSizesAreUsageErrors() throws Exception {
    Cli.Result r = Cli.run(tmp, "env", "gc", "--older-than", "soon", "--cache-dir", tmp.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.stderr().contains("invalid age `soon`"), r.toString());
  }

  @Test
  void sizesTakeUnitsAndAPlainNumberIsBytes() {
    assertEquals(0, EnvCommand.parseSize("0"));
    assertEquals(4096, EnvCommand.parseSize("4096"));
    assertEquals(4096, EnvCommand.parseSize(" 4096 "));
    assertEquals(4096, EnvCommand.parseSize("4096B"));
    assertEquals(1024, EnvCommand.parseSize("1K"));
    assertEquals(1024, EnvCommand.parseSize("1kb"));
    assertEquals(1024, EnvCommand.parseSize("1KiB"));
    assertEquals(500L << 20, EnvCommand.parseSize("500M"));
    assertEquals(500L << 20, EnvCommand.parseSize("500 MB"));
    assertEquals(2L << 30, EnvCommand.parseSize("2G"));
    assertEquals(3L << 29, EnvCommand.parseSize("1.5GiB"));
    assertEquals(1L << 40, EnvCommand.parseSize("1t"));
    assertEquals(1536, EnvCommand.parseSize("1.5K"));
    for (String bad : List.of("", "M", "-1", "5i", "1X", "1.5.2G", "1 G B", "99999999T", "1e6")) {
      var e = assertThrows(IllegalArgumentException.class, () -> EnvCommand.parseSize(bad), bad);
      assertTrue(e.getMessage().startsWith("--max-size:"), e.getMessage());
    }
  }

  @Test
  void agesTakeDaysHoursAndMinutes() {
    assertEquals(Duration.ofDays(7), EnvCommand.parseAge("7d"));
    assertEquals(Duration.ofHours(36), EnvCommand.parseAge("1d12h"));
    assertEquals(Duration.ofMinutes(30), EnvCommand.parseAge("30m"));
    assertEquals(Duration.ZERO, EnvCommand.parseAge("0"));
    for (String bad : List.of("soon", "7dx", "d", "7", "1.5")) {
      var e = assertThrows(IllegalArgumentException.class, () -> EnvCommand.parseAge(bad), bad);
      assertTrue(e.getMessage().startsWith("--older-than:"), e.getMessage());
    }
    // A bare number does not silently mean seconds: the error says which units there are.
    var bare = assertThrows(IllegalArgumentException.class, () -> EnvCommand.parseAge("7"));
    assertTrue(bare.getMessage().contains("7d for days"), bare.getMessage());
  }

  /**
   * Real environments made natively (as a build would) and aged; {@code env gc --max-size} with a
   * plain byte count and with units removes the least recently used until the rest fit.
   */
  @Test
  void gcMaxSizeRemovesTheLeastRecentlyUsedUntilTheRestFit() throws Exception {
    Path cache = tmp.resolve("cache");
    Path wheels = OfflineWheels.setuptoolsAndWheel(tmp.resolve("wheels"));
    List<Path> envs = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      WorkerExecutor workers = vertx.createSharedWorkerExecutor("env-gc-test", 4);
      InterpreterInfo python = InterpreterProbe.probe(vertx, workers, "python3",
          ShimScript.materialize(tmp), tmp).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      SourceSet sources = SourceSet.of(vertx, SourceSettings.findLinksOnly(List.of(wheels)), Netrc.empty(),
          HttpOptions.defaults());
      try (EnvironmentCache made = new EnvironmentCache(workers, cache,
          new NativeEnvironmentBuilder(vertx, sources, cache))) {
        for (List<String> set : List.of(List.<String>of(), List.of("wheel"), List.of("setuptools"))) {
          Environment e = made.ensure(python, set.stream().map(r -> new EnvRequirement(r, r)).toList(),
              tmp.resolve("env.log")).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
          envs.add(e.root());
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
    Instant now = Instant.now();
    for (int i = 0; i < envs.size(); i++) {
      EnvironmentCatalog.setLastUsed(envs.get(i), now.minus(Duration.ofDays(envs.size() - i)));
    }
    JsonNode all = Cli.JSON.readTree(Cli.run(tmp, "env", "list", "--json", "--cache-dir", cache.toString()).stdout());
    assertEquals(3, all.size(), all.toString());
    long total = 0;
    for (JsonNode e : all) {
      total += e.get("size").asLong();
    }

    // A plain number is bytes: one byte under the total removes the oldest, and only it.
    Cli.Result one = Cli.run(tmp, "env", "gc", "--max-size", Long.toString(total - 1), "--cache-dir", cache.toString());
    assertEquals(0, one.exitCode(), one.toString());
    assertTrue(one.stdout().contains("removed 1 environment,"), one.stdout());
    assertFalse(Files.exists(envs.get(0)));
    assertTrue(Files.isDirectory(envs.get(1)) && Files.isDirectory(envs.get(2)));

    JsonNode rest = Cli.JSON.readTree(Cli.run(tmp, "env", "list", "--json", "--cache-dir", cache.toString()).stdout());
    long left = 0;
    for (JsonNode e : rest) {
      left += e.get("size").asLong();
    }
    // With a unit: rounded up to whole KiB everything fits; rounded down the older one goes.
    Cli.Result fits = Cli.run(tmp, "env", "gc", "--max-size", ((left + 1023) / 1024) + "K", "--cache-dir", cache.toString());
    assertTrue(fits.stdout().contains("removed 0 environments"), fits.stdout());
    Cli.Result under = Cli.run(tmp, "env", "gc", "--max-size", ((left - 1) / 1024) + "KiB", "--cache-dir", cache.toString());
    assertTrue(under.stdout().contains("removed 1 environment,"), under.stdout());
    assertFalse(Files.exists(envs.get(1)));
    assertTrue(Files.isDirectory(envs.get(2)), "the most recently used stays");

    Cli.Result bad = Cli.run(tmp, "env", "gc", "--max-size", "lots", "--cache-dir", cache.toString());
    assertEquals(2, bad.exitCode(), bad.toString());
    assertTrue(bad.stderr().contains("invalid size `lots`"), bad.toString());
    assertTrue(Files.isDirectory(envs.get(2)));
  }
}
