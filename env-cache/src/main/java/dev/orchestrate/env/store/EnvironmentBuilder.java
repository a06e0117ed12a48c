package dev.orchestrate.env.store;

import dev.orchestrate.shim.InterpreterInfo;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;

/** Makes a build environment in a staging directory that will be renamed to its final path. */
public interface EnvironmentBuilder {

  /**
   * Creates a virtual environment in {@code staging} holding {@code requirements}, ready to be
   * moved to {@code finalPath} (paths written into scripts already point there), and returns
   * what it installed.
   */
  Future<List<Pin>> build(InterpreterInfo interpreter, List<EnvRequirement> requirements,
      Path staging, Path finalPath, Path log);
}
