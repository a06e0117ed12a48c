package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line explains itself: every option of every command (those added later too) has
 * a description and says its default; --version answers; the shell completion scripts load.
 */
class CommandLineHelpTest {
  @TempDir Path tmp;

  private static List<CommandLine> allCommands() {
    List<CommandLine> all = new ArrayList<>();
    collect(new CommandLine(new Main()), all);
    return all;
  }

  private static void collect(CommandLine cmd, List<CommandLine> into) {
    into.add(cmd);
    cmd.getSubcommands().values().forEach(sub -> {
      if (!into.contains(sub)) {
        collect(sub, into);
      }
    });
  }

  @Test
  void everyOptionOfEveryCommandHasADescriptionAndSaysItsDefault() {
    List<String> problems = new ArrayList<>();
    for (CommandLine cmd : allCommands()) {
      CommandSpec spec = cmd.getCommandSpec();
      if (spec.userObject() instanceof CommandLine.HelpCommand) {
        continue; // picocli's own
      }
      List<ArgSpec> args = new ArrayList<>(spec.options());
      args.addAll(spec.positionalParameters());
      for (ArgSpec arg : args) {
        String name = spec.qualifiedName() + " " + (arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel());
        if (arg instanceof OptionSpec o && (o.usageHelp() || o.versionHelp())) {
          continue;
        }
        String description = String.join(" ", arg.description()).strip();
        if (description.isEmpty()) {
          problems.add(name + ": no description");
          continue;
        }
        boolean takesValue = arg instanceof OptionSpec o ? o.arity().max() > 0 : true;
        boolean repeatable = arg.isMultiValue();
        if (takesValue && !repeatable && !description.toLowerCase().contains("default")
            && !(arg.required() && arg instanceof CommandLine.Model.PositionalParamSpec)) {
          problems.add(name + ": does not say its default (add \"(default: ${DEFAULT-VALUE})\" or say what happens without it)");
        }
        if (description.contains("${DEFAULT-VALUE}") && arg.defaultValue() == null
            && arg.initialValue() == null) {
          problems.add(name + ": ${DEFAULT-VALUE} without a default value (it would print null)");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void helpListsEveryOptionOfEachCommand() throws Exception {
    for (CommandLine cmd : allCommands()) {
      if (cmd.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
        continue;
      }
      String help = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
      for (OptionSpec o : cmd.getCommandSpec().options()) {
        if (!o.hidden()) {
          assertTrue(help.contains(o.longestName()), cmd.getCommandName() + " help lacks " + o.longestName());
        }
      }
      assertFalse(help.contains("default: null"), help);
    }
    Cli.Result top = Cli.run(tmp, "--help");
    assertEquals(0, top.exitCode(), top.toString());
    for (String sub : List.of("build-all", "build", "graph", "completion")) {
      assertTrue(top.stdout().contains(sub), top.stdout());
    }
    Cli.Result buildAll = Cli.run(tmp, "build-all", "--help");
    assertTrue(buildAll.stdout().contains("--color=WHEN") && buildAll.stdout().contains("(default: auto)"),
        buildAll.stdout());
  }

  @Test
  void versionNamesTheProgram() throws Exception {
    Cli.Result r = Cli.run(tmp, "--version");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().startsWith("orchestrate "), r.stdout());
  }

  @Test
  void theBashCompletionScriptParsesAndCompletesSubcommandsAndOptions() throws Exception {
    Cli.Result r = Cli.run(tmp, "completion", "bash");
    assertEquals(0, r.exitCode(), r.toString());
    Path script = Files.writeString(tmp.resolve("orchestrate.bash"), r.stdout());
    assertEquals("", bash("bash -n " + script).strip(), "bash -n");
    String subcommands = bash("source " + script + "; COMP_WORDS=(orchestrate bu); COMP_CWORD=1; "
        + "COMP_LINE='orchestrate bu'; COMP_POINT=${#COMP_LINE}; _complete_orchestrate; printf '%s\\n' \"${COMPREPLY[@]}\"");
    assertEquals(List.of("build-all", "build"), List.of(subcommands.strip().split("\n")).stream()
        .filter(s -> !s.isBlank()).sorted((a, b) -> b.compareTo(a)).toList(), subcommands);
    String options = bash("source " + script + "; COMP_WORDS=(orchestrate graph --fo); COMP_CWORD=2; "
        + "COMP_LINE='orchestrate graph --fo'; COMP_POINT=${#COMP_LINE}; _complete_orchestrate; printf '%s\\n' \"${COMPREPLY[@]}\"");
    assertTrue(options.contains("--format"), options);
  }

  @Test
  void theZshCompletionScriptLoadsBashcompinitFirst() throws Exception {
    Cli.Result r = Cli.run(tmp, "completion", "zsh");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.stdout().startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"),
        r.stdout());
    assertTrue(r.stdout().contains("complete -F _complete_orchestrate"), r.stdout());
    Cli.Result bad = Cli.run(tmp, "completion", "fish");
    assertEquals(2, bad.exitCode(), bad.toString());
  }

  private static String bash(String command) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
