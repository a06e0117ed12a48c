package dev.orchestrate.bus;

import java.nio.file.Path;

/**
 * One hook call as the report shows it.
 *
 * @param tree {@code source} (the member's directory) or {@code sdist} (the unpacked sdist)
 * @param outcome the {@code HookResult} label: success, unsupported, exception, timed-out...
 * @param runner what ran it: {@code fresh}, {@code forkserver}, or {@code fresh-retry} (run again
 *     in a fresh process after its fork server died)
 */
public record HookRecord(String hook, String tree, String outcome, long durationMillis, Path log,
    String environment, String summary, String runner) {

  /** A call the fresh runner made. */
  public HookRecord(String hook, String tree, String outcome, long durationMillis, Path log,
      String environment, String summary) {
    this(hook, tree, outcome, durationMillis, log, environment, summary, "fresh");
  }
}
