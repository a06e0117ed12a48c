package dev.orchestrate.env.install;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of real environments share: a Vert.x instance and the real interpreter
 * ({@link EnvTestSupport}) for the test class, setuptools and wheel as offline wheels in
 * {@link #wheels}, a directory for the class ({@link #shared}) and one per test ({@link #tmp}).
 */
abstract class RealPythonTest {
  static EnvTestSupport env;
  static Path wheels;
  @TempDir static Path shared;
  @TempDir Path tmp;

  @BeforeAll
  static void startRealPython() throws Exception {
    env = EnvTestSupport.start(shared);
    wheels = env.setuptoolsAndWheel(shared.resolve("wheels"));
  }

  @AfterAll
  static void stopRealPython() throws Exception {
    env.close();
  }
}
