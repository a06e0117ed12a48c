package dev.orchestrate.cli;

import dev.orchestrate.bus.BuildMode;
import dev.orchestrate.report.Presentation;
import dev.orchestrate.run.Rebuild;
import dev.orchestrate.run.RunOptions;
import dev.orchestrate.shim.Durations;
import dev.orchestrate.shim.HookRunnerKind;
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

  @Option(names = "--extra-index-url", paramLabel = "URL",
      description = "Another simple index, asked after --index-url (repeatable).")
  List<String> extraIndexUrls = new ArrayList<>();

  @Option(names = "--offline",
      description = "Never use the network: build requirements come from --find-links and the cache only.")
  boolean offline;

  @Option(names = {"-C", "--config-setting"}, paramLabel = "KEY=VALUE",
      description = "Passed to every hook in config_settings (repeatable; a repeated key becomes a list).")
  List<String> configSettings = new ArrayList<>();

  @Option(names = "--wheel-only", description = "Build only wheels, straight from the source trees.")
  boolean wheelOnly;

  @Option(names = "--hook-timeout", paramLabel = "DURATION", defaultValue = "30m",
      description = "Time limit of one hook call, e.g. 90s, 15m, 1h (default: ${DEFAULT-VALUE}).")
  String hookTimeout;

  @Option(names = "--hook-runner", paramLabel = "fresh|forkserver|forkserver-cold",
      description = "How hooks run: fresh (a new interpreter per hook, as PEP 517 asks; the default), forkserver (a child forked per hook from a server per environment and backend that imported the backend and, as hooks reveal them, the standard-library and site-packages modules they import lazily; also accepted as forkserver-warm), or forkserver-cold (the same, with servers that import the backend only). Also [tool.orchestrate] hook-runner.")
  String hookRunner;

  @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report (orchestrate.report/1; schema: schemas/orchestrate-report-1.schema.json) (default: none).")
  Path report;

  @Option(names = "--force", description = "Build every package, even those whose inputs are unchanged since their last successful build.")
  boolean force;

  @Option(names = "--changed-since", paramLabel = "REF",
      description = "Build only the members with files changed since the git revision REF (committed, staged, unstaged or untracked), and their dependents (default: none, every member in scope).")
  String changedSince;

  @Option(names = "--explain",
      description = "Say for each package whether it is up to date, or which input changed: which file, which setting, which dependency.")
  boolean explain;

  @Option(names = "-v", description = "More output: -v full tracebacks and logs, -vv every hook and the backends' output as it is written, prefixed with the package.")
  boolean[] verbose = new boolean[0];

  @Option(names = {"-q", "--quiet"},
      description = "Print only the failures and a verdict; nothing at all when everything built.")
  boolean quiet;

  @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
      description = "Colour: auto (on a terminal, unless NO_COLOR is set), always or never (default: ${DEFAULT-VALUE}).")
  Presentation.Color color;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
      description = "Progress: live (a redrawn view of what is building), plain (a time-stamped line per event) or auto (live on a terminal, else plain) (default: ${DEFAULT-VALUE}).")
  Presentation.Progress progress;

  @Option(names = "--trace", paramLabel = "FILE",
      description = "Write the run as Chrome trace-event JSON, one track per worker, for ui.perfetto.dev or chrome://tracing (default: none).")
  Path trace;

  @Option(names = "--html-report", paramLabel = "FILE",
      description = "Write one self-contained HTML page of the run: summary, timeline, failures with their log tails (default: none).")
  Path htmlReport;

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
    Optional<HookRunnerKind> runner;
    try {
      runner = Optional.ofNullable(hookRunner).map(HookRunnerKind::parse);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--hook-runner: " + e.getMessage());
    }
    String interpreter = python.contains("/") ? Path.of(python).toAbsolutePath().toString() : python;
    return new RunOptions(absoluteRoot, only,
        (out == null ? absoluteRoot.resolve("dist") : out).toAbsolutePath().normalize(),
        (cacheDir == null ? defaultCacheDir() : cacheDir).toAbsolutePath().normalize(),
        jobs, interpreter,
        findLinks.stream().map(p -> p.toAbsolutePath().normalize()).toList(),
        Optional.ofNullable(indexUrl), parseConfigSettings(),
        wheelOnly ? BuildMode.WHEEL_ONLY : BuildMode.SDIST_AND_WHEEL, timeout,
        Optional.ofNullable(report).map(p -> p.toAbsolutePath().normalize()), verbose.length,
        runner, extraIndexUrls, offline, presentation(),
        new Rebuild(force, Optional.ofNullable(changedSince), explain));
  }

  Presentation presentation() {
    if (quiet && verbose.length > 0) {
      throw new ParameterException(spec.commandLine(), "-q/--quiet and -v cannot be combined");
    }
    return new Presentation(color, progress, quiet,
        Optional.ofNullable(trace).map(p -> p.toAbsolutePath().normalize()),
        Optional.ofNullable(htmlReport).map(p -> p.toAbsolutePath().normalize()));
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
