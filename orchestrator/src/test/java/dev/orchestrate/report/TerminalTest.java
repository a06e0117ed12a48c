package dev.orchestrate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the output is live and coloured: the terminal, TERM, NO_COLOR and the options decide. */
class TerminalTest {
  private static Presentation with(Presentation.Color color, Presentation.Progress progress, boolean quiet) {
    return new Presentation(color, progress, quiet, Optional.empty(), Optional.empty());
  }

  private static final Presentation AUTO = Presentation.defaults();
  private static final Map<String, String> XTERM = Map.of("TERM", "xterm-256color", "COLUMNS", "120");

  @Test
  void anInteractiveTerminalGetsTheLiveViewInColour() {
    Terminal t = Terminal.detect(AUTO, XTERM, true);
    assertTrue(t.live());
    assertTrue(t.color());
    assertEquals(120, t.width());
  }

  @Test
  void aPipeOrFileGetsPlainLinesWithoutColour() {
    Terminal t = Terminal.detect(AUTO, XTERM, false);
    assertFalse(t.live());
    assertFalse(t.color());
  }

  @Test
  void aDumbTerminalOrNoTermIsNotInteractive() {
    assertFalse(Terminal.detect(AUTO, Map.of("TERM", "dumb"), true).live());
    assertFalse(Terminal.detect(AUTO, Map.of(), true).color());
  }

  @Test
  void noColorTurnsColourOffButAnExplicitColorAlwaysWins() {
    Map<String, String> env = Map.of("TERM", "xterm", "NO_COLOR", "1", "COLUMNS", "80");
    assertFalse(Terminal.detect(AUTO, env, true).color());
    assertTrue(Terminal.detect(AUTO, env, true).live(), "NO_COLOR is about colour, not the live view");
    assertTrue(Terminal.detect(with(Presentation.Color.ALWAYS, Presentation.Progress.AUTO, false), env, true).color());
    // An empty NO_COLOR does not count (no-color.org).
    assertTrue(Terminal.detect(AUTO, Map.of("TERM", "xterm", "NO_COLOR", "", "COLUMNS", "80"), true).color());
  }

  @Test
  void colorNeverAndProgressOverridesAreObeyed() {
    assertFalse(Terminal.detect(with(Presentation.Color.NEVER, Presentation.Progress.AUTO, false), XTERM, true).color());
    assertTrue(Terminal.detect(with(Presentation.Color.AUTO, Presentation.Progress.LIVE, false), XTERM, false).live());
    assertFalse(Terminal.detect(with(Presentation.Color.AUTO, Presentation.Progress.PLAIN, false), XTERM, true).live());
  }

  @Test
  void quietNeverDrawsALiveView() {
    assertFalse(Terminal.detect(with(Presentation.Color.AUTO, Presentation.Progress.LIVE, true), XTERM, true).live());
  }

  @Test
  void glyphsFollowTheLocale() {
    assertTrue(Terminal.detect(AUTO, Map.of("TERM", "xterm", "LANG", "en_US.UTF-8", "COLUMNS", "80"), true).unicode());
    assertFalse(Terminal.detect(AUTO, Map.of("TERM", "xterm", "LANG", "C", "COLUMNS", "80"), true).unicode());
  }
}
