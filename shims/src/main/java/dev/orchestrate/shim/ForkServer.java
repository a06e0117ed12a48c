package dev.orchestrate.shim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One fork-server process ({@code orchestrate_forkserver.py}) and its line-JSON protocol: started
 * with the hook environment of its {@link ServerKey} in an empty directory, it imports the
 * backend once and forks a child per {@link #run hook call}. Replies are read by a daemon thread
 * of its own; requests are written on the worker pool.
 */
final class ForkServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * How long the server has to kill a timed-out child and report it before orchestrate kills the
   * child's process group itself, and then the server, which is not doing its job.
   */
  static final Duration KILL_GRACE = Duration.ofSeconds(5);

  /** The server could not be made ready (import failed, threads, no fork...): use fresh processes. */
  static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;
    final String kind;

    Unusable(String kind, String reason) {
      super(reason, null, false, false);
      this.kind = kind;
    }
  }

  /** The server died while a call was in flight (its child was killed): run the call again fresh. */
  static final class Died extends Exception {
    private static final long serialVersionUID = 1L;

    Died(String how) {
      super(how, null, false, false);
    }
  }

  /** A call in flight. Its fields change under the server's monitor or on the reader thread only. */
  private static final class Pending {
    final HookRequest request;
    final long startedNanos = System.nanoTime();
    final Promise<HookResult> promise = Promise.promise();
    volatile long childPid;
    volatile boolean timedOut;
    volatile long timer;
    volatile long graceTimer = -1;

    Pending(HookRequest request) {
      this.request = request;
    }
  }

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final ServerKey key;
  private final Path script;
  private final Path dir;
  private final int serial;
  private final BiConsumer<ForkServer, String> onUnexpectedEnd;
  private final Promise<ForkServer> ready = Promise.promise();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile Future<Void> launched = Future.succeededFuture();
  private volatile Process process;
  private volatile OutputStream requests;
  private volatile boolean stopping;
  private volatile boolean ended;
  /** Set when we killed the server for not ending a timed-out child: how its end is described. */
  private volatile String unresponsive;

  /** Whether the server also imports what hooks imported lazily ({@code forkserver}, not {@code forkserver-cold}). */
  private final boolean warmImports;

  /**
   * @param dir where the server's log and its (empty) working directory go
   * @param onUnexpectedEnd told once, with a description, when a ready server dies unasked
   */
  ForkServer(Vertx vertx, WorkerExecutor workers, ServerKey key, Path script, Path dir, int serial,
      boolean warmImports, BiConsumer<ForkServer, String> onUnexpectedEnd) {
    this.warmImports = warmImports;
    this.vertx = vertx;
    this.workers = workers;
    this.key = key;
    this.script = script;
    this.dir = dir;
    this.serial = serial;
    this.onUnexpectedEnd = onUnexpectedEnd;
  }

  ServerKey key() {
    return key;
  }

  /** The server's own output: what the backend printed on import, tracebacks of the server. */
  Path log() {
    return dir.resolve(String.format("%02d-%s.log", serial, key.slug()));
  }

  long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  boolean ended() {
    return ended || stopping;
  }

  /** Completes when the backend is imported and the server takes requests; fails with {@link Unusable}. */
  Future<ForkServer> ready() {
    return ready.future();
  }

  /** Starts the process; {@link #ready()} tells how it went. */
  ForkServer start(Duration startTimeout) {
    launched = workers.executeBlocking(this::launch, false);
    launched.onComplete(ar -> {
      if (ar.failed()) {
        ended = true;
        ready.tryFail(new Unusable("start", "cannot start the fork server: " + ar.cause().getMessage()));
        return;
      }
      long timer = vertx.setTimer(Math.max(1, startTimeout.toMillis()), id -> {
        if (ready.tryFail(new Unusable("start", "the fork server did not finish importing the backend in "
            + Durations.format(startTimeout)))) {
          stop();
        }
      });
      ready.future().onComplete(done -> vertx.cancelTimer(timer));
    });
    return this;
  }

  private Void launch() throws IOException {
    Path cwd = dir.resolve(String.format("%02d-%s", serial, key.slug()));
    Files.createDirectories(cwd);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("backend", key.backend());
    config.put("backend_path", key.backendPath().stream().map(Path::toString).toList());
    config.put("warm", warmImports);
    List<String> argv = new ArrayList<>(Subprocess.sessionPrefix());
    argv.addAll(List.of(key.python().toString(), script.toString(), JSON.writeValueAsString(config)));
    ProcessBuilder builder = new ProcessBuilder(argv)
        .directory(cwd.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()));
    builder.environment().clear();
    builder.environment().putAll(key.environment());
    Process started = builder.start();
    Subprocess.track(started);
    process = started;
    requests = started.getOutputStream();
    Thread reader = new Thread(() -> readReplies(started), "orchestrate-forkserver-" + started.pid());
    reader.setDaemon(true);
    reader.start();
    return null;
  }

  /**
   * Runs one hook in a forked child: writes its input.json, sends the request, and completes with
   * the child's result (read on the reply thread as soon as the child is reaped); fails with
   * {@link Died}.
   */
  Future<HookResult> run(HookRequest request) {
    if (ended()) {
      return Future.failedFuture(new Died("the fork server had stopped"));
    }
    long id = ids.incrementAndGet();
    Pending call = new Pending(request);
    pending.put(id, call);
    call.timer = vertx.setTimer(Math.max(1, request.timeout().toMillis()), t -> {
      call.timedOut = true;
      // The server kills the child's process group and reports the child's end as usual...
      send(Map.of("op", "kill", "id", id));
      // ...or, when it does not within the grace period, we do both: the child, then the server.
      call.graceTimer = vertx.setTimer(KILL_GRACE.toMillis(), g -> {
        if (pending.get(id) == call) {
          killUnresponsive(call);
        }
      });
    });
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("op", "run");
    message.put("id", id);
    message.put("hook", request.hook().pythonName());
    message.put("control_dir", request.controlDir().toString());
    message.put("cwd", request.workingDir().toString());
    message.put("env", request.environment());
    message.put("log", request.log().toString());
    send(message, () -> {
      HookRunner.writeInput(request);
      Files.createDirectories(request.log().toAbsolutePath().getParent());
    }).onFailure(err -> {
      Pending gone = pending.remove(id);
      if (gone != null) {
        vertx.cancelTimer(gone.timer);
        gone.promise.tryFail(new Died("the request could not be sent to the fork server: "
            + err.getMessage()));
      }
    });
    return call.promise.future();
  }

  private interface Preparation {
    void run() throws IOException;
  }

  private Future<Void> send(Map<String, Object> message) {
    return send(message, () -> {});
  }

  /** Prepares and sends on the worker pool, in one hop: each hop costs latency on a busy machine. */
  private Future<Void> send(Map<String, Object> message, Preparation prepare) {
    return workers.executeBlocking(() -> {
      prepare.run();
      byte[] line = (JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
      synchronized (this) {
        requests.write(line);
        requests.flush();
      }
      return null;
    }, false);
  }

  private void readReplies(Process started) {
    try (BufferedReader replies = new BufferedReader(
        new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = replies.readLine()) != null) {
        handle(JSON.readTree(line));
      }
    } catch (IOException | RuntimeException e) {
      // a broken pipe or a garbled line: the server is of no further use either way
    }
    ended(started);
  }

  private void handle(JsonNode reply) {
    if (reply.has("ready")) {
      if (reply.get("ready").asBoolean()) {
        ready.tryComplete(this);
      } else {
        ready.tryFail(new Unusable(reply.path("kind").asText("import"), reply.path("reason").asText()));
      }
      return;
    }
    long id = reply.path("id").asLong();
    Pending call = pending.get(id);
    if (call == null) {
      return;
    }
    if (reply.has("pid")) {
      call.childPid = reply.get("pid").asLong();
      return;
    }
    pending.remove(id);
    vertx.cancelTimer(call.timer);
    if (call.graceTimer >= 0) {
      vertx.cancelTimer(call.graceTimer);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - call.startedNanos);
    if (reply.has("error")) {
      call.promise.tryFail(new Died(reply.get("error").asText()));
    } else if (call.timedOut) {
      finish(call, new Subprocess.Exit.TimedOut(call.request.timeout(), elapsed));
    } else if (reply.has("signal")) {
      finish(call, new Subprocess.Exit.Signalled(reply.get("signal").asInt(), elapsed));
    } else {
      finish(call, new Subprocess.Exit.Exited(reply.path("code").asInt(), elapsed));
    }
  }

  /**
   * A timed-out child the server did not kill in time: its process group goes, then the server
   * (its end fails or times out the calls in flight; see {@link #ended}).
   */
  private void killUnresponsive(Pending call) {
    unresponsive = "did not end a timed-out hook within " + Durations.format(KILL_GRACE)
        + " and was killed";
    workers.executeBlocking(() -> {
      if (call.childPid > 0) {
        Subprocess.killGroupAndProcess(call.childPid);
      }
      Process p = process;
      if (p != null) {
        Subprocess.killTree(p);
      }
      return null;
    }, false);
  }

  /** Judges the child's end as a fresh process's (same code); blocking, on the reply thread. */
  private static void finish(Pending call, Subprocess.Exit exit) {
    try {
      call.promise.tryComplete(HookRunner.interpret(call.request, exit));
    } catch (IOException | RuntimeException e) {
      call.promise.tryFail(e);
    }
  }

  /** The reply pipe closed: the server stopped, as asked or not. Calls in flight end here. */
  private void ended(Process started) {
    ended = true;
    try {
      if (!started.waitFor(2, TimeUnit.SECONDS)) {
        Subprocess.killTree(started);
        started.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Subprocess.untrack(started);
    String how = unresponsive != null ? unresponsive
        : started.isAlive() ? "stopped answering" : describe(started.exitValue());
    if (!ready.future().succeeded()) {
      // Before it was ready (or having said why it cannot be): not a crash, a fallback.
      ready.tryFail(new Unusable("start", "the fork server " + how + " while importing the backend"
          + tailOfLog()));
      return;
    }
    List<Pending> inFlight = new ArrayList<>(pending.values());
    pending.clear();
    if (!stopping) {
      long retried = inFlight.stream().filter(c -> !c.timedOut).count();
      onUnexpectedEnd.accept(this, "the fork server for `" + key.backend() + "` (pid " + started.pid()
          + ") " + how + (retried == 0 ? ""
              : "; " + retried + " hook call(s) in flight run again in fresh processes")
          + " (server log: " + log() + ")");
    }
    for (Pending call : inFlight) {
      vertx.cancelTimer(call.timer);
      if (call.graceTimer >= 0) {
        vertx.cancelTimer(call.graceTimer);
      }
      // Its child is an orphan now: it must not write into the control directory of the retry.
      if (call.childPid > 0) {
        Subprocess.killGroupAndProcess(call.childPid);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - call.startedNanos);
      if (call.timedOut) {
        finish(call, new Subprocess.Exit.TimedOut(call.request.timeout(), elapsed));
      } else {
        call.promise.tryFail(new Died("the fork server died: " + how));
      }
    }
  }

  private String tailOfLog() {
    String tail = HookRunner.tail(log()).strip();
    return tail.isEmpty() ? "" : ":\n" + tail;
  }

  private static String describe(int code) {
    // As for any child: 128 + n is how Java reports death by signal n.
    return code > 128 && code < 128 + 65
        ? new Subprocess.Exit.Signalled(code - 128, Duration.ZERO).describe()
        : new Subprocess.Exit.Exited(code, Duration.ZERO).describe();
  }

  /** Ends the server: the end of its input makes it exit, killing any child still running. */
  Future<Void> stop() {
    stopping = true;
    return launched.transform(launch -> workers.executeBlocking(() -> {
      Process p = process;
      if (p == null) {
        return null;
      }
      synchronized (this) {
        try {
          requests.close();
        } catch (IOException ignored) {
          // already closed: it is going anyway
        }
      }
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        Subprocess.killTree(p);
        p.waitFor(5, TimeUnit.SECONDS);
      }
      Subprocess.untrack(p);
      return null;
    }, false));
  }

  @Override
  public String toString() {
    return "fork server " + serial + " for " + key + " (pid " + pid() + ")";
  }

  /** Linux and macOS fork; the server checks again for itself. */
  static boolean forkAvailableHere() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    return os.contains("linux") || os.contains("mac");
  }
}
