package dev.orchestrate.run;

import dev.orchestrate.bus.BuildMode;
import dev.orchestrate.report.Presentation;
import dev.orchestrate.shim.HookRunnerKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a build run is told.
 *
 * @param only members to build (with what they need at build time); empty means all
 * @param python the interpreter builds run under, a path or a name looked up on PATH
 * @param configSettings {@code -C} settings: String values, or List of Strings for repeated keys
 * @param verbosity 0 normal, 1 {@code -v} (tracebacks in full), 2 {@code -vv}
 * @param hookRunner {@code --hook-runner}; when empty, {@code [tool.orchestrate] hook-runner}, else fresh
 * @param extraIndexUrls {@code --extra-index-url}, asked after {@code indexUrl}, in order
 * @param offline {@code --offline}: find-links only, never the network
 * @param presentation what a person sees: colour, live progress or lines, quiet; trace and HTML report files
 * @param rebuild what may be skipped as up to date ({@code --force}, {@code --changed-since},
 *     {@code --explain})
 */
public record RunOptions(
    Path root,
    List<String> only,
    Path outDir,
    Path cacheDir,
    int jobs,
    String python,
    List<Path> findLinks,
    Optional<String> indexUrl,
    Map<String, Object> configSettings,
    BuildMode mode,
    Duration hookTimeout,
    Optional<Path> report,
    int verbosity,
    Optional<HookRunnerKind> hookRunner,
    List<String> extraIndexUrls,
    boolean offline,
    Presentation presentation,
    Rebuild rebuild) {

  public RunOptions {
    Objects.requireNonNull(root, "root");
    only = List.copyOf(only);
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(python, "python");
    findLinks = List.copyOf(findLinks);
    configSettings = Map.copyOf(configSettings);
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(hookTimeout, "hookTimeout");
    Objects.requireNonNull(hookRunner, "hookRunner");
    extraIndexUrls = List.copyOf(extraIndexUrls);
    Objects.requireNonNull(presentation, "presentation");
    Objects.requireNonNull(rebuild, "rebuild");
  }
}
