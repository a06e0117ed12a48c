package dev.orchestrate.build;

import dev.orchestrate.bus.BuildOutcome;

/** Ends a package's flow early with an expected outcome (a failure or a deferral), not a bug. */
final class Stop extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final transient BuildOutcome outcome;

  Stop(BuildOutcome outcome) {
    super(null, null, false, false);
    this.outcome = outcome;
  }
}
