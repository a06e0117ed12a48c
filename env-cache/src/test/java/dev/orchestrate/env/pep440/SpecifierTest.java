package dev.orchestrate.env.pep440;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Single PEP 440 clauses: parsing, normalisation, and each operator's rule. The operator matrix was
 * cross-checked against {@code packaging} 26.2 ({@code contains(v, prereleases=True)}), whose
 * exclusive-ordering rules follow the spec text more closely than earlier releases.
 */
class SpecifierTest {

    private static Arguments row(Object... values) {
        return Arguments.of(values);
    }

    // ---- parsing and normalisation ----

    static Stream<Arguments> normalisation() {
        return Stream.of(
            row("==1.0", "==1.0"),
            row("== 1.0", "==1.0"),
            row("  ==  1.0  ", "==1.0"),
            row("==v1.0", "==1.0"),
            row("==1.0.0", "==1.0.0"),
            row("==01.00", "==1.0"),
            row("==1.0-1", "==1.0.post1"),
            row("==1.0ALPHA1", "==1.0a1"),
            row("==1.0+Local_1", "==1.0+local.1"),
            row("==1.0+01", "==1.0+1"),
            row("==1.0.*", "==1.0.*"),
            row("== 01.0.*", "==1.0.*"),
            row("==v1.*", "==1.*"),
            row("==0!1.*", "==1.*"),
            row("==1!1.0.*", "==1!1.0.*"),
            row("!=1.0.*", "!=1.0.*"),
            row("!=1.0+local", "!=1.0+local"),
            row("<=1.0c1", "<=1.0rc1"),
            row(">=1.0.dev", ">=1.0.dev0"),
            row("<1.0-r1", "<1.0.post1"),
            row(">1.0a", ">1.0a0"),
            row("~=1.0", "~=1.0"),
            row("~= 2.2.post3", "~=2.2.post3"),
            row("~=1.4.5-a4", "~=1.4.5a4"),
            row("~=v1.0", "~=1.0"),
            row("~=1.0.0", "~=1.0.0"),
            row("===foobar", "===foobar"),
            row("=== 1.0", "===1.0"),
            row("===FooBar", "===FooBar"),
            row("===1.0.0", "===1.0.0"),
            row("===v1.0", "===v1.0"),
            row("===1.0+local", "===1.0+local"),
            row("\t>=1.0\n", ">=1.0"),
            row(">=1!2.0", ">=1!2.0"),
            row(">= 2014.04", ">=2014.4")
        );
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @MethodSource("normalisation")
    void normalises(String input, String expected) {
        Specifier s = Specifier.parse(input);
        assertEquals(expected, s.toString());
        assertEquals(s, Specifier.parse(expected));
        assertEquals(s.hashCode(), Specifier.parse(expected).hashCode());
        assertEquals(expected, s.operator().symbol() + s.version());
    }

    static Stream<String> invalid() {
        return Stream.of(
            "",
            "1.0",
            "=1.0",
            "=>1.0",
            "=<1.0",
            "<>1.0",
            ">=",
            "==",
            "~=",
            "===",
            "=== ",
            ">=1.0.*",
            "<=1.0.*",
            "<1.0.*",
            ">1.0.*",
            "~=1.0.*",
            "===1.0.*x,y",
            ">=1.0+local",
            "<=1.0+local",
            "<1.0+local",
            ">1.0+local",
            "~=1.0+local",
            "~=1",
            "~=1a1",
            "~=1.post1",
            "~=v2",
            "==1.0a1.*",
            "==1.0.post1.*",
            "==1.0.dev1.*",
            "==1.0+local.*",
            "!=1.0a1.*",
            "==1.0 .*",
            "==.*",
            "==*",
            "==1.*.*",
            "==1.0*",
            ">=french toast",
            ">=1.0 a1",
            "== 1 .0",
            ">=1,0",
            ">=1.0;",
            "==1.0)",
            "===a b",
            "===a;b",
            "===a)b",
            ">==1.0",
            "!==1.0",
            "~==1.0",
            "== =1.0",
            ">= >=1.0",
            "v1.0",
            ">=1.0-",
            ">=1.0+",
            "<=1.0\u00a0"
        );
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @MethodSource("invalid")
    void rejectsInvalid(String input) {
        InvalidSpecifierException e = assertThrows(InvalidSpecifierException.class, () -> Specifier.parse(input));
        assertEquals(input, e.input());
        assertTrue(e.getMessage().contains(input), e.getMessage());
        assertTrue(Specifier.tryParse(input).isEmpty());
    }

    @Test
    void explainsWhyAClauseIsInvalid() {
        assertTrue(reason(">=1.0.*").contains(".*"));
        assertTrue(reason(">=1.0+local").contains("local"));
        assertTrue(reason("~=1").contains("two release segments"));
        assertTrue(reason("==1.0a1.*").contains("epoch and release"));
        assertTrue(reason(">=").contains("expected a version"));
        assertTrue(reason("1.0").contains("expected an operator"));
        assertTrue(reason(">=1.0abc").contains("not a valid PEP 440 version"));
    }

    private static String reason(String input) {
        return assertThrows(InvalidSpecifierException.class, () -> Specifier.parse(input)).reason();
    }

    @Test
    void operatorsAndWildcards() {
        assertEquals(Specifier.Operator.ARBITRARY_EQUAL, Specifier.parse("===1.0").operator());
        assertEquals(Specifier.Operator.EQUAL, Specifier.parse("==1.0").operator());
        assertEquals(Specifier.Operator.COMPATIBLE, Specifier.parse("~=1.0").operator());
        assertEquals(Specifier.Operator.LESS_THAN, Specifier.parse("<1.0").operator());
        assertEquals(Specifier.Operator.LESS_THAN_OR_EQUAL, Specifier.parse("<=1.0").operator());
        assertEquals(Specifier.Operator.GREATER_THAN, Specifier.parse(">1.0").operator());
        assertEquals(Specifier.Operator.GREATER_THAN_OR_EQUAL, Specifier.parse(">=1.0").operator());
        assertEquals(Specifier.Operator.NOT_EQUAL, Specifier.parse("!=1.0").operator());
        assertTrue(Specifier.parse("==1.0.*").isWildcard());
        assertTrue(Specifier.parse("!=1.*").isWildcard());
        assertFalse(Specifier.parse("==1.0").isWildcard());
        assertEquals("1.0.*", Specifier.parse("==1.0.*").version());
        assertEquals(Specifier.parse(">=1.0"), Specifier.of(Specifier.Operator.GREATER_THAN_OR_EQUAL, " 1.0 "));
        for (Specifier.Operator op : Specifier.Operator.values()) {
            assertEquals(op, Specifier.Operator.fromSymbol(op.symbol()).orElseThrow());
        }
        assertTrue(Specifier.Operator.fromSymbol("=").isEmpty());
    }

    @Test
    void equalityFollowsTheNormalisedText() {
        assertEquals(Specifier.parse(">=1.0"), Specifier.parse(">= v1.0"));
        assertEquals(Specifier.parse("==1.0+Ubuntu-1"), Specifier.parse("==1.0+ubuntu.1"));
        // Match the same versions, but print differently, so they are distinct clauses.
        assertNotEquals(Specifier.parse(">=1.0"), Specifier.parse(">=1.0.0"));
        // Compatible release: the number of segments changes the meaning.
        assertNotEquals(Specifier.parse("~=1.0"), Specifier.parse("~=1.0.0"));
        // === is a string comparison: spelling is significant.
        assertNotEquals(Specifier.parse("===1.0"), Specifier.parse("===1.0.0"));
        assertNotEquals(Specifier.parse("==1.0"), Specifier.parse("===1.0"));
    }

    // ---- operator semantics (pre-releases allowed, so only the operator rule is tested) ----

    static final List<String> CANDIDATES = List.of(
            "0.dev0", "0.9", "0.9.9", "1.0.dev0", "1.0.dev1", "1.0.dev2", "1.0a1.dev1", "1.0a1",
            "1.0a1+local", "1.0a1.post1", "1.0a2", "1.0rc1", "1.0rc1.post1", "1.0rc2", "1.0", "1.0.0",
            "1", "1.0+local", "1.0+local.1", "1.0+other", "1.0.post1.dev1", "1.0.post1", "1.0.post1+local", "1.0.post2",
            "1.0.1", "1.0.1a1", "1.0.5", "1.1.dev1", "1.1a1", "1.1", "1.4.5a4", "1.4.5",
            "1.4.6", "1.4.99", "1.5", "1.7", "1.7.0.post1", "1.7.0.post3", "1.7.1", "2.0",
            "2.2", "2.2.post3", "2.3", "2.9", "3.0", "3.1a1", "3.1", "3.1.2",
            "3.1.3", "3.2", "3.9", "4.0", "1!1.0", "1!1.5", "1!2.0"
    );

    /** Each clause with the exact subset of {@link #CANDIDATES} it matches. */
    static Stream<Arguments> matrix() {
        return Stream.of(
            row("==1.0", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other"),
            row("==1.0.0", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other"),
            row("==1", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other"),
            row("==1.0+local", "1.0+local"),
            row("==1.0+LOCAL-1", "1.0+local.1"),
            row("==1.0a1", "1.0a1 1.0a1+local"),
            row("==1.0.post1", "1.0.post1 1.0.post1+local"),
            row("==1.0.dev1", "1.0.dev1"),
            row("==1.0.*", "1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5"),
            row("==1.*", "1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1"),
            row("==1.0.0.*", "1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2"),
            row("==1!1.0.*", "1!1.0"),
            row("==0.*", "0.dev0 0.9 0.9.9"),
            row("==1.1.*", "1.1.dev1 1.1a1 1.1"),
            row("==1.0.1.*", "1.0.1 1.0.1a1"),
            row("!=1.0", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row("!=1.0+local", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row("!=1.0a1", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row("!=1.0.post1", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row("!=1.0.*", "0.dev0 0.9 0.9.9 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row("!=1.*", "0.dev0 0.9 0.9.9 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row("!=1.1.*", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row("<=1.0", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other"),
            row("<=1.0a1", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local"),
            row("<=1.0.post1", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local"),
            row("<=1.0.dev1", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1"),
            row(">=1.0", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">=1.0a1", "1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">=1.0.post1", "1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">=1.0.dev1", "1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">=1!0", "1!1.0 1!1.5 1!2.0"),
            row("<1.0", "0.dev0 0.9 0.9.9"),
            row("<1.0a1", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1"),
            row("<1.0.post1", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other"),
            row("<1.0.dev1", "0.dev0 0.9 0.9.9 1.0.dev0"),
            row("<1.0rc1.post1", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1"),
            row("<2", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1"),
            row("<1.0.0", "0.dev0 0.9 0.9.9"),
            row("<1!1.0", "0.dev0 0.9 0.9.9 1.0.dev0 1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0"),
            row(">1.0", "1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">1.0a1", "1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">1.0.post1", "1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">1.0.dev1", "1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">1.0a1.post1", "1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">1.0.post1.dev1", "1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">1.7", "1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">1.7.post2", "1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">1.0.0", "1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row(">1.0rc1", "1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1 2.0 2.2 2.2.post3 2.3 2.9 3.0 3.1a1 3.1 3.1.2 3.1.3 3.2 3.9 4.0 1!1.0 1!1.5 1!2.0"),
            row("~=1.0", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1"),
            row("~=1.0.0", "1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5"),
            row("~=2.2", "2.2 2.2.post3 2.3 2.9"),
            row("~=2.2.post3", "2.2.post3 2.3 2.9"),
            row("~=1.4.5a4", "1.4.5a4 1.4.5 1.4.6 1.4.99"),
            row("~=1.4.5", "1.4.5 1.4.6 1.4.99"),
            row("~=1.4.5.0", "1.4.5"),
            row("~=1!1.0", "1!1.0 1!1.5"),
            row("~=1.0.dev1", "1.0.dev1 1.0.dev2 1.0a1.dev1 1.0a1 1.0a1+local 1.0a1.post1 1.0a2 1.0rc1 1.0rc1.post1 1.0rc2 1.0 1.0.0 1 1.0+local 1.0+local.1 1.0+other 1.0.post1.dev1 1.0.post1 1.0.post1+local 1.0.post2 1.0.1 1.0.1a1 1.0.5 1.1.dev1 1.1a1 1.1 1.4.5a4 1.4.5 1.4.6 1.4.99 1.5 1.7 1.7.0.post1 1.7.0.post3 1.7.1"),
            row("~=0.9", "0.9 0.9.9"),
            row("~=3.1", "3.1 3.1.2 3.1.3 3.2 3.9"),
            row("~=3.1.2", "3.1.2 3.1.3"),
            row("~=3.1a1", "3.1a1 3.1 3.1.2 3.1.3 3.2 3.9"),
            row("===1.0", "1.0"),
            row("===1.0.0", "1.0.0"),
            row("===1.0+local", "1.0+local"),
            row("===foobar", ""),
            row("===1.0A1", "1.0a1"),
            row("===1.0a1", "1.0a1")
        );
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("matrix")
    void operatorMatchesExactlyTheExpectedCandidates(String spec, String matching) {
        Specifier s = Specifier.parse(spec);
        Set<String> expected = matching.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(matching.split(" ")));
        for (String candidate : CANDIDATES) {
            assertEquals(expected.contains(candidate), s.contains(Version.parse(candidate), true),
                    spec + " contains " + candidate);
        }
    }

    static Stream<Arguments> specExamples() {
        // The worked examples in the spec's text: (clause, candidate, matches).
        return Stream.of(
                row("==1.1", "1.1.post1", false),
                row("==1.1.post1", "1.1.post1", true),
                row("==1.1.*", "1.1.post1", true),
                row("==1.1", "1.1a1", false),
                row("==1.1a1", "1.1a1", true),
                row("==1.1.*", "1.1a1", true),
                row("==1.1", "1.1", true),
                row("==1.1.0", "1.1", true),
                row("==1.1.dev1", "1.1", false),
                row("==1.1a1", "1.1", false),
                row("==1.1.post1", "1.1", false),
                row("==1.1.*", "1.1", true),
                row("!=1.1", "1.1.post1", true),
                row("!=1.1.post1", "1.1.post1", false),
                row("!=1.1.*", "1.1.post1", false),
                row(">1.7", "1.7.1", true),
                row(">1.7", "1.7.0.post1", false),
                row(">1.7.post2", "1.7.1", true),
                row(">1.7.post2", "1.7.0.post3", true),
                row(">1.7.post2", "1.7.0", false),
                row("===foobar", "1.0", false),
                row("===1.0", "1.0+downstream1", false),
                row("===1.0", "1.0", true),
                row("~=3.1", "3.1", true),
                row("~=3.1", "3.9.9", true),
                row("~=3.1", "4.0", false),
                row("~=3.1.2", "3.1.2", true),
                row("~=3.1.2", "3.1.9", true),
                row("~=3.1.2", "3.2.0", false),
                row("~=3.1a1", "3.1a1", true),
                row("~=3.1a1", "3.9", true),
                row("~=3.1a1", "4.0", false),
                row("==3.1", "3.1.0", true),
                row("==3.1", "3.1.1", false),
                row("==3.1", "3.1.post1", false),
                row("==3.1", "3.1.dev1", false),
                row("==3.1.*", "3.1.7", true),
                row("==3.1.*", "3.2", false),
                // Local versions: a public clause ignores labels; a local clause compares them.
                row("==1.0", "1.0+local", true),
                row("!=1.0", "1.0+local", false),
                row("==1.0+local", "1.0", false),
                row("==1.0+local", "1.0+LOCAL", true),
                row("==1.0+local", "1.0+local.1", false),
                row("<=1.0", "1.0+local", true),
                row(">=1.0", "1.0+local", true),
                row("<1.0", "1.0+local", false),
                row(">1.0", "1.0+local", false),
                row(">1.0a1", "1.0a1+local", false),
                row(">1.0a1", "1.0a2+local", true),
                // <V keeps pre-releases of V out unless V is one; V.dev0 is the first of them.
                row("<1.0", "1.0rc1", false),
                row("<1.0", "1.0.dev0", false),
                row("<1.0", "0.9.9a1", true),
                row("<1.0rc1", "1.0a1", true),
                row("<1.0rc1", "1.0rc1.dev1", true),
                row("<1.0.post1", "1.0.post1.dev0", false),
                row("<1.0.post1", "1.0", true),
                // >V keeps post-releases of V out unless V is one.
                row(">1.0", "1.0.post1", false),
                row(">1.0", "1.0.post1.dev1", false),
                row(">1.0", "1.0.1", true),
                row(">1.0.post1", "1.0.post2", true),
                row(">1.0a1", "1.0a1.post1", false),
                row(">1.0a1", "1.0.post1", true),
                row(">1.0.dev1", "1.0.dev2", true),
                // ~= drops suffixes and the last release segment for the prefix.
                row("~=2.2.post3", "2.9", true),
                row("~=2.2.post3", "2.2.post2", false),
                row("~=1.4.5a4", "1.4.9", true),
                row("~=1.4.5a4", "1.5", false),
                row("~=2.2.0", "2.2.9", true),
                row("~=2.2.0", "2.3", false),
                row("~=1.4.5.0", "1.4.5.9", true),
                row("~=1.4.5.0", "1.4.6", false),
                // Spellings that are not in normal form still mean the same thing.
                row("~=v2.2", "2.5", true),
                row("~=1.4.5.preview1", "1.4.9", true),
                row("~=1.4.5.preview1", "1.5", false),
                row("==v1.0.*", "1.0.3", true),
                // Epochs must match for prefix clauses.
                row("==1.*", "1!1.0", false),
                row("==1!1.*", "1!1.5", true),
                // Zero padding on both sides of a prefix match.
                row("==1.0.0.*", "1", true),
                row("==1.0.0.*", "1.0.0.1", true),
                row("==1.0.1.*", "1", false),
                // === compares the normalised text of a parsed version, case-insensitively.
                row("===1.0A1", "1.0a1", true),
                row("===1.0.0", "1.0", false),
                row("===1.0", "v1.0", true));
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1} -> {2}")
    @MethodSource("specExamples")
    void specTextExamples(String spec, String candidate, boolean expected) {
        assertEquals(expected, Specifier.parse(spec).contains(Version.parse(candidate), true));
    }

    // ---- pre-release policy of a single clause ----

    static Stream<Arguments> namesPrerelease() {
        return Stream.of(
            row("==1.0", false),
            row("==1.0a1", true),
            row("==1.0.dev1", true),
            row("==1.0.*", false),
            row("!=1.0a1", false),
            row("<=1.0", false),
            row("<=1.0rc1", true),
            row(">=1.0.dev0", true),
            row(">=1.0", false),
            row(">1.0a1", true),
            row("<1.0b1", true),
            row("~=1.0a1", true),
            row("~=1.0", false),
            row("~=1.0.post1", false),
            row("===1.0a1", true),
            row("===1.0", false),
            row("===foobar", false),
            row("==1.0+local", false),
            row("==1.0a1+local", true),
            row(">1.0.post1.dev0", true),
            row("<1.0.post1", false)
        );
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("namesPrerelease")
    void knowsWhetherItNamesAPrerelease(String spec, boolean expected) {
        assertEquals(expected, Specifier.parse(spec).namesPrerelease());
    }

    /**
     * The classic {@code Specifier.contains(v)} rule (pre-releases excluded unless the clause names
     * one), with "names" as in packaging 26: every operator but {@code !=} and wildcards counts, so
     * {@code <2.0a5} admits {@code 2.0a4} (24.x counted only the inclusive operators).
     */
    static Stream<Arguments> defaultPrereleasePolicy() {
        return Stream.of(
            row(">=1.0", "1.5a1", false),
            row(">=1.0", "1.5", true),
            row(">=1.0a1", "1.5a1", true),
            row(">=1.0a1", "1.0a2", true),
            row("<2", "2.0.dev1", false),
            row("<2", "1.9.dev1", false),
            row("<2.0a5", "2.0a4", true),
            row("==1.0a1", "1.0a1", true),
            row("==1.*", "1.0a1", false),
            row("!=1.0a1", "1.0a2", false),
            row("!=1.0", "1.0.post1", true),
            row("~=1.0", "1.1.dev1", false),
            row("~=1.0a1", "1.1.dev1", true),
            row(">1.0.dev1", "1.0.dev2", true),
            row("<=1.0rc1", "1.0a1", true),
            row(">=1.0", "1.0.post1.dev0", false),
            row("===1.0a1", "1.0a1", true),
            row("==1.0+local", "1.0+local", true),
            row(">=0.dev0", "0.dev0", true)
        );
    }

    @ParameterizedTest(name = "[{index}] {0} contains {1} -> {2}")
    @MethodSource("defaultPrereleasePolicy")
    void excludesPrereleasesUnlessNamed(String spec, String candidate, boolean expected) {
        Specifier s = Specifier.parse(spec);
        Version v = Version.parse(candidate);
        assertEquals(expected, s.contains(v));
        // An explicit policy wins in both directions.
        assertEquals(s.contains(v, true) && (!v.isPrerelease()), s.contains(v, false));
    }
}
