package dev.orchestrate.report;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run is shown to a person, and which pictures of it are written to files.
 *
 * @param color {@code --color}: ANSI colours on a terminal, always or never ({@code NO_COLOR} is
 *     honoured by {@link Color#AUTO})
 * @param progress {@code --progress}: a live, redrawn view on a terminal, or plain lines
 * @param quiet {@code -q}: nothing but failures and a one-line verdict
 * @param trace {@code --trace FILE}: the run as Chrome trace-event JSON
 * @param htmlReport {@code --html-report FILE}: one self-contained page of the run
 */
public record Presentation(Color color, Progress progress, boolean quiet, Optional<Path> trace,
    Optional<Path> htmlReport) {

  /** When to colour the output. */
  public enum Color { AUTO, ALWAYS, NEVER }

  /** How progress is shown: {@code auto} picks {@code live} on a terminal, {@code plain} elsewhere. */
  public enum Progress { AUTO, LIVE, PLAIN }

  public Presentation {
    Objects.requireNonNull(color, "color");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(htmlReport, "htmlReport");
  }

  /** What a run shows when nothing is asked: decided by the terminal, no files. */
  public static Presentation defaults() {
    return new Presentation(Color.AUTO, Progress.AUTO, false, Optional.empty(), Optional.empty());
  }
}
