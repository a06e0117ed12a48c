package dev.orchestrate.run;

import dev.orchestrate.bus.EnvUse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished run: every package's result, in build order, and what it cost.
 *
 * @param executors in cluster mode, what each agent (and the coordinator) did
 */
public record RunResult(Path root, Path outDir, Path runDir, String python, String pythonVersion,
    Instant started, Duration wallTime, List<PackageResult> packages, List<ExecutorUse> executors) {

  public RunResult {
    packages = List.copyOf(packages);
    executors = List.copyOf(executors);
  }

  public RunResult(Path root, Path outDir, Path runDir, String python, String pythonVersion,
      Instant started, Duration wallTime, List<PackageResult> packages) {
    this(root, outDir, runDir, python, pythonVersion, started, wallTime, packages, List.of());
  }

  public long count(String status) {
    return packages.stream().filter(p -> p.status().equals(status)).count();
  }

  /** Distinct environments used in this run, by key; created wins over reused for one key. */
  public Map<String, Boolean> environments() {
    Map<String, Boolean> created = new LinkedHashMap<>();
    for (PackageResult p : packages) {
      for (EnvUse use : p.outcome().environments()) {
        created.merge(use.key(), use.createdNow(), Boolean::logicalOr);
      }
    }
    return created;
  }

  public long environmentsCreated() {
    return environments().values().stream().filter(b -> b).count();
  }

  public long environmentsReused() {
    return environments().values().stream().filter(b -> !b).count();
  }

  /** 0 when everything built, 1 when any package failed or was skipped. */
  public int exitCode() {
    return count("failed") + count("skipped") == 0 ? 0 : 1;
  }
}
