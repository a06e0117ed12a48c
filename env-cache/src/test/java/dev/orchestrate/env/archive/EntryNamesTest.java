package dev.orchestrate.env.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Name normalisation on its own: what is accepted, what it becomes, what is refused. */
class EntryNamesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "pkg-1.0/PKG-INFO | pkg-1.0/PKG-INFO",
      "./pkg-1.0/src/ | pkg-1.0/src",
      "a/../b | b",
      "a//b/./c | a/b/c",
      "a/b/../../c | c",
      "./ | ''",
      ". | ''",
      "ab:c/d | ab:c/d",
      "..a/b.. | ..a/b.."})
  void accepted(String name, String expected) throws Refusal {
    List<String> segments = EntryNames.normalise(name);
    assertEquals(expected.isEmpty() ? List.of() : Arrays.asList(expected.split("/")), segments);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "..", "../x", "a/../../x", "/x", "//server/share", "C:x",
      "z:/x", "a\\b", "a/\0"})
  void refused(String name) {
    assertThrows(Refusal.class, () -> EntryNames.normalise(name));
  }

  @Test
  void quotingEscapesControlCharacters() {
    assertEquals("'a\\u001b[31mb\\u000a'", EntryNames.quote("a\u001b[31mb\n"));
    assertEquals("'données'", EntryNames.quote("données"));
  }
}
