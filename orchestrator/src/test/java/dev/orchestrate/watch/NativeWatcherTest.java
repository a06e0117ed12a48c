package dev.orchestrate.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.state.SourceRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native watcher on a real directory tree (inotify): registration and lost events. */
class NativeWatcherTest {
  @TempDir Path root;

  /**
   * After an OVERFLOW the watcher cannot know what happened: directories made while events were
   * lost are registered by the rescan, and the root is reported so that a cycle rescans all.
   * Simulated by making directories before the watcher takes any event.
   */
  @Test
  void anOverflowRegistersTheTreeAgainAndReportsTheRoot() throws Exception {
    Files.createDirectories(root.resolve("pkg/src"));
    NativeWatcher watcher = NativeWatcher.registered(root, SourceRules.forWorkspace(root, Set.of()), paths -> { });
    try {
      assertEquals(3, watcher.directories()); // root, pkg, pkg/src
      Files.createDirectories(root.resolve("pkg/src/unseen/deeper"));
      Files.createDirectories(root.resolve("node_modules/x")); // never a source: not watched
      List<Path> changed = new ArrayList<>();
      watcher.overflowed(changed);
      assertEquals(List.of(root), changed);
      assertEquals(5, watcher.directories());
    } finally {
      watcher.close();
    }
  }

  /** A directory made after the start is registered: a file written in it later is seen. */
  @Test
  void aDirectoryCreatedAfterTheStartIsWatched() throws Exception {
    List<Path> seen = new CopyOnWriteArrayList<>();
    NativeWatcher watcher = NativeWatcher.start(root, SourceRules.forWorkspace(root, Set.of()), seen::addAll);
    try {
      Path dir = Files.createDirectories(root.resolve("new/inner"));
      Path file = dir.resolve("late.py");
      await(() -> watcher.directories() == 3, "the new directories registered: " + seen);
      Files.writeString(file, "X = 1\n");
      await(() -> seen.contains(file), "the file in the new directory: " + seen);
    } finally {
      watcher.close();
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) throws Exception {
    for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    assertTrue(condition.getAsBoolean(), what);
  }
}
