package dev.orchestrate.run;

import dev.orchestrate.bus.BuildOutcome;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One package's line in the run: who it is and how its build ended.
 *
 * @param placement in cluster mode, the executor that built it and every attempt
 */
public record PackageResult(String name, String displayName, Optional<String> version, Path dir,
    BuildOutcome outcome, long durationMillis, Optional<Placement> placement) {

  public PackageResult(String name, String displayName, Optional<String> version, Path dir,
      BuildOutcome outcome, long durationMillis) {
    this(name, displayName, version, dir, outcome, durationMillis, Optional.empty());
  }

  public String status() {
    if (outcome instanceof BuildOutcome.Built) {
      return "built";
    } else if (outcome instanceof BuildOutcome.Skipped) {
      return "skipped";
    } else if (outcome instanceof BuildOutcome.UpToDate) {
      return "up-to-date";
    }
    return "failed";
  }

  /** The version the built wheel carries, else the static one. */
  public Optional<String> effectiveVersion() {
    if (outcome instanceof BuildOutcome.Built b && !b.version().isEmpty()) {
      return Optional.of(b.version());
    }
    if (outcome instanceof BuildOutcome.UpToDate u && !u.version().isEmpty()) {
      return Optional.of(u.version());
    }
    return version;
  }
}
