package dev.orchestrate.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A tiny terminal for tests: replays what a program wrote (text, {@code \r}, {@code \n},
 * cursor-up, erase-below, erase-line, colours) and gives the screen a person is left looking
 * at, colours dropped. Anything else the live view might emit fails the replay, which keeps the
 * view to sequences every terminal understands.
 */
public final class ScreenReplay {
  private final List<StringBuilder> rows = new ArrayList<>();
  private int row;
  private int col;
  private int frames;

  private ScreenReplay() {
    rows.add(new StringBuilder());
  }

  /** The final screen of {@code output}, one string per row, trailing blanks trimmed. */
  public static String screen(String output) {
    ScreenReplay t = new ScreenReplay();
    t.feed(output);
    StringBuilder sb = new StringBuilder();
    for (StringBuilder r : t.rows) {
      sb.append(r.toString().stripTrailing()).append('\n');
    }
    return sb.toString().replaceAll("\n+$", "\n");
  }

  /** How many times the output erased its status area to draw it again. */
  public static int redraws(String output) {
    ScreenReplay t = new ScreenReplay();
    t.feed(output);
    return t.frames;
  }

  private void feed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u001b') {
        if (i + 1 >= s.length() || s.charAt(i + 1) != '[') {
          throw new AssertionError("unexpected escape at " + i);
        }
        int end = i + 2;
        while (end < s.length() && !Character.isLetter(s.charAt(end))) {
          end++;
        }
        String params = s.substring(i + 2, end);
        char command = s.charAt(end);
        apply(command, params);
        i = end;
      } else if (c == '\r') {
        col = 0;
      } else if (c == '\n') {
        row++;
        col = 0;
        while (rows.size() <= row) {
          rows.add(new StringBuilder());
        }
      } else {
        StringBuilder r = rows.get(row);
        while (r.length() < col) {
          r.append(' ');
        }
        if (col < r.length()) {
          r.setCharAt(col, c);
        } else {
          r.append(c);
        }
        col++;
      }
    }
  }

  private void apply(char command, String params) {
    switch (command) {
      case 'm' -> { } // colours
      case 'A' -> {
        row = Math.max(0, row - (params.isEmpty() ? 1 : Integer.parseInt(params)));
      }
      case 'J' -> {
        frames++;
        StringBuilder r = rows.get(row);
        r.setLength(Math.min(r.length(), col));
        while (rows.size() > row + 1) {
          rows.remove(rows.size() - 1);
        }
      }
      case 'K' -> {
        StringBuilder r = rows.get(row);
        r.setLength(Math.min(r.length(), col));
      }
      case 'l', 'h' -> {
        if (!params.equals("?25")) {
          throw new AssertionError("unexpected mode " + params + command);
        }
      }
      default -> throw new AssertionError("unexpected control sequence ESC[" + params + command);
    }
  }
}
