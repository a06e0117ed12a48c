package dev.orchestrate.build;

import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.shim.HookCaller;
import dev.orchestrate.shim.InterpreterInfo;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What every package build of one executor shares.
 *
 * @param outDir where artifacts are published
 * @param runDir this run's directory: {@code logs/} and {@code work/} per package
 * @param baseEnvironment the process environment hooks start from
 * @param sourceBuilds builds the wheels of build requirements available only as sdists
 */
public record BuildContext(
    Vertx vertx,
    WorkerExecutor workers,
    HookCaller hooks,
    EnvironmentCache environments,
    InterpreterInfo interpreter,
    Path outDir,
    Path runDir,
    Duration hookTimeout,
    Map<String, String> baseEnvironment,
    SourceBuilds sourceBuilds) {

  public BuildContext {
    baseEnvironment = Map.copyOf(baseEnvironment);
  }

  /** The directory builds stage artifacts in: inside the out dir, so the final move is a rename. */
  public Path stagingDir() {
    return outDir.resolve(".orchestrate-tmp");
  }
}
