package dev.orchestrate.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemberGlobTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "packages/*,       packages/a,       true",
        "packages/*,       packages/a/b,     false",
        "packages/*,       packages,         false",
        "packages/**,      packages,         true",
        "packages/**,      packages/a/b,     true",
        "**/tests,         tests,            true",
        "**/tests,         a/b/tests,        true",
        "**/tests,         a/b/tests2,       false",
        "a/**/b,           a/b,              true",
        "a/**/b,           a/x/y/b,          true",
        "a/**/b,           a/x/y/c,          false",
        "**,               anything/at/all,  true",
        "**/**,            a,                true",
        "pkg-?,            pkg-1,            true",
        "pkg-?,            pkg-10,           false",
        "pkg-[ab],         pkg-a,            true",
        "pkg-[!ab],        pkg-a,            false",
        "pkg-[!ab],        pkg-c,            true",
        "./libs/*,         libs/x,           true",
        "libs/*/,          libs/x,           true",
        "lib.x,            libax,            false",
    })
    void pathRegexMatchesLikeAGlob(String pattern, String path, boolean matches) {
        assertEquals(matches, MemberGlob.pathRegex(pattern).matcher(path).matches());
    }

    @Test
    void literalAndWildcardPatternsAreTold() {
        assertTrue(MemberGlob.of("packages/api").isLiteral());
        assertTrue(MemberGlob.of("../other").isLiteral());
        assertFalse(MemberGlob.of("packages/*").isLiteral());
        assertFalse(MemberGlob.of("pkg-[ab]").isLiteral());
        assertTrue(MemberGlob.isAbsolute("/abs"));
        assertTrue(MemberGlob.isAbsolute("C:\\x"));
        assertFalse(MemberGlob.isAbsolute("rel/x"));
    }

    @Test
    void anInvalidGlobIsRejectedWhenParsed() {
        assertThrows(IllegalArgumentException.class, () -> MemberGlob.of("pkgs/[z-a]"));
        assertThrows(IllegalArgumentException.class,
                () -> MemberGlob.pathRegex("pkgs/[z-a]"));
        assertTrue(MemberGlob.pathRegex("pkg-[a&&b]").matcher("pkg-&").matches());
    }

    @Test
    void aLiteralExpandsToItsPathEvenWhenMissing() {
        Path root = Path.of("/nowhere/ws");
        assertEquals(List.of(root.resolve("a").resolve("b")), MemberGlob.of("a/b").expand(root));
    }
}
