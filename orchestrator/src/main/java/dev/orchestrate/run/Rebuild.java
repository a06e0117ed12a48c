package dev.orchestrate.run;

import java.util.Objects;
import java.util.Optional;

/**
 * What a run may skip and what it says about it.
 *
 * @param force {@code --force}: build every package, whatever its state says (and record it)
 * @param changedSince {@code --changed-since REF}: only the members changed since the git
 *     revision REF, their dependents, and what those need at build time
 * @param explain {@code --explain}: say for each package whether it is up to date or which input changed
 */
public record Rebuild(boolean force, Optional<String> changedSince, boolean explain) {
  public Rebuild {
    Objects.requireNonNull(changedSince, "changedSince");
  }

  /** Incremental, quiet about why. */
  public static Rebuild incremental() {
    return new Rebuild(false, Optional.empty(), false);
  }
}
