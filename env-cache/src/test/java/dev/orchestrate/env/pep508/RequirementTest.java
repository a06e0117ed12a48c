package dev.orchestrate.env.pep508;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.pep440.SpecifierSet;
import dev.orchestrate.env.pep440.Version;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PEP 508 dependency specifiers: the grammar's examples, canonical forms (cache-key stability),
 * and syntax errors with positions. Each canonical form was checked to denote the same requirement
 * as its input under {@code packaging} 26.2.
 */
class RequirementTest {

    private static Arguments row(Object... values) {
        return Arguments.of(values);
    }

    // ---- valid requirements: (input, canonical string) ----

    static Stream<Arguments> valid() {
        return Stream.of(
                // The test list from the dependency specifiers spec.
                row("A", "a"),
                row("A.B-C_D", "a-b-c-d"),
                row("aa", "aa"),
                row("name", "name"),
                row("name<=1", "name<=1"),
                row("name>=3", "name>=3"),
                row("name>=3,", "name>=3"),
                row("name>=3,<2", "name<2,>=3"),
                row("name@http://foo.com", "name @ http://foo.com"),
                row("name [fred,bar] @ http://foo.com ; python_version=='2.7'",
                        "name[bar,fred] @ http://foo.com ; python_version == \"2.7\""),
                row("name[quux, strange];python_version<'2.7' and platform_version=='2'",
                        "name[quux,strange]; python_version < \"2.7\" and platform_version == \"2\""),
                row("name; os_name=='a' or os_name=='b'", "name; os_name == \"a\" or os_name == \"b\""),
                row("name; os_name=='a' and os_name=='b' or os_name=='c'",
                        "name; os_name == \"a\" and os_name == \"b\" or os_name == \"c\""),
                row("name; os_name=='a' and (os_name=='b' or os_name=='c')",
                        "name; os_name == \"a\" and (os_name == \"b\" or os_name == \"c\")"),
                row("name; os_name=='a' or os_name=='b' and os_name=='c'",
                        "name; os_name == \"a\" or os_name == \"b\" and os_name == \"c\""),
                row("name; (os_name=='a' or os_name=='b') and os_name=='c'",
                        "name; (os_name == \"a\" or os_name == \"b\") and os_name == \"c\""),
                // The spec's other examples.
                row("requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"",
                        "requests[security,tests]==2.8.*,>=2.8.1; python_version < \"2.7\""),
                row("pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686",
                        "pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686"),
                row("argparse;python_version<\"2.7\"", "argparse; python_version < \"2.7\""),
                row("pip @ file:///localbuilds/pip-1.3.1-py33-none-any.whl",
                        "pip @ file:///localbuilds/pip-1.3.1-py33-none-any.whl"),
                row("pip @ git+https://github.com/pypa/pip.git@1.3.1#7921be1537eac1e97bc40179a57f0349c2aee67d",
                        "pip @ git+https://github.com/pypa/pip.git@1.3.1#7921be1537eac1e97bc40179a57f0349c2aee67d"),
                // Parenthesised version specs (accepted for PEP 345 compatibility, never printed).
                row("name (>=1.0)", "name>=1.0"),
                row("name(>=1.0,<2)", "name<2,>=1.0"),
                row("name ( >= 1.0 , < 2 )", "name<2,>=1.0"),
                row("name ()", "name"),
                row("name[x](>=1.0)", "name[x]>=1.0"),
                // Extras: normalised, sorted, de-duplicated.
                row("Name[Extra_One, extra.two]>=1.0.0", "name[extra-one,extra-two]>=1.0.0"),
                row("name[]", "name"),
                row("name[ ]", "name"),
                row("name[a,a,A]", "name[a]"),
                row("name[\tb ,a\t]", "name[a,b]"),
                // Specifiers: normalised versions, sorted clauses; === and .* kept as they are.
                row("name==1.0+Local-1", "name==1.0+local.1"),
                row("name===foobar", "name===foobar"),
                row("name === FooBar ; os_name=='nt'", "name===FooBar; os_name == \"nt\""),
                row("name~=1.4.5a4", "name~=1.4.5a4"),
                row("name>=v1.0,!=1.3.*,<2.0", "name!=1.3.*,<2.0,>=1.0"),
                row("name>=1.0.0,>=1.0", "name>=1.0,>=1.0.0"),
                row("name>=1.0,>=1.0", "name>=1.0"),
                row("name==1.0.*", "name==1.0.*"),
                row("name!=01.0.*", "name!=1.0.*"),
                row("name >= 1.0-1", "name>=1.0.post1"),
                row("name>=2014.04", "name>=2014.4"),
                // URLs: a marker after a URL needs whitespace before ';', else ';' is part of the URL.
                row("name@file:///path/x.whl", "name @ file:///path/x.whl"),
                row("name @ file:///path/x.whl ; extra == 'Test_X'", "name @ file:///path/x.whl ; extra == \"test-x\""),
                row("name@http://foo.com;python_version<'3'", "name @ http://foo.com;python_version<'3'"),
                row("name[bar] @ https://x.example/y-1.0-py3-none-any.whl",
                        "name[bar] @ https://x.example/y-1.0-py3-none-any.whl"),
                row("mypkg @ git+https://github.com/o/r.git@v1.0#egg=mypkg",
                        "mypkg @ git+https://github.com/o/r.git@v1.0#egg=mypkg"),
                row("name @ ./relative/path.tar.gz", "name @ ./relative/path.tar.gz"),
                // Whitespace.
                row("  name  ", "name"),
                row("\tname>=1\t", "name>=1"),
                row("name ; python_version >= '3.8'", "name; python_version >= \"3.8\""),
                row("name>=1.0;python_version>='3.8'", "name>=1.0; python_version >= \"3.8\""),
                row("name>=1.0 ;python_version>='3.8' ", "name>=1.0; python_version >= \"3.8\""),
                row("name[bar]>=1.0;os.name=='posix'", "name[bar]>=1.0; os_name == \"posix\""),
                row("name>=1.0,<2;python_version>='3.8'", "name<2,>=1.0; python_version >= \"3.8\""),
                // Real-world spellings.
                row("zope.interface>=5", "zope-interface>=5"),
                row("Django[argon2]==4.2.*", "django[argon2]==4.2.*"),
                row("typing-extensions; python_version < '3.10'", "typing-extensions; python_version < \"3.10\""),
                row("tomli>=1.1.0; python_version < \"3.11\"", "tomli>=1.1.0; python_version < \"3.11\""),
                row("setuptools>=61.0", "setuptools>=61.0"),
                row("pywin32>=306; sys_platform == 'win32' and platform_python_implementation != 'PyPy'",
                        "pywin32>=306; sys_platform == \"win32\" and platform_python_implementation != \"PyPy\""),
                row("importlib_metadata>=3.6; python_full_version<'3.10.2'",
                        "importlib-metadata>=3.6; python_full_version < \"3.10.2\""),
                row("cffi>=1.12; platform_python_implementation != 'PyPy'",
                        "cffi>=1.12; platform_python_implementation != \"PyPy\""),
                row("numpy>=1.26,<3; python_version>='3.12'", "numpy<3,>=1.26; python_version >= \"3.12\""),
                row("build[virtualenv]==1.2.2.post1", "build[virtualenv]==1.2.2.post1"),
                row("snapshot==20260101120000", "snapshot==20260101120000"),
                row("x>=1.0a1,<1.0", "x<1.0,>=1.0a1"),
                row("n1", "n1"),
                row("1n", "1n"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parsesToTheCanonicalForm(String input, String canonical) {
        Requirement r = Requirement.parse(input);
        assertEquals(canonical, r.toCanonicalString());
        // The canonical form is a fixed point and denotes an equal requirement.
        Requirement again = Requirement.parse(canonical);
        assertEquals(canonical, again.toCanonicalString());
        assertEquals(r, again);
        assertEquals(r.hashCode(), again.hashCode());
        assertEquals(PackageName.normalize(r.name()), r.normalizedName());
        assertTrue(Requirement.tryParse(input).isPresent());
    }

    @Test
    void exposesItsParts() {
        Requirement r = Requirement.parse("Requests [Security, tests] >= 2.8.1, == 2.8.* ; python_version < \"2.7\"");
        assertEquals("Requests", r.name());
        assertEquals("requests", r.normalizedName());
        assertEquals(List.of("security", "tests"), List.copyOf(r.extras()));
        assertEquals(SpecifierSet.parse("==2.8.*,>=2.8.1"), r.specifier());
        assertEquals(Optional.empty(), r.url());
        assertEquals("python_version < \"2.7\"", r.marker().orElseThrow().toString());
        assertTrue(r.specifier().contains(Version.parse("2.8.5")));
        assertFalse(r.specifier().contains(Version.parse("2.9")));

        Requirement u = Requirement.parse("pip @ file:///localbuilds/pip-1.3.1.zip");
        assertEquals("file:///localbuilds/pip-1.3.1.zip", u.url().orElseThrow());
        assertTrue(u.specifier().isEmpty());
        assertTrue(u.marker().isEmpty());
        assertTrue(u.extras().isEmpty());
    }

    @Test
    void toStringKeepsTheNameAsWritten() {
        Requirement r = Requirement.parse("Zope.Interface [Test] >= 5 ; os_name == 'posix'");
        assertEquals("Zope.Interface[test]>=5; os_name == \"posix\"", r.toString());
        assertEquals("zope-interface[test]>=5; os_name == \"posix\"", r.toCanonicalString());
    }

    // ---- cache-key stability ----

    static Stream<List<String>> spellingVariants() {
        return Stream.of(
                List.of("na_me[b,a]>=1.0,<2; python_version>='3.8'",
                        "Na.Me [a, b] (<2, >= 1.0) ; (python_version >= \"3.8\")",
                        "NA-ME[A,B]<2,>=v1.0 ;  python_version>='3.8'",
                        "na--me [ B , a ] < 2 , >= 01.0 , ;python_version >= '3.8'",
                        "\tna_me[a,b,a] (>=1.0,<2 , <2) ; python_version>=\"3.8\" "),
                List.of("pkg @ file:///x.whl", "pkg@file:///x.whl", "PKG @ file:///x.whl ", " pkg@ file:///x.whl"),
                List.of("pkg; os.name=='nt' and sys.platform=='win32'",
                        "pkg;os_name==\"nt\"and sys_platform==\"win32\"",
                        "pkg ; (os_name == 'nt') and (sys_platform == 'win32')",
                        "pkg;((os_name=='nt')and(sys_platform=='win32'))"),
                List.of("pkg; extra=='Test_X'", "pkg; extra == \"test-x\"", "pkg; extra == 'TEST.X'", "pkg;extra=='test__x'"),
                List.of("pkg; python_implementation == 'CPython'", "pkg; platform.python_implementation=='CPython'",
                        "pkg; platform_python_implementation == \"CPython\""),
                List.of("pkg>=1.0rc1", "pkg>=1.0c1", "pkg>=1.0-rc-1", "pkg>=1.0RC1", "pkg(>=v1.0.rc.1)"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("spellingVariants")
    void spellingVariationsShareOneCanonicalForm(List<String> spellings) {
        String canonical = Requirement.parse(spellings.get(0)).toCanonicalString();
        for (String s : spellings) {
            Requirement r = Requirement.parse(s);
            assertEquals(canonical, r.toCanonicalString(), s);
            assertEquals(Requirement.parse(spellings.get(0)), r, s);
        }
    }

    @Test
    void semanticallyDifferentRequirementsDiffer() {
        List<String> distinct = List.of("pkg", "pkg>=1.0", "pkg>1.0", "pkg~=1.0", "pkg~=1.0.0", "pkg===1.0", "pkg[a]",
                "pkg[b]", "pkg; os_name == 'nt'", "pkg; os_name == 'NT'", "pkg @ file:///a.whl", "pkg @ file:///b.whl",
                "other", "pkg; os_name == 'a' or os_name == 'b' and os_name == 'c'",
                "pkg; (os_name == 'a' or os_name == 'b') and os_name == 'c'");
        for (String a : distinct) {
            for (String b : distinct) {
                Requirement ra = Requirement.parse(a);
                Requirement rb = Requirement.parse(b);
                assertEquals(a.equals(b), ra.toCanonicalString().equals(rb.toCanonicalString()), a + " vs " + b);
                assertEquals(a.equals(b), ra.equals(rb), a + " vs " + b);
            }
        }
    }

    @Test
    void equalityIgnoresNameSpellingButToStringDoesNot() {
        Requirement a = Requirement.parse("Foo.Bar>=1");
        Requirement b = Requirement.parse("foo-bar>=1");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a.toString(), b.toString());
        assertEquals(a.toCanonicalString(), b.toCanonicalString());
    }

    // ---- syntax errors with positions ----

    static Stream<Arguments> invalid() {
        return Stream.of(
                row("", "Expected package name at the start of dependency specifier", 0, 0),
                row(" ", "Expected package name at the start of dependency specifier", 1, 1),
                row("@", "Expected package name", 0, 0),
                row("[foo]", "Expected package name", 0, 0),
                row(">=1.0", "Expected package name", 0, 0),
                row("-foo", "Expected package name", 0, 0),
                row("foo-", "Expected version specifier, semicolon (after name with no version specifier) or end", 3, 3),
                row("foo_", "Expected version specifier, semicolon", 3, 3),
                row("foo.", "Expected version specifier, semicolon", 3, 3),
                row("foo >= ", "Expected a version after '>='", 4, 7),
                row("foo>=", "Expected a version after '>='", 3, 5),
                row("foo===", "Expected a version after '==='", 3, 6),
                row("foo[", "Expected matching ']' for '[', after extras", 3, 4),
                row("foo[bar", "Expected matching ']' for '['", 3, 7),
                row("foo[bar,", "Expected extra name after comma", 8, 8),
                row("foo[bar baz]", "Expected comma between extra names", 8, 8),
                row("foo[bar,]", "Expected extra name after comma", 8, 8),
                row("foo[,bar]", "Expected matching ']' for '['", 3, 4),
                row("foo[bar_]", "Expected matching ']' for '['", 3, 7),
                row("foo[bar]]", "Expected version specifier, semicolon", 8, 8),
                row("foo (>=1.0", "Expected matching ')' for '(', after version specifier", 4, 10),
                row("foo (>=1.0))", "Expected comma (within version specifier), semicolon (after version specifier) or end", 4, 11),
                row("foo >=1.0 <2", "Expected comma (within version specifier)", 4, 10),
                row("foo >=1.0,,<2", "Expected comma (within version specifier)", 4, 10),
                row("foo>=1.0.*", "Invalid version specifier '>=1.0.*': a '.*' suffix can only be used with == or !=", 3, 10),
                row("foo>=1.0+local", "Invalid version specifier '>=1.0+local': a local version label can only be used with == or !=", 3, 14),
                row("foo==1.0a1.*", "Invalid version specifier '==1.0a1.*'", 3, 12),
                row("foo~=1", "Invalid version specifier '~=1': '~=' needs a version with at least two release segments", 3, 6),
                row("foo>=1.0abc", "Invalid version specifier '>=1.0abc': '1.0abc' is not a valid PEP 440 version", 3, 11),
                row("foo @", "Expected URL after @", 5, 5),
                row("foo @ ", "Expected URL after @", 6, 6),
                row("foo[bar]@", "Expected URL after @", 9, 9),
                row("foo @ url ;", "Expected a marker variable or quoted string", 11, 11),
                row("foo @ url bar", "Expected semicolon (after URL and whitespace) or end", 6, 10),
                row("foo @ file:///x\n", "Expected semicolon (after URL and whitespace) or end", 6, 15),
                row("foo @ file:///x\r\n; os_name=='nt'", "Expected semicolon (after URL and whitespace) or end", 6, 15),
                row("foo>=1.0; ", "Expected a marker variable or quoted string", 10, 10),
                row("foo; python_version", "Expected marker operator", 19, 19),
                row("foo; python_version >=", "Expected a marker variable or quoted string", 22, 22),
                row("foo; python_version >= '3", "Unterminated string", 23, 25),
                row("foo; unknown_var == 'x'", "Unknown marker variable 'unknown_var'", 5, 16),
                row("foo; extras == 'x'", "Unknown marker variable 'extras'", 5, 11),
                row("foo; python_version >= '3' and", "Expected a marker variable or quoted string", 30, 30),
                row("foo; (python_version >= '3'", "Expected matching ')' for '(', after marker expression", 5, 27),
                row("foo; python_version >= '3')", "Expected end of dependency specifier", 26, 26),
                row("foo; python_version not '3'", "Expected 'in' after 'not'", 24, 24),
                row("foo; os_name = 'a'", "Expected marker operator", 13, 13),
                row("foo; os_name == 'a' xor os_name == 'b'", "Expected end of dependency specifier", 20, 20),
                row("foo bar", "Expected version specifier, semicolon", 4, 4),
                row("foo 1.0", "Expected version specifier, semicolon", 4, 4),
                row("foo\n", "Expected version specifier, semicolon", 3, 3),
                row("foo; os_name=='a' or or os_name=='b'", "Expected a marker variable or quoted string", 21, 21),
                row("foo;(", "Expected a marker variable or quoted string", 5, 5),
                row("name; os.name=='a' and platform.release=='x'", "Unknown marker variable 'platform.release'", 23, 39));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsInvalidWithPosition(String input, String reason, int spanStart, int position) {
        InvalidRequirementException e = assertThrows(InvalidRequirementException.class, () -> Requirement.parse(input));
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
        assertTrue(Requirement.tryParse(input).isEmpty());
    }

    @Test
    void errorMessageLooksLikePackagings() {
        InvalidRequirementException e = assertThrows(InvalidRequirementException.class, () -> Requirement.parse("foo >= "));
        assertEquals("Expected a version after '>='\n    foo >= \n        ~~~^", e.getMessage());
    }

    // ---- constructing and applying ----

    @Test
    void constructorValidatesAndNormalises() {
        Requirement r = new Requirement("My_Pkg", List.of("Extra_B", "extra-a"), SpecifierSet.parse(">=1"),
                Optional.empty(), Optional.of(Marker.parse("os_name == 'nt'")));
        assertEquals("my-pkg", r.normalizedName());
        assertEquals(List.of("extra-a", "extra-b"), List.copyOf(r.extras()));
        assertEquals("my-pkg[extra-a,extra-b]>=1; os_name == \"nt\"", r.toCanonicalString());
        assertThrows(UnsupportedOperationException.class, () -> r.extras().add("x"));
        assertThrows(IllegalArgumentException.class, () -> new Requirement("bad name", List.of(), SpecifierSet.empty(),
                Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new Requirement("pkg", List.of("-x"), SpecifierSet.empty(),
                Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new Requirement("pkg", List.of(), SpecifierSet.parse(">=1"),
                Optional.of("file:///x.whl"), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new Requirement("pkg", List.of(), SpecifierSet.empty(),
                Optional.of("file:///a b.whl"), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new Requirement("pkg", List.of(), SpecifierSet.empty(),
                Optional.of("file:///a\nb.whl"), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new Requirement("Pkg", "Pkg", new java.util.TreeSet<>(),
                SpecifierSet.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void appliesToChecksTheMarker() {
        Map<String, String> linux = Map.of("sys_platform", "linux", "python_version", "3.11");
        assertTrue(Requirement.parse("pkg").appliesTo(linux, Set.of()));
        assertFalse(Requirement.parse("pkg; sys_platform == 'win32'").appliesTo(linux, Set.of()));
        assertTrue(Requirement.parse("pkg; python_version >= '3.10'").appliesTo(linux, Set.of()));
        assertFalse(Requirement.parse("pkg; extra == 'test'").appliesTo(linux, Set.of()));
        assertTrue(Requirement.parse("pkg; extra == 'test'").appliesTo(linux, Set.of("Test")));
    }
}
