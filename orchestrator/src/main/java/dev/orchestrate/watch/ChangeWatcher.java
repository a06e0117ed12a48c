package dev.orchestrate.watch;

import java.nio.file.Path;
import java.util.List;

/** Reports paths under the workspace that changed (created, modified, deleted, renamed). */
interface ChangeWatcher extends AutoCloseable {
  /** A batch of changed paths, absolute; the workspace root itself when changes were lost. */
  @FunctionalInterface
  interface Listener {
    void changed(List<Path> paths);
  }

  /** How it watches, for the user: {@code native} or {@code polling every 500ms}. */
  String describe();

  @Override
  void close();
}
