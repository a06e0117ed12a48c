package dev.orchestrate.state;

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
