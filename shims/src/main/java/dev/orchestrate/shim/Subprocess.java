package dev.orchestrate.shim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one child process without holding a thread while it runs: started on a worker, awaited
 * through {@link Process#onExit()}, killed (with its whole process group) by a Vert.x timer on
 * timeout. Output goes straight from the child to a log file, so bytes that are not UTF-8 never
 * pass through a decoder.
 */
public final class Subprocess {

  /** How a child process ended. */
  public sealed interface Exit {
    Duration elapsed();

    /** The process exited by itself with this code. */
    record Exited(int code, Duration elapsed) implements Exit {}

    /** The process was killed by a signal it did not ask for (a crash, an OOM kill...). */
    record Signalled(int signal, Duration elapsed) implements Exit {}

    /** We killed the process (and its group) because it ran past its time limit. */
    record TimedOut(Duration limit, Duration elapsed) implements Exit {}

    /** The process could not be started at all. */
    record NotStarted(String reason, Duration elapsed) implements Exit {}

    default boolean succeeded() {
      return this instanceof Exited e && e.code() == 0;
    }

    default String describe() {
      if (this instanceof Exited e) {
        return "exited with code " + e.code();
      } else if (this instanceof Signalled s) {
        return "killed by signal " + s.signal() + signalName(s.signal());
      } else if (this instanceof TimedOut t) {
        return "timed out after " + Durations.format(t.limit()) + " (process tree killed)";
      }
      return "could not start: " + ((NotStarted) this).reason();
    }
  }

  /** What to run: arguments, working directory, the full environment, where output goes. */
  public record Command(
      List<String> argv, Path workingDir, Map<String, String> environment, Path log, Duration timeout) {
    public Command {
      argv = List.copyOf(argv);
      Objects.requireNonNull(workingDir, "workingDir");
      environment = Map.copyOf(environment);
      Objects.requireNonNull(log, "log");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();
  private static final boolean HAVE_SETSID = new File("/usr/bin/setsid").canExecute();

  private Subprocess() {}

  /**
   * Starts {@code command} on {@code workers} and completes when it has ended. Never fails: a
   * process that cannot start is {@link Exit.NotStarted}.
   */
  public static Future<Exit> run(Vertx vertx, WorkerExecutor workers, Command command) {
    installShutdownHook();
    long started = System.nanoTime();
    return workers
        .executeBlocking(() -> start(command), false)
        .transform(
            ar -> {
              if (ar.failed()) {
                return Future.succeededFuture(
                    new Exit.NotStarted(String.valueOf(ar.cause().getMessage()), since(started)));
              }
              return await(vertx, workers, ar.result(), command.timeout(), started);
            });
  }

  private static Process start(Command command) throws IOException {
    Files.createDirectories(command.log().getParent());
    // A new session makes the child a process-group leader, so that a timeout can kill
    // everything it spawned, including grandchildren that outlive their parent.
    List<String> argv = new ArrayList<>(sessionPrefix());
    argv.addAll(command.argv());
    ProcessBuilder builder = new ProcessBuilder(argv)
        .directory(command.workingDir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(command.log().toFile()));
    builder.environment().clear();
    builder.environment().putAll(command.environment());
    Process process = builder.start();
    LIVE.add(process);
    return process;
  }

  private static Future<Exit> await(Vertx vertx, WorkerExecutor workers, Process process,
      Duration timeout, long started) {
    Promise<Exit> promise = Promise.promise();
    AtomicBoolean timedOut = new AtomicBoolean();
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
      timedOut.set(true);
      // Spawning kill(1) and walking descendants block: not on the event loop.
      workers.executeBlocking(() -> {
        killTree(process);
        return null;
      }, false);
    });
    process.onExit().whenComplete((p, err) -> {
      vertx.cancelTimer(timer);
      LIVE.remove(process);
      // The leader is gone, but what it left in its group must go with it.
      killGroup(process.pid());
      Duration elapsed = since(started);
      int code = process.exitValue();
      if (timedOut.get()) {
        promise.complete(new Exit.TimedOut(timeout, elapsed));
      } else if (code > 128 && code < 128 + 65) {
        promise.complete(new Exit.Signalled(code - 128, elapsed));
      } else {
        promise.complete(new Exit.Exited(code, elapsed));
      }
    });
    return promise.future();
  }

  /** What runs a command in a new session (as its process-group leader), where that is possible. */
  static List<String> sessionPrefix() {
    return HAVE_SETSID ? List.of("/usr/bin/setsid") : List.of();
  }

  /** Makes a long-lived child of ours (a fork server) die with the orchestrator, as hooks do. */
  static void track(Process process) {
    installShutdownHook();
    LIVE.add(process);
  }

  static void untrack(Process process) {
    LIVE.remove(process);
  }

  /**
   * Kills the process group led by {@code pid} and the process itself (which may not lead its
   * group yet); blocking. For processes that are not our children: a fork server's.
   */
  static void killGroupAndProcess(long pid) {
    try {
      new ProcessBuilder("kill", "-KILL", "--", "-" + pid, Long.toString(pid))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // nothing more we can do
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Kills a process, its descendants and its process group. */
  public static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    killGroup(process.pid());
    process.destroyForcibly();
  }

  private static void killGroup(long pgid) {
    if (!HAVE_SETSID) {
      return;
    }
    try {
      // Java has no killpg; kill(1) does it. Harmless when the group is already empty.
      new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // nothing more we can do
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void installShutdownHook() {
    if (HOOKED.compareAndSet(false, true)) {
      // Ctrl-C or SIGTERM on the orchestrator must not leave backends running behind it.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Subprocess::killTree),
          "orchestrate-kill-children"));
    }
  }

  /** Number of children started by this JVM that are still running. */
  public static int liveCount() {
    return LIVE.size();
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 6 -> " (SIGABRT)";
      case 9 -> " (SIGKILL)";
      case 11 -> " (SIGSEGV)";
      case 15 -> " (SIGTERM)";
      default -> "";
    };
  }
}
