package dev.orchestrate.watch;

import dev.orchestrate.run.BuildRun;
import dev.orchestrate.run.DiscoveryCache;
import dev.orchestrate.run.ForkServerSession;
import dev.orchestrate.run.RunOptions;
import dev.orchestrate.run.RunResult;
import dev.orchestrate.shim.Durations;
import dev.orchestrate.state.SourceRules;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code orchestrate watch}: builds once, then waits for changes and runs an incremental build
 * for each burst of them, on one Vert.x instance, until stopped. A failed build does not end the
 * session; new and removed members and edited {@code pyproject.toml} files are picked up because
 * every cycle discovers the workspace again. All session state is confined to one Vert.x context.
 *
 * <p>Stopping (Ctrl-C, SIGTERM): no further package is started, the backends still running are
 * killed with their process groups, the cycle is let finish (a package whose hook was killed
 * publishes nothing; artifacts only ever appear by atomic rename), then Vert.x is closed.
 */
public final class WatchSession {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  /**
   * How to watch.
   *
   * @param debounce how long the tree must stay quiet after a change before a cycle starts
   * @param poll poll the tree's stamps instead of using file system events
   * @param pollInterval how often to poll
   */
  public record Settings(Duration debounce, boolean poll, Duration pollInterval) {
    /** A burst of changes gets this long at most before its cycle starts anyway. */
    static final Duration MAX_DELAY = Duration.ofSeconds(1);

    public Settings {
      Objects.requireNonNull(debounce, "debounce");
      Objects.requireNonNull(pollInterval, "pollInterval");
    }
  }

  private final RunOptions options;
  private final Settings settings;
  private final PrintStream out;
  private final Vertx vertx;
  private final Context context;
  private final WorkerExecutor workers;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Set<Path> pending = new LinkedHashSet<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final DiscoveryCache discovery = DiscoveryCache.remembering();
  private final ForkServerSession forkServers;
  private ChangeWatcher watcher;
  private Future<RunResult> running;
  private long timer = -1;
  private long firstChangeAt;
  private int cycles;
  private volatile int exitCode;

  private WatchSession(RunOptions options, Settings settings, PrintStream out, Vertx vertx) {
    this.options = options;
    this.settings = settings;
    this.out = out;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.workers = vertx.createSharedWorkerExecutor("orchestrate-watch", 2);
    this.forkServers = ForkServerSession.in(options.cacheDir());
  }

