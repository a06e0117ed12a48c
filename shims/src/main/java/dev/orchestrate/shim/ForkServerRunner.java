package dev.orchestrate.shim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Calls each hook in a child forked from a warm fork server, so that every call starts from a
 * pristine copy of "interpreter + backend imported" without paying for either.
 *
 * <p>One server per {@link ServerKey} (interpreter, backend, backend-path, hook environment),
 * started on first use, shared by every package with that key, stopped when idle for
 * {@link Settings#idleTimeout()}, when more than {@link Settings#maxIdleServers()} sit idle, and
 * by {@link #close()}. Each child runs the shim's own {@code run_hook}, writes the same
 * output.json as a fresh process, and is judged by the same code ({@link HookRunner#interpret}).
 *
 * <p>Hooks run in fresh processes instead — and a notice says so, once — where {@code fork} is
 * unavailable, for backends listed as incompatible, and for backends whose import starts threads.
 * A backend that cannot be imported runs fresh silently: its hooks report that themselves. When
 * a server dies during a call, the call runs again, once, in a fresh process; a key whose server
 * died {@value #CRASHES_BEFORE_FRESH} times runs fresh for the rest of the run.
 */
public final class ForkServerRunner implements HookCaller {
  /** Backends known to misbehave when forked after import; none is known yet. */
  public static final Set<String> KNOWN_INCOMPATIBLE = Set.of();
  static final int CRASHES_BEFORE_FRESH = 2;
  private static final Duration MAX_START = Duration.ofSeconds(60);

  /**
   * @param serverDir where servers keep their logs and working directories (one run's)
   * @param idleTimeout a server with no call for this long is stopped
   * @param maxIdleServers beyond this many idle servers, the least recently used is stopped
   * @param incompatibleBackends backend modules (or {@code module:object} strings) never forked
   */
  public record Settings(Path serverDir, Duration idleTimeout, int maxIdleServers,
      Set<String> incompatibleBackends, boolean warmImports) {
    public Settings {
      Objects.requireNonNull(serverDir, "serverDir");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      incompatibleBackends = Set.copyOf(incompatibleBackends);
    }

    public Settings(Path serverDir, Duration idleTimeout, int maxIdleServers, Set<String> incompatibleBackends) {
      this(serverDir, idleTimeout, maxIdleServers, incompatibleBackends, false);
    }

    /** The same, with servers that also import what hooks imported lazily ({@code forkserver-warm}). */
    public Settings withWarmImports(boolean warm) {
      return new Settings(serverDir, idleTimeout, maxIdleServers, incompatibleBackends, warm);
    }

    /** The same, with servers stopped after {@code idle} without a call. */
    public Settings withIdleTimeout(Duration idle) {
      return new Settings(serverDir, idle, maxIdleServers, incompatibleBackends, warmImports);
    }

    /** Idle after 30 s, at most 4 idle servers, the known incompatible backends plus {@code more}. */
    public static Settings defaults(Path serverDir, Set<String> more) {
      Set<String> all = new HashSet<>(KNOWN_INCOMPATIBLE);
      all.addAll(more);
      return new Settings(serverDir, Duration.ofSeconds(30), 4, all);
    }
  }

  /** Per key: the current server, the calls using it, and whether the key has gone fresh for good. */
  private static final class Slot {
    ForkServer server;
    int calls;
    long idleTimer = -1;
    long lastUsed;
    int crashes;
    Optional<String> freshBecause = Optional.empty();
  }

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final HookRunner fresh;
  private final Path serverScript;
  private final Settings settings;
  private final Consumer<String> notices;
  private final boolean forkAvailable;
  private final Map<ServerKey, Slot> slots = new HashMap<>(); // guarded by this
  private final Set<String> said = ConcurrentHashMap.newKeySet();
  private boolean closed; // guarded by this
  private int serials; // guarded by this

  /**
   * @param shim the materialized shim ({@link ShimScript#materialize}); the fork server is beside it
   * @param notices told, once each, when hooks run fresh instead, and when a server dies
   */
  public ForkServerRunner(Vertx vertx, WorkerExecutor workers, Path shim, Settings settings,
      Consumer<String> notices) {
    this(vertx, workers, shim, settings, notices, ForkServer.forkAvailableHere());
  }

  ForkServerRunner(Vertx vertx, WorkerExecutor workers, Path shim, Settings settings,
      Consumer<String> notices, boolean forkAvailable) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.workers = Objects.requireNonNull(workers, "workers");
    this.fresh = new HookRunner(vertx, workers, shim);
    this.serverScript = ShimScript.forkServerBeside(shim);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.notices = Objects.requireNonNull(notices, "notices");
    this.forkAvailable = forkAvailable;
  }

  @Override
  public Future<HookCall> call(HookRequest request) {
    Instant started = Instant.now();
    ServerKey key = ServerKey.of(request);
    if (!forkAvailable) {
      once("platform", "--hook-runner forkserver: fork is not available on "
          + System.getProperty("os.name") + "; hooks run in fresh processes");
      return fresh.call(request);
    }
    if (incompatible(key)) {
      once("incompatible " + key.module(), "build backend `" + key.module() + "` is listed as "
          + "incompatible with the fork server; its hooks run in fresh processes");
      return fresh.call(request);
    }
    ForkServer server = acquire(key, request);
    if (server == null) {
      return fresh.call(request);
    }
    return server.ready()
        .compose(s -> s.run(request))
        .map(result -> new HookCall(request.hook(), result, started,
            Duration.between(started, Instant.now()), request.log(), HookCall.FORKSERVER))
        .recover(err -> instead(key, server, request, started, err))
        .onComplete(ar -> release(key, server));
  }

  /** A call the server could not make: fresh, or once more fresh after the server died. */
  private Future<HookCall> instead(ServerKey key, ForkServer server, HookRequest request,
      Instant started, Throwable err) {
    if (err instanceof ForkServer.Unusable unusable) {
      synchronized (this) {
        slot(key).freshBecause = Optional.of(unusable.getMessage());
      }
      // An import failure is the hook's to report (a fresh process reports it exactly).
      if (!unusable.kind.equals("import")) {
        once("unusable " + key.module(), "build backend `" + key.module() + "`: "
            + unusable.getMessage() + "; its hooks run in fresh processes");
      }
      return fresh.call(request);
    }
    if (err instanceof ForkServer.Died died) {
      return workers.executeBlocking(() -> {
        note(request.log(), "orchestrate: the fork server could not finish this hook ("
            + died.getMessage() + "); running it again in a fresh process\n");
        return null;
      }, false).compose(v -> fresh.call(request)).map(call -> call.withRunner(HookCall.FRESH_RETRY, started));
    }
    return Future.failedFuture(err);
  }

  private boolean incompatible(ServerKey key) {
    for (String listed : settings.incompatibleBackends()) {
      String name = listed.strip();
      if (key.backend().strip().equals(name) || key.module().equals(name)
          || key.module().startsWith(name + ".")) {
        return true;
      }
    }
    return false;
  }

  /** The key's server, started if need be, with one more call on it; null to run fresh. */
  private synchronized ForkServer acquire(ServerKey key, HookRequest request) {
    if (closed) {
      return null;
    }
    Slot slot = slot(key);
    if (slot.freshBecause.isPresent()) {
      return null;
    }
    if (slot.idleTimer >= 0) {
      vertx.cancelTimer(slot.idleTimer);
      slot.idleTimer = -1;
    }
    if (slot.server == null || slot.server.ended()) {
      Duration startTimeout = request.timeout().compareTo(MAX_START) < 0 ? request.timeout() : MAX_START;
      slot.server = new ForkServer(vertx, workers, key, serverScript, settings.serverDir(), ++serials,
          settings.warmImports(), this::died).start(startTimeout);
    }
    slot.calls++;
    return slot.server;
  }

  private synchronized void release(ServerKey key, ForkServer server) {
    Slot slot = slot(key);
    slot.calls--;
    slot.lastUsed = System.nanoTime();
    if (slot.calls > 0 || slot.server != server || server.ended() || closed) {
      return;
    }
    slot.idleTimer = vertx.setTimer(Math.max(1, settings.idleTimeout().toMillis()),
        id -> stopIfIdle(key, server));
    // Too many idle servers (one per in-tree backend and tree, say): stop the oldest.
    List<Map.Entry<ServerKey, Slot>> idle = new ArrayList<>();
    for (Map.Entry<ServerKey, Slot> e : slots.entrySet()) {
      Slot s = e.getValue();
      if (s.calls == 0 && s.server != null && !s.server.ended()) {
        idle.add(e);
      }
    }
    idle.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
    for (int i = 0; i < idle.size() - settings.maxIdleServers(); i++) {
      stopIfIdle(idle.get(i).getKey(), idle.get(i).getValue().server);
    }
  }

  private synchronized void stopIfIdle(ServerKey key, ForkServer server) {
    Slot slot = slot(key);
    if (slot.server == server && slot.calls == 0) {
      if (slot.idleTimer >= 0) {
        vertx.cancelTimer(slot.idleTimer);
        slot.idleTimer = -1;
      }
      slot.server = null;
      server.stop();
    }
  }

  /** A server died unasked: say so; after repeated deaths its key runs fresh. */
  private void died(ForkServer server, String description) {
    notices.accept("warning: " + description);
    synchronized (this) {
      Slot slot = slot(server.key());
      if (slot.server == server) {
        slot.server = null;
      }
      if (++slot.crashes >= CRASHES_BEFORE_FRESH && slot.freshBecause.isEmpty()) {
        slot.freshBecause = Optional.of("its fork server died " + slot.crashes + " times");
        notices.accept("warning: build backend `" + server.key().module() + "`: its fork server died "
            + slot.crashes + " times; its hooks run in fresh processes from now on");
      }
    }
  }

  private Slot slot(ServerKey key) {
    return slots.computeIfAbsent(key, k -> new Slot());
  }

  private void once(String topic, String message) {
    if (said.add(topic)) {
      notices.accept("note: " + message);
    }
  }

  private static void note(Path log, String text) {
    try {
      Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // the note is a courtesy; the retry matters
    }
  }

  /**
   * Stops the idle servers of in-tree backends (those with a backend-path): kept for another run
   * in the same process, they would still hold the backend as it was imported, while its source
   * lies in the workspace and may have been edited since. Servers of backends installed in a
   * build environment stay: an environment never changes once made.
   */
  public synchronized void stopInTreeBackends() {
    for (Map.Entry<ServerKey, Slot> e : slots.entrySet()) {
      Slot slot = e.getValue();
      if (!e.getKey().backendPath().isEmpty() && slot.server != null && slot.calls == 0) {
        stopIfIdle(e.getKey(), slot.server);
      }
    }
  }

  /** Stops every server (each kills what it still runs); later calls run fresh. */
  @Override
  public Future<Void> close() {
    List<Future<Void>> stops = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Slot slot : slots.values()) {
        if (slot.idleTimer >= 0) {
          vertx.cancelTimer(slot.idleTimer);
          slot.idleTimer = -1;
        }
        if (slot.server != null) {
          stops.add(slot.server.stop());
          slot.server = null;
        }
      }
    }
    return Future.join(stops).mapEmpty();
  }

  /** Servers running now (for tests and diagnostics). */
  synchronized int liveServers() {
    return (int) slots.values().stream().filter(s -> s.server != null && !s.server.ended()).count();
  }
}
