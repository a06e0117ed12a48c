package dev.orchestrate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Backend text cleaned to what a terminal would have kept, without a single control code. */
class ControlCodesTest {
  @Test
  void colourSequencesGoWholeNotJustTheirEscapeByte() {
    assertEquals("warning: red", ControlCodes.clean("\u001b[1;31mwarning\u001b[0m: red"));
    assertEquals("256 colours", ControlCodes.clean("\u001b[38;5;208m256 colours\u001b[m"));
    assertEquals("c1 csi", ControlCodes.clean("\u009b31mc1 csi"));
  }

  @Test
  void aProgressBarRedrawnWithCarriageReturnsShowsItsLastState() {
    assertEquals("[####] 100%", ControlCodes.clean("[    ]  0%\r[##  ] 50%\r[####] 100%"));
    // A Windows line end is not a redraw.
    assertEquals("line", ControlCodes.clean("line\r"));
  }

  @Test
  void titlesHyperlinksAndOtherSequencesGo() {
    assertEquals("title set", ControlCodes.clean("\u001b]0;window title\u0007title set"));
    assertEquals("link", ControlCodes.clean("\u001b]8;;https://x.test\u001b\\link\u001b]8;;\u001b\\"));
    assertEquals("charset", ControlCodes.clean("\u001b(Bcharset"));
    assertEquals("saved", ControlCodes.clean("\u001b7saved\u001b8"));
    assertEquals("up done", ControlCodes.clean("up\u001b[1A done\u001b[2K"));
  }

  @Test
  void otherControlsGoTabsStayBackspaceErases() {
    assertEquals("bell\ttab", ControlCodes.clean("bell\u0007\ttab\u0000\u007f"));
    assertEquals("xy", ControlCodes.clean("xz\by"));
    assertEquals("a dangling escape ", ControlCodes.clean("a dangling escape \u001b"));
  }

  @Test
  void plainTextIsReturnedAsItIs() {
    String text = "plain text, ünïcode and \ufffd replacement";
    assertSame(text, ControlCodes.clean(text));
    assertFalse(ControlCodes.needsCleaning(text));
  }
}
