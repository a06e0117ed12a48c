package dev.orchestrate.cli;

import dev.orchestrate.run.BuildRun;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "build-all", mixinStandardHelpOptions = true,
    description = "Build the sdist and wheel of every workspace member.")
final class BuildAllCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "ROOT", defaultValue = ".",
      description = "The workspace root (default: the current directory).")
  Path root;

  @Mixin
  BuildOptions options;

  @Override
  public Integer call() {
    return BuildRun.execute(options.toRunOptions(root, List.of()), System.out, System.err);
  }
}
