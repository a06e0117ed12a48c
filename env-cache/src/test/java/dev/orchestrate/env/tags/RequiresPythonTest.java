package dev.orchestrate.env.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.pep440.Version;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requires-Python against the interpreter's major.minor.micro, as pip checks it. */
class RequiresPythonTest {

  @ParameterizedTest(name = "{0} with {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      >=3.8                | 3.11.7 | true
      >=3.12               | 3.11.7 | false
      '>=3.8, <4'          | 3.11.7 | true
      '>=3.7,!=3.11.*'     | 3.11.7 | false
      '!=3.11.7'           | 3.11.7 | false
      ==3.11.*             | 3.11.7 | true
      ==3.11               | 3.11.7 | false
      ~=3.10               | 3.11.7 | true
      ~=3.10.0             | 3.11.7 | false
      '>=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*' | 3.11.7 | true
      <3.11.7              | 3.11.7 | false
      >3.11                | 3.11.7 | true
      >=3.13.0b1           | 3.13.0 | true
      ''                   | 3.11.7 | true
      '   '                | 3.11.7 | true
      '>=3.6.*'            | 3.11.7 | true
      'not a specifier'    | 3.11.7 | true
      """)
  void checksLikePip(String specifier, String python, boolean allowed) {
    assertEquals(allowed, RequiresPython.check(specifier, Version.parse(python)));
  }

  @Test
  void usesTheInterpretersVersionInfoWithoutItsPreReleasePart() {
    var rc = SupportedTagsTest.interpreter(List.of(), List.of(3, 13, 0));
    assertEquals(Version.parse("3.13.0"), RequiresPython.pythonVersion(rc));
    assertTrue(RequiresPython.check(">=3.13", rc));
    var info = SupportedTagsTest.interpreter(List.of(), List.of(3, 11, 7));
    assertTrue(RequiresPython.check(Optional.empty(), info));
    assertEquals(false, RequiresPython.check(Optional.of(">=3.12"), info));
    assertTrue(RequiresPython.parse("not valid").isEmpty());
  }
}
