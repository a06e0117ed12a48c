package dev.orchestrate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code orchestrate}: builds every Python package of a monorepo through its PEP 517 backend. */
@Command(name = "orchestrate", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Builds the sdists and wheels of a Python monorepo through each package's "
        + "PEP 517 build backend, in parallel, in shared isolated build environments.",
    subcommands = {BuildAllCommand.class, BuildCommand.class, AgentCommand.class, GraphCommand.class, CompletionCommand.class, EnvCommand.class,
        WatchCommand.class, WhyCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (for tests that drive the CLI in-process). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"orchestrate " + (v == null ? "(development build)" : v)};
    }
  }
}
