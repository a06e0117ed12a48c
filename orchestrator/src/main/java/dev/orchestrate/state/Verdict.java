package dev.orchestrate.state;

import dev.orchestrate.bus.Artifact;
import dev.orchestrate.bus.BuildOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Whether a package must be built, as its state record and the out dir say. */
public sealed interface Verdict {
  /**
   * Built from exactly these inputs, and its artifacts are in the out dir as recorded.
   *
   * @param restored artifacts that were missing and were put back from the state store
   */
  record Fresh(PackageRecord record, List<String> restored) implements Verdict {
    public Fresh {
      restored = List.copyOf(restored);
    }

    /** The outcome a run reports for it: its artifacts in {@code outDir}. */
    public BuildOutcome.UpToDate outcome(Path outDir) {
      List<Artifact> artifacts = new ArrayList<>();
      for (PackageRecord.Artifact a : record.artifacts()) {
        artifacts.add(new Artifact(a.kind(), a.file(), outDir.resolve(a.file()), a.sha256(), a.size()));
      }
      return new BuildOutcome.UpToDate(record.version(), artifacts, restored);
    }
  }

  /**
   * Built from these inputs, but artifacts are missing from the out dir or changed on disk:
   * restored or verified under the package's lock before it counts as up to date.
   */
  record Unverified(PackageRecord record, List<String> why) implements Verdict {
    public Unverified {
      why = List.copyOf(why);
    }
  }

  /** To be built: never built, other inputs, forced, or artifacts damaged beyond restoring. */
  record Stale(Optional<PackageRecord> previous, String why) implements Verdict {}
}
