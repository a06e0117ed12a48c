package dev.orchestrate.report;

import dev.orchestrate.bus.Artifact;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.HookEvent;
import dev.orchestrate.run.PackageResult;
import dev.orchestrate.run.RunResult;
import dev.orchestrate.shim.Durations;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * Plain, line-per-event output: safe for terminals and CI logs alike. It renders what happened
 * and decides nothing.
 */
public final class ConsoleReporter {
  private final PrintStream out;
  private final int verbosity;

  public ConsoleReporter(PrintStream out, int verbosity) {
    this.out = out;
    this.verbosity = verbosity;
  }

  public synchronized void header(Path root, int members, String discoveredBy, String python,
      String pythonVersion, int jobs) {
    out.printf("orchestrate: %d member%s in %s (%s); python %s (%s); %d job%s%n", members,
        members == 1 ? "" : "s", root, discoveredBy, pythonVersion, python, jobs, jobs == 1 ? "" : "s");
  }

  public synchronized void started(String member, int attempt) {
    if (verbosity >= 1) {
      out.println("building " + member + (attempt > 1 ? " (again, now that its build requirements are built)" : ""));
    }
  }

  public synchronized void hook(HookEvent event) {
    if (verbosity >= 2) {
      out.printf("  %s: %s %s%s%n", event.member(), event.step(),
          event.started() ? "started" : event.outcome(),
          event.tree().equals("sdist") ? " (in the unpacked sdist)"
              : event.tree().equals("source") ? "" : " (" + event.tree() + ")");
    }
  }

  public synchronized void finished(PackageResult result) {
    String who = result.name() + result.effectiveVersion().map(v -> " " + v).orElse("");
    BuildOutcome outcome = result.outcome();
    if (outcome instanceof BuildOutcome.Built built) {
      out.printf("built    %s: %s (%s)%n", who,
          built.artifacts().stream().map(Artifact::file).collect(Collectors.joining(", ")),
          Durations.format(Duration.ofMillis(result.durationMillis())));
      built.fallback().ifPresent(why -> out.println("         fallback: " + why));
    } else if (outcome instanceof BuildOutcome.Skipped skipped) {
      out.printf("skipped  %s: %s%n", who, skipped.because());
    } else if (outcome instanceof BuildOutcome.Failed failed) {
      out.print(describeFailure(result.name(), failed, verbosity));
    } else if (outcome instanceof BuildOutcome.UpToDate upToDate) {
      // Quiet unless asked: a no-op run of hundreds of packages is a summary line, not a list.
      if (!upToDate.restored().isEmpty()) {
        out.printf("restored %s: %s (from the state store; inputs unchanged)%n", who,
            String.join(", ", upToDate.restored()));
      } else if (verbosity >= 1) {
        out.printf("up to date %s%n", who);
      }
    }
  }

  /** The block a person reads for a failure: package, hook, cause; then log, hints, detail. */
  public static String describeFailure(String member, BuildOutcome.Failed failed, int verbosity) {
    StringBuilder sb = new StringBuilder();
    // An invalid pyproject.toml's cause starts with the file and line: the stage would repeat it.
    String stage = failed.stage().equals("pyproject.toml") ? "" : failed.stage() + ": ";
    sb.append("FAILED   ").append(member).append(": ").append(stage)
        .append(failed.cause()).append('\n');
    failed.log().ifPresent(log -> sb.append("         log: ").append(log).append('\n'));
    for (String hint : failed.hints()) {
      sb.append("         ").append(isFact(hint) ? "" : "hint: ")
          .append(hint.replace("\n", "\n         ")).append('\n');
    }
    String detail = failed.detail().strip();
    if (!detail.isEmpty()) {
      if (verbosity >= 1) {
        sb.append(indent(detail, "         | "));
      } else {
        String[] lines = detail.split("\n");
        String last = lines[lines.length - 1].strip();
        // "ModuleNotFoundError: No module named 'x'" adds nothing to a cause that quotes it.
        String message = last.replaceFirst("^[\\w.]*(Error|Exception|Exit|Interrupt): ", "");
        boolean told = failed.cause().contains(message)
            || failed.hints().stream().anyMatch(h -> last.contains(h) || h.contains(last));
        if (!last.isEmpty() && !told) {
          sb.append("         last line: ").append(last).append('\n');
        }
        sb.append("         (run with -v for the full traceback and output)\n");
      }
    }
    return sb.toString();
  }

  /**
   * Hints that state facts ({@code backend-path: ...}, {@code searched: ...}, a quoted source
   * line) are shown as they are; the others are advice and read {@code hint: ...}.
   */
  static boolean isFact(String hint) {
    return hint.matches("(?s)(backend-path|environment|requirements|searched|also|required by|"
        + "installed|defined at):.*") || hint.startsWith(" ");
  }

  public synchronized void summary(RunResult run) {
    long built = run.count("built");
    long failed = run.count("failed");
    long skipped = run.count("skipped");
    out.printf("%s: %d built, %d failed, %d skipped in %s; environments: %d created, %d reused%n",
        failed + skipped == 0 ? "done" : "finished with failures", built, failed, skipped,
        Durations.format(run.wallTime()), run.environmentsCreated(), run.environmentsReused());
    if (built > 0) {
      out.println("artifacts in " + run.outDir());
    }
    if (verbosity >= 1) {
      run.packages().stream().filter(p -> p.status().equals("built"))
          .sorted(Comparator.comparingLong(PackageResult::durationMillis).reversed()).limit(5)
          .forEach(p -> out.printf("  slowest: %s %s%n", p.name(),
              Durations.format(Duration.ofMillis(p.durationMillis()))));
    }
  }

  public synchronized void line(String text) {
    out.println(text);
  }

  static String indent(String text, String prefix) {
    return text.lines().map(l -> prefix + l).collect(Collectors.joining("\n", "", "\n"));
  }
}
