package dev.orchestrate.bus;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One package to build, self-contained so that an executor on another machine needs nothing else.
 *
 * @param member normalised name, the package's key
 * @param requires {@code build-system.requires} as written
 * @param backendPath {@code backend-path} as written (relative to {@code sourceDir})
 * @param configSettings {@code -C} settings: a String, or a List of Strings for repeated keys
 * @param memberWheels every member wheel built so far in this run, by normalised name
 * @param workspaceMembers normalised names of all members, to recognise member requirements that
 *     a backend names only at hook time
 * @param inputHash the package's input hash, which the executor checks against its state
 *     store before building and records after ("" when builds are not tracked)
 * @param force build even when the state store says the package is up to date
 */
public record BuildRequest(
    String member,
    String displayName,
    Path sourceDir,
    List<String> requires,
    String backend,
    List<String> backendPath,
    BuildMode mode,
    Map<String, Object> configSettings,
    Map<String, MemberWheel> memberWheels,
    Set<String> workspaceMembers,
    int attempt,
    String inputHash,
    boolean force) {

  public BuildRequest {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(sourceDir, "sourceDir");
    requires = List.copyOf(requires);
    Objects.requireNonNull(backend, "backend");
    backendPath = List.copyOf(backendPath);
    Objects.requireNonNull(mode, "mode");
    configSettings = Map.copyOf(configSettings);
    memberWheels = Map.copyOf(memberWheels);
    workspaceMembers = Set.copyOf(workspaceMembers);
    Objects.requireNonNull(inputHash, "inputHash");
  }
}
