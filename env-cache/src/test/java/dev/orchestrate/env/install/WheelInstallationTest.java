package dev.orchestrate.env.install;

import static dev.orchestrate.env.install.EnvTestSupport.await;
import static dev.orchestrate.env.install.EnvTestSupport.reqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.store.EnvKey;
import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.env.store.WheelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the installer puts in an environment, checked with the environment's own Python: every
 * part of a wheel in its place, scripts that run, a RECORD whose hashes hold, and wheels that
 * try to write outside the environment refused with nothing left behind.
 */
class WheelInstallationTest extends RealPythonTest {
  /** Every file RECORD lists exists with that hash and size, as importlib.metadata reads them. */
  static final String CHECK_RECORD = String.join("\n",
      "import base64, hashlib, importlib.metadata as md, sys",
      "dist = md.distribution(sys.argv[1])",
      "n = 0",
      "for f in dist.files:",
      "    p = f.locate()",
      "    if f.hash is None:",
      "        assert f.name == 'RECORD', f",
      "        continue",
      "    data = p.read_bytes()",
      "    digest = base64.urlsafe_b64encode(hashlib.new(f.hash.mode, data).digest()).rstrip(b'=').decode()",
      "    assert digest == f.hash.value, (f, digest)",
      "    assert len(data) == f.size, (f, len(data), f.size)",
      "    n += 1",
      "print('ok', n, dist.read_text('INSTALLER').strip())",
      "");

  @Test
  void everyPartOfAWheelLandsWhereTheSpecificationSays() throws Exception {
    Path links = tmp.resolve("links");
    TestWheel w = TestWheel.of("datapkg", "1.0")
        .file("datapkg-1.0.data/scripts/datapkg-tool", "#!python\nimport datapkg\nprint('tool', datapkg.VERSION)\n")
        .file("datapkg-1.0.data/data/share/datapkg/readme.txt", "hello")
        .file("datapkg-1.0.data/headers/datapkg.h", "#define DATAPKG 1\n")
        .file("datapkg-1.0.data/purelib/datapkg_extra/__init__.py", "EXTRA = True\n")
        .consoleScript("datapkg-run", "datapkg:main");
    w.writeTo(links);
    EnvironmentCache cache = env.cache(tmp.resolve("cache"), links);
    Environment e = await(cache.ensure(env.python, reqs("datapkg"), tmp.resolve("env.log")));

    var imported = EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c",
        "import datapkg, datapkg_extra; print(datapkg.VERSION, datapkg_extra.EXTRA, datapkg.__file__)");
    assertEquals(0, imported.exit(), imported.output());
    assertTrue(imported.output().startsWith("1.0 True " + e.root()), imported.output());

    var tool = EnvTestSupport.run(tmp, Map.of(), e.binDir().resolve("datapkg-tool").toString());
    assertEquals("tool 1.0", tool.output().strip());
    var run = EnvTestSupport.run(tmp, Map.of(), e.binDir().resolve("datapkg-run").toString());
    assertEquals(0, run.exit(), run.output());
    assertEquals("datapkg 1.0 main", run.output().strip());
    assertTrue(Files.isExecutable(e.binDir().resolve("datapkg-run")));
    assertEquals("hello", Files.readString(e.root().resolve("share/datapkg/readme.txt")));
    assertTrue(Files.isRegularFile(e.root().resolve("include/site/python" + env.python.majorMinor()
        + "/datapkg/datapkg.h")));

