package dev.orchestrate.shim;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A finished hook call: the request's hook, its result, when it started, how long it took, its log. */
public record HookCall(HookName hook, HookResult result, Instant started, Duration elapsed, Path log) {}
