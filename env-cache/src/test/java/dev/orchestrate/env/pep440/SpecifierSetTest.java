package dev.orchestrate.env.pep440;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Comma-separated specifier sets: canonical printing, pre-release policy, {@code filter}, and the
 * spec's {@code ~=} expansions. Expectations were cross-checked against {@code packaging} 26.2.
 */
class SpecifierSetTest {

    private static Arguments row(Object... values) {
        return Arguments.of(values);
    }

    private static List<String> words(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(" "));
    }

    private static List<Version> versions(String s) {
        return words(s).stream().map(Version::parse).collect(Collectors.toList());
    }

    private static String print(List<Version> vs) {
        return vs.stream().map(Version::toString).collect(Collectors.joining(" "));
    }

    // ---- canonical printing ----

    static Stream<Arguments> canonical() {
        return Stream.of(
            row("", ""),
            row(" ", ""),
            row(",", ""),
            row(",,, ,", ""),
            row(">=1.0", ">=1.0"),
            row(">=1.0,<2", "<2,>=1.0"),
            row(" < 2 , >= 1.0 ,", "<2,>=1.0"),
            row("<2,>=1.0", "<2,>=1.0"),
            row(">=1.0,>=1.0", ">=1.0"),
            row(">=1.0, >= 1.0, >=v1.0", ">=1.0"),
            row("~=0.9, >=1.0, !=1.3.4.*, <2.0", "!=1.3.4.*,<2.0,>=1.0,~=0.9"),
            row("==1.0.*, ==1.0", "==1.0,==1.0.*"),
            row("===Foo,==1.0", "==1.0,===Foo"),
            row(">=1.0.0,>=1.0", ">=1.0,>=1.0.0"),
            row("!=1.0+Local,  ==1.0c1", "!=1.0+local,==1.0rc1"),
            row("\t>=1.0\t,\t<2\t", "<2,>=1.0"),
            row(">1.0-1", ">1.0.post1"),
            row("~=1.4.5-a4", "~=1.4.5a4"),
            row("==1.0,!=1.0", "!=1.0,==1.0")
        );
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
    @MethodSource("canonical")
    void printsCanonically(String input, String expected) {
        SpecifierSet set = SpecifierSet.parse(input);
        assertEquals(expected, set.toString());
        // The canonical form parses back to an equal set.
        assertEquals(set, SpecifierSet.parse(expected));
        assertEquals(set.hashCode(), SpecifierSet.parse(expected).hashCode());
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"1", "7", "99"})
    void orderAndWhitespaceDoNotMatter(long seed) {
        List<String> clauses = new ArrayList<>(List.of(">= 1.0", "!=1.3.*", "< 2.0", "~=1.1", "!= 1.5.2", "===1.7"));
        String reference = SpecifierSet.parse(String.join(",", clauses)).toString();
        Collections.shuffle(clauses, new Random(seed));
        SpecifierSet shuffled = SpecifierSet.parse(String.join(" ,  ", clauses) + ",");
        assertEquals(reference, shuffled.toString());
        assertEquals(SpecifierSet.parse(reference), shuffled);
    }

    @Test
    void constructorCanonicalisesToo() {
        SpecifierSet a = new SpecifierSet(List.of(Specifier.parse("<2"), Specifier.parse(">=1"), Specifier.parse("<2")));
        assertEquals("<2,>=1", a.toString());
        assertEquals(2, a.size());
        assertEquals(List.of(Specifier.parse("<2"), Specifier.parse(">=1")), a.specifiers());
        assertThrows(UnsupportedOperationException.class, () -> a.specifiers().add(Specifier.parse("==3")));
        assertEquals(a, SpecifierSet.of(Specifier.parse(">=1"), Specifier.parse("<2")));
    }

    @Test
    void emptySet() {
        SpecifierSet empty = SpecifierSet.parse("");
        assertTrue(empty.isEmpty());
        assertEquals(0, empty.size());
        assertEquals("", empty.toString());
        assertEquals(SpecifierSet.empty(), empty);
        assertFalse(empty.iterator().hasNext());
    }

    @Test
    void conjunctionOfSets() {
        SpecifierSet a = SpecifierSet.parse(">=1.0,!=1.0.1");
        SpecifierSet b = SpecifierSet.parse("<=2.0.0,!=2.0.1");
        assertEquals("!=1.0.1,!=2.0.1,<=2.0.0,>=1.0", a.and(b).toString());
        assertEquals(a, a.and(SpecifierSet.empty()));
        assertEquals(a.and(b), b.and(a));
    }

    @Test
    void distinctSetsAreNotEqual() {
        assertNotEquals(SpecifierSet.parse(">=1.0"), SpecifierSet.parse(">=1.0,<2"));
        assertNotEquals(SpecifierSet.parse(">=1.0"), SpecifierSet.parse(">1.0"));
        assertNotEquals(SpecifierSet.parse("~=1.0"), SpecifierSet.parse("~=1.0.0"));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', value = {
        ">=1.0,foo", ">=1.0;python_version<3", "1.0", ">=1.0 <2", ">=1.0,,<2.0.*", "~=1", "==1.0a1.*",
        ">=1.0+local", "=== ", ">= 1.0 , < 2 a"})
    void rejectsInvalidSetsNamingTheWholeInput(String input) {
        InvalidSpecifierException e = assertThrows(InvalidSpecifierException.class, () -> SpecifierSet.parse(input));
        assertEquals(input, e.input());
        assertTrue(e.getMessage().contains("'" + input + "'"), e.getMessage());
        assertTrue(SpecifierSet.tryParse(input).isEmpty());
    }

    // ---- contains: default and explicit pre-release policy ----

    /**
     * (set, names a pre-release, matches by default, matches with pre-releases allowed, matches
     * with pre-releases forbidden), each over {@link SpecifierTest#CANDIDATES}.
     */
    static Stream<Arguments> containment() {
        return Stream.of(
            row("", false, "0.9 0.9.9 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0", "0.9 0.9.9 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">=1.0", false, "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">=1.0,<2", false, "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1"),
            row(">=1.0a1,<2", true, "1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1"),
            row("<2,>=1.0a1", true, "1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1"),
            row("~=1.0", false, "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1"),
            row("~=1.0a1", true, "1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1"),
            row("==1.*", false, "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1"),
            row("==1.0.*,!=1.0.3", false, "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5", "1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5"),
            row("!=1.0a1", false, "0.9 0.9.9 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0", "0.9 0.9.9 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row("<1.0rc1", true, "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2", "0.9 0.9.9"),
            row(">=0.9,!=1.0rc1,<1.1", false, "0.9 0.9.9 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5", "0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5", "0.9 0.9.9 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5"),
            row(">1.0.dev1", true, "1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0", "1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row("<=1.0a1", true, "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local", "0.9 0.9.9"),
            row("==1.0a1", true, "1.0a1 1.0a1+local", "1.0a1 1.0a1+local", ""),
            row("===1.0a1", true, "1.0a1", "1.0a1", ""),
            row("===1.0", false, "1.0", "1.0", "1.0"),
            row(">=1.0,<1.0", false, "", "", ""),
            row("~=3.1.0,!=3.1.3", false, "3.1 3.1.2", "3.1 3.1.2", "3.1 3.1.2"),
            row("~=0.9,>=1.0,!=1.0.3.*,<2.0", false, "", "", ""),
            row(">=1.0.post1", false, "1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0", "1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0", "1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.5 1.1 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">=1!0", false, "1!1.0 1!1.5 1!2.0", "1!1.0 1!1.5 1!2.0", "1!1.0 1!1.5 1!2.0")
        );
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @MethodSource("containment")
    void containsHonoursThePrereleasePolicy(String set, boolean namesPre, String byDefault, String allowed,
            String forbidden) {
        SpecifierSet s = SpecifierSet.parse(set);
        assertEquals(namesPre, s.namesPrerelease());
        List<String> d = words(byDefault);
        List<String> t = words(allowed);
        List<String> f = words(forbidden);
        for (String c : SpecifierTest.CANDIDATES) {
            Version v = Version.parse(c);
            assertEquals(d.contains(c), s.contains(v), set + " contains " + c);
            assertEquals(t.contains(c), s.contains(v, true), set + " contains " + c + " (pre allowed)");
            assertEquals(f.contains(c), s.contains(v, false), set + " contains " + c + " (pre forbidden)");
            // The string overload agrees for ordinary versions.
            assertEquals(d.contains(c), s.contains(c), set + " contains string " + c);
        }
    }

    @Test
    void packagingDocstringExamples() {
        SpecifierSet s = SpecifierSet.parse(">=1.0.0,!=1.0.1");
        assertTrue(s.contains(Version.parse("1.2.3")));
        assertFalse(s.contains(Version.parse("1.0.1")));
        // The classic default: a pre-release is out unless a clause names one or the caller allows it.
        assertFalse(s.contains(Version.parse("1.3.0a1")));
        assertTrue(s.contains(Version.parse("1.3.0a1"), true));
        assertTrue(SpecifierSet.parse(">=1.0a1").contains(Version.parse("1.3.0a1")));
        assertFalse(SpecifierSet.parse(">=1.0a1").contains(Version.parse("1.3.0a1"), false));
        assertFalse(SpecifierSet.parse("").contains(Version.parse("1.0a1")));
        assertTrue(SpecifierSet.parse("").contains(Version.parse("1.0a1"), true));
        assertTrue(SpecifierSet.parse("").contains(Version.parse("1.0")));
    }

    // ---- filter ----

    /** (set, candidates, filter(), filter(true), filter(false)), straight from packaging 26.2. */
    static Stream<Arguments> filtering() {
        return Stream.of(
            row("", "1.0 1.5a1 2.0", "1.0 2.0", "1.0 1.5a1 2.0", "1.0 2.0"),
            row("", "1.5a1 1.6b1", "1.5a1 1.6b1", "1.5a1 1.6b1", ""),
            row("", "0.5 1.5a1", "0.5", "0.5 1.5a1", "0.5"),
            row("", "1.5 1.1a1", "1.5", "1.5 1.1a1", "1.5"),
            row("", "2.0a1 3.0", "3.0", "2.0a1 3.0", "3.0"),
            row("", "0.1 0.2", "0.1 0.2", "0.1 0.2", "0.1 0.2"),
            row("", "1.0.dev1 0.9", "0.9", "1.0.dev1 0.9", "0.9"),
            row("", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1"),
            row("", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1"),
            row("", "2.0.dev1 1.9.9", "1.9.9", "2.0.dev1 1.9.9", "1.9.9"),
            row("", "", "", "", ""),
            row(">=1.0", "1.0 1.5a1 2.0", "1.0 2.0", "1.0 1.5a1 2.0", "1.0 2.0"),
            row(">=1.0", "1.5a1 1.6b1", "1.5a1 1.6b1", "1.5a1 1.6b1", ""),
            row(">=1.0", "0.5 1.5a1", "1.5a1", "1.5a1", ""),
            row(">=1.0", "1.5 1.1a1", "1.5", "1.5 1.1a1", "1.5"),
            row(">=1.0", "2.0a1 3.0", "3.0", "2.0a1 3.0", "3.0"),
            row(">=1.0", "0.1 0.2", "", "", ""),
            row(">=1.0", "1.0.dev1 0.9", "", "", ""),
            row(">=1.0", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1"),
            row(">=1.0", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1", "1.1.dev1 1.0.post1", "1.0.post1"),
            row(">=1.0", "2.0.dev1 1.9.9", "1.9.9", "2.0.dev1 1.9.9", "1.9.9"),
            row(">=1.0", "", "", "", ""),
            row(">=1.0,<2", "1.0 1.5a1 2.0", "1.0", "1.0 1.5a1", "1.0"),
            row(">=1.0,<2", "1.5a1 1.6b1", "1.5a1 1.6b1", "1.5a1 1.6b1", ""),
            row(">=1.0,<2", "0.5 1.5a1", "1.5a1", "1.5a1", ""),
            row(">=1.0,<2", "1.5 1.1a1", "1.5", "1.5 1.1a1", "1.5"),
            row(">=1.0,<2", "2.0a1 3.0", "", "", ""),
            row(">=1.0,<2", "0.1 0.2", "", "", ""),
            row(">=1.0,<2", "1.0.dev1 0.9", "", "", ""),
            row(">=1.0,<2", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1"),
            row(">=1.0,<2", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1", "1.1.dev1 1.0.post1", "1.0.post1"),
            row(">=1.0,<2", "2.0.dev1 1.9.9", "1.9.9", "1.9.9", "1.9.9"),
            row(">=1.0,<2", "", "", "", ""),
            row(">=1.0a1", "1.0 1.5a1 2.0", "1.0 1.5a1 2.0", "1.0 1.5a1 2.0", "1.0 2.0"),
            row(">=1.0a1", "1.5a1 1.6b1", "1.5a1 1.6b1", "1.5a1 1.6b1", ""),
            row(">=1.0a1", "0.5 1.5a1", "1.5a1", "1.5a1", ""),
            row(">=1.0a1", "1.5 1.1a1", "1.5 1.1a1", "1.5 1.1a1", "1.5"),
            row(">=1.0a1", "2.0a1 3.0", "2.0a1 3.0", "2.0a1 3.0", "3.0"),
            row(">=1.0a1", "0.1 0.2", "", "", ""),
            row(">=1.0a1", "1.0.dev1 0.9", "", "", ""),
            row(">=1.0a1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1"),
            row(">=1.0a1", "1.1.dev1 1.0.post1 1.0rc1", "1.1.dev1 1.0.post1 1.0rc1", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1"),
            row(">=1.0a1", "2.0.dev1 1.9.9", "2.0.dev1 1.9.9", "2.0.dev1 1.9.9", "1.9.9"),
            row(">=1.0a1", "", "", "", ""),
            row("<1.2,>=1.0", "1.0 1.5a1 2.0", "1.0", "1.0", "1.0"),
            row("<1.2,>=1.0", "1.5a1 1.6b1", "", "", ""),
            row("<1.2,>=1.0", "0.5 1.5a1", "", "", ""),
            row("<1.2,>=1.0", "1.5 1.1a1", "1.1a1", "1.1a1", ""),
            row("<1.2,>=1.0", "2.0a1 3.0", "", "", ""),
            row("<1.2,>=1.0", "0.1 0.2", "", "", ""),
            row("<1.2,>=1.0", "1.0.dev1 0.9", "", "", ""),
            row("<1.2,>=1.0", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1"),
            row("<1.2,>=1.0", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1", "1.1.dev1 1.0.post1", "1.0.post1"),
            row("<1.2,>=1.0", "2.0.dev1 1.9.9", "", "", ""),
            row("<1.2,>=1.0", "", "", "", ""),
            row("~=1.0", "1.0 1.5a1 2.0", "1.0", "1.0 1.5a1", "1.0"),
            row("~=1.0", "1.5a1 1.6b1", "1.5a1 1.6b1", "1.5a1 1.6b1", ""),
            row("~=1.0", "0.5 1.5a1", "1.5a1", "1.5a1", ""),
            row("~=1.0", "1.5 1.1a1", "1.5", "1.5 1.1a1", "1.5"),
            row("~=1.0", "2.0a1 3.0", "", "", ""),
            row("~=1.0", "0.1 0.2", "", "", ""),
            row("~=1.0", "1.0.dev1 0.9", "", "", ""),
            row("~=1.0", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1"),
            row("~=1.0", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1", "1.1.dev1 1.0.post1", "1.0.post1"),
            row("~=1.0", "2.0.dev1 1.9.9", "1.9.9", "1.9.9", "1.9.9"),
            row("~=1.0", "", "", "", ""),
            row("<2", "1.0 1.5a1 2.0", "1.0", "1.0 1.5a1", "1.0"),
            row("<2", "1.5a1 1.6b1", "1.5a1 1.6b1", "1.5a1 1.6b1", ""),
            row("<2", "0.5 1.5a1", "0.5", "0.5 1.5a1", "0.5"),
            row("<2", "1.5 1.1a1", "1.5", "1.5 1.1a1", "1.5"),
            row("<2", "2.0a1 3.0", "", "", ""),
            row("<2", "0.1 0.2", "0.1 0.2", "0.1 0.2", "0.1 0.2"),
            row("<2", "1.0.dev1 0.9", "0.9", "1.0.dev1 0.9", "0.9"),
            row("<2", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1"),
            row("<2", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1"),
            row("<2", "2.0.dev1 1.9.9", "1.9.9", "1.9.9", "1.9.9"),
            row("<2", "", "", "", ""),
            row("!=1.0", "1.0 1.5a1 2.0", "2.0", "1.5a1 2.0", "2.0"),
            row("!=1.0", "1.5a1 1.6b1", "1.5a1 1.6b1", "1.5a1 1.6b1", ""),
            row("!=1.0", "0.5 1.5a1", "0.5", "0.5 1.5a1", "0.5"),
            row("!=1.0", "1.5 1.1a1", "1.5", "1.5 1.1a1", "1.5"),
            row("!=1.0", "2.0a1 3.0", "3.0", "2.0a1 3.0", "3.0"),
            row("!=1.0", "0.1 0.2", "0.1 0.2", "0.1 0.2", "0.1 0.2"),
            row("!=1.0", "1.0.dev1 0.9", "0.9", "1.0.dev1 0.9", "0.9"),
            row("!=1.0", "1.0 1.0+local 1.0.post1", "1.0.post1", "1.0.post1", "1.0.post1"),
            row("!=1.0", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1"),
            row("!=1.0", "2.0.dev1 1.9.9", "1.9.9", "2.0.dev1 1.9.9", "1.9.9"),
            row("!=1.0", "", "", "", ""),
            row("==1.0", "1.0 1.5a1 2.0", "1.0", "1.0", "1.0"),
            row("==1.0", "1.5a1 1.6b1", "", "", ""),
            row("==1.0", "0.5 1.5a1", "", "", ""),
            row("==1.0", "1.5 1.1a1", "", "", ""),
            row("==1.0", "2.0a1 3.0", "", "", ""),
            row("==1.0", "0.1 0.2", "", "", ""),
            row("==1.0", "1.0.dev1 0.9", "", "", ""),
            row("==1.0", "1.0 1.0+local 1.0.post1", "1.0 1.0+local", "1.0 1.0+local", "1.0 1.0+local"),
            row("==1.0", "1.1.dev1 1.0.post1 1.0rc1", "", "", ""),
            row("==1.0", "2.0.dev1 1.9.9", "", "", ""),
            row("==1.0", "", "", "", ""),
            row("==1.*", "1.0 1.5a1 2.0", "1.0", "1.0 1.5a1", "1.0"),
            row("==1.*", "1.5a1 1.6b1", "1.5a1 1.6b1", "1.5a1 1.6b1", ""),
            row("==1.*", "0.5 1.5a1", "1.5a1", "1.5a1", ""),
            row("==1.*", "1.5 1.1a1", "1.5", "1.5 1.1a1", "1.5"),
            row("==1.*", "2.0a1 3.0", "", "", ""),
            row("==1.*", "0.1 0.2", "", "", ""),
            row("==1.*", "1.0.dev1 0.9", "1.0.dev1", "1.0.dev1", ""),
            row("==1.*", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1", "1.0 1.0+local 1.0.post1"),
            row("==1.*", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1", "1.1.dev1 1.0.post1 1.0rc1", "1.0.post1"),
            row("==1.*", "2.0.dev1 1.9.9", "1.9.9", "1.9.9", "1.9.9"),
            row("==1.*", "", "", "", ""),
            row(">=3", "1.0 1.5a1 2.0", "", "", ""),
            row(">=3", "1.5a1 1.6b1", "", "", ""),
            row(">=3", "0.5 1.5a1", "", "", ""),
            row(">=3", "1.5 1.1a1", "", "", ""),
            row(">=3", "2.0a1 3.0", "3.0", "3.0", "3.0"),
            row(">=3", "0.1 0.2", "", "", ""),
            row(">=3", "1.0.dev1 0.9", "", "", ""),
            row(">=3", "1.0 1.0+local 1.0.post1", "", "", ""),
            row(">=3", "1.1.dev1 1.0.post1 1.0rc1", "", "", ""),
            row(">=3", "2.0.dev1 1.9.9", "", "", ""),
            row(">=3", "", "", "", ""),
            row(">1.0", "1.0 1.5a1 2.0", "2.0", "1.5a1 2.0", "2.0"),
            row(">1.0", "1.5a1 1.6b1", "1.5a1 1.6b1", "1.5a1 1.6b1", ""),
            row(">1.0", "0.5 1.5a1", "1.5a1", "1.5a1", ""),
            row(">1.0", "1.5 1.1a1", "1.5", "1.5 1.1a1", "1.5"),
            row(">1.0", "2.0a1 3.0", "3.0", "2.0a1 3.0", "3.0"),
            row(">1.0", "0.1 0.2", "", "", ""),
            row(">1.0", "1.0.dev1 0.9", "", "", ""),
            row(">1.0", "1.0 1.0+local 1.0.post1", "", "", ""),
            row(">1.0", "1.1.dev1 1.0.post1 1.0rc1", "1.1.dev1", "1.1.dev1", ""),
            row(">1.0", "2.0.dev1 1.9.9", "1.9.9", "2.0.dev1 1.9.9", "1.9.9"),
            row(">1.0", "", "", "", "")
        );
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' over [{1}]")
    @MethodSource("filtering")
    void filterFallsBackToPrereleasesOnlyWhenNothingElseMatches(String set, String candidates, String byDefault,
            String allowed, String forbidden) {
        SpecifierSet s = SpecifierSet.parse(set);
        List<Version> in = versions(candidates);
        assertEquals(byDefault, print(s.filter(in)));
        assertEquals(allowed, print(s.filter(in, true)));
        assertEquals(forbidden, print(s.filter(in, false)));
    }

    @Test
    void filterByKeepsItemsAndOrder() {
        record Link(String file, Version version) {
        }
        List<Link> links = List.of(
                new Link("x-2.0.tar.gz", Version.parse("2.0")),
                new Link("x-1.5a1.tar.gz", Version.parse("1.5a1")),
                new Link("x-1.2.tar.gz", Version.parse("1.2")),
                new Link("x-0.9.tar.gz", Version.parse("0.9")));
        SpecifierSet s = SpecifierSet.parse(">=1.0");
        assertEquals(List.of("x-2.0.tar.gz", "x-1.2.tar.gz"),
                s.filterBy(links, Link::version).stream().map(Link::file).collect(Collectors.toList()));
        assertEquals(List.of("x-2.0.tar.gz", "x-1.5a1.tar.gz", "x-1.2.tar.gz"),
                s.filterBy(links, Link::version, true).stream().map(Link::file).collect(Collectors.toList()));
        assertEquals(List.of("x-1.5a1.tar.gz"),
                SpecifierSet.parse(">=1.3,<2").filterBy(links, Link::version).stream().map(Link::file)
                        .collect(Collectors.toList()));
    }

    // ---- compatible release expansions from the spec ----

    static Stream<Arguments> compatibleExpansions() {
        return Stream.of(
                row("~=2.2", ">=2.2,==2.*"),
                row("~=1.4.5", ">=1.4.5,==1.4.*"),
                row("~=2.2.post3", ">=2.2.post3,==2.*"),
                row("~=1.4.5a4", ">=1.4.5a4,==1.4.*"),
                row("~=2.2.0", ">=2.2.0,==2.2.*"),
                row("~=1.4.5.0", ">=1.4.5.0,==1.4.5.*"),
                row("~=1!1.0", ">=1!1.0,==1!1.*"),
                row("~=1.0.dev1", ">=1.0.dev1,==1.*"),
                row("~=3.1", ">=3.1,==3.*"),
                row("~=3.1.2", ">=3.1.2,==3.1.*"),
                row("~=3.1a1", ">=3.1a1,==3.*"),
                row("~=0.9", ">=0.9,==0.*"));
    }

    @ParameterizedTest(name = "[{index}] {0} == {1}")
    @MethodSource("compatibleExpansions")
    void compatibleReleaseEqualsItsExpansion(String compatible, String expansion) {
        SpecifierSet a = SpecifierSet.parse(compatible);
        SpecifierSet b = SpecifierSet.parse(expansion);
        for (String c : SpecifierTest.CANDIDATES) {
            Version v = Version.parse(c);
            assertEquals(b.contains(v, true), a.contains(v, true), compatible + " vs " + expansion + " on " + c);
            assertEquals(b.contains(v), a.contains(v), compatible + " vs " + expansion + " on " + c + " (default)");
        }
    }

    @Test
    void wildcardEqualsCompatibleReleaseForFinalReleases() {
        // The spec: "== 3.1.*" is equivalent to "~=3.1.0" (they differ only on pre-releases of 3.1.0).
        SpecifierSet wildcard = SpecifierSet.parse("==3.1.*");
        SpecifierSet compatible = SpecifierSet.parse("~=3.1.0");
        for (String c : List.of("3.0", "3.0.9", "3.1", "3.1.0", "3.1.1", "3.1.9.9", "3.1.post1", "3.2", "4.0", "3.1.0a1", "3.1.1rc1")) {
            assertEquals(wildcard.contains(Version.parse(c)), compatible.contains(Version.parse(c)), c);
        }
        assertTrue(wildcard.contains(Version.parse("3.1.0a1"), true));
        assertFalse(compatible.contains(Version.parse("3.1.0a1"), true));
    }

    @Test
    void specExampleCombination() {
        // "~=3.1.0, != 3.1.3: version 3.1.0 or later, but not version 3.1.3 and not version 3.2.0 or later."
        SpecifierSet s = SpecifierSet.parse("~=3.1.0, != 3.1.3");
        Map<String, Boolean> expected = Map.of("3.1.0", true, "3.1.2", true, "3.1.3", false, "3.1.4", true, "3.2.0", false,
                "3.0.9", false, "3.1.3.post1", true, "3.1.3+local", false);
        expected.forEach((v, e) -> assertEquals(e, s.contains(Version.parse(v)), v));
    }

    // ---- arbitrary equality against raw strings ----

    @ParameterizedTest(name = "[{index}] ''{0}'' contains ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
        "===foobar|foobar|true",
        "===foobar|FOOBAR|true",
        "===foobar|foobar2|false",
        "===foobar,>=1|foobar|false",
        "===foobar,===FooBar|foobar|true",
        "===1.0|1.0|true",
        "===1.0|1.0.0|false",
        "===1.0|v1.0|false",
        "===1.0|1.0+local|false",
        "===1.0,>=1.0|1.0|true",
        "===1.0a1|1.0a1|true",
        "===1.0a1,<1.0a1|1.0a1|false",
        ">=1.0|1.5|true",
        ">=1.0|1.5a1|false",
        ">=1.0|garbage|false",
        "''|garbage|false",
        "''|2.0|true",
        "==1.0|1.0.0|true"})
    void arbitraryEqualityComparesTheRawString(String set, String candidate, boolean expected) {
        assertEquals(expected, SpecifierSet.parse(set).contains(candidate));
    }

    @Test
    void arbitraryEqualityOnParsedVersionsUsesTheNormalForm() {
        assertTrue(SpecifierSet.parse("===1.0").contains(Version.parse("v1.0")));
        assertFalse(SpecifierSet.parse("===1.0").contains(Version.parse("1.0.0")));
    }
}
