package dev.orchestrate.shim;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A finished hook call: the request's hook, its result, when it started, how long it took, its
 * log, and which runner produced the result.
 *
 * @param runner {@link #FRESH}, {@link #FORKSERVER} or {@link #FRESH_RETRY}
 */
public record HookCall(HookName hook, HookResult result, Instant started, Duration elapsed, Path log,
    String runner) {
  /** A fresh interpreter ran the hook. */
  public static final String FRESH = "fresh";
  /** A child forked from a fork server ran the hook. */
  public static final String FORKSERVER = "forkserver";
  /** The fork server died during the call; a fresh interpreter ran the hook again. */
  public static final String FRESH_RETRY = "fresh-retry";

  public HookCall {
    Objects.requireNonNull(runner, "runner");
  }

  /** A call the fresh runner made. */
  public HookCall(HookName hook, HookResult result, Instant started, Duration elapsed, Path log) {
    this(hook, result, started, elapsed, log, FRESH);
  }

  HookCall withRunner(String runner, Instant started) {
    return new HookCall(hook, result, started, Duration.between(started, Instant.now()), log, runner);
  }
}
