package dev.orchestrate.workspace;

import dev.orchestrate.shim.HookRunnerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Run settings from {@code [tool.orchestrate]} in the workspace root's {@code pyproject.toml}
 * (the member table, {@code [tool.orchestrate.workspace]}, is {@link WorkspaceDiscovery}'s):
 *
 * <pre>
 * [tool.orchestrate]
 * hook-runner = "forkserver"                  # or "fresh" (the default); --hook-runner wins
 * forkserver-incompatible = ["odd_backend"]   # backends whose hooks always run fresh
 * </pre>
 *
 * @param hookRunner {@code hook-runner}, when set
 * @param forkServerIncompatible {@code forkserver-incompatible}: backend modules or {@code module:object}
 */
public record ToolSettings(Optional<HookRunnerKind> hookRunner, List<String> forkServerIncompatible) {
  public static final ToolSettings NONE = new ToolSettings(Optional.empty(), List.of());

  public ToolSettings {
    forkServerIncompatible = List.copyOf(forkServerIncompatible);
  }

  /** Reads the settings of the workspace at {@code root} (blocking); none when there is no root file. */
  public static ToolSettings read(Path root) throws WorkspaceException {
    Path file = root.resolve(PyProjectParser.PYPROJECT);
    if (!Files.isRegularFile(file)) {
      return NONE;
    }
    TomlParseResult toml;
    try {
      toml = Toml.parse(file);
    } catch (IOException e) {
      throw new WorkspaceException(file, 0, 0, "cannot read the workspace `pyproject.toml`: " + e, e);
    }
    if (!toml.errors().isEmpty()) {
      return NONE; // discovery reports syntax errors, with their position
    }
    Optional<HookRunnerKind> hookRunner = Optional.empty();
    List<String> key = List.of("tool", "orchestrate", "hook-runner");
    Object runner = toml.get(key);
    if (runner != null) {
      if (!(runner instanceof String text)) {
        throw error(file, toml, key, "expected \"fresh\", \"forkserver\" or \"forkserver-cold\", got "
            + PyProjectParser.describeValue(runner));
      }
      try {
        hookRunner = Optional.of(HookRunnerKind.parse(text));
      } catch (IllegalArgumentException e) {
        throw error(file, toml, key, e.getMessage());
      }
    }
    List<String> incompatible = new ArrayList<>();
    key = List.of("tool", "orchestrate", "forkserver-incompatible");
    Object listed = toml.get(key);
    if (listed != null) {
      if (!(listed instanceof TomlArray array)) {
        throw error(file, toml, key, "expected a list of backend names, got "
            + PyProjectParser.describeValue(listed));
      }
      for (int i = 0; i < array.size(); i++) {
        if (!(array.get(i) instanceof String name) || name.isBlank()) {
          throw error(file, toml, key, "item " + i + ": expected a backend name such as "
              + "\"setuptools.build_meta\", got " + PyProjectParser.describeValue(array.get(i)));
        }
        incompatible.add(name.strip());
      }
    }
    return new ToolSettings(hookRunner, incompatible);
  }

  private static WorkspaceException error(Path file, TomlParseResult toml, List<String> key,
      String message) {
    TomlPosition at = toml.inputPositionOf(key);
    return new WorkspaceException(file, at == null ? 0 : at.line(), at == null ? 0 : at.column(),
        String.join(".", key) + ": " + message);
  }
}
