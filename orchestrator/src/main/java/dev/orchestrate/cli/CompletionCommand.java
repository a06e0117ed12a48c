package dev.orchestrate.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestrate completion bash|zsh}: prints a completion script for the shell, made by
 * picocli from the commands themselves, so it always knows every subcommand and option.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print a shell completion script. bash: source <(orchestrate completion bash), "
        + "or save it in /etc/bash_completion.d/orchestrate. zsh: source <(orchestrate completion zsh) "
        + "in ~/.zshrc.")
final class CompletionCommand implements Callable<Integer> {
  /** The shells picocli's script supports (zsh through bashcompinit). */
  enum Shell { bash, zsh }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SHELL",
      description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    String script = AutoComplete.bash(root.getCommandName(), root);
    if (shell == Shell.zsh) {
      // picocli's script runs under zsh once bashcompinit is loaded; load it when it is not.
      script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
    }
    System.out.print(script);
    return 0;
  }
}
