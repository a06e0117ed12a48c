package dev.orchestrate.bus;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How one package's build ended. Executors reply Built, UpToDate, Failed or Deferred; the
 * scheduler adds Skipped (and UpToDate for packages the run found up to date before sending).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(BuildOutcome.Built.class),
    @JsonSubTypes.Type(BuildOutcome.Failed.class),
    @JsonSubTypes.Type(BuildOutcome.Deferred.class),
    @JsonSubTypes.Type(BuildOutcome.Skipped.class),
    @JsonSubTypes.Type(BuildOutcome.UpToDate.class)
})
public sealed interface BuildOutcome {
  List<HookRecord> hooks();

  List<EnvUse> environments();

  /**
   * Both artifacts (or the wheel alone) are in the out dir.
   *
   * @param fallback why the wheel was built from the source tree instead of the sdist, if it was
   */
  record Built(String version, List<Artifact> artifacts, Optional<String> fallback,
      List<HookRecord> hooks, List<EnvUse> environments) implements BuildOutcome {}

  /**
   * The build failed; nothing of it was published.
   *
   * @param stage the hook that failed, or {@code environment} / {@code sdist}
   * @param cause one line: what happened
   * @param detail the traceback or installer errors (shown in full with -v)
   * @param hints what to try, one per line
   */
  record Failed(String stage, String cause, String detail, Optional<Path> log, List<String> hints,
      List<HookRecord> hooks, List<EnvUse> environments) implements BuildOutcome {}

  /**
   * A hook named workspace members whose wheels are not built yet; build those first, then retry.
   */
  record Deferred(Set<String> members, String stage, List<HookRecord> hooks,
      List<EnvUse> environments) implements BuildOutcome {}

  /** Not built because something it needs failed (or was skipped). */
  record Skipped(String because) implements BuildOutcome {
    @Override
    public List<HookRecord> hooks() {
      return List.of();
    }

    @Override
    public List<EnvUse> environments() {
      return List.of();
    }
  }

  /**
   * Not built: its inputs are those of its last successful build, whose artifacts are in the out
   * dir (put back from the state store when they had been deleted).
   *
   * @param restored the artifacts that were restored rather than found in place
   */
  record UpToDate(String version, List<Artifact> artifacts, List<String> restored) implements BuildOutcome {
    @Override
    public List<HookRecord> hooks() {
      return List.of();
    }

    @Override
    public List<EnvUse> environments() {
      return List.of();
    }
  }
}
