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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store damaged after the fact (a file cut short, one deleted, a manifest garbled): the next
 * build notices, makes the entry again and uses the new one, never the damaged one. Unpacked
 * wheels, the venv template and byte code alike; an entry left whole is used as it is.
 */
class StoreDamageTest extends RealPythonTest {
  Path links;
  Path cache;

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
  /** The venv template entry (the store holds one: one interpreter). */
  private Path template() throws Exception {
    Path bucket = cache.resolve(WheelStore.VENV_TEMPLATES);
    List<String> entries = WheelInstallationTest.visible(bucket);
    assertEquals(1, entries.size(), entries.toString());
    return bucket.resolve(entries.get(0));
  }

  /** The byte-code entry of the one wheel that has {@code module}. */
  private Path bytecode(String module) throws Exception {
    Path bucket = cache.resolve(WheelStore.BYTECODE).resolve(env.python.cacheTag());
    for (String sha : WheelInstallationTest.visible(bucket)) {
      if (Files.isDirectory(bucket.resolve(sha).resolve("tree").resolve(module))) {
        return bucket.resolve(sha);
      }
    }
    throw new AssertionError("no byte code of " + module);
  }

  private Path pyc(String module) throws Exception {
    return bytecode(module).resolve("tree").resolve(module).resolve("__pycache__")
        .resolve("__init__." + env.python.cacheTag() + ".pyc");
  }

  /**
   * Leaves a file of our own in a store entry (its check ignores it): gone once the entry is
   * made again (a directory's inode number may be reused at once, so it cannot tell).
   */
  private static Path mark(Path entry) throws Exception {
    return Files.writeString(entry.resolve("marked-by-test"), "");
  }

  /** The identity (inode) of a file or directory, never followed through a link. */
  private static Object inode(Path p) throws Exception {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
  }

  /**
   * A new environment (another key) works: the module imports, its console script runs, and its
   * byte code is the store's whole one, which Python loads (it imports the module from it).
   */
  private Environment assertNextEnvironmentWorks(byte[] wholePyc) throws Exception {
    Environment next = ensure("dmg", "other");
    assertTrue(next.createdNow());
    assertWorks(next, "dmg", "other");
    var script = EnvTestSupport.run(tmp, Map.of(), next.binDir().resolve("dmg-run").toString());
    assertEquals("dmg 1.0 main", script.output().strip(), script.output());
    Path linked = next.root().resolve("lib").resolve("python" + env.python.majorMinor())
        .resolve("site-packages/dmg/__pycache__/__init__." + env.python.cacheTag() + ".pyc");
    assertEquals(inode(pyc("dmg")), inode(linked), "the environment links the store's byte code");
    assertTrue(Arrays.equals(wholePyc, Files.readAllBytes(linked)), "the byte code is whole again");
    // python -v says "# <pyc> matches <source>" when it loads a module from its byte code
    var loaded = EnvTestSupport.run(tmp, Map.of(), next.python().toString(), "-v", "-c", "import dmg");
    assertTrue(loaded.output().contains(linked.getFileName() + " matches "), loaded.output());
    String log = Files.readString(tmp.resolve("env.log"));
    assertTrue(log.contains("was damaged"), "the log says the entry was made again:\n" + log);
    return next;
  }

  @Test
  void aVenvTemplateWithATruncatedPyvenvCfgIsMadeAgain() throws Exception {
    ensure("dmg");
    Path mark = mark(template());
    byte[] pyc = Files.readAllBytes(pyc("dmg"));
    byte[] whole = truncate(template().resolve("venv/pyvenv.cfg"));
    assertNextEnvironmentWorks(pyc);
    assertFalse(Files.exists(mark), "the template was made again");
    // the same file but for the staging directory's name in its `command` line
    assertEquals(whole.length, Files.size(template().resolve("venv/pyvenv.cfg")));
  }

  @Test
  void aVenvTemplateWhosePyvenvCfgNamesAnotherInterpreterIsMadeAgain() throws Exception {
    ensure("dmg");
    Path cfg = template().resolve("venv/pyvenv.cfg");
    String text = Files.readString(cfg);
    int home = text.indexOf("home = ") + "home = ".length();
    // the same size, a home that is not the interpreter's
    Files.writeString(cfg, text.substring(0, home) + "/" + "x".repeat(text.indexOf('\n', home) - home - 1)
        + text.substring(text.indexOf('\n', home)));
    assertEquals(text.length(), Files.size(cfg));
    Path mark = mark(template());
    assertNextEnvironmentWorks(Files.readAllBytes(pyc("dmg")));
    assertFalse(Files.exists(mark), "the template was made again");
    assertTrue(Files.readString(template().resolve("venv/pyvenv.cfg"))
        .startsWith(text.substring(0, text.indexOf('\n', home))), "home names the interpreter again");
  }

