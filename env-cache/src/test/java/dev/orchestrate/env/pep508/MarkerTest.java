package dev.orchestrate.env.pep508;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PEP 508 environment markers: parsing, canonical printing and evaluation. The evaluation table
 * was cross-checked against {@code packaging} 26.2; deliberate differences are tested separately.
 */
class MarkerTest {

    private static Arguments row(Object... values) {
        return Arguments.of(values);
    }

    /** A CPython 3.11 on Debian Linux, as the interpreter shim would report it. */
    static final Map<String, String> BASE = Map.ofEntries(
            Map.entry("implementation_name", "cpython"),
            Map.entry("implementation_version", "3.11.7"),
            Map.entry("os_name", "posix"),
            Map.entry("platform_machine", "x86_64"),
            Map.entry("platform_python_implementation", "CPython"),
            Map.entry("platform_release", "6.1.0-18-amd64"),
            Map.entry("platform_system", "Linux"),
            Map.entry("platform_version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"),
            Map.entry("python_full_version", "3.11.7"),
            Map.entry("python_version", "3.11"),
            Map.entry("sys_platform", "linux"));

    private static Map<String, String> env(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(BASE);
        env.putAll(overrides);
        return env;
    }

    // ---- canonical printing ----

    static Stream<Arguments> canonical() {
        return Stream.of(
                row("python_version>='3.8'", "python_version >= \"3.8\""),
                row("  python_version  >=  \"3.8\"  ", "python_version >= \"3.8\""),
                row("python_version\t>=\t'3.8'", "python_version >= \"3.8\""),
                row("python_version>=\"3.8\"and os_name=='posix'", "python_version >= \"3.8\" and os_name == \"posix\""),
                row("os_name=='a'or os_name=='b'", "os_name == \"a\" or os_name == \"b\""),
                row("(python_version >= \"3.8\")", "python_version >= \"3.8\""),
                row("((os_name == 'a'))", "os_name == \"a\""),
                row("( os_name == 'a' )", "os_name == \"a\""),
                row("(os_name=='a' and os_name=='b') and os_name=='c'",
                        "os_name == \"a\" and os_name == \"b\" and os_name == \"c\""),
                row("os_name=='a' or (os_name=='b' or os_name=='c')",
                        "os_name == \"a\" or os_name == \"b\" or os_name == \"c\""),
                row("(os_name=='a' and os_name=='b') or os_name=='c'",
                        "os_name == \"a\" and os_name == \"b\" or os_name == \"c\""),
                row("os_name=='a' and os_name=='b' or os_name=='c'",
                        "os_name == \"a\" and os_name == \"b\" or os_name == \"c\""),
                row("os_name=='a' and (os_name=='b' or os_name=='c')",
                        "os_name == \"a\" and (os_name == \"b\" or os_name == \"c\")"),
                row("os_name=='a' or os_name=='b' and os_name=='c'",
                        "os_name == \"a\" or os_name == \"b\" and os_name == \"c\""),
                row("(os_name=='a' or os_name=='b') and os_name=='c'",
                        "(os_name == \"a\" or os_name == \"b\") and os_name == \"c\""),
                row("(os_name=='a' or os_name=='b') and (os_name=='c' or os_name=='d')",
                        "(os_name == \"a\" or os_name == \"b\") and (os_name == \"c\" or os_name == \"d\")"),
                row("os.name == 'posix'", "os_name == \"posix\""),
                row("sys.platform == 'linux'", "sys_platform == \"linux\""),
                row("platform.version=='#1' and platform.machine=='x86_64'",
                        "platform_version == \"#1\" and platform_machine == \"x86_64\""),
                row("python_implementation=='CPython'", "platform_python_implementation == \"CPython\""),
                row("platform.python_implementation=='CPython'", "platform_python_implementation == \"CPython\""),
                row("'linux' in sys_platform", "\"linux\" in sys_platform"),
                row("sys_platform not   in 'win32'", "sys_platform not in \"win32\""),
                row("'win'in sys_platform", "\"win\" in sys_platform"),
                row("extra == 'Test_Extra'", "extra == \"test-extra\""),
                row("'Foo.Bar' == extra", "\"foo-bar\" == extra"),
                row("platform_version == 'say \"hi\"'", "platform_version == 'say \"hi\"'"),
                row("platform_version == \"it's\"", "platform_version == \"it's\""),
                row("python_version === '3.11'", "python_version === \"3.11\""),
                row("python_version ~= '3.8'", "python_version ~= \"3.8\""),
                row("'3.8' <= python_version", "\"3.8\" <= python_version"),
                row("implementation_name=='cpython' and implementation_version>='3.8' and platform_release>='5'"
                        + " and platform_system=='Linux' and python_full_version<'4'",
                        "implementation_name == \"cpython\" and implementation_version >= \"3.8\""
                                + " and platform_release >= \"5\" and platform_system == \"Linux\""
                                + " and python_full_version < \"4\""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("canonical")
    void printsCanonically(String input, String expected) {
        Marker m = Marker.parse(input);
        assertEquals(expected, m.toString());
        // The canonical form is a fixed point and denotes the same marker.
        assertEquals(expected, Marker.parse(expected).toString());
        assertEquals(m, Marker.parse(expected));
        assertEquals(m.hashCode(), Marker.parse(expected).hashCode());
    }

    @Test
    void differentMarkersAreNotEqual() {
        assertNotEquals(Marker.parse("os_name == 'a'"), Marker.parse("os_name == 'b'"));
        assertNotEquals(Marker.parse("os_name == 'a' or os_name == 'b' and os_name == 'c'"),
                Marker.parse("(os_name == 'a' or os_name == 'b') and os_name == 'c'"));
    }

    // ---- syntax errors ----

    static Stream<Arguments> invalid() {
        return Stream.of(
                row("", "Expected a marker variable or quoted string", 0, 0),
                row("python_version", "Expected marker operator", 14, 14),
                row("python_version >=", "Expected a marker variable or quoted string", 17, 17),
                row("python_version >= 3.8", "Expected a marker variable or quoted string", 18, 18),
                row("foo == 'x'", "Unknown marker variable 'foo'", 0, 3),
                row("'x' == python_versions", "Unknown marker variable 'python_versions'", 7, 22),
                row("extras == 'x'", "Unknown marker variable 'extras'", 0, 6),
                row("dependency_groups == 'x'", "Unknown marker variable 'dependency_groups'", 0, 17),
                row("platform.release == '1'", "Unknown marker variable 'platform.release'", 0, 16),
                row("platform.system == 'Linux'", "Unknown marker variable 'platform.system'", 0, 15),
                row("python_version >= '3", "Unterminated string", 18, 20),
                row("os_name == \"a'", "Unterminated string", 11, 14),
                row("os_name == 'a' and", "Expected a marker variable or quoted string", 18, 18),
                row("os_name == 'a' and or os_name == 'b'", "Expected a marker variable or quoted string", 19, 19),
                row("(os_name == 'a'", "Expected matching ')' for '('", 0, 15),
                row("os_name == 'a')", "Expected end of marker expression", 14, 14),
                row("os_name = 'a'", "Expected marker operator", 8, 8),
                row("os_name not 'a'", "Expected 'in' after 'not'", 12, 12),
                row("os_name notin 'a'", "Expected marker operator", 8, 8),
                row("os_name not\tinx 'a'", "Expected 'in' after 'not'", 12, 12),
                row("os_name == 'a' xor os_name == 'b'", "Expected end of marker expression", 15, 15),
                row("os_name\n== 'a'", "Expected marker operator", 7, 7),
                row("python_version >= '3.8';", "Expected end of marker expression", 23, 23),
                row("()", "Expected a marker variable or quoted string", 1, 1),
                row("in 'x'", "Expected a marker variable or quoted string", 0, 0),
                row("os_name == 'a' andos_name == 'b'", "Expected end of marker expression", 15, 15));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsInvalidWithPosition(String input, String reason, int spanStart, int position) {
        InvalidMarkerException e = assertThrows(InvalidMarkerException.class, () -> Marker.parse(input));
        assertTrue(e.reason().startsWith(reason), e.reason());
        assertEquals(spanStart, e.spanStart(), "span start");
        assertEquals(position, e.position(), "position");
        assertEquals(input, e.input());
        if (!input.contains("\n")) {
            String[] lines = e.getMessage().split("\n", -1);
            assertEquals(3, lines.length, e.getMessage());
            assertEquals(e.reason(), lines[0]);
            assertEquals("    " + input, lines[1]);
            assertEquals("    " + " ".repeat(spanStart) + "~".repeat(position - spanStart) + "^", lines[2]);
        }
        assertTrue(Marker.tryParse(input).isEmpty());
    }

    // ---- evaluation ----

    /** (marker, overrides of {@link #BASE}, expected) as packaging 26.2 evaluates them. */
    static Stream<Arguments> evaluation() {
        return Stream.of(
            row("python_version >= '3.10'", Map.of(), true),
            row("python_version >= '3.10'", Map.of("python_version", "3.9"), false),
            row("python_version < '3.10'", Map.of("python_version", "3.9"), true),
            row("python_version > '3.9'", Map.of(), true),
            row("python_version <= '3.9'", Map.of(), false),
            row("python_version == '3.11'", Map.of(), true),
            row("python_version == '3.11.0'", Map.of(), true),
            row("python_version != '3.11'", Map.of(), false),
            row("python_version == '3.*'", Map.of(), true),
            row("python_version == '3.1*'", Map.of(), false),
            row("python_version != '2.*'", Map.of(), true),
            row("python_version ~= '3.8'", Map.of(), true),
            row("python_version ~= '3.12'", Map.of(), false),
            row("python_version === '3.11'", Map.of(), true),
            row("python_version === '3.11.0'", Map.of(), false),
            row("python_version in '3.10 3.11'", Map.of(), true),
            row("python_version not in '3.10 3.11'", Map.of(), false),
            row("'3.11' == python_version", Map.of(), true),
            row("'3.9' < python_version", Map.of(), true),
            row("'3.12' < python_version", Map.of(), false),
            row("'3.1' in python_version", Map.of(), true),
            row("python_full_version >= '3.11.7'", Map.of(), true),
            row("python_full_version < '3.11.7'", Map.of(), false),
            row("python_full_version >= '3.13.0'", Map.of("python_full_version", "3.13.0+"), true),
            row("python_full_version >= '3.13.0a1'", Map.of("python_full_version", "3.13.0rc2"), true),
            row("python_full_version < '3.13'", Map.of("python_full_version", "3.13.0rc2"), false),
            row("python_full_version == '3.13.0rc2'", Map.of("python_full_version", "3.13.0rc2"), true),
            row("implementation_version >= '7.3'", Map.of("implementation_name", "pypy", "implementation_version", "7.3.13"), true),
            row("platform_release >= '6.0'", Map.of("platform_release", "6.1.0"), true),
            row("platform_release >= '6.0'", Map.of(), false),
            row("platform_release == '6.1.0-18-amd64'", Map.of(), true),
            row("platform_release < '7'", Map.of(), false),
            row("platform_release > '5'", Map.of(), false),
            row("platform_release in '6.1.0-18-amd64'", Map.of(), true),
            row("'amd64' in platform_release", Map.of(), true),
            row("os_name == 'posix'", Map.of(), true),
            row("os_name == 'nt'", Map.of(), false),
            row("os_name != 'nt'", Map.of(), true),
            row("os_name == 'POSIX'", Map.of(), false),
            row("os.name == 'posix'", Map.of(), true),
            row("sys_platform == 'linux'", Map.of(), true),
            row("sys.platform == 'linux'", Map.of(), true),
            row("'linux' in sys_platform", Map.of(), true),
            row("'lin' in sys_platform", Map.of(), true),
            row("sys_platform not in 'win32 cygwin'", Map.of(), true),
            row("sys_platform in 'win32 cygwin'", Map.of("sys_platform", "cygwin"), true),
            row("sys_platform == 'win32'", Map.of("sys_platform", "win32"), true),
            row("platform_machine == 'x86_64'", Map.of(), true),
            row("platform.machine == 'x86_64'", Map.of(), true),
            row("platform_machine in 'x86_64 X86_64 aarch64 AMD64'", Map.of(), true),
            row("platform_machine == 'arm64'", Map.of("platform_machine", "arm64"), true),
            row("platform_python_implementation == 'CPython'", Map.of(), true),
            row("platform.python_implementation == 'CPython'", Map.of(), true),
            row("python_implementation == 'CPython'", Map.of(), true),
            row("python_implementation == 'PyPy'", Map.of(), false),
            row("implementation_name == 'cpython'", Map.of(), true),
            row("implementation_name == 'pypy'", Map.of(), false),
            row("platform_system == 'Linux'", Map.of(), true),
            row("platform_system != 'Windows'", Map.of(), true),
            row("platform_system == 'Darwin'", Map.of("platform_system", "Darwin"), true),
            row("'Debian' in platform_version", Map.of(), true),
            row("platform.version == '#1'", Map.of("platform_version", "#1"), true),
            row("platform_version == '2'", Map.of("platform_version", "2"), true),
            row("os_name >= 'posix'", Map.of(), true),
            row("os_name <= 'posix'", Map.of(), true),
            row("os_name > 'a'", Map.of(), false),
            row("os_name < 'z'", Map.of(), false),
            row("os_name >= 'a'", Map.of(), false),
            row("python_version >= '3.8' and os_name == 'posix'", Map.of(), true),
            row("python_version >= '3.8' and os_name == 'nt'", Map.of(), false),
            row("python_version < '3.8' or os_name == 'posix'", Map.of(), true),
            row("os_name=='a' or os_name=='b'", Map.of("os_name", "b"), true),
            row("os_name=='a' and os_name=='b' or os_name=='c'", Map.of("os_name", "c"), true),
            row("os_name=='a' and (os_name=='b' or os_name=='c')", Map.of("os_name", "c"), false),
            row("os_name=='a' or os_name=='b' and os_name=='c'", Map.of("os_name", "a"), true),
            row("(os_name=='a' or os_name=='b') and os_name=='c'", Map.of("os_name", "a"), false),
            row("python_version<'2.7' and platform_version=='2'", Map.of(), false),
            row("python_version == '2.7'", Map.of("python_version", "2.7"), true),
            row("extra == 'test'", Map.of(), false),
            row("extra == 'test'", Map.of("extra", "test"), true),
            row("extra == 'Test_Extra'", Map.of("extra", "test-extra"), true),
            row("extra == 'test.extra'", Map.of("extra", "Test_Extra"), true),
            row("extra != 'test'", Map.of(), true),
            row("'test' == extra", Map.of("extra", "TEST"), true),
            row("extra == 'doc' or extra == 'test'", Map.of("extra", "test"), true),
            row("python_version >= '3.8' and extra == 'test'", Map.of("extra", "test"), true),
            row("python_version > '3.11'", Map.of(), false),
            row("python_version > '3.10'", Map.of(), true),
            row("python_full_version > '3.11.7'", Map.of("python_full_version", "3.11.7.post1"), false),
            row("python_version >= '3.10' and python_version < '3.13'", Map.of(), true),
            row("python_version >= '3.10'", Map.of("python_version", "3.100"), true)
        );
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @MethodSource("evaluation")
    void evaluatesLikePackaging(String marker, Map<String, String> overrides, boolean expected) {
        assertEquals(expected, Marker.parse(marker).evaluate(env(overrides)));
    }

    @Test
    void versionComparisonIsNotStringComparison() {
        Marker m = Marker.parse("python_version >= \"3.10\"");
        assertFalse(m.evaluate(env(Map.of("python_version", "3.9"))));
        assertTrue(m.evaluate(env(Map.of("python_version", "3.11"))));
        assertTrue(m.evaluate(env(Map.of("python_version", "3.10"))));
        // "3.9" > "3.10" as strings; as versions it is the other way round.
        assertTrue("3.9".compareTo("3.10") > 0);
        assertTrue(Marker.parse("python_version < '3.10'").evaluate(env(Map.of("python_version", "3.9"))));
    }

    @Test
    void nonVersionValuesOfVersionTypedVariablesCompareAsStrings() {
        // platform_release is "6.1.0-18-amd64" in BASE: not a PEP 440 version, so "!=" is plain
        // string inequality (the spec's rule). packaging 26.2 returns False here instead.
        assertTrue(Marker.parse("platform_release != '6.0'").evaluate(BASE));
        assertFalse(Marker.parse("platform_release != '6.1.0-18-amd64'").evaluate(BASE));
        assertTrue(Marker.parse("platform_release <= '6.1.0-18-amd64'").evaluate(BASE));
        assertFalse(Marker.parse("platform_release < '7'").evaluate(BASE));
    }

    @Test
    void comparisonsBetweenTwoLiteralsOrTwoVariables() {
        // The grammar allows them; packaging fails with a KeyError, we evaluate them.
        assertTrue(Marker.parse("'a' == 'a'").evaluate(BASE));
        assertFalse(Marker.parse("'a' < 'b'").evaluate(BASE));
        assertTrue(Marker.parse("'b' in 'abc'").evaluate(BASE));
        assertTrue(Marker.parse("python_version == python_full_version")
                .evaluate(env(Map.of("python_version", "3.11", "python_full_version", "3.11.0"))));
    }

    @Test
    void extrasAreComparedNormalised() {
        Marker test = Marker.parse("extra == 'Test_Extra'");
        assertFalse(test.evaluate(BASE, Set.of()));
        assertTrue(test.evaluate(BASE, Set.of("test-extra")));
        assertTrue(test.evaluate(BASE, Set.of("TEST.EXTRA")));
        assertTrue(test.evaluate(BASE, Set.of("doc", "test__extra")));
        assertFalse(test.evaluate(BASE, Set.of("doc")));
        assertTrue(test.evaluate(env(Map.of("extra", "test_extra"))));
        assertFalse(test.evaluate(BASE));
    }

    @Test
    void extrasAreEvaluatedOneAtATimeLikePip() {
        Set<String> both = Set.of("doc", "test");
        assertFalse(Marker.parse("extra == 'doc' and extra == 'test'").evaluate(BASE, both));
        assertTrue(Marker.parse("extra == 'doc' or extra == 'test'").evaluate(BASE, both));
        assertTrue(Marker.parse("extra != 'doc'").evaluate(BASE, both));
        assertTrue(Marker.parse("extra != 'doc'").evaluate(BASE, Set.of()));
        assertFalse(Marker.parse("extra != 'doc'").evaluate(BASE, Set.of("doc")));
        assertTrue(Marker.parse("python_version >= '3' and extra == 'test'").evaluate(BASE, both));
        assertFalse(Marker.parse("python_version < '3' and extra == 'test'").evaluate(BASE, both));
        // Markers without "extra" do not depend on the requested extras.
        assertTrue(Marker.parse("os_name == 'posix'").evaluate(BASE, both));
    }

    @Test
    void legacyAliasesEvaluateLikeTheirCanonicalNames() {
        Map<String, String> e = env(Map.of("os_name", "nt", "sys_platform", "win32", "platform_version", "10.0.19045",
                "platform_machine", "AMD64", "platform_python_implementation", "PyPy"));
        assertTrue(Marker.parse("os.name == 'nt'").evaluate(e));
        assertTrue(Marker.parse("sys.platform == 'win32'").evaluate(e));
        assertTrue(Marker.parse("platform.version == '10.0.19045'").evaluate(e));
        assertTrue(Marker.parse("platform.machine == 'AMD64'").evaluate(e));
        assertTrue(Marker.parse("platform.python_implementation == 'PyPy'").evaluate(e));
        assertTrue(Marker.parse("python_implementation == 'PyPy'").evaluate(e));
    }

    @Test
    void missingVariablesAreErrorsEvenWhenTheResultIsDecidedElsewhere() {
        MarkerEvaluationException e = assertThrows(MarkerEvaluationException.class,
                () -> Marker.parse("python_version >= '3'").evaluate(Map.of()));
        assertTrue(e.getMessage().contains("python_version"), e.getMessage());
        Map<String, String> onlyOs = Map.of("os_name", "posix");
        assertThrows(MarkerEvaluationException.class,
                () -> Marker.parse("os_name == 'posix' or python_version >= '3'").evaluate(onlyOs));
        assertThrows(MarkerEvaluationException.class,
                () -> Marker.parse("os_name == 'nt' and python_version >= '3'").evaluate(onlyOs));
        // "extra" needs no entry: it defaults to the empty string.
        assertFalse(Marker.parse("extra == 'x'").evaluate(Map.of()));
    }

    @Test
    void undefinedComparisonsAreErrors() {
        for (String m : List.of("'dog' ~= 'fred'", "python_version ~= 'surprise'", "os_name ~= 'posix'",
                "os_name === 'posix'", "python_version ~= '3'", "platform_release ~= '6.1'")) {
            MarkerEvaluationException e =
                    assertThrows(MarkerEvaluationException.class, () -> Marker.parse(m).evaluate(BASE), m);
            assertTrue(e.getMessage().contains("Undefined comparison"), e.getMessage());
        }
        // === is defined for the version-typed variables: arbitrary (string) equality.
        assertTrue(Marker.parse("platform_release === '6.1.0-18-AMD64'").evaluate(BASE));
    }

    @Test
    void untaggedPythonBuildsStillCompareAsVersions() {
        Map<String, String> e = env(Map.of("python_full_version", "3.13.0+"));
        assertTrue(Marker.parse("python_full_version >= '3.13'").evaluate(e));
        assertFalse(Marker.parse("python_full_version < '3.13'").evaluate(e));
    }

    @Test
    void preReleaseInterpretersMatchPreReleaseBounds() {
        Map<String, String> rc = env(Map.of("python_full_version", "3.13.0rc2", "python_version", "3.13"));
        assertTrue(Marker.parse("python_full_version >= '3.13.0rc1'").evaluate(rc));
        assertFalse(Marker.parse("python_full_version >= '3.13.0'").evaluate(rc));
        assertTrue(Marker.parse("python_version >= '3.13'").evaluate(rc));
    }

    @Test
    void precedenceFollowsTheSpecExamples() {
        // a and b or c == (a and b) or c; a or b and c == a or (b and c)
        String[] values = {"a", "b", "c", "d"};
        for (String v : values) {
            Map<String, String> e = env(Map.of("os_name", v));
            boolean a = v.equals("a");
            boolean b = v.equals("b");
            boolean c = v.equals("c");
            assertEquals((a && b) || c, Marker.parse("os_name=='a' and os_name=='b' or os_name=='c'").evaluate(e));
            assertEquals(a && (b || c), Marker.parse("os_name=='a' and (os_name=='b' or os_name=='c')").evaluate(e));
            assertEquals(a || (b && c), Marker.parse("os_name=='a' or os_name=='b' and os_name=='c'").evaluate(e));
            assertEquals((a || b) && c, Marker.parse("(os_name=='a' or os_name=='b') and os_name=='c'").evaluate(e));
        }
    }

    // ---- structure helpers ----

    @Test
    void reportsTheVariablesItReads() {
        Marker m = Marker.parse("python_version >= '3' and (os.name == 'nt' or 'x' in platform_version) or extra == 'a'");
        assertEquals(Set.of(MarkerVariable.PYTHON_VERSION, MarkerVariable.OS_NAME, MarkerVariable.PLATFORM_VERSION,
                MarkerVariable.EXTRA), m.variables());
    }

    @Test
    void combinesMarkers() {
        Marker a = Marker.parse("python_version >= '3.8'");
        Marker bc = Marker.parse("os_name == 'nt' or os_name == 'posix'");
        assertEquals("python_version >= \"3.8\" and (os_name == \"nt\" or os_name == \"posix\")", a.and(bc).toString());
        assertEquals("python_version >= \"3.8\" or os_name == \"nt\" or os_name == \"posix\"", a.or(bc).toString());
        assertEquals(Marker.parse(a.and(bc).toString()), a.and(bc));
        assertTrue(a.and(bc).evaluate(BASE));
    }

    @Test
    void markerEnvironmentListsExactlyTheInterpreterKeys() {
        assertEquals(11, MarkerEnvironment.KEYS.size());
        assertFalse(MarkerEnvironment.KEYS.contains("extra"));
        for (MarkerVariable v : MarkerVariable.values()) {
            assertEquals(v != MarkerVariable.EXTRA, MarkerEnvironment.KEYS.contains(v.key()), v.key());
        }
        MarkerEnvironment env = MarkerEnvironment.of(BASE);
        assertEquals(BASE, env.values());
        assertEquals("3.11", env.get("python_version").orElseThrow());
        assertTrue(Marker.parse("python_version >= '3.10' and sys_platform == 'linux'").evaluate(env));
        assertTrue(Marker.parse("extra == 'test'").evaluate(env, Set.of("test")));
        Map<String, String> partial = new HashMap<>(BASE);
        partial.remove("platform_release");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MarkerEnvironment.of(partial));
        assertTrue(e.getMessage().contains("platform_release"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> env.values().put("x", "y"));
    }

    @Test
    void variablesKnowTheirTypesAndAliases() {
        assertEquals(MarkerVariable.PLATFORM_PYTHON_IMPLEMENTATION, MarkerVariable.fromName("python_implementation").orElseThrow());
        assertEquals(MarkerVariable.OS_NAME, MarkerVariable.fromName("os.name").orElseThrow());
        assertTrue(MarkerVariable.fromName("platform.release").isEmpty());
        assertTrue(MarkerVariable.PYTHON_VERSION.isVersionLike());
        assertTrue(MarkerVariable.PLATFORM_RELEASE.isVersionLike());
        assertFalse(MarkerVariable.PLATFORM_VERSION.isVersionLike());
        assertEquals(MarkerVariable.Type.VERSION_OR_STRING, MarkerVariable.PLATFORM_RELEASE.type());
    }
}
