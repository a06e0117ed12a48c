package dev.orchestrate.bus;

import java.nio.file.Path;
import java.util.List;

/**
 * A build environment a package used, and whether this run created it.
 *
 * @param resolved what it holds, {@code name==version} each (its lock: enough to make it again)
 */
public record EnvUse(String key, Path path, boolean createdNow, List<String> requirements,
    List<String> resolved) {

  public EnvUse {
    requirements = requirements == null ? List.of() : List.copyOf(requirements);
    resolved = resolved == null ? List.of() : List.copyOf(resolved);
  }

  public EnvUse(String key, Path path, boolean createdNow, List<String> requirements) {
    this(key, path, createdNow, requirements, List.of());
  }
}
