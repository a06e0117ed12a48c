package dev.orchestrate.shim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One hook call: which hook of which backend, run by which interpreter (the build environment's),
 * in which tree, with which keyword arguments.
 *
 * @param python the interpreter of the build environment
 * @param backend the {@code build-backend} string, {@code module} or {@code module:object}
 * @param backendPath absolute {@code backend-path} entries (already checked to stay in the tree)
 * @param workingDir the source tree or unpacked sdist; the hook's working directory
 * @param kwargs keyword arguments of the hook ({@code wheel_directory}, {@code config_settings}...)
 * @param environment the complete process environment of the hook
 * @param controlDir an empty directory for input.json and output.json
 * @param log the file that receives the hook's stdout and stderr
 */
public record HookRequest(
    HookName hook,
    Path python,
    String backend,
    List<Path> backendPath,
    Path workingDir,
    Map<String, Object> kwargs,
    Map<String, String> environment,
    Path controlDir,
    Path log,
    Duration timeout) {

  public HookRequest {
    Objects.requireNonNull(hook, "hook");
    Objects.requireNonNull(python, "python");
    Objects.requireNonNull(backend, "backend");
    backendPath = List.copyOf(backendPath);
    Objects.requireNonNull(workingDir, "workingDir");
    kwargs = Map.copyOf(kwargs);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(controlDir, "controlDir");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(timeout, "timeout");
  }
}
