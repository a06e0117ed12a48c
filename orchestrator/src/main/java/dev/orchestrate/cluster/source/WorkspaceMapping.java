package dev.orchestrate.cluster.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an agent finds a coordinator's member. When the coordinator's workspace root lies under
 * the agent's {@code --workspace} (a shared path: NFS, the same machine), the member is used in
 * place; otherwise the agent's {@code --workspace} is its own checkout of the same tree and the
 * member is at the same path relative to it. Either way the directory must really (symlinks
 * resolved) be under {@code --workspace}: an agent builds nothing else.
 */
public final class WorkspaceMapping {
  private WorkspaceMapping() {}

  /** The outcome of a mapping. */
  public sealed interface Result {
    /** @param sharedPath true when the coordinator's own directory is used */
    record Mapped(Path dir, boolean sharedPath) implements Result {}

    record Refused(String reason) implements Result {}
  }

  /** The member's path relative to the workspace root, {@code /}-separated ("" for the root). */
  public static String memberPath(Path root, Path memberDir) {
    Path relative = root.toAbsolutePath().normalize().relativize(memberDir.toAbsolutePath().normalize());
    return relative.toString().replace('\\', '/');
  }

  /** Maps a task's member into {@code agentWorkspace} (blocking: it resolves real paths). */
  public static Result map(Path agentWorkspace, String coordinatorRoot, String memberPath) {
    Path workspace;
    try {
      workspace = agentWorkspace.toRealPath();
    } catch (IOException e) {
      return new Result.Refused("its --workspace " + agentWorkspace + " is not readable: " + e.getMessage());
    }
    Path relative = Path.of(memberPath.isEmpty() ? "." : memberPath).normalize();
    if (relative.isAbsolute() || relative.startsWith("..")) {
      return new Result.Refused("the member path `" + memberPath + "` leaves the workspace");
    }
    Path root = Path.of(coordinatorRoot).toAbsolutePath().normalize();
    boolean shared = false;
    try {
      shared = Files.isDirectory(root) && root.toRealPath().startsWith(workspace);
    } catch (IOException e) {
      // not readable here: not a shared path
    }
    Path dir = (shared ? root : workspace).resolve(relative).normalize();
    if (!Files.isDirectory(dir)) {
      return new Result.Refused("no directory " + dir + " here (" + (shared ? "the coordinator's "
          + "workspace is shared" : "its --workspace " + workspace + " should be a checkout of "
          + root.getFileName() + " holding `" + memberPath + "`") + ")");
    }
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      return new Result.Refused(dir + " is not readable: " + e.getMessage());
    }
    if (!real.startsWith(workspace)) {
      return new Result.Refused(real + " is outside its --workspace " + workspace);
    }
    return new Result.Mapped(real, shared);
  }
}
