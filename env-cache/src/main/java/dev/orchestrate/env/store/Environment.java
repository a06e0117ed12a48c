package dev.orchestrate.env.store;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A published, immutable build environment.
 *
 * @param installed normalised distribution name to version, as found in site-packages
 * @param resolved what resolution chose, with files and hashes (the environment's lock)
 * @param createdNow true when this process created it, false when it was already in the cache
 */
public record Environment(EnvKey key, Path root, Map<String, String> installed, List<Pin> resolved,
    boolean createdNow) {
  public Environment {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(root, "root");
    installed = Map.copyOf(installed);
    resolved = List.copyOf(resolved);
  }

  public Path binDir() {
    return root.resolve("bin");
  }

  public Path python() {
    return binDir().resolve("python");
  }

  /**
   * The process environment a hook runs with: the caller's, with this environment's scripts
   * first on PATH (the specification requires build requirements' commands to be runnable),
   * nothing that would leak the caller's packages in, and no bytecode written (the environment
   * and the source tree stay untouched).
   */
  public Map<String, String> hookEnvironment(Map<String, String> base) {
    Map<String, String> env = new HashMap<>(base);
    env.remove("PYTHONPATH");
    env.remove("PYTHONHOME");
    env.remove("PYTHONSTARTUP");
    env.remove("PYTHONEXECUTABLE");
    env.remove("__PYVENV_LAUNCHER__");
    env.put("VIRTUAL_ENV", root.toString());
    env.put("PYTHONNOUSERSITE", "1");
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    String path = base.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("PATH", binDir() + File.pathSeparator + path);
    return env;
  }
}
