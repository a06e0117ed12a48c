package dev.orchestrate.report;

import dev.orchestrate.shim.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live view's state: what is building now (package, step, since when), how many are done,
 * failed and left, and an estimate of the time left. Fed by events, drawn by {@link #render};
 * it decides nothing about the build.
 */
final class ProgressBoard {
  private static final String[] SPINNER_UNICODE = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
  private static final String[] SPINNER_ASCII = {"-", "\\", "|", "/"};
  /** Running packages shown one per line; the rest are counted. */
  static final int MAX_ROWS = 8;

  private record Running(long since, String step) {}

  private final Map<String, Running> running = new LinkedHashMap<>();
  private int total;
  private int done;
  private int failed;
  private int skipped;
  private int frame;

  synchronized void begin(int total) {
    this.total = total;
  }

  synchronized void started(String member, long atMillis) {
    running.put(member, new Running(atMillis, "starting"));
    total = Math.max(total, done + failed + skipped + running.size());
  }

  synchronized void step(String member, String step, long atMillis) {
    Running r = running.get(member);
    if (r != null) {
      running.put(member, new Running(r.since(), step));
    }
  }

  /** Deferred: it waits for members named at hook time; it starts again later. */
  synchronized void paused(String member) {
    running.remove(member);
  }

  /** {@code status} is the package's status word: built, failed, skipped, up-to-date... */
  synchronized void finished(String member, String status) {
    running.remove(member);
    switch (status) {
      case "failed" -> failed++;
      case "skipped" -> skipped++;
      default -> done++;
    }
    // `build NAME`: a member a hook named at run time joins the build, and the total with it.
    total = Math.max(total, done + failed + skipped + running.size());
  }

  /** The status area at {@code now}: a headline, then one line per running package. */
  synchronized List<String> render(long startedMillis, long now, Style style, boolean unicode) {
    List<String> lines = new ArrayList<>();
    String[] spinner = unicode ? SPINNER_UNICODE : SPINNER_ASCII;
    String spin = style.cyan(spinner[frame++ % spinner.length]);
    int finished = done + failed + skipped;
    int left = Math.max(0, total - finished);
    long elapsed = Math.max(0, now - startedMillis);
    StringBuilder head = new StringBuilder();
    head.append(spin).append(' ').append(style.bold(finished + "/" + total)).append(' ')
        .append(bar(total == 0 ? 0 : (double) finished / total, 20, unicode)).append("  ");
    head.append(style.green(done + " done"));
    if (failed > 0) {
      head.append(", ").append(style.red(failed + " failed"));
    }
    if (skipped > 0) {
      head.append(", ").append(style.yellow(skipped + " skipped"));
    }
    head.append(", ").append(left).append(" left");
    head.append(style.dim("  " + clock(elapsed) + " elapsed"));
    eta(finished, left, elapsed).filter(eta -> eta >= 1000)
        .ifPresent(eta -> head.append(style.dim(", about " + clock(eta) + " to go")));
    lines.add(head.toString());
    int width = running.keySet().stream().mapToInt(String::length).max().orElse(0);
    int stepWidth = running.values().stream().mapToInt(r -> r.step().length()).max().orElse(0);
    int shown = 0;
    for (Map.Entry<String, Running> e : running.entrySet()) {
      if (shown == MAX_ROWS) {
        lines.add(style.dim("  ... and " + (running.size() - MAX_ROWS) + " more"));
        break;
      }
      Running r = e.getValue();
      String name = e.getKey() + " ".repeat(width - e.getKey().length());
      lines.add("  " + style.bold(name) + "  " + r.step() + " ".repeat(stepWidth - r.step().length()) + "  "
          + style.dim(Durations.format(Duration.ofMillis(Math.max(0, now - r.since())))));
      shown++;
    }
    return lines;
  }

  /**
   * Time left from the throughput so far (packages finished per second, which already folds in
   * the parallelism): known once something finished and a second has passed.
   */
  static java.util.Optional<Long> eta(int finished, int left, long elapsedMillis) {
    if (finished == 0 || left == 0 || elapsedMillis < 1000) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Math.round((double) elapsedMillis / finished * left));
  }

  /** {@code m:ss}, or {@code h:mm:ss}. */
  static String clock(long millis) {
    long s = millis / 1000;
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }

  static String bar(double fraction, int cells, boolean unicode) {
    int full = (int) Math.floor(Math.min(1, Math.max(0, fraction)) * cells);
    return unicode ? "█".repeat(full) + "░".repeat(cells - full)
        : "[" + "#".repeat(full) + "-".repeat(cells - full) + "]";
  }
}
