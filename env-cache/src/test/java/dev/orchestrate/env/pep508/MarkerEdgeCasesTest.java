package dev.orchestrate.env.pep508;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Markers where string and version semantics meet: {@code in}/{@code not in} (substring tests,
 * case-sensitive), {@code python_full_version} against pre-releases, local versions and
 * prefixes, and {@code extra} (normalised names, empty when no extra is asked for). Every
 * expectation is what packaging 26.2's {@code Marker(m).evaluate(env)} answers on
 * {@link MarkerTest#BASE} (CPython 3.11.7 on x86_64 Linux) with the given overrides.
 */
class MarkerEdgeCasesTest {

  static Stream<Arguments> evaluation() {
    return Stream.of(
        Arguments.of("'3.11' in python_full_version", Map.of(), true),
        Arguments.of("'3.11.7' not in python_full_version", Map.of(), false),
        Arguments.of("python_full_version > '3.11'", Map.of(), true),
        Arguments.of("python_full_version == '3.11.*'", Map.of(), true),
        Arguments.of("python_full_version == '3.11'", Map.of(), false),
        Arguments.of("python_full_version < '3.11.7'", Map.of("python_full_version", "3.11.7+local"), false),
        Arguments.of("python_full_version <= '3.11.7'", Map.of("python_full_version", "3.11.7+local"), true),
        Arguments.of("python_full_version >= '3.12.0b1'", Map.of("python_full_version", "3.12.0a7"), false),
        Arguments.of("platform_machine in 'x86_64 aarch64'", Map.of(), true),
        Arguments.of("platform_machine not in 'aarch64 arm64'", Map.of(), true),
        Arguments.of("'x86' in platform_machine", Map.of(), true),
        Arguments.of("'X86' in platform_machine", Map.of(), false),
        Arguments.of("'86_6' not in platform_machine", Map.of(), false),
        Arguments.of("python_version in '3.1'", Map.of(), false),
        Arguments.of("python_version not in '3.1'", Map.of(), true),
        Arguments.of("extra == 'Foo_Bar'", Map.of("extra", "foo-bar"), true),
        Arguments.of("extra == 'foo'", Map.of("extra", ""), false),
        Arguments.of("extra != 'foo'", Map.of("extra", ""), true),
        Arguments.of("extra == 'foo' and python_version >= '3'", Map.of("extra", "foo"), true),
        Arguments.of("(extra == 'a' or extra == 'b') and sys_platform == 'linux'", Map.of("extra", "b"), true),
        Arguments.of("extra in 'foo bar'", Map.of("extra", "foo"), true));
  }

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
  @MethodSource("evaluation")
  void evaluatesLikePackaging(String marker, Map<String, String> overrides, boolean expected) {
    Map<String, String> env = new HashMap<>(MarkerTest.BASE);
    env.putAll(overrides);
    assertEquals(expected, Marker.parse(marker).evaluate(env), marker + " " + overrides);
  }
}
