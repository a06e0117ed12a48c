package dev.orchestrate.cluster.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceManifestTest {
  @TempDir Path tmp;

  private Path member(String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("pyproject.toml"), "[project]\nname = \"p\"\nversion = \"1\"\n");
    Files.createDirectories(dir.resolve("p"));
    Files.writeString(dir.resolve("p/__init__.py"), "X = 1\n");
    Files.writeString(dir.resolve("p/core.py"), "def f():\n    return 1\n");
    return dir;
  }

  @Test
  void twoCopiesOfATreeHaveOneDigestWhateverTheyHoldOfOutputsAndCaches() throws Exception {
    Path a = member("a");
    Path b = member("b");
    Files.createDirectories(b.resolve("dist"));
    Files.writeString(b.resolve("dist/p-1.tar.gz"), "built");
    Files.createDirectories(b.resolve("p/__pycache__"));
    Files.writeString(b.resolve("p/__pycache__/core.cpython-311.pyc"), "bytecode");
    Files.createDirectories(b.resolve("p.egg-info"));
    Files.writeString(b.resolve("p.egg-info/PKG-INFO"), "meta");
    assertEquals(SourceManifest.of(a, Set.of()).digest(), SourceManifest.of(b, Set.of()).digest());
  }

  @Test
  void aDifferentTreeNamesTheFilesThatDiffer() throws Exception {
    Path coordinator = member("coordinator");
    Path agent = member("agent");
    Files.writeString(agent.resolve("p/core.py"), "def f():\n    return 2\n");
    Files.writeString(agent.resolve("p/extra.py"), "");
    Files.delete(agent.resolve("p/__init__.py"));
    SourceManifest theirs = SourceManifest.of(coordinator, Set.of());
    SourceManifest here = SourceManifest.of(agent, Set.of());
    assertNotEquals(theirs.digest(), here.digest());
    assertEquals("changed p/core.py; only on the coordinator p/__init__.py; only here p/extra.py",
        here.differencesFrom(theirs.listed()));
  }

  @Test
  void manyDifferencesAreCounted() throws Exception {
    Path coordinator = member("many-c");
    Path agent = member("many-a");
    for (int i = 0; i < 8; i++) {
      Files.writeString(agent.resolve("p/m" + i + ".py"), "");
    }
    String differences = SourceManifest.of(agent, Set.of()).differencesFrom(
        SourceManifest.of(coordinator, Set.of()).listed());
    assertTrue(differences.startsWith("only here p/m0.py, p/m1.py, p/m2.py, p/m3.py, p/m4.py and 3 more"),
        differences);
  }
}
