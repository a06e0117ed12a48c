package dev.orchestrate.cluster.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orchestrate.bus.BuildRequest;
import dev.orchestrate.bus.MemberWheel;
import dev.orchestrate.env.pep508.InvalidRequirementException;
import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.env.pep508.Requirement;
import dev.orchestrate.shim.InterpreterInfo;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The build-cache key of a task. When the run tracks input hashes (the incremental build fills
 * {@link BuildRequest#inputHash()}), that hash is the key. Otherwise this small function stands
 * in for it: the member's source digest, its build spec, the build mode and config settings, the
 * interpreter, and the wheels of the members its {@code build-system.requires} names. Members a
 * hook names only at run time are not in it; a cache entry records the member wheels its build
 * used, and {@code BuildCache} checks those before reusing it.
 */
public final class InputHash {
  static final String SCHEME = "orchestrate.cluster-input/1";
  private static final ObjectMapper SORTED = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private InputHash() {}

  /** The request's own input hash when it has one, else {@link #fallback}. */
  public static String of(BuildRequest request, String sourceDigest, String pythonIdentity) {
    return request.inputHash().isEmpty() ? fallback(request, sourceDigest, pythonIdentity)
        : request.inputHash();
  }

  public static String fallback(BuildRequest request, String sourceDigest, String pythonIdentity) {
    StringBuilder sb = new StringBuilder(SCHEME).append('\n');
    line(sb, "source", sourceDigest);
    line(sb, "requires", json(request.requires().stream().sorted().toList()));
    line(sb, "backend", request.backend());
    line(sb, "backend-path", json(request.backendPath()));
    line(sb, "mode", request.mode().name());
    line(sb, "config", json(request.configSettings()));
    line(sb, "python", pythonIdentity);
    memberWheels(request).forEach((name, sha) -> line(sb, "wheel " + name, sha));
    return SourceManifest.sha256(sb.toString());
  }

  /** The wheels (by sha256) of the members named in {@code build-system.requires}. */
  static SortedMap<String, String> memberWheels(BuildRequest request) {
    SortedMap<String, String> wheels = new TreeMap<>();
    for (String text : request.requires()) {
      String name;
      try {
        name = Requirement.parse(text).normalizedName();
      } catch (InvalidRequirementException e) {
        name = PackageName.normalize(text.split("[^A-Za-z0-9._-]", 2)[0]);
      }
      MemberWheel wheel = request.memberWheels().get(name);
      if (request.workspaceMembers().contains(name) && wheel != null) {
        wheels.put(name, wheel.sha256());
      }
    }
    return wheels;
  }

  /**
   * What an interpreter is, whichever machine it is on: implementation, version, ABI, platform
   * and pointer size (not its path). Agents build for a coordinator only when theirs is equal.
   */
  public static String pythonIdentity(InterpreterInfo interpreter) {
    return String.join("|", interpreter.implementation(), interpreter.version(), interpreter.soabi(),
        interpreter.platform(), Integer.toString(interpreter.pointerBits()));
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(key).append('\t').append(value.replace("\n", "\\n")).append('\n');
  }

  private static String json(Object value) {
    try {
      return SORTED.writeValueAsString(value instanceof List<?> l ? l : value instanceof Map<?, ?> m
          ? new TreeMap<>(m) : value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
