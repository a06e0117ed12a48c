package dev.orchestrate.env.pep440;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The corners of PEP 440 matching where installers have differed: {@code ===}, prefix matching
 * against local versions, exclusive comparisons against pre-, post- and local releases of the
 * named version, and pre-releases named explicitly. Every expectation is what packaging 26.2
 * answers: by default {@code Specifier(s).contains(v, prereleases=bool(Specifier(s).prereleases))}
 * (PEP 440's default: pre-releases only when the clause names one; packaging's own default for a
 * single candidate admits a lone pre-release, a fallback that belongs to filtering a list, see
 * {@link #setsAllowPreReleasesNamedByAnyMember}), and {@code contains(v, prereleases=True)}.
 */
class SpecifierEdgeCasesTest {

  /** (specifier, candidate, by default, with pre-releases allowed). */
  static Stream<Arguments> contains() {
    return Stream.of(
        // === compares strings, case-insensitively, with no normalisation at all
        Arguments.of("===1.0", "1.0+local", false, false),
        Arguments.of("===1.0+local", "1.0+local", true, true),
        Arguments.of("===1.0", "1.0", true, true),
        Arguments.of("===1.0", "1.0.0", false, false),
        Arguments.of("===foo", "FOO", true, true),
        // prefix matching ignores the candidate's local version; pre-releases only when allowed
        Arguments.of("==1.0.*", "1.0+local", true, true),
        Arguments.of("==1.0.*", "1.0.1+abc", true, true),
        Arguments.of("!=1.0.*", "1.0+local", false, false),
        Arguments.of("==1.*", "1.0a1", false, true),
        Arguments.of("==1.0.*", "1.0rc1", false, true),
        // == without a local version ignores the candidate's; with one, it must match
        Arguments.of("==1.0+local", "1.0", false, false),
        Arguments.of("==1.0", "1.0+local", true, true),
        Arguments.of("==1.0+local", "1.0+local", true, true),
        Arguments.of("==1.0+Local", "1.0+local", true, true),
        Arguments.of("!=1.0", "1.0+local", false, false),
        Arguments.of("!=1.0+local", "1.0+other", true, true),
        // pre-releases when the clause names one, else only when allowed
        Arguments.of(">=1.0a1", "1.0a2", true, true),
        Arguments.of(">=1.0", "1.0a2", false, false),
        Arguments.of(">=1.0.dev0", "1.0a1", true, true),
        Arguments.of(">1.0", "1.1a1", false, true),
        // <V never admits pre-releases of V itself, unless V is one
        Arguments.of("<1.0", "1.0a1", false, false),
        Arguments.of("<1.0rc1", "1.0a1", true, true),
        // >V never admits post-releases (nor local versions) of V, unless V is a post-release
        Arguments.of(">1.0", "1.0.post1", false, false),
        Arguments.of(">1.0.post1", "1.0.post2", true, true),
        Arguments.of(">1.0", "1.0+local", false, false),
        Arguments.of("<=1.0", "1.0+local", true, true),
        Arguments.of("<1.0", "0.9+local", true, true),
        // ~= is >= V, == V-prefix
        Arguments.of("~=2.2", "2.3", true, true),
        Arguments.of("~=2.2", "3.0", false, false),
        Arguments.of("~=2.2.0", "2.2.5", true, true),
        Arguments.of("~=2.2.0", "2.3", false, false),
        Arguments.of("~=1.4.5a4", "1.4.5", true, true),
        Arguments.of("~=1.4.5a4", "1.4.6a1", true, true),
        Arguments.of("~=2.2.post3", "2.2.post4", true, true));
  }

  @ParameterizedTest(name = "[{index}] {1} in {0}: {2} / pre {3}")
  @MethodSource("contains")
  void matchesLikePackaging(String specifier, String candidate, boolean byDefault, boolean withPre) {
    if (specifier.startsWith("===")) { // the candidate need not be a valid version
      assertEquals(byDefault, SpecifierSet.parse(specifier).contains(candidate), specifier + " " + candidate);
      assertEquals(withPre, SpecifierSet.parse(specifier).contains(candidate, true), specifier + " " + candidate);
      return;
    }
    Specifier s = Specifier.parse(specifier);
    Version v = Version.parse(candidate);
    assertEquals(byDefault, s.contains(v), specifier + " " + candidate);
    assertEquals(withPre, s.contains(v, true), specifier + " " + candidate);
  }

  @ParameterizedTest
  @ValueSource(strings = {"~=1", "~=1.*", "~=1.0.*", "==1.0+local.*", ">=1.0.*", "<1.0+local", "== 1.0.*+x",
      "~=1.0+local"})
  void invalidLikeInPackaging(String specifier) {
    assertThrows(InvalidSpecifierException.class, () -> Specifier.parse(specifier));
  }

  /** A set allows pre-releases when any of its specifiers names one; filtering falls back to them. */
  @Test
  void setsAllowPreReleasesNamedByAnyMember() {
    assertEquals(true, SpecifierSet.parse(">=1.0,<2.0a1").contains("1.5a1"));
    assertEquals(true, SpecifierSet.parse(">=1.0a1,<2").contains("1.5a1"));
    assertEquals(false, SpecifierSet.parse(">=1.0a1,!=1.5a1").contains("1.5a1"));
    assertEquals(List.of(Version.parse("1.1a1"), Version.parse("1.2rc1")),
        SpecifierSet.parse(">=1.0").filter(List.of(Version.parse("1.1a1"), Version.parse("1.2rc1"))));
    assertEquals(List.of(Version.parse("1.0")),
        SpecifierSet.parse(">=1.0").filter(List.of(Version.parse("1.1a1"), Version.parse("1.0"))));
    assertEquals(List.of(Version.parse("1.1a1")), SpecifierSet.empty().filter(List.of(Version.parse("1.1a1"))));
  }
}
