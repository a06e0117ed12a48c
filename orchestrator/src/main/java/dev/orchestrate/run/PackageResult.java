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

  /**
   * The key of a member known only by its directory (its pyproject.toml could not be used): the
   * path relative to the workspace root, {@code /}-separated, {@code .} for the root itself.
   */
  public static String pathKey(Path root, Path dir) {
    String relative = root.relativize(dir).toString().replace('\\', '/');
    return relative.isEmpty() ? "." : relative;
  }

  /**
   * Whether this member has no name to key it by: its pyproject.toml was invalid, or named it
   * as another member is named. Its {@link #name()} is then its {@link #pathKey path}.
   */
  public boolean unnamed() {
    // Only workspace problems fail at this stage (report.Diagnostics#invalidPyProject).
    return outcome instanceof BuildOutcome.Failed f && f.stage().equals("pyproject.toml");
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
