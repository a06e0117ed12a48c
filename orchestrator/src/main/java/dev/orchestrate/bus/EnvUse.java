package dev.orchestrate.bus;

import java.nio.file.Path;
import java.util.List;

/** A build environment a package used, and whether this run created it. */
public record EnvUse(String key, Path path, boolean createdNow, List<String> requirements) {}
