package dev.orchestrate.report;

import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.HookRecord;
import dev.orchestrate.run.PackageResult;
import dev.orchestrate.run.RunResult;
import dev.orchestrate.shim.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The end of a run as a person reads it: the verdict and counts, wall time, environments,
 * the slowest packages and hooks, where things were written, and for each failure the package,
 * the hook, the cause in one line and the path of its full log.
 */
public final class Summary {
  /** How many of the slowest packages and hooks are named. */
  static final int SLOWEST = 3;

  private Summary() {}

  /**
   * @param files what was written besides the artifacts, by label ({@code report}, {@code trace}...)
   * @param quiet only the failures and one verdict line, and nothing at all when all is well
   */
  public static String render(RunResult run, Map<String, Path> files, Style style, boolean quiet,
      int jobs) {
    List<PackageResult> failed = run.packages().stream()
        .filter(p -> p.outcome() instanceof BuildOutcome.Failed).toList();
    List<PackageResult> skipped = run.packages().stream()
        .filter(p -> p.outcome() instanceof BuildOutcome.Skipped).toList();
    boolean ok = failed.isEmpty() && skipped.isEmpty();
    StringBuilder out = new StringBuilder();
    if (quiet && ok) {
      return "";
    }
    String verdict = ok ? style.bold(style.green("done")) : style.bold(style.red("finished with failures"));
    out.append(verdict).append(" in ").append(Durations.format(run.wallTime())).append(": ")
        .append(counts(run, style)).append(" (").append(plural(run.packages().size(), "package"))
        .append(", ").append(plural(jobs, "job")).append(")\n");
    // The slowest of one package is no news.
    boolean several = run.packages().stream().filter(p -> p.durationMillis() > 0).count() > 1;
    if (!quiet) {
      row(out, style, "environments", run.environmentsCreated() + " created, "
          + run.environmentsReused() + " reused");
      String slowest = run.packages().stream()
          .filter(p -> p.durationMillis() > 0)
          .sorted(Comparator.comparingLong(PackageResult::durationMillis).reversed()
              .thenComparing(PackageResult::name))
          .limit(SLOWEST)
          .map(p -> p.name() + " " + time(p.durationMillis()))
          .collect(Collectors.joining(", "));
      if (several) {
        row(out, style, "slowest", slowest);
      }
      String label = "slowest hooks";
      for (Map.Entry<String, HookRecord> e : several ? slowestHooks(run) : List.<Map.Entry<String, HookRecord>>of()) {
        HookRecord h = e.getValue();
        row(out, style, label, String.format("%-6s %s%s", time(h.durationMillis()), e.getKey(),
            h.tree().equals("sdist") ? " (in the sdist)" : ""));
        label = "";
      }
      if (run.packages().stream().anyMatch(p -> p.outcome() instanceof BuildOutcome.Built)) {
        row(out, style, "artifacts", run.outDir().toString());
      }
      files.forEach((what, file) -> row(out, style, what, file.toString()));
    }
    int width = 0;
    for (PackageResult p : failed) {
      width = Math.max(width, p.name().length());
    }
    for (PackageResult p : skipped) {
      width = Math.max(width, p.name().length());
    }
    width = Math.min(width, 32);
    if (!failed.isEmpty()) {
      out.append(style.boldRed("failed")).append(" (").append(failed.size()).append("):\n");
      for (PackageResult p : failed) {
        BuildOutcome.Failed f = (BuildOutcome.Failed) p.outcome();
        String pad = " ".repeat(Math.max(0, width - p.name().length()));
        // An invalid pyproject.toml's cause already starts with the file.
        String stage = f.stage().equals("pyproject.toml") ? "" : f.stage() + ": ";
        out.append("  ").append(style.bold(p.name())).append(pad).append("  ")
            .append(stage).append(ControlCodes.clean(firstLine(f.cause()))).append('\n');
        String indent = "  " + " ".repeat(width) + "  ";
        f.log().ifPresent(log -> out.append(indent).append(style.dim("log: " + log)).append('\n'));
      }
    }
    if (!skipped.isEmpty() && !quiet) {
      out.append(style.yellow("skipped")).append(" (").append(skipped.size()).append("):\n");
      for (PackageResult p : skipped) {
        String pad = " ".repeat(Math.max(0, width - p.name().length()));
        out.append("  ").append(p.name()).append(pad).append("  ")
            .append(((BuildOutcome.Skipped) p.outcome()).because()).append('\n');
      }
    }
    return out.toString();
  }

  /** {@code 4 built, 1 failed, 2 skipped}, plus any other status that occurred (up to date...). */
  static String counts(RunResult run, Style style) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("built", 0L);
    for (PackageResult p : run.packages()) {
      counts.merge(p.status(), 1L, Long::sum);
    }
    counts.putIfAbsent("failed", 0L);
    counts.putIfAbsent("skipped", 0L);
    List<String> order = new ArrayList<>(List.of("built", "up-to-date", "failed", "skipped"));
    counts.keySet().stream().filter(k -> !order.contains(k)).forEach(order::add);
    List<String> parts = new ArrayList<>();
    for (String status : order) {
      Long n = counts.get(status);
      if (n == null) {
        continue;
      }
      String text = n + " " + status.replace('-', ' ');
      parts.add(n == 0 ? text : switch (status) {
        case "failed" -> style.red(text);
        case "skipped" -> style.yellow(text);
        default -> text;
      });
    }
    return String.join(", ", parts);
  }

  /** The slowest hook calls of the run, as {@code package hook} to its record. */
  static List<Map.Entry<String, HookRecord>> slowestHooks(RunResult run) {
    List<Map.Entry<String, HookRecord>> all = new ArrayList<>();
    for (PackageResult p : run.packages()) {
      for (HookRecord h : p.outcome().hooks()) {
        all.add(Map.entry(p.name() + " " + h.hook(), h));
      }
    }
    return all.stream()
        .sorted(Comparator.<Map.Entry<String, HookRecord>>comparingLong(e -> e.getValue().durationMillis())
            .reversed().thenComparing(Map.Entry::getKey))
        .limit(SLOWEST)
        .toList();
  }

  private static void row(StringBuilder out, Style style, String label, String value) {
    out.append("  ").append(style.dim(String.format("%-16s", label))).append(value).append('\n');
  }

  static String time(long millis) {
    return Durations.format(Duration.ofMillis(millis));
  }

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
