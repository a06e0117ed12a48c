package dev.orchestrate.env.install;

import static dev.orchestrate.env.install.EnvTestSupport.await;
import static dev.orchestrate.env.install.EnvTestSupport.reqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.env.store.EnvironmentCatalog;
import dev.orchestrate.env.store.WheelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store damaged after the fact (a file cut short, one deleted, a manifest garbled): the next
 * build notices, makes the entry again and uses the new one, never the damaged one.
 */
class StoreDamageTest {
  static EnvTestSupport env;
  @TempDir static Path shared;
  @TempDir Path tmp;
  Path links;
  Path cache;

  @BeforeAll
  static void start() throws Exception {
    env = EnvTestSupport.start(shared);
  }

  @AfterAll
  static void stop() throws Exception {
    env.close();
  }

  @BeforeEach
  void wheels() throws Exception {
    links = tmp.resolve("links");
    TestWheel.of("dmg", "1.0").consoleScript("dmg-run", "dmg:main").writeTo(links);
    TestWheel.of("other", "1.0").writeTo(links);
    cache = tmp.resolve("cache");
  }

  private Environment ensure(String... requirements) throws Exception {
    try (EnvironmentCache c = env.cache(cache, links)) {
      return await(c.ensure(env.python, reqs(requirements), tmp.resolve("env.log")));
    }
  }

  /** The unpacked tree of the one wheel named {@code name} in the store. */
  private Path unpacked(String name) throws Exception {
    Path bucket = cache.resolve(WheelStore.UNPACKED);
    for (String sha : WheelInstallationTest.visible(bucket)) {
      Path tree = bucket.resolve(sha).resolve("tree");
      if (Files.isDirectory(tree.resolve(name + "-1.0.dist-info"))) {
        return tree;
      }
    }
    throw new AssertionError("no unpacked " + name);
  }

  /** Cuts a file to half its length in place (every hard link to it sees that). */
  private static byte[] truncate(Path file) throws Exception {
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    return whole;
  }

  private void assertWorks(Environment e, String... modules) throws Exception {
    String code = "import importlib.metadata as m\n"
        + String.join("\n", Arrays.stream(modules).map(mod -> "import " + mod
            + "\nassert m.version('" + mod + "') == '1.0', m.version('" + mod + "')\n"
            + "assert m.metadata('" + mod + "')['Name'] == '" + mod + "'").toList())
        + "\nprint('ok')";
    var run = EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c", code);
    assertEquals("ok", run.output().strip(), run.output());
    var record = EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c",
        WheelInstallationTest.CHECK_RECORD, modules[0]);
    assertEquals(0, record.exit(), record.output());
  }

  @Test
  void aTruncatedMetadataInTheStoreIsUnpackedAgainAndTheEnvironmentsLinkingItRemade() throws Exception {
    Environment first = ensure("dmg");
    Path metadata = unpacked("dmg").resolve("dmg-1.0.dist-info/METADATA");
    byte[] whole = truncate(metadata); // the environment links the same file: damaged too

    Environment again = ensure("dmg");
    assertEquals(first.root(), again.root());
    assertTrue(again.createdNow(), "the damaged environment was made again, not reused");
    assertWorks(again, "dmg");
    assertEquals(whole.length, Files.size(unpacked("dmg").resolve("dmg-1.0.dist-info/METADATA")),
        "the store holds the whole file again");
    assertFalse(ensure("dmg").createdNow(), "and the remade one is reused");
  }

  @Test
  void aTruncatedRecordInTheStoreIsUnpackedAgain() throws Exception {
    Environment first = ensure("dmg");
    Path record = unpacked("dmg").resolve("dmg-1.0.dist-info/RECORD");
    byte[] whole = truncate(record); // not linked into environments (each writes its own)

    assertFalse(ensure("dmg").createdNow(), "the environment itself is whole");
    Environment second = ensure("dmg", "other");
    assertTrue(second.createdNow());
    assertWorks(second, "dmg", "other");
    assertEquals(whole.length, Files.size(unpacked("dmg").resolve("dmg-1.0.dist-info/RECORD")));
    assertWorks(first, "dmg");
  }

  @Test
  void aFileMissingFromAnUnpackedWheelIsUnpackedAgain() throws Exception {
    ensure("dmg");
    Files.delete(unpacked("dmg").resolve("dmg/__init__.py"));
    Environment second = ensure("dmg", "other");
    assertWorks(second, "dmg", "other");
    assertTrue(Files.isRegularFile(unpacked("dmg").resolve("dmg/__init__.py")));
    var script = EnvTestSupport.run(tmp, Map.of(), second.binDir().resolve("dmg-run").toString());
    assertEquals("dmg 1.0 main", script.output().strip(), script.output());
  }

  @Test
  void aGarbledManifestOfAnUnpackedWheelIsUnpackedAgain() throws Exception {
    ensure("dmg");
    Path manifest = unpacked("dmg").getParent().resolve("wheel.json");
    truncate(manifest);
    Environment second = ensure("dmg", "other");
    assertWorks(second, "dmg", "other");
    assertTrue(Files.readString(unpacked("dmg").getParent().resolve("wheel.json")).endsWith("}"));
  }

  @Test
  void aTruncatedEnvironmentMetadataFileIsListedAsDamagedAndTheEnvironmentMadeAgain() throws Exception {
    Environment first = ensure("dmg");
    truncate(first.root().resolve(EnvironmentCache.METADATA));
    List<EnvironmentCatalog.Entry> listed = new EnvironmentCatalog(cache).list();
    assertEquals(1, listed.size());
    assertTrue(listed.get(0).interpreter().startsWith("(damaged"), listed.toString());

    Environment again = ensure("dmg");
    assertTrue(again.createdNow(), "made again, not reused");
    assertEquals(Map.of("dmg", "1.0"), again.installed());
    assertWorks(again, "dmg");
    assertFalse(new EnvironmentCatalog(cache).list().get(0).interpreter().startsWith("(damaged"));
  }
}