    var record = EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c", CHECK_RECORD, "datapkg");
    assertEquals(0, record.exit(), record.output());
    assertTrue(record.output().strip().endsWith("orchestrate"), record.output());
    Path sitePackages = Path.of(EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])").output().strip());
    String recordText = Files.readString(sitePackages.resolve("datapkg-1.0.dist-info/RECORD"));
    assertTrue(recordText.contains("../../../bin/datapkg-run,sha256="), recordText);
    assertTrue(recordText.contains("datapkg/__pycache__/__init__." + env.python.cacheTag() + ".pyc,sha256="),
        recordText);
    assertTrue(recordText.contains("datapkg-1.0.dist-info/RECORD,,"), recordText);

    // Sources are hard links into the store: one copy on disk, however many environments.
    Object links2 = Files.getAttribute(sitePackages.resolve("datapkg/__init__.py"), "unix:nlink");
    assertTrue(((Integer) links2) >= 2, "linked from the store: nlink " + links2);
    assertTrue(Files.isRegularFile(sitePackages.resolve("datapkg/__pycache__/__init__."
        + env.python.cacheTag() + ".pyc")));
  }

  /**
   * The kernel reads only the first 127 bytes or so of a {@code #!} line and splits it at
   * blanks: from an environment whose path is longer (and holds a blank) console scripts, GUI
   * scripts and {@code #!python} data scripts go through {@code /bin/sh} and still run.
   */
  @Test
  void scriptsRunFromAnEnvironmentWhosePathIsLongAndHasABlank() throws Exception {
    Path links = tmp.resolve("links");
    TestWheel.of("longpath", "1.0")
        .file("longpath-1.0.data/scripts/longpath-tool", "#!python\nimport sys, longpath\nprint('tool', longpath.VERSION, sys.argv[1:])\n")
        .consoleScript("longpath-run", "longpath:main")
        .guiScript("longpath-gui", "longpath:main")
        .writeTo(links);
    Path deep = tmp.resolve("a directory with a blank").resolve("x".repeat(60)).resolve("y".repeat(60));
    EnvironmentCache cache = env.cache(deep.resolve("cache"), links);
    Environment e = await(cache.ensure(env.python, reqs("longpath"), tmp.resolve("env.log")));
    String python = e.root().resolve("bin/python").toString();
    assertTrue(python.length() > 127, python);

    for (String script : List.of("longpath-run", "longpath-gui")) {
      Path file = e.binDir().resolve(script);
      assertTrue(Files.readString(file).startsWith("#!/bin/sh\n'''exec' '" + python + "' \"$0\" \"$@\"\n' '''\n"),
          Files.readString(file));
      var run = EnvTestSupport.run(tmp, Map.of(), file.toString());
      assertEquals(0, run.exit(), run.output());
      assertEquals("longpath 1.0 main", run.output().strip(), script);
    }
    var tool = EnvTestSupport.run(tmp, Map.of(), e.binDir().resolve("longpath-tool").toString(), "a b", "$HOME");
    assertEquals("tool 1.0 ['a b', '$HOME']", tool.output().strip());
    // Python itself reads the sh lines as a string: running the script with the interpreter works too.
    var direct = EnvTestSupport.run(tmp, Map.of(), python, "-W", "error",
        e.binDir().resolve("longpath-run").toString());
    assertEquals("longpath 1.0 main", direct.output().strip(), direct.output());
    var record = EnvTestSupport.run(tmp, Map.of(), python, "-c", CHECK_RECORD, "longpath");
    assertEquals(0, record.exit(), record.output());
  }

  /** A short path gets a plain {@code #!} line; length is counted in bytes, not characters. */
  @Test
  void shebangsAreDirectOnlyWhenTheKernelReadsThemWhole() {
    assertEquals("#!/env/bin/python\n", EntryPoints.shebang("/env/bin/python"));
    String ascii = "/" + "a".repeat(113) + "/bin/python"; // 125 bytes: "#!" + path fits in 127
    assertEquals("#!" + ascii + "\n", EntryPoints.shebang(ascii));
    assertTrue(EntryPoints.shebang(ascii + "3").startsWith("#!/bin/sh\n"));
    String accented = "/" + "é".repeat(60) + "/bin/python"; // 72 characters, 132 bytes
    assertTrue(EntryPoints.shebang(accented).startsWith("#!/bin/sh\n"), EntryPoints.shebang(accented));
    assertTrue(EntryPoints.shebang("/with blank/bin/python").startsWith("#!/bin/sh\n"));
    assertEquals("#!/bin/sh\n'''exec' '/it'\\''s here/bin/python' \"$0\" \"$@\"\n' '''\n",
        EntryPoints.shebang("/it's here/bin/python"));
  }

  @Test
  void aWorkspaceMemberWheelIsInstalledFromItsDirectReference() throws Exception {
    Path member = TestWheel.of("house-backend", "1.0").writeTo(tmp.resolve("dist"));
    EnvironmentCache cache = env.cache(tmp.resolve("cache"), tmp.resolve("no-links"));
    EnvRequirement r = new EnvRequirement("house-backend @ sha256:abc", "house-backend @ " + member.toUri());
    Environment e = await(cache.ensure(env.python, List.of(r), tmp.resolve("env.log")));
    assertEquals(Map.of("house-backend", "1.0"), e.installed());
    assertEquals(member.toUri().toString(), e.resolved().get(0).source());
    var direct = EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c",
        "import importlib.metadata as md, json; d = md.distribution('house-backend');"
            + "print(json.loads(d.read_text('direct_url.json'))['url'], d.read_text('REQUESTED') is not None)");
    assertEquals(member.toUri() + " True", direct.output().strip());
  }

  @Test
  void aWheelWithAParentPathEntryIsRefusedAndLeavesNothing() throws Exception {
    Path links = tmp.resolve("links");
    TestWheel.of("evil", "1.0").rawEntry("../escape.txt", "escaped").writeTo(links);
    Path cacheRoot = tmp.resolve("cache");
    EnvironmentCache cache = env.cache(cacheRoot, links);
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> await(cache.ensure(env.python, reqs("evil"), tmp.resolve("env.log"))));
    EnvironmentException e = (EnvironmentException) failed.getCause();
    assertTrue(e.getMessage().contains("evil-1.0-py3-none-any.whl") && e.getMessage().contains("../escape.txt"),
        e.getMessage());
    assertFalse(Files.exists(tmp.resolve("escape.txt")));
    assertFalse(Files.exists(cacheRoot.resolve("escape.txt")));
    assertEquals(List.of(), visible(cacheRoot.resolve(WheelStore.UNPACKED)), "nothing unpacked");
    assertFalse(Files.exists(cache.pathOf(EnvKey.of(env.python, reqs("evil")))));
    try (Stream<Path> all = Files.walk(cacheRoot)) {
      assertEquals(List.of(), all.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList(),
          "no staging left");
    }
  }

  @Test
  void aDataPathThatClimbsOutIsRefusedToo() throws Exception {
    Path links = tmp.resolve("links");
    TestWheel.of("sneaky", "1.0").rawEntry("sneaky-1.0.data/data/../../../../outside.txt", "x").writeTo(links);
    EnvironmentCache cache = env.cache(tmp.resolve("cache"), links);
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> await(cache.ensure(env.python, reqs("sneaky"), tmp.resolve("env.log"))));
    assertTrue(failed.getCause().getMessage().contains("outside.txt"), failed.getCause().getMessage());
    assertFalse(Files.exists(tmp.resolve("outside.txt")));
  }

  @Test
  void aFileThatDoesNotMatchRecordIsRefused() throws Exception {
    Path links = tmp.resolve("links");
    TestWheel.of("tampered", "1.0").badHash().writeTo(links);
    EnvironmentCache cache = env.cache(tmp.resolve("cache"), links);
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> await(cache.ensure(env.python, reqs("tampered"), tmp.resolve("env.log"))));
    assertTrue(failed.getCause().getMessage().contains("`tampered/__init__.py` does not match its hash in RECORD"),
        failed.getCause().getMessage());
  }

  @Test
  void anEmptyRequirementSetIsAPlainVenv() throws Exception {
    EnvironmentCache cache = env.cache(tmp.resolve("cache"), tmp.resolve("none"));
    Environment e = await(cache.ensure(env.python, List.of(), tmp.resolve("env.log")));
    var prefix = EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c",
        "import sys; print(sys.prefix != sys.base_prefix, sys.prefix)");
    assertEquals("True " + e.root(), prefix.output().strip());
    assertEquals(Map.of(), e.installed());
    String cfg = Files.readString(e.root().resolve("pyvenv.cfg"));
    assertTrue(cfg.contains("include-system-site-packages = false"), cfg);
    assertFalse(cfg.contains(".tmp-"), "no staging path survives in pyvenv.cfg: " + cfg);
  }

  static List<String> visible(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
    }
  }
}
