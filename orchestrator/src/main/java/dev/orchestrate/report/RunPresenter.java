package dev.orchestrate.report;

import dev.orchestrate.bus.HookEvent;
import dev.orchestrate.bus.HookRecord;
import dev.orchestrate.run.PackageResult;
import dev.orchestrate.run.RunResult;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a person sees of a run, and the pictures of it written to files. It is fed the run's
 * events (the scheduler's starts and ends, the executors' {@link HookEvent}s) and renders them:
 * a live view on a terminal, plain time-stamped lines elsewhere, the backends' output at
 * {@code -vv}, then the summary, the trace and the HTML report. It decides nothing about the build.
 */
public final class RunPresenter {
  /** Redraws of the live view per second: smooth enough, cheap enough. */
  static final long REDRAW_MILLIS = 125;

  private final Presentation presentation;
  private final int verbosity;
  private final PrintStream raw;
  private final Optional<Vertx> vertx;
  private final Terminal terminal;
  private final Style style;
  private final Screen screen;
  private final PrintStream lines;
  private final ProgressBoard board = new ProgressBoard();
  private final Timeline timeline;
  private final long startedMillis;
  private LogStreamer streamer;
  private long redraw = -1;
  private int jobs = 1;
  private boolean closed;
  private final Thread restoreCursor;

  /**
   * @param out where a person reads (stdout)
   * @param env the process environment ({@code TERM}, {@code NO_COLOR}, {@code COLUMNS}...)
   * @param console whether stdin and stdout are a terminal ({@code System.console() != null})
   */
  public RunPresenter(Presentation presentation, int verbosity, PrintStream out, Vertx vertx,
      Map<String, String> env, boolean console, long startedMillis) {
    this(presentation, verbosity, out, Optional.of(vertx), Terminal.detect(presentation, env, console),
        startedMillis);
  }

  /**
   * For a run that builds nothing (every package up to date, answered without Vert.x): the same
   * lines, summary and files, without a redrawn status or streamed logs, as nothing runs.
   */
  public static RunPresenter withoutEventLoop(Presentation presentation, int verbosity, PrintStream out,
      Map<String, String> env, boolean console, long startedMillis) {
    return new RunPresenter(presentation, verbosity, out, Optional.empty(),
        Terminal.detect(presentation, env, console), startedMillis);
  }

  RunPresenter(Presentation presentation, int verbosity, PrintStream out, Optional<Vertx> vertx,
      Terminal terminal, long startedMillis) {
    this.presentation = presentation;
    this.verbosity = verbosity;
    this.raw = terminal.unicode() ? new PrintStream(out, true, StandardCharsets.UTF_8) : out;
    this.vertx = vertx;
    this.terminal = terminal;
    this.style = new Style(terminal.color());
    this.startedMillis = startedMillis;
    this.timeline = new Timeline(startedMillis);
    if (presentation.quiet()) {
      screen = Screen.silent();
    } else if (terminal.live()) {
      screen = Screen.live(raw, style, terminal.width());
    } else {
      screen = Screen.plain(raw, style, () -> System.currentTimeMillis() - startedMillis);
    }
    this.lines = screen.stream();
    if (terminal.live() && vertx.isPresent()) {
      // Ctrl-C or a kill must not leave the terminal without its cursor.
      restoreCursor = new Thread(screen::close, "orchestrate-restore-terminal");
      Runtime.getRuntime().addShutdownHook(restoreCursor);
    } else {
      restoreCursor = null;
    }
  }

  /** For code that prints progress lines ({@link ConsoleReporter}): whole lines reach the screen. */
  public PrintStream out() {
    return lines;
  }

  public Terminal terminal() {
    return terminal;
  }

  /** The run is about to build {@code packages} packages, at most {@code jobs} at once. */
  public synchronized void begin(int packages, int jobs, Path runDir) {
    this.jobs = jobs;
    board.begin(packages);
    if (vertx.isEmpty()) {
      return;
    }
    if (verbosity >= 2 && !presentation.quiet()) {
      streamer = new LogStreamer(vertx.get(), runDir.resolve("logs"), screen::lines);
    }
    if (terminal.live() && redraw < 0 && !closed) {
      redraw = vertx.get().setPeriodic(REDRAW_MILLIS, id -> redraw());
    }
  }

  public void started(String member, int attempt) {
    long now = System.currentTimeMillis();
    board.started(member, now);
    timeline.packageStarted(member, now);
    LogStreamer s = streamer;
    if (s != null) {
      s.watch(member);
    }
  }

  /** The package waits for members a hook named; it starts again once they are built. */
  public void deferred(String member, Set<String> waitingFor) {
    long now = System.currentTimeMillis();
    board.paused(member);
    timeline.packageEnded(member, "deferred", now);
  }

  public void hook(HookEvent event) {
    if (event.started()) {
      board.step(event.member(), event.step() + (event.tree().equals("source") ? "" : " (" + event.tree() + ")"),
          event.atMillis());
      timeline.stepStarted(event.member(), event.step(), event.tree(), event.atMillis());
    } else {
      timeline.stepEnded(event.member(), event.step(), event.tree(), event.outcome(), event.atMillis());
    }
  }

  public void finished(PackageResult result) {
    long now = System.currentTimeMillis();
    board.finished(result.name(), result.status());
    timeline.packageEnded(result.name(), result.status(), now);
    LogStreamer s = streamer;
    if (s != null) {
      s.ended(result.name());
    }
  }

  /**
   * The run is over: stops the live view, writes the trace and the HTML report when asked, and
   * prints the summary. Blocking (files): call it on a worker thread.
   *
   * @param report the JSON report's path, when one was written (named in the summary)
   */
  public void finish(RunResult run, Optional<Path> report) throws IOException {
    for (PackageResult p : run.packages()) {
      for (HookRecord h : p.outcome().hooks()) {
        timeline.settle(p.name(), h.hook(), h.tree(), h.durationMillis(), h.outcome());
      }
    }
    LogStreamer s = streamer;
    if (s != null) {
      s.stop();
    }
    close();
    long now = System.currentTimeMillis();
    Map<String, Path> files = new LinkedHashMap<>();
    report.ifPresent(f -> files.put("report", f));
    if (presentation.trace().isPresent()) {
      TraceWriter.write(run, timeline, now, presentation.trace().get());
      files.put("trace", presentation.trace().get());
    }
    if (presentation.htmlReport().isPresent()) {
      HtmlReport.write(run, timeline, now, presentation.htmlReport().get());
      files.put("html report", presentation.htmlReport().get());
    }
    String summary = Summary.render(run, files, style, presentation.quiet(), jobs);
    if (!summary.isEmpty()) {
      // A blank line sets the summary apart from the progress lines above it.
      raw.print(presentation.quiet() ? summary : "\n" + summary);
      raw.flush();
    }
  }

  /** Stops redrawing and clears the status area. Idempotent; the run's error path calls it too. */
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (redraw >= 0) {
        vertx.ifPresent(v -> v.cancelTimer(redraw));
      }
    }
    lines.flush();
    screen.close();
    if (restoreCursor != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(restoreCursor);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  private void redraw() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    List<String> status = board.render(startedMillis, System.currentTimeMillis(), style,
        terminal.unicode());
    screen.status(status);
  }
}
