package dev.orchestrate.report;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code -vv}: the backends' output as it is written, each line prefixed with its package. Hooks
 * write straight into per-hook log files ({@code logs/PACKAGE/NN-HOOK.log}), so this follows
 * those files: every few hundred milliseconds, on a worker thread, it reads what was added to
 * the logs of the packages that are building and hands on the whole lines; a line still being
 * written waits for its newline (or for its package to end), so lines never mix.
 */
final class LogStreamer {
  static final long PERIOD_MILLIS = 250;

  private final Vertx vertx;
  private final Path logs;
  private final Consumer<List<String>> sink;
  private final Set<String> watched = new LinkedHashSet<>();
  private final Set<String> ending = new LinkedHashSet<>();
  private final Map<Path, Tail> tails = new TreeMap<>();
  private boolean stopped;
  private long timer = -1;

  /** What was read of one log file so far. */
  private static final class Tail {
    long offset;
    final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  }

  LogStreamer(Vertx vertx, Path logs, Consumer<List<String>> sink) {
    this.vertx = vertx;
    this.logs = logs;
    this.sink = sink;
  }

  synchronized void watch(String member) {
    if (stopped) {
      return;
    }
    watched.add(member);
    ending.remove(member);
    if (timer < 0) {
      schedule();
    }
  }

  /** The package ended: read its logs once more, then stop following them. */
  synchronized void ended(String member) {
    if (watched.contains(member)) {
      ending.add(member);
    }
  }

  /** Reads everything left, partial last lines included. Blocking: call it off the event loop. */
  void stop() {
    List<String> members;
    synchronized (this) {
      stopped = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      members = List.copyOf(watched);
    }
    for (String member : members) {
      read(member, true);
    }
  }

  private void schedule() {
    // A timer per round rather than a periodic one: a slow disk never piles rounds up.
    timer = vertx.setTimer(PERIOD_MILLIS, id -> vertx.executeBlocking(() -> {
      round();
      return null;
    }, false).onComplete(ar -> {
      synchronized (this) {
        if (!stopped && !watched.isEmpty()) {
          schedule();
        } else {
          timer = -1;
        }
      }
    }));
  }

  private void round() {
    List<String> members;
    Set<String> finishing;
    synchronized (this) {
      if (stopped) {
        return;
      }
      members = List.copyOf(watched);
      finishing = Set.copyOf(ending);
    }
    for (String member : members) {
      boolean last = finishing.contains(member);
      read(member, last);
      if (last) {
        synchronized (this) {
          if (ending.remove(member)) {
            watched.remove(member);
          }
        }
      }
    }
  }

  private void read(String member, boolean flushPartial) {
    Path dir = logs.resolve(member);
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.log")) {
      entries.forEach(files::add);
    } catch (IOException e) {
      return;
    }
    files.sort(null);
    for (Path file : files) {
      Tail tail;
      synchronized (this) {
        tail = tails.computeIfAbsent(file, f -> new Tail());
      }
      List<String> lines = new ArrayList<>();
      synchronized (tail) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
          long length = raf.length();
          if (length > tail.offset) {
            byte[] chunk = new byte[(int) Math.min(length - tail.offset, 1 << 20)];
            raf.seek(tail.offset);
            raf.readFully(chunk);
            tail.offset += chunk.length;
            for (byte b : chunk) {
              if (b == '\n') {
                lines.add(line(member, tail.partial));
              } else {
                tail.partial.write(b);
              }
            }
          }
        } catch (IOException e) {
          continue;
        }
        if (flushPartial && tail.partial.size() > 0) {
          lines.add(line(member, tail.partial));
        }
      }
      if (!lines.isEmpty()) {
        sink.accept(lines);
      }
    }
  }

  private static String line(String member, ByteArrayOutputStream bytes) {
    // Logs hold whatever the backend wrote: undecodable bytes become U+FFFD; colours, cursor
    // moves and progress bars redrawn with \r become the text a terminal would have kept.
    String text = ControlCodes.clean(bytes.toString(StandardCharsets.UTF_8));
    bytes.reset();
    return member + " | " + text;
  }
}
