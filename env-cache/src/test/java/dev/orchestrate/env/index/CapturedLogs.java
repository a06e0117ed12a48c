package dev.orchestrate.env.index;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Everything logged through java.util.logging (Vert.x and Netty log there when no other
 * backend is present) at every level, and everything printed to stdout and stderr, while open.
 */
final class CapturedLogs implements AutoCloseable {
  private static final List<String> NAMES = List.of("", "io.vertx", "io.netty", "dev.orchestrate");
  private final StringBuilder text = new StringBuilder();
  private final List<Level> previous = new ArrayList<>();
  private final Handler handler;
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  CapturedLogs() {
    handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        synchronized (text) {
          text.append(r.getLoggerName()).append(' ').append(r.getLevel()).append(' ')
              .append(r.getMessage()).append(' ');
          if (r.getParameters() != null) {
            for (Object p : r.getParameters()) {
              text.append(p).append(' ');
            }
          }
          if (r.getThrown() != null) {
            StringWriter w = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(w));
            text.append(w);
          }
          text.append('\n');
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    handler.setLevel(Level.ALL);
    for (String name : NAMES) {
      Logger logger = Logger.getLogger(name);
      previous.add(logger.getLevel());
      logger.setLevel(Level.ALL);
    }
    Logger.getLogger("").addHandler(handler);
    PrintStream tee = new PrintStream(printed, true, StandardCharsets.UTF_8);
    System.setOut(tee);
    System.setErr(tee);
  }

  /** What was logged and printed so far. */
  String text() {
    synchronized (text) {
      return text + printed.toString(StandardCharsets.UTF_8);
    }
  }

  /** How many log records arrived (to show the capture was live). */
  int length() {
    return text().length();
  }

  @Override
  public void close() {
    System.setOut(out);
    System.setErr(err);
    Logger.getLogger("").removeHandler(handler);
    for (int i = 0; i < NAMES.size(); i++) {
      Logger.getLogger(NAMES.get(i)).setLevel(previous.get(i));
    }
  }
}
