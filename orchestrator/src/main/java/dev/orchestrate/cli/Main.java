package dev.orchestrate.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code orchestrate}: builds every Python package of a monorepo through its PEP 517 backend. */
@Command(name = "orchestrate", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Builds the sdists and wheels of a Python monorepo through each package's "
        + "PEP 517 build backend, in parallel, in shared isolated build environments.")
public final class Main implements Runnable {

  /** Every subcommand, in the order help lists them. */
  private static final List<Class<?>> SUBCOMMANDS = List.of(BuildAllCommand.class,
      BuildCommand.class, AgentCommand.class, GraphCommand.class, CompletionCommand.class,
      EnvCommand.class, WatchCommand.class, WhyCommand.class, CommandLine.HelpCommand.class);

  public static void main(String[] args) {
    CommandLine cli = commandLine(args);
    int code = cli.execute(args);
    ClassDataArchive.discardUnlessRepresentative(cli, code);
    System.exit(code);
  }

  /** Runs the command line and returns the exit code (for tests that drive the CLI in-process). */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  private static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new Main());
    // Picocli builds each registered command's model by reflection, a measurable part of a no-op
    // run's start-up: register only the subcommand being run when the first argument names one
    // (help and completion need them all).
    String first = args.length == 0 ? "" : args[0];
    boolean one = SUBCOMMANDS.stream().anyMatch(c -> nameOf(c).equals(first))
        && !first.equals("help") && !first.equals("completion");
    for (Class<?> command : SUBCOMMANDS) {
      if (!one || nameOf(command).equals(first)) {
        cli.addSubcommand(command);
      }
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  private static String nameOf(Class<?> command) {
    return command.getAnnotation(Command.class).name();
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
