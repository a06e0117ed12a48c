package dev.orchestrate.cli;

import dev.orchestrate.shim.Durations;
import dev.orchestrate.watch.WatchSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Build every member, then rebuild what changes (and what needs it) until stopped with Ctrl-C.")
final class WatchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "ROOT", defaultValue = ".",
      description = "The workspace root (default: the current directory).")
  Path root;

  @Mixin
  BuildOptions options;

  @Option(names = "--debounce", paramLabel = "DURATION", defaultValue = "100ms",
      description = "Quiet time after a change before rebuilding, so a burst of saves is one rebuild (default: ${DEFAULT-VALUE}).")
  String debounce;

  @Option(names = "--poll", description = "Poll the tree for changes instead of using file system events.")
  boolean poll;

  @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "500ms",
      description = "How often --poll (or the fallback when events are not available) looks (default: ${DEFAULT-VALUE}).")
  String pollInterval;

  @Override
  public Integer call() {
    WatchSession.Settings settings = new WatchSession.Settings(duration("--debounce", debounce), poll,
        duration("--poll-interval", pollInterval));
    return WatchSession.run(options.toRunOptions(root, List.of()), settings, System.out, System.err);
  }

  private Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }
}
