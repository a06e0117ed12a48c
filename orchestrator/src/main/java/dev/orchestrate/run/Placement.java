package dev.orchestrate.run;

import java.util.List;
import java.util.Objects;

/**
 * Where a package was built in cluster mode, and how each attempt went.
 *
 * @param executor the agent (or {@code local}, the coordinator) whose result the run kept
 */
public record Placement(String executor, List<Attempt> attempts) {
  public Placement {
    Objects.requireNonNull(executor, "executor");
    attempts = List.copyOf(attempts);
  }

  /**
   * One try on one executor.
   *
   * @param result built, reused, failed, deferred, refused, lost, transfer-failed
   * @param detail why, for anything but built
   */
  public record Attempt(int number, String executor, String result, String detail,
      long startedAtMillis, long durationMillis) {}
}
