package dev.orchestrate.state;

import dev.orchestrate.bus.BuildMode;
import dev.orchestrate.env.pep508.MarkerEvaluationException;
import dev.orchestrate.env.pep508.Requirement;
import dev.orchestrate.env.store.EnvKey;
import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.workspace.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** The settings part of a package's inputs: everything but its files and its dependencies. */
public final class InputSettings {
  /** Bump when the meaning of an input changes: every package is then rebuilt once. */
  static final String SCHEME = "orchestrate-inputs/1";

  private InputSettings() {}

  /**
   * @param frontend what of orchestrate itself shapes a build (the hook runner's digest)
   * @param workspaceMembers every member's normalised name: a requirement naming one enters the
   *     environment key by name (its wheel is not built yet; its input hash is a dependency)
   */
  public static SortedMap<String, String> of(Member member, InterpreterInfo interpreter, BuildMode mode,
      Map<String, Object> configSettings, Set<String> workspaceMembers, String frontend) {
    SortedMap<String, String> settings = new TreeMap<>();
    settings.put("backend", member.buildSystem().backend());
    settings.put("backend-path", Fields.list(member.buildSystem().backendPath()));
    settings.put("requires", Fields.list(member.buildSystem().requires()));
    settings.put("environment", environmentKey(member, interpreter, workspaceMembers));
    settings.put("config-settings", configSettings(configSettings));
    settings.put("build-mode", mode == BuildMode.WHEEL_ONLY ? "wheel-only" : "sdist+wheel");
    settings.put("interpreter", interpreter.identity());
    settings.put("frontend", SCHEME + " " + frontend);
    return settings;
  }

  /**
   * The key of the environment build-system.requires selects, computed without creating it:
   * markers applied, workspace members by name.
   */
  static String environmentKey(Member member, InterpreterInfo interpreter, Set<String> workspaceMembers) {
    List<EnvRequirement> requirements = new ArrayList<>();
    for (Requirement r : member.buildRequires()) {
      try {
        if (!r.appliesTo(interpreter.markers(), Set.of())) {
          continue;
        }
      } catch (MarkerEvaluationException e) {
        return "invalid marker in `" + r + "`";
      }
      if (workspaceMembers.contains(r.normalizedName()) && r.url().isEmpty()) {
        String extras = r.extras().isEmpty() ? "" : "[" + String.join(",", r.extras()) + "]";
        String form = r.normalizedName() + extras + " @ workspace";
        requirements.add(new EnvRequirement(form, form));
      } else {
        requirements.add(new EnvRequirement(r.toCanonicalString(), r.toString()));
      }
    }
    return EnvKey.of(interpreter, requirements).id();
  }

  /** {@code {"key": "value", "list": ["a", "b"]}}, keys sorted. */
  public static String configSettings(Map<String, Object> settings) {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : new TreeMap<>(settings).entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      Fields.quote(sb, e.getKey());
      sb.append(": ");
      if (e.getValue() instanceof List<?> list) {
        sb.append(Fields.list(list.stream().map(String::valueOf).toList()));
      } else {
        Fields.quote(sb, String.valueOf(e.getValue()));
      }
    }
    return sb.append('}').toString();
  }
}
