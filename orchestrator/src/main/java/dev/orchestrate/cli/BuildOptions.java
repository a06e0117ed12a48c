package dev.orchestrate.cli;

import dev.orchestrate.bus.BuildMode;
import dev.orchestrate.run.RunOptions;
import dev.orchestrate.shim.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The options every building command takes. */
public final class BuildOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "Where sdists and wheels go (default: ROOT/dist).")
  Path out;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Build environments, logs and the shim (default: $ORCHESTRATE_CACHE_DIR, else $XDG_CACHE_HOME/orchestrate, else ~/.cache/orchestrate).")
  Path cacheDir;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N",
      description = "Packages built at once (default: the number of cores, ${DEFAULT-VALUE}).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = "--python", paramLabel = "PATH", defaultValue = "python3",
      description = "The interpreter builds run under; a name is looked up on PATH and resolved to the real executable (default: ${DEFAULT-VALUE}).")
  String python;

  @Option(names = {"-f", "--find-links"}, paramLabel = "DIR",
      description = "A directory of wheels to take build requirements from (repeatable).")
  List<Path> findLinks = new ArrayList<>();

  @Option(names = "--index-url", paramLabel = "URL",
      description = "A PEP 503 simple index for build requirements (default: none; builds are offline).")
  String indexUrl;

  @Option(names = {"-C", "--config-setting"}, paramLabel = "KEY=VALUE",
      description = "Passed to every hook in config_settings (repeatable; a repeated key becomes a list).")
  List<String> configSettings = new ArrayList<>();

  @Option(names = "--wheel-only", description = "Build only wheels, straight from the source trees.")
  boolean wheelOnly;

  @Option(names = "--hook-timeout", paramLabel = "DURATION", defaultValue = "30m",
      description = "Time limit of one hook call, e.g. 90s, 15m, 1h (default: ${DEFAULT-VALUE}).")
  String hookTimeout;

  @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report (orchestrate.report/1).")
  Path report;

  @Option(names = "-v", description = "More output: -v full tracebacks and logs, -vv every hook.")
  boolean[] verbose = new boolean[0];

  RunOptions toRunOptions(Path root, List<String> only) {
    Path absoluteRoot = root.toAbsolutePath().normalize();
    if (jobs < 1) {
      throw new ParameterException(spec.commandLine(), "--jobs must be at least 1");
    }
    Duration timeout;
    try {
      timeout = Durations.parse(hookTimeout);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--hook-timeout: " + e.getMessage());
    }
    String interpreter = python.contains("/") ? Path.of(python).toAbsolutePath().toString() : python;
    return new RunOptions(absoluteRoot, only,
        (out == null ? absoluteRoot.resolve("dist") : out).toAbsolutePath().normalize(),
        (cacheDir == null ? defaultCacheDir() : cacheDir).toAbsolutePath().normalize(),
        jobs, interpreter,
        findLinks.stream().map(p -> p.toAbsolutePath().normalize()).toList(),
        Optional.ofNullable(indexUrl), parseConfigSettings(),
        wheelOnly ? BuildMode.WHEEL_ONLY : BuildMode.SDIST_AND_WHEEL, timeout,
        Optional.ofNullable(report).map(p -> p.toAbsolutePath().normalize()), verbose.length);
  }

  /** {@code KEY=VALUE} pairs; a repeated key collects its values into a list, as pip and build do. */
  Map<String, Object> parseConfigSettings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (String pair : configSettings) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(),
            "-C/--config-setting expects KEY=VALUE, got `" + pair + "`");
      }
      String key = pair.substring(0, eq);
      String value = pair.substring(eq + 1);
      settings.merge(key, value, (old, add) -> {
        List<Object> list = old instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(List.of(old));
        list.add(add);
        return list;
      });
    }
    return settings;
  }

  static Path defaultCacheDir() {
    String explicit = System.getenv("ORCHESTRATE_CACHE_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("orchestrate");
  }
}