  @Test
  void aVenvTemplateWithoutItsPythonLinkIsMadeAgain() throws Exception {
    ensure("dmg");
    Path mark = mark(template());
    Files.delete(template().resolve("venv/bin/python"));
    Environment next = assertNextEnvironmentWorks(Files.readAllBytes(pyc("dmg")));
    assertFalse(Files.exists(mark), "the template was made again");
    assertTrue(Files.isSymbolicLink(template().resolve("venv/bin/python")));
    assertTrue(Files.isSymbolicLink(next.python()), next.python() + " is the interpreter's link");
  }

  @Test
  void aVenvTemplateWithoutItsManifestIsMadeAgain() throws Exception {
    ensure("dmg");
    Path mark = mark(template());
    Files.delete(template().resolve("template.json"));
    assertNextEnvironmentWorks(Files.readAllBytes(pyc("dmg")));
    assertFalse(Files.exists(mark), "the template was made again");
    assertTrue(Files.isRegularFile(template().resolve("template.json")));
  }

  @Test
  void truncatedByteCodeIsCompiledAgainAndNeverLinked() throws Exception {
    ensure("dmg");
    Path mark = mark(bytecode("dmg"));
    byte[] whole = truncate(pyc("dmg")); // the first environment links it: cut short there too
    assertNextEnvironmentWorks(whole);
    assertFalse(Files.exists(mark), "the byte code was compiled again");
  }

  @Test
  void byteCodeWithACorruptHeaderIsCompiledAgain() throws Exception {
    ensure("dmg");
    Path mark = mark(bytecode("dmg"));
    byte[] whole = Files.readAllBytes(pyc("dmg"));
    byte[] corrupt = whole.clone();
    corrupt[0] ^= (byte) 0xff; // the magic number: not this interpreter's any more
    Files.write(pyc("dmg"), corrupt);
    assertNextEnvironmentWorks(whole);
    assertFalse(Files.exists(mark), "the byte code was compiled again");
  }

  @Test
  void byteCodeWithAFileMissingIsCompiledAgain() throws Exception {
    ensure("dmg");
    byte[] whole = Files.readAllBytes(pyc("dmg"));
    Files.delete(pyc("dmg"));
    assertNextEnvironmentWorks(whole);
  }

  @Test
  void byteCodeWithoutItsManifestIsCompiledAgain() throws Exception {
    ensure("dmg");
    Path mark = mark(bytecode("dmg"));
    byte[] whole = Files.readAllBytes(pyc("dmg"));
    Files.delete(bytecode("dmg").resolve("bytecode.json"));
    assertNextEnvironmentWorks(whole);
    assertFalse(Files.exists(mark), "the byte code was compiled again");
  }

  @Test
  void setuptoolsByteCodeCutShortIsCompiledAgainAndItsConsoleScriptsRun() throws Exception {
    env.setuptoolsAndWheel(links);
    ensure("setuptools");
    Path setuptoolsPyc = pyc("setuptools");
    byte[] whole = truncate(setuptoolsPyc);
    Environment next = ensure("setuptools", "wheel");
    assertTrue(next.createdNow());
    var run = EnvTestSupport.run(tmp, Map.of(), next.python().toString(), "-c",
        "import setuptools, wheel; print(setuptools.__version__)");
    assertEquals(0, run.exit(), run.output());
    var script = EnvTestSupport.run(tmp, Map.of(), next.binDir().resolve("wheel").toString(), "version");
    assertEquals(0, script.exit(), script.output());
    assertTrue(script.output().startsWith("wheel "), script.output());
    assertEquals(whole.length, Files.size(pyc("setuptools")));
  }

  @Test
  void wholeEntriesAreUsedAsTheyAreNotMadeAgain() throws Exception {
    ensure("dmg");
    Path template = template();
    Path bytecode = bytecode("dmg");
    Path unpacked = unpacked("dmg").getParent();
    List<Path> marks = List.of(mark(template), mark(bytecode), mark(unpacked));
    Map<Path, Object> inodes = new java.util.LinkedHashMap<>();
    Map<Path, Object> times = new java.util.LinkedHashMap<>();
    for (Path p : List.of(template, template.resolve("template.json"), template.resolve("venv/pyvenv.cfg"),
        bytecode, bytecode.resolve("bytecode.json"), pyc("dmg"), unpacked, unpacked.resolve("wheel.json"))) {
      inodes.put(p, inode(p));
      times.put(p, Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
    }
    Environment next = ensure("dmg", "other");
    assertTrue(next.createdNow());
    assertWorks(next, "dmg", "other");
    for (Path m : marks) {
      assertTrue(Files.exists(m), m.getParent() + " was made again");
    }
    for (Path p : inodes.keySet()) {
      assertEquals(inodes.get(p), inode(p), p + " was made again");
      assertEquals(times.get(p), Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS), p + " was written");
    }
    assertFalse(Files.readString(tmp.resolve("env.log")).contains("was damaged"));
  }
}
