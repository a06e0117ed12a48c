package dev.orchestrate.bus;

import java.nio.file.Path;

/** A wheel built in this run for a workspace member, usable as another member's build requirement. */
public record MemberWheel(String member, String version, Path path, String sha256) {}
