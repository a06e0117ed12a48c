package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Build requirements available only as sdists: built into wheels through their own PEP 517
 * backend (the same path as a member), once, kept in the cache, and refused with the cycle named
 * when two such sdists need each other to build.
 */
class SourceBuildTest {
  @TempDir Path tmp;

  /** An sdist of a setuptools project with one module, {@code <name>.py}. */
  private static void sdist(Path links, String name, List<String> requires, String module)
      throws Exception {
    String base = name.replace('-', '_') + "-1.0";
    Path src = links.resolveSibling("sdist-src").resolve(base);
    Files.createDirectories(src);
    String module_ = name.replace('-', '_');
    Files.writeString(src.resolve("pyproject.toml"), "[build-system]\nrequires = ["
        + String.join(", ", requires.stream().map(r -> "\"" + r + "\"").toList())
        + "]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"" + name
        + "\"\nversion = \"1.0\"\n\n[tool.setuptools]\npy-modules = [\"" + module_ + "\"]\n");
    Files.writeString(src.resolve(module_ + ".py"), module);
    Files.writeString(src.resolve("PKG-INFO"), "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n");
    Process tar = new ProcessBuilder("tar", "czf", links.resolve(base + ".tar.gz").toString(), "-C",
        src.getParent().toString(), base).redirectErrorStream(true).start();
    String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, tar.waitFor(), out);
  }

  /** A member whose in-tree backend imports {@code imports} (proving it is installed) first. */
  private static void member(Path root, String name, List<String> requires, String imports)
      throws IOException {
    Path dir = root.resolve(name);
    Files.createDirectories(dir.resolve("_backend"));
    String module = name.replace('-', '_');
    Files.writeString(dir.resolve("pyproject.toml"), "[build-system]\nrequires = ["
        + String.join(", ", requires.stream().map(r -> "\"" + r + "\"").toList())
        + "]\nbuild-backend = \"" + module + "_backend\"\nbackend-path = [\"_backend\"]\n\n"
        + "[project]\nname = \"" + name + "\"\nversion = \"0.1\"\n\n[tool.setuptools]\npy-modules = [\""
        + module + "\"]\n");
    Files.writeString(dir.resolve("_backend").resolve(module + "_backend.py"), (imports.isEmpty() ? ""
        : "import " + imports + "\nassert " + imports + ".VALUE == 42, " + imports + ".VALUE\n")
        + "from setuptools.build_meta import *\n");
    Files.writeString(dir.resolve("MANIFEST.in"), "recursive-include _backend *.py\n");
    Files.writeString(dir.resolve(module + ".py"), "X = 1\n");
  }

  private Cli.Result buildAll(Path root, Path links, Path cache) throws Exception {
    return Cli.run(tmp.resolve("cli"), "build-all", root.toString(), "--find-links", links.toString(),
        "--cache-dir", cache.toString(), "--jobs", "2", "--report", root.resolve("report.json").toString());
  }

  private static List<Path> find(Path dir, String glob) throws IOException {
    var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> matcher.matches(dir.relativize(p))).toList();
    }
  }

  @Test
  void aBuildRequirementOnlyAvailableAsAnSdistIsBuiltOnceAndInstalled() throws Exception {
    Path links = OfflineWheels.setuptoolsAndWheel(tmp.resolve("links"));
    sdist(links, "srconly", List.of("setuptools>=40.8"), "VALUE = 42\n");
    Path root = tmp.resolve("ws");
    // Two members with different environments that both need it: one source build between them.
    member(root, "app", List.of("setuptools>=40.8", "srconly>=1.0"), "srconly");
    member(root, "app-two", List.of("setuptools>=40.8", "wheel", "srconly"), "srconly");
    Path cache = tmp.resolve("cache");

    Cli.Result r = buildAll(root, links, cache);
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));
    for (String name : List.of("app", "app-two")) {
      assertEquals("built", Cli.pkg(report, name).get("status").asText(), report.toString());
    }
    List<Path> built = find(cache, "built-wheels-v1/*/*/srconly-1.0-py3-none-any.whl");
    assertEquals(1, built.size(), "one wheel built from the sdist: " + built);
    assertEquals(64, built.get(0).getParent().getFileName().toString().length(), "keyed by the sdist's sha256");
    assertEquals(1, find(cache, "runs/*/sources/srconly-1.0-*").size(), "built from source once");

    // A new environment that needs it again (another cache of environments, same store): no rebuild.
    member(root, "app-three", List.of("setuptools>=40.8", "srconly==1.0"), "srconly");
    long before = Files.getLastModifiedTime(built.get(0)).toMillis();
    Cli.Result again = buildAll(root, links, cache);
    assertEquals(0, again.exitCode(), again.toString());
    assertEquals("built", Cli.pkg(Cli.report(root.resolve("report.json")), "app-three").get("status").asText());
    assertEquals(before, Files.getLastModifiedTime(built.get(0)).toMillis());
    assertEquals(1, find(cache, "built-wheels-v1/*/*/srconly-1.0-py3-none-any.whl").size());
  }

  @Test
  void sdistsThatNeedEachOtherToBuildAreACycleNamedNotAHang() throws Exception {
    Path links = OfflineWheels.setuptoolsAndWheel(tmp.resolve("links"));
    sdist(links, "cyc-a", List.of("setuptools>=40.8", "cyc-b"), "VALUE = 42\n");
    sdist(links, "cyc-b", List.of("setuptools>=40.8", "cyc-a"), "VALUE = 42\n");
    sdist(links, "broken-src", List.of("setuptools>=40.8"), "VALUE = 42\n");
    // broken-src: its setup.py fails, so its wheel cannot be built.
    Path brokenTar = links.resolve("broken_src-1.0.tar.gz");
    Path src = links.resolveSibling("sdist-src").resolve("broken_src-1.0");
    Files.writeString(src.resolve("setup.py"), "raise SystemExit('broken-src refuses to build')\n");
    Files.delete(brokenTar);
    Process tar = new ProcessBuilder("tar", "czf", brokenTar.toString(), "-C", src.getParent().toString(),
        "broken_src-1.0").start();
    assertEquals(0, tar.waitFor());
    Path root = tmp.resolve("ws");
    member(root, "loopy", List.of("setuptools>=40.8", "cyc-a"), "cyc_a");
    member(root, "needs-broken", List.of("setuptools>=40.8", "broken-src"), "broken_src");
    member(root, "fine", List.of("setuptools>=40.8"), "");

    Cli.Result r = buildAll(root, links, tmp.resolve("cache"));
    assertEquals(1, r.exitCode(), r.toString());
    JsonNode report = Cli.report(root.resolve("report.json"));
    assertEquals("built", Cli.pkg(report, "fine").get("status").asText());

    JsonNode loopy = Cli.pkg(report, "loopy");
    assertEquals("failed", loopy.get("status").asText(), loopy.toString());
    String cause = loopy.get("error").get("cause").asText();
    assertTrue(cause.contains("a cycle of source builds") && cause.contains("cyc-a 1.0")
        && cause.contains("cyc-b 1.0"), cause);
    assertTrue(r.stdout().contains("a cycle of source builds"), r.toString());

    JsonNode broken = Cli.pkg(report, "needs-broken");
    assertEquals("failed", broken.get("status").asText(), broken.toString());
    String brokenCause = broken.get("error").get("cause").asText();
    assertTrue(brokenCause.contains("`broken-src 1.0` is only available as an sdist, and building its wheel failed"),
        brokenCause);
    String hints = broken.get("error").get("hints").toString();
    assertTrue(hints.contains("log of the source build") && hints.contains("needed by"), hints);
    assertTrue(hints.contains("needs-broken"), hints);
  }
}
