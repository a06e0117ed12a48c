package dev.orchestrate.run;

import dev.orchestrate.bus.BuildOutcome;
import java.nio.file.Path;
import java.util.Optional;

/** One package's line in the run: who it is and how its build ended. */
public record PackageResult(String name, String displayName, Optional<String> version, Path dir,
    BuildOutcome outcome, long durationMillis) {

  public String status() {
    if (outcome instanceof BuildOutcome.Built) {
      return "built";
    } else if (outcome instanceof BuildOutcome.Skipped) {
      return "skipped";
    }
    return "failed";
  }

  /** The version the built wheel carries, else the static one. */
  public Optional<String> effectiveVersion() {
    if (outcome instanceof BuildOutcome.Built b && !b.version().isEmpty()) {
      return Optional.of(b.version());
    }
    return version;
  }
}