  /** Runs until the process is stopped; returns only if the session cannot start. */
  public static int run(RunOptions options, Settings settings, PrintStream out, PrintStream err) {
    Path root;
    try {
      root = options.root().toRealPath();
    } catch (IOException e) {
      err.println("error: workspace root `" + options.root() + "` cannot be read: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    WatchSession session = new WatchSession(options, settings, out, vertx);
    Thread stopper = new Thread(session::stop, "orchestrate-watch-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    session.context.runOnContext(v -> session.start(root));
    try {
      session.stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return session.exitCode;
  }

  private void start(Path root) {
    SourceRules rules = SourceRules.forWorkspace(root, Set.of(options.outDir(), options.cacheDir()));
    ChangeWatcher.Listener listener = paths -> context.runOnContext(v -> changed(paths));
    workers.executeBlocking(() -> {
      if (!settings.poll()) {
        try {
          return (ChangeWatcher) NativeWatcher.start(root, rules, listener);
        } catch (IOException e) {
          say("file system events are not available (" + e.getMessage() + "); polling instead");
        }
      }
      return (ChangeWatcher) PollingWatcher.start(vertx, workers, rules, settings.pollInterval(), listener);
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        say("cannot watch " + root + ": " + ar.cause().getMessage());
        exitCode = 2;
        vertx.close();
        stopped.countDown();
        return;
      }
      watcher = ar.result();
      if (stopping.get()) {
        watcher.close();
        return;
      }
      say("watching " + root + " (" + watcher.describe() + "); Ctrl-C stops");
      cycle("initial build");
    });
  }

  private void changed(List<Path> paths) {
    if (stopping.get()) {
      return;
    }
    if (pending.isEmpty()) {
      firstChangeAt = System.currentTimeMillis();
    }
    pending.addAll(paths);
    if (running != null) {
      return; // picked up when the running cycle ends
    }
    schedule();
  }

  /** Waits for the burst to settle: {@code debounce} of quiet, at most {@code MAX_DELAY} in all. */
  private void schedule() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    long waited = System.currentTimeMillis() - firstChangeAt;
    long delay = Math.max(1, Math.min(settings.debounce().toMillis(),
        Settings.MAX_DELAY.toMillis() - waited));
    timer = vertx.setTimer(delay, id -> {
      timer = -1;
      if (!pending.isEmpty() && running == null && !stopping.get()) {
        List<Path> batch = new ArrayList<>(pending);
        pending.clear();
        cycle(describe(batch));
      }
    });
  }

  private void cycle(String why) {
    int n = ++cycles;
    long start = System.currentTimeMillis();
    say("cycle " + n + ": " + why);
    Future<RunResult> run = BuildRun.run(options, out, vertx, stopping::get, discovery, forkServers);
    running = run;
    run.onComplete(ar -> {
      running = null;
      long millis = System.currentTimeMillis() - start;
      if (stopping.get()) {
        say("stopped during cycle " + n);
        return;
      }
      if (ar.failed()) {
        // A configuration error (an invalid root pyproject.toml, a cycle): fixed by an edit.
        say("cycle " + n + " could not run: " + ar.cause().getMessage());
      } else {
        RunResult r = ar.result();
        say("cycle " + n + " " + (r.exitCode() == 0 ? "ok" : "FAILED") + ": " + r.count("built")
            + " built, " + r.count("up-to-date") + " up to date, " + r.count("failed") + " failed, "
            + r.count("skipped") + " skipped in " + Durations.format(Duration.ofMillis(millis)));
      }
      if (!pending.isEmpty()) {
        schedule();
      } else {
        say("waiting for changes");
      }
    });
  }

  /** Ctrl-C or SIGTERM (a shutdown hook): start nothing new, kill what runs, let the cycle end. */
  private void stop() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    Promise<Void> idle = Promise.promise();
    context.runOnContext(v -> {
      say("stopping");
      if (watcher != null) {
        watcher.close();
      }
      if (running == null) {
        idle.tryComplete();
      } else {
        running.onComplete(ar -> idle.tryComplete());
      }
    });
    // Hooks already running are killed (their groups too); a package between two hooks may
    // start one more: keep killing until the cycle is over.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!idle.future().isComplete() && System.nanoTime() < deadline) {
      ProcessTrees.killDescendants();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        break;
      }
    }
    // Kept fork servers, idle now: stopped as they are told to (no "died" warning), then killed
    // with anything else left like every other descendant.
    try {
      Promise<Void> closed = Promise.promise();
      context.runOnContext(v -> forkServers.close().onComplete(closed));
      closed.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the kill below ends them anyway
    }
    ProcessTrees.killDescendants();
    forkServers.removeDirectory();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing is best effort; the process is ending
    }
    out.flush();
    stopped.countDown();
  }

  private String describe(List<Path> paths) {
    Path root = options.root();
    String first;
    try {
      first = options.root().toRealPath().relativize(paths.get(0)).toString();
    } catch (IOException | IllegalArgumentException e) {
      first = paths.get(0).toString();
    }
    if (first.isEmpty()) {
      first = root.toString();
    }
    int others = new LinkedHashSet<>(paths).size() - 1;
    return first + " changed" + (others > 0 ? " (and " + others + " more)" : "");
  }

  private void say(String line) {
    out.println("[watch " + LocalTime.now().format(CLOCK) + "] " + line);
    out.flush();
  }
}
