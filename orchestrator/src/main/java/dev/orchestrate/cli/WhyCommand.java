package dev.orchestrate.cli;

import dev.orchestrate.run.WhyRun;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "why", mixinStandardHelpOptions = true,
    description = "Say whether a member is up to date, or which of its inputs changed since its last "
        + "successful build: which file, which setting, which dependency (and why that one changed).")
final class WhyCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The member.")
  String name;

  @Option(names = "--root", paramLabel = "ROOT", defaultValue = ".",
      description = "The workspace root (default: the current directory).")
  Path root;

  @Mixin
  BuildOptions options;

  @Override
  public Integer call() {
    return WhyRun.execute(options.toRunOptions(root, List.of(name)), name, System.out, System.err);
  }
}
