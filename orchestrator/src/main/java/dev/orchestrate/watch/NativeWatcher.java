package dev.orchestrate.watch;

import dev.orchestrate.state.SourceRules;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operating system's file watching (inotify on Linux) through Java's WatchService, which
 * watches single directories: every source directory is registered, new ones as they appear.
 * Events are taken on a thread of its own and handed to the listener in batches.
 */
final class NativeWatcher implements ChangeWatcher {
  private final Path root;
  private final Listener listener;
  private final WatchService service;
  private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile SourceRules rules;
  private volatile boolean closed;

  private NativeWatcher(Path root, SourceRules rules, Listener listener) throws IOException {
    this.root = root;
    this.rules = rules;
    this.listener = listener;
    this.service = FileSystems.getDefault().newWatchService();
    this.thread = new Thread(this::loop, "orchestrate-watch");
    this.thread.setDaemon(true);
  }

  /**
   * Watches every source directory under {@code root}.
   *
   * @throws IOException when the platform cannot watch (no WatchService, too many directories
   *     for the inotify limits): poll instead
   */
  static NativeWatcher start(Path root, SourceRules rules, Listener listener) throws IOException {
    NativeWatcher watcher = registered(root, rules, listener);
    watcher.thread.start();
    return watcher;
  }

  /** Every source directory registered, no event taken yet (start() starts taking them). */
  static NativeWatcher registered(Path root, SourceRules rules, Listener listener) throws IOException {
    NativeWatcher watcher = new NativeWatcher(root, rules, listener);
    try {
      watcher.register(root, new ArrayList<>());
    } catch (IOException | RuntimeException e) {
      watcher.close();
      throw e instanceof IOException io ? io : new IOException(e);
    }
    return watcher;
  }

  /**
   * Events were lost (the kernel's queue overflowed): anything may have changed, and a
   * directory created meanwhile was never registered. Registers the whole tree again (a
   * directory registered already keeps its key) and reports the root, so that the next cycle
   * rescans everything.
   */
  void overflowed(List<Path> changed) {
    changed.add(root);
    try {
      register(root, new ArrayList<>());
    } catch (IOException | RuntimeException e) {
      // a directory vanished mid-walk: the next change or overflow registers again
    }
  }

  int directories() {
    return keys.size();
  }

  @Override
  public String describe() {
    return "file system events, " + keys.size() + " directories";
  }

  /** Registers {@code dir} and every source directory below it; files found go to {@code found}. */
  private void register(Path dir, List<Path> found) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        if (rules.skipDirectory(d)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        keys.put(d.register(service, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY), d);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        found.add(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE; // gone again already, or unreadable
      }
    });
  }

  private void loop() {
    while (!closed) {
      WatchKey key;
      try {
        key = service.take();
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return;
      }
      List<Path> changed = new ArrayList<>();
      do {
        drain(key, changed);
        key = service.poll(); // what else is ready: one batch
      } while (key != null);
      if (!changed.isEmpty() && !closed) {
        listener.changed(changed);
      }
    }
  }

  private void drain(WatchKey key, List<Path> changed) {
    Path dir = keys.get(key);
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == StandardWatchEventKinds.OVERFLOW || dir == null) {
        overflowed(changed);
        continue;
      }
      Path path = dir.resolve((Path) event.context());
      if (path.getFileName().toString().equals(".gitignore")) {
        rules = rules.fresh(); // what counts as a source may have changed
      }
      if (rules.excludes(path)) {
        continue;
      }
      changed.add(path);
      if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(path)) {
        try {
          register(path, changed); // a new directory (or one renamed into place) and its files
        } catch (IOException e) {
          changed.add(root);
        }
      }
    }
    if (!key.reset()) {
      keys.remove(key); // its directory is gone
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      service.close();
    } catch (IOException e) {
      // closing is best effort
    }
  }
}
