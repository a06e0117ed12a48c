package dev.orchestrate.env.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Named points in the making of store entries, where tests stop a process on purpose, so that
 * "killed while publishing" or "racing for one key" is tested at an exact step rather than after
 * a guessed delay. Inert unless the system property {@code orchestrate.test.points} is set.
 *
 * <p>The property is a comma-separated list of {@code NAME} or {@code NAME=ACTION}. On reaching a
 * listed point the process prints {@code test-point NAME} on stderr, then: {@code pause} (the
 * default) waits for a line on stdin (end of input also resumes it), so a test can kill it there
 * ({@code kill -9}) or let it go on; {@code announce} goes straight on.
 *
 * <p>Points: {@code bucket.<bucket>.lock-wait} (about to wait for an entry's key lock),
 * {@code bucket.<bucket>.staging} (staging directory made, nothing in it),
 * {@code bucket.<bucket>.made} (content written, before the rename), {@code bucket.<bucket>.published}
 * (renamed, key lock still held), where {@code <bucket>} is the store directory's name such as
 * {@code unpacked-v1}; {@code unpack.partial} (a wheel half extracted into staging);
 * {@code env.lock-wait} (about to wait for an environment's key lock), {@code env.staging}
 * (environment staging directory chosen), {@code env.installed} (packages installed in staging),
 * {@code env.metadata} (metadata written, before the rename), {@code env.published} (renamed,
 * key lock still held); {@code agent.checked.<member>} (a cluster agent has checked a task's tree
 * on a worker thread: the task is held there, not yet queued or building).
 */
public final class TestPoints {
  public static final String PROPERTY = "orchestrate.test.points";
  private static final Map<String, String> POINTS = parse(System.getProperty(PROPERTY, ""));
  private static BufferedReader stdin;

  private TestPoints() {}

  private static Map<String, String> parse(String spec) {
    Map<String, String> points = new HashMap<>();
    for (String item : spec.split(",")) {
      String s = item.strip();
      if (s.isEmpty()) {
        continue;
      }
      int eq = s.indexOf('=');
      points.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "pause" : s.substring(eq + 1));
    }
    return points;
  }

  /** Marks that this process reached {@code name}; stops here if a test asked for it. */
  public static void reach(String name) {
    if (POINTS.isEmpty()) {
      return; // the production path: one map lookup avoided
    }
    String action = POINTS.get(name);
    if (action == null) {
      return;
    }
    synchronized (TestPoints.class) {
      System.err.println("test-point " + name);
      System.err.flush();
      if (action.equals("pause")) {
        try {
          if (stdin == null) {
            stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          }
          stdin.readLine();
        } catch (IOException e) {
          // no stdin: go on
        }
      }
    }
  }
}
