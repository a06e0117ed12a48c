package dev.orchestrate.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wheel tags the shim computes with the standard library are the ones pip installs, in
 * pip's order: checked against pip (its supported-tag list and its vendored
 * {@code packaging.tags.sys_tags()}), and against a modern {@code packaging} when one is
 * importable, also for macOS, Windows and other Linux machines simulated by patching
 * {@code platform}/{@code sysconfig}/{@code os.confstr}.
 */
class WheelTagsTest {
  @TempDir static Path dir;
  static Path shim;
  static InterpreterInfo info;

  @BeforeAll
  static void probe() throws Exception {
    shim = ShimScript.materialize(dir);
    Vertx vertx = Vertx.vertx();
    try {
      info = InterpreterProbe.probe(vertx, vertx.createSharedWorkerExecutor("tags", 1),
          RealPython.path(), shim, dir).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static String python(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(RealPython.path(), "-c", script, shim.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static final String LOAD_SHIM = """
      import importlib.util, json, sys
      spec = importlib.util.spec_from_file_location("shim", sys.argv[1])
      shim = importlib.util.module_from_spec(spec)
      spec.loader.exec_module(shim)
      def distinct(tags):
          out = []
          for t in map(str, tags):
              if t not in out:
                  out.append(t)
          return out
      """;

  @Test
  void theProbeListsTheInterpretersTagsMostSpecificFirst() {
    List<String> tags = info.tags();
    assertFalse(tags.isEmpty());
    assertEquals(tags.size(), new LinkedHashSet<>(tags).size(), "no duplicates");
    String nodot = info.versionInfo().get(0) + "" + info.versionInfo().get(1);
    assertTrue(tags.get(0).startsWith("cp" + nodot + "-cp" + nodot), tags.get(0));
    assertEquals("py" + info.versionInfo().get(0) + "0-none-any", tags.get(tags.size() - 1));
    assertTrue(tags.contains("py3-none-any"));
    assertTrue(tags.indexOf("cp" + nodot + "-none-any") < tags.indexOf("py3-none-any"));
    if (info.platform().equals("linux-x86_64")) {
      assertTrue(tags.contains("cp" + nodot + "-abi3-manylinux2014_x86_64"));
      assertTrue(tags.indexOf("cp" + nodot + "-cp" + nodot + "-manylinux_2_17_x86_64")
          < tags.indexOf("cp" + nodot + "-cp" + nodot + "-manylinux2014_x86_64"));
      assertTrue(tags.indexOf("cp" + nodot + "-cp" + nodot + "-manylinux1_x86_64")
          < tags.indexOf("cp" + nodot + "-cp" + nodot + "-linux_x86_64"));
    }
  }

  @Test
  void sameListAndOrderAsPip() throws Exception {
    Map<?, ?> pip = new ObjectMapper().readValue(python(LOAD_SHIM + """
        from pip._internal.utils.compatibility_tags import get_supported
        from pip._vendor.packaging import tags
        print(json.dumps({"supported": distinct(get_supported()), "sys_tags": distinct(tags.sys_tags())}))
        """), Map.class);
    assertEquals(pip.get("supported"), info.tags());
    // Before packaging 22, sys_tags() left out cpXY-none-any (pip adds it); nothing else may differ.
    List<String> mine = new ArrayList<>(info.tags());
    List<?> sysTags = (List<?>) pip.get("sys_tags");
    if (!sysTags.equals(mine)) {
      mine.removeIf(t -> !sysTags.contains(t) && t.matches("cp\\d+-none-any"));
    }
    assertEquals(sysTags, mine);
  }

  @Test
  void sameAsModernPackagingHereAndOnSimulatedMachines() throws Exception {
    Map<?, ?> result = new ObjectMapper().readValue(python(LOAD_SHIM + """
        import os, platform, sysconfig
        try:
            from packaging import tags as ref, _manylinux
            assert int(__import__("packaging").__version__.split(".")[0]) >= 22
        except Exception:
            print(json.dumps({})); sys.exit(0)
        cases = {"here": distinct(ref.sys_tags()) == shim.wheel_tags()}
        real_system = platform.system
        for release, arch in [("10.15.7", "x86_64"), ("11.0", "arm64"), ("14.2", "arm64"), ("14.2", "x86_64"), ("10.9", "x86_64")]:
            platform.system = lambda: "Darwin"
            platform.mac_ver = lambda r=release, a=arch: (r, ("", "", ""), a)
            cases["macos %s %s" % (release, arch)] = distinct(ref.sys_tags()) == shim.wheel_tags()
        platform.system = lambda: "Windows"
        for plat in ["win-amd64", "win32", "win-arm64"]:
            sysconfig.get_platform = lambda p=plat: p
            cases["windows " + plat] = distinct(ref.sys_tags()) == shim.wheel_tags()
        platform.system = lambda: "Linux"
        real_confstr = os.confstr
        for glibc, plat in [("2.17", "linux-x86_64"), ("2.28", "linux-aarch64"), ("3.1", "linux-x86_64"), ("2.31", "linux-s390x")]:
            sysconfig.get_platform = lambda p=plat: p
            os.confstr = lambda name, g=glibc: "glibc " + g if name == "CS_GNU_LIBC_VERSION" else real_confstr(name)
            _manylinux._get_glibc_version.cache_clear()
            cases["linux glibc %s %s" % (glibc, plat)] = distinct(ref.sys_tags()) == shim.wheel_tags()
        print(json.dumps(cases))
        """), Map.class);
    for (Map.Entry<?, ?> e : result.entrySet()) {
      assertEquals(Boolean.TRUE, e.getValue(), "tags differ from packaging's on " + e.getKey());
    }
  }
}
