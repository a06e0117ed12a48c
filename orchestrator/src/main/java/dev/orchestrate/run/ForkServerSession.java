package dev.orchestrate.run;

import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.shim.ForkServerRunner;
import dev.orchestrate.shim.HookRunnerKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fork servers kept from one run to the next in one process ({@code orchestrate watch}), so that a
 * rebuild forks its hooks from servers that imported their backends already, instead of starting
 * and importing them again each cycle (setuptools: ~0.3 s of a one-package rebuild).
 *
 * <p>Kept only where that cannot change a hook's outcome: a server belongs to one build
 * environment, and environments never change once made (another requirement or another member
 * wheel is another environment, so another server). Servers of in-tree backends (a
 * backend-path into the workspace, whose source may be edited between cycles) are stopped at the
 * end of every run. Kept servers stop after {@link #IDLE} without a call, and when the session
 * closes. Used from one run at a time.
 */
public final class ForkServerSession {
  /** A kept server with no call for this long is stopped (a watch session may idle for hours). */
  static final Duration IDLE = Duration.ofMinutes(10);

  private final Path dir;
  private ForkServerRunner runner;
  private Object made; // what the runner was made for: kind, shim, incompatible backends
  private WorkerExecutor workers;
  private volatile Consumer<String> notices = line -> {};

  private ForkServerSession(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /**
   * A session whose servers keep their logs and working directories under
   * {@code cacheDir/forkservers/watch-PID}; directories of sessions whose process is gone are
   * removed. Blocking.
   */
  public static ForkServerSession in(Path cacheDir) {
    Path parent = cacheDir.resolve("forkservers");
    try (var dirs = Files.list(parent)) {
      for (Path stale : dirs.filter(ForkServerSession::abandoned).toList()) {
        AtomicFiles.deleteTree(stale);
      }
    } catch (java.io.IOException | RuntimeException e) {
      // none yet, or unreadable: nothing to clean
    }
    return new ForkServerSession(parent.resolve("watch-" + ProcessHandle.current().pid()));
  }

  private static boolean abandoned(Path dir) {
    String name = dir.getFileName().toString();
    if (!name.startsWith("watch-")) {
      return false;
    }
    try {
      return ProcessHandle.of(Long.parseLong(name.substring("watch-".length())))
          .map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The runner for this run: the session's, or a new one when the hook runner, the shim or the
   * incompatible backends differ from the last run's (the workspace's settings are read anew
   * each cycle). {@code notices} go to this run's console.
   */
  synchronized ForkServerRunner runner(Vertx vertx, Path shim, HookRunnerKind kind,
      Set<String> incompatible, Consumer<String> notices) {
    this.notices = notices;
    Object wanted = java.util.List.of(kind, shim, Set.copyOf(incompatible));
    if (runner != null && !wanted.equals(made)) {
      runner.close();
      runner = null;
    }
    if (runner == null) {
      if (workers == null) {
        workers = vertx.createSharedWorkerExecutor("orchestrate-forkservers", 4);
      }
      runner = new ForkServerRunner(vertx, workers, shim, ForkServerRunner.Settings
          .defaults(dir, incompatible).withIdleTimeout(IDLE)
          .withWarmImports(kind == HookRunnerKind.FORKSERVER_WARM), line -> this.notices.accept(line));
      made = wanted;
    }
    return runner;
  }

  /** The end of a run: its in-tree backends' servers go, the rest stay for the next run. */
  synchronized Future<Void> endOfRun() {
    if (runner != null) {
      runner.stopInTreeBackends();
    }
    return Future.succeededFuture();
  }

  /** Stops every kept server. */
  public synchronized Future<Void> close() {
    Future<Void> stopped = runner == null ? Future.succeededFuture() : runner.close();
    runner = null;
    made = null;
    WorkerExecutor executor = workers;
    workers = null;
    return stopped.eventually(() -> executor == null ? Future.succeededFuture() : executor.close());
  }

  /** Removes the servers' logs and working directories, once they are stopped. Blocking. */
  public void removeDirectory() {
    try {
      AtomicFiles.deleteTree(dir);
    } catch (java.io.IOException | RuntimeException e) {
      // best effort: a directory of server logs
    }
  }
}
