package dev.orchestrate.cli;

import dev.orchestrate.run.BuildRun;
import dev.orchestrate.run.RunOptions;
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

  @Mixin
  CoordinatorFlags cluster;

  @Override
  public Integer call() {
    RunOptions run = options.toRunOptions(root, List.of());
    if (!cluster.enabled()) {
      cluster.rejectWithoutCluster();
      return BuildRun.execute(run, System.out, System.err);
    }
    return BuildRun.execute(run, cluster.coordinator(run), System.out, System.err);
  }
}
