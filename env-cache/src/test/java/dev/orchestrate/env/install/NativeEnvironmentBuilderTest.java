package dev.orchestrate.env.install;

import static dev.orchestrate.env.install.EnvTestSupport.await;
import static dev.orchestrate.env.install.EnvTestSupport.reqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.env.store.Pin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real environments built natively from real wheels, checked with the environment's own Python. */
class NativeEnvironmentBuilderTest extends RealPythonTest {
  @Test
  void setuptoolsAndWheelImportAndTheConsoleScriptRuns() throws Exception {
    EnvironmentCache cache = env.cache(tmp.resolve("cache"), wheels);
    Environment e = await(cache.ensure(env.python, reqs("setuptools>=40.8.0", "wheel"), tmp.resolve("env.log")));
    assertTrue(e.createdNow());
    assertEquals(Map.of("setuptools", "65.5.0", "wheel", "0.38.4"), e.installed());
    assertEquals(2, e.resolved().size(), e.resolved().toString());
    Pin st = e.resolved().stream().filter(p -> p.name().equals("setuptools")).findFirst().orElseThrow();
    assertEquals("setuptools-65.5.0-py3-none-any.whl", st.file());
    assertTrue(st.sha256().isPresent());

    var imported = EnvTestSupport.run(tmp, Map.of(), e.python().toString(), "-c",
        "import setuptools, wheel, sys; print(setuptools.__version__, wheel.__version__, sys.prefix)");
    assertEquals(0, imported.exit(), imported.output());
    assertEquals("65.5.0 0.38.4 " + e.root(), imported.output().strip());

    var script = EnvTestSupport.run(tmp, Map.of(), e.binDir().resolve("wheel").toString(), "version");
    assertEquals(0, script.exit(), script.output());
    assertTrue(script.output().contains("0.38.4"), script.output());
    assertTrue(Files.readString(e.binDir().resolve("wheel")).startsWith("#!" + e.root() + "/bin/python\n"));
    assertFalse(Files.readString(tmp.resolve("env.log")).isEmpty());
  }
}
