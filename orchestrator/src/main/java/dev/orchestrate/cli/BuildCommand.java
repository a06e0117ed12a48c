package dev.orchestrate.cli;

import dev.orchestrate.run.BuildRun;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "build", mixinStandardHelpOptions = true,
    description = "Build the named members and the members they need at build time.")
final class BuildCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "NAME", description = "Members to build.")
  List<String> names;

  @Option(names = "--root", paramLabel = "ROOT", defaultValue = ".",
      description = "The workspace root (default: the current directory).")
  Path root;

  @Mixin
  BuildOptions options;

  @Override
  public Integer call() {
    return BuildRun.execute(options.toRunOptions(root, names), System.out, System.err);
  }
}
