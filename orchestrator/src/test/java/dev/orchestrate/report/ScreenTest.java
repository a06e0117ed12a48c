package dev.orchestrate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines reach the screen whole, above a redrawn status area that leaves nothing behind. */
class ScreenTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String written() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLiveScreenPrintsLinesAboveItsStatusAndClearsItAtTheEnd() {
    Screen screen = Screen.live(out, new Style(true), 40);
    screen.status(List.of("1/3 building", "  alpha  build_wheel"));
    PrintStream lines = screen.stream();
    lines.print("built    alpha\nFAILED   beta: build_wheel: boom\n");
    screen.status(List.of("2/3 building", "  gamma  build_sdist", "  delta  environment"));
    screen.status(List.of("2/3 building"));
    lines.print("skipped  delta: needs beta\n");
    screen.close();
    assertEquals("built    alpha\nFAILED   beta: build_wheel: boom\nskipped  delta: needs beta\n",
        ScreenReplay.screen(written()));
    assertTrue(ScreenReplay.redraws(written()) >= 4, written());
    assertTrue(written().endsWith("\u001b[?25h"), "the cursor is shown again");
  }

  @Test
  void statusLinesAreCutToTheWidthSoThatTheyNeverWrap() {
    Screen screen = Screen.live(out, Style.NONE, 20);
    screen.status(List.of("a very long status line that would wrap", "short"));
    String screenText = ScreenReplay.screen(written());
    for (String row : screenText.split("\n")) {
      assertTrue(row.length() < 20, row);
    }
  }

  @Test
  void halfALineWaitsForItsEnd() {
    Screen screen = Screen.live(out, Style.NONE, 80);
    PrintStream lines = screen.stream();
    lines.print("built ");
    screen.status(List.of("status"));
    lines.print("alpha\n");
    screen.close();
    assertEquals("built alpha\n", ScreenReplay.screen(written()));
  }

  @Test
  void aPlainScreenStampsEachLineAndWritesNoControlCodes() {
    Screen screen = Screen.plain(out, Style.NONE, () -> 83_450);
    screen.status(List.of("never shown"));
    screen.stream().print("built    alpha\n         log: x\n");
    screen.close();
    assertEquals("[01:23.4] built    alpha\n[01:23.4]          log: x\n", written());
    assertFalse(written().contains("\u001b"));
  }

  @Test
  void stampsGoPastTheHour() {
    assertEquals("[00:00.0]", Screen.stamp(0));
    assertEquals("[59:59.9]", Screen.stamp(3_599_999));
    assertEquals("[1:00:00]", Screen.stamp(3_600_000));
  }
}
