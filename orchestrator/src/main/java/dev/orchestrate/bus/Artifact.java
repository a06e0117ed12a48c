package dev.orchestrate.bus;

import java.nio.file.Path;

/** A published sdist or wheel. {@code kind} is {@code sdist} or {@code wheel}. */
public record Artifact(String kind, String file, Path path, String sha256, long size) {}
