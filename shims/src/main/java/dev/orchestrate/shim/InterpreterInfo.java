package dev.orchestrate.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an interpreter says about itself (asked once per run through the shim): where it really
 * is, its version and ABI, the PEP 508 marker values, the wheels it bundles for ensurepip, and the
 * wheel tags it installs ({@code cp311-cp311-manylinux_2_36_x86_64} ... {@code py30-none-any}), the
 * best match first, as {@code packaging.tags.sys_tags()} and pip order them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InterpreterInfo(
    @JsonProperty("executable") String executable,
    @JsonProperty("real_executable") String realExecutable,
    @JsonProperty("base_executable") String baseExecutable,
    @JsonProperty("prefix") String prefix,
    @JsonProperty("base_prefix") String basePrefix,
    @JsonProperty("version") String version,
    @JsonProperty("version_info") List<Integer> versionInfo,
    @JsonProperty("implementation") String implementation,
    @JsonProperty("cache_tag") String cacheTag,
    @JsonProperty("soabi") String soabi,
    @JsonProperty("platform") String platform,
    @JsonProperty("pointer_bits") int pointerBits,
    @JsonProperty("has_venv") boolean hasVenv,
    @JsonProperty("bundled_wheels") List<String> bundledWheels,
    @JsonProperty("markers") Map<String, String> markers,
    @JsonProperty("tags") List<String> tags) {

  public InterpreterInfo {
    versionInfo = versionInfo == null ? List.of() : List.copyOf(versionInfo);
    bundledWheels = bundledWheels == null ? List.of() : List.copyOf(bundledWheels);
    markers = markers == null ? Map.of() : Map.copyOf(markers);
    soabi = soabi == null ? "" : soabi;
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** The executable to spawn (never a pyenv or asdf shell shim). */
  public Path executablePath() {
    return Path.of(executable);
  }

  /**
   * The identity that goes into environment keys: two interpreters with the same identity make
   * interchangeable environments.
   */
  public String identity() {
    return String.join("|", realExecutable, version, implementation, soabi, platform,
        Integer.toString(pointerBits));
  }

  /** A bundled wheel whose file name starts with {@code project-}, such as pip's. */
  public Optional<Path> bundledWheel(String project) {
    return bundledWheels.stream()
        .map(Path::of)
        .filter(p -> p.getFileName().toString().startsWith(project + "-"))
        .findFirst();
  }

  /** {@code major.minor}, as in {@code python3.11}. */
  public String majorMinor() {
    return versionInfo.size() >= 2 ? versionInfo.get(0) + "." + versionInfo.get(1) : version;
  }
}
