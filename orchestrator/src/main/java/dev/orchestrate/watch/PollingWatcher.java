package dev.orchestrate.watch;

import dev.orchestrate.shim.Durations;
import dev.orchestrate.state.SourceRules;
import dev.orchestrate.state.TreeScan;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where file events are not available: the tree's stamps (metadata only) are read again on a
 * Vert.x timer, on a worker, and compared with the last reading.
 */
final class PollingWatcher implements ChangeWatcher {
  private final Vertx vertx;
  private final long timer;
  private final Duration interval;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile boolean closed;
  private volatile TreeScan.Scan last;

  private PollingWatcher(Vertx vertx, WorkerExecutor workers, SourceRules rules, Duration interval,
      Listener listener, TreeScan.Scan first) {
    this.vertx = vertx;
    this.interval = interval;
    this.last = first;
    this.timer = vertx.setPeriodic(interval.toMillis(), id -> {
      if (closed || !busy.compareAndSet(false, true)) {
        return; // the previous reading is still going
      }
      workers.executeBlocking(() -> TreeScan.scan(rules.fresh()), false).onComplete(ar -> {
        busy.set(false);
        if (ar.failed() || closed) {
          return;
        }
        List<Path> changed = diff(last, ar.result());
        last = ar.result();
        if (!changed.isEmpty()) {
          listener.changed(changed);
        }
      });
    });
  }

  static PollingWatcher start(Vertx vertx, WorkerExecutor workers, SourceRules rules,
      Duration interval, Listener listener) throws java.io.IOException {
    return new PollingWatcher(vertx, workers, rules, interval, listener, TreeScan.scan(rules));
  }

  @Override
  public String describe() {
    return "polling every " + Durations.format(interval);
  }

  /** Files added, removed or with another stamp; directories added or removed. */
  static List<Path> diff(TreeScan.Scan before, TreeScan.Scan after) {
    List<Path> changed = new ArrayList<>();
    for (Map.Entry<String, TreeScan.Entry> e : after.files().entrySet()) {
      TreeScan.Entry old = before.files().get(e.getKey());
      if (old == null || !old.stamp().equals(e.getValue().stamp())
          || !Objects.equals(old.linkTarget(), e.getValue().linkTarget())) {
        changed.add(e.getValue().path());
      }
    }
    for (Map.Entry<String, TreeScan.Entry> e : before.files().entrySet()) {
      if (!after.files().containsKey(e.getKey())) {
        changed.add(e.getValue().path());
      }
    }
    Set<String> dirs = new HashSet<>(after.directories());
    dirs.removeAll(before.directories());
    Set<String> gone = new HashSet<>(before.directories());
    gone.removeAll(after.directories());
    dirs.addAll(gone);
    for (String dir : dirs) {
      changed.add(dir.isEmpty() ? after.root() : after.root().resolve(dir));
    }
    return changed;
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(timer);
  }
}
