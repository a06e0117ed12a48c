package dev.orchestrate.watch;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Kills what this process started, to the last grandchild. */
final class ProcessTrees {
  private ProcessTrees() {}

  /**
   * Kills every descendant of this JVM and the process group each child leads (hooks run in
   * their own session, so their group holds whatever they spawned, even when reparented).
   */
  static void killDescendants() {
    List<ProcessHandle> children = ProcessHandle.current().children().toList();
    for (ProcessHandle child : children) {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      killGroup(child.pid());
      child.destroyForcibly();
    }
  }

  private static void killGroup(long pgid) {
    try {
      new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // nothing more to do
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
