package dev.orchestrate.env.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One distribution an environment holds, as resolution chose it: enough to make the same
 * environment again without resolving (a lock-file line).
 *
 * @param name the normalised project name
 * @param version the version installed
 * @param file the wheel's file name ("" when the installer did not say)
 * @param sha256 the wheel's sha256, when known
 * @param source where it came from: a find-links directory, an index URL without credentials, or
 *     the direct reference ({@code file:///...whl}) of a workspace member
 */
public record Pin(String name, String version, String file, Optional<String> sha256, String source) {
  public Pin {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(source, "source");
  }

  /** {@code name==version}, as a constraints file would say it. */
  public String requirement() {
    return name + "==" + version;
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("version", version);
    json.put("file", file);
    sha256.ifPresent(s -> json.put("sha256", s));
    json.put("source", source);
    return json;
  }

  static Pin fromJson(Map<?, ?> json) {
    return new Pin(text(json, "name"), text(json, "version"), text(json, "file"),
        Optional.ofNullable(json.get("sha256")).map(Object::toString), text(json, "source"));
  }

  private static String text(Map<?, ?> json, String key) {
    Object value = json.get(key);
    return value == null ? "" : value.toString();
  }
}
