package dev.orchestrate.bus;

/** Progress: a package started or finished a step. Informational only; results go by reply. */
public record HookEvent(String member, String step, String tree, long atMillis, boolean started,
    String outcome) {}
