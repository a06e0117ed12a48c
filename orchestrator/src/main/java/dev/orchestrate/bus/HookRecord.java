package dev.orchestrate.bus;

import java.nio.file.Path;

/**
 * One hook call as the report shows it.
 *
 * @param tree {@code source} (the member's directory) or {@code sdist} (the unpacked sdist)
 * @param outcome the {@code HookResult} label: success, unsupported, exception, timed-out...
 */
public record HookRecord(String hook, String tree, String outcome, long durationMillis, Path log,
    String environment, String summary) {}
