package dev.orchestrate.report;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Where progress lines go. A plain screen writes each line once, stamped with the time since
 * the run started; a live screen also keeps a status area at the bottom and redraws it, the
 * lines scrolling above it; a silent screen drops them. Lines are whole: output is never
 * interleaved mid-line.
 */
public abstract class Screen {
  /** Writes whole lines; called with the lines of one print, so a block stays together. */
  public abstract void lines(List<String> lines);

  /** Replaces the status area (live screens only). */
  public void status(List<String> lines) {}

  /** Clears the status area for good; later output is plain text. */
  public void close() {}

  /**
   * A stream for code that prints (such as {@link ConsoleReporter}): its output is cut into
   * whole lines and handed to {@link #lines}; a line without its newline waits for it.
   */
  public PrintStream stream() {
    return new PrintStream(new LineCollector(this), true, StandardCharsets.UTF_8);
  }

  static Screen silent() {
    return new Screen() {
      @Override
      public void lines(List<String> lines) {}
    };
  }

  /**
   * Line per event, {@code [mm:ss.s]} first; no control codes unless colour is asked for. Every
   * line is cleaned of control codes before it is styled: backend text (tracebacks, hints that
   * quote output) reaches it through several paths, and none may move the cursor of a CI log.
   */
  static Screen plain(PrintStream out, Style style, LongSupplier elapsedMillis) {
    return new Screen() {
      @Override
      public synchronized void lines(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        String stamp = style.dim(stamp(elapsedMillis.getAsLong()));
        for (String line : lines) {
          sb.append(stamp).append(' ').append(style.line(ControlCodes.clean(line))).append('\n');
        }
        out.print(sb);
        out.flush();
      }
    };
  }

  /** {@code [mm:ss.s]}, or {@code [h:mm:ss]} past an hour. */
  static String stamp(long millis) {
    long tenths = millis / 100;
    long seconds = tenths / 10;
    if (seconds >= 3600) {
      return String.format("[%d:%02d:%02d]", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    }
    return String.format("[%02d:%02d.%d]", seconds / 60, seconds % 60, tenths % 10);
  }

  /**
   * A status area of a few lines at the bottom of a terminal. To print lines above it: move to
   * its first line, erase to the end of the screen, print, draw the area again. Only {@code \r},
   * cursor-up, erase-below and SGR colours are used, so that any VT100-like terminal copes.
   */
  static Screen live(PrintStream out, Style style, int width) {
    return new Screen() {
      private List<String> status = List.of();
      private int drawn;
      private boolean closed;
      private boolean cursorHidden;

      @Override
      public synchronized void lines(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        erase(sb);
        for (String line : lines) {
          sb.append(style.line(ControlCodes.clean(line))).append('\n');
        }
        draw(sb);
        write(sb);
      }

      @Override
      public synchronized void status(List<String> lines) {
        if (closed || lines.equals(status) && drawn == lines.size()) {
          return;
        }
        status = List.copyOf(lines);
        StringBuilder sb = new StringBuilder();
        erase(sb);
        draw(sb);
        write(sb);
      }

      @Override
      public synchronized void close() {
        if (closed) {
          return;
        }
        StringBuilder sb = new StringBuilder();
        erase(sb);
        if (cursorHidden) {
          sb.append("\u001b[?25h"); // cursor back on
        }
        write(sb);
        closed = true;
        status = List.of();
      }

      private void erase(StringBuilder sb) {
        if (drawn > 0) {
          sb.append('\r');
          if (drawn > 1) {
            sb.append("\u001b[").append(drawn - 1).append('A');
          }
          sb.append("\u001b[J");
          drawn = 0;
        }
      }

      private void draw(StringBuilder sb) {
        if (closed || status.isEmpty()) {
          return;
        }
        if (!cursorHidden) {
          sb.append("\u001b[?25l"); // no cursor blinking over the area
          cursorHidden = true;
        }
        for (int i = 0; i < status.size(); i++) {
          // Cut to the width: a wrapped line would take two rows and break the erase.
          sb.append(Style.fit(status.get(i), Math.max(10, width - 1)));
          if (i < status.size() - 1) {
            sb.append('\n');
          }
        }
        drawn = status.size();
      }

      private void write(StringBuilder sb) {
        out.print(sb);
        out.flush();
      }
    };
  }

  /** Bytes in, whole lines out. */
  private static final class LineCollector extends OutputStream {
    private final Screen screen;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineCollector(Screen screen) {
      this.screen = screen;
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      List<String> lines = new ArrayList<>();
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          lines.add(pending.toString(StandardCharsets.UTF_8));
          pending.reset();
        } else {
          pending.write(b[i]);
        }
      }
      if (!lines.isEmpty()) {
        screen.lines(lines);
      }
    }
  }
}
