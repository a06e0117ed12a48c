package dev.orchestrate.run;

/**
 * What one executor (a build agent, or {@code local}) did in a cluster run.
 *
 * @param packages packages whose kept result it made
 * @param busyMillis time its slots held this run's packages, summed over attempts
 */
public record ExecutorUse(String id, String host, int slots, int packages, long busyMillis) {
  /** Busy slot time over available slot time during {@code wallMillis}, 0..1. */
  public double utilisation(long wallMillis) {
    return slots <= 0 || wallMillis <= 0 ? 0 : Math.min(1.0, busyMillis / ((double) slots * wallMillis));
  }
}
