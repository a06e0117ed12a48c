package dev.orchestrate.env.pep440;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PEP 440 version parsing, normalisation and ordering. Expected values were cross-checked against
 * {@code packaging} 26.2; deliberate differences are in {@link #deliberatelyRejected}.
 */
class VersionTest {

    private static Arguments row(Object... values) {
        return Arguments.of(values);
    }

    // ---- normalisation: every alternative spelling from the spec, and more ----

    static Stream<Arguments> normalisation() {
        return Stream.of(
            row("  1.0  ", "1.0"),
            row("\t1.0\n", "1.0"),
            row("1.0\r\n", "1.0"),
            row("\0131.0\f", "1.0"),
            row(" v1.0a1 ", "1.0a1"),
            row("1.0", "1.0"),
            row("1.0.0", "1.0.0"),
            row("1", "1"),
            row("v1.0", "1.0"),
            row("V1.0", "1.0"),
            row("01.02.003", "1.2.3"),
            row("09000", "9000"),
            row("00", "0"),
            row("0", "0"),
            row("1.0a1", "1.0a1"),
            row("1.0A1", "1.0a1"),
            row("1.0alpha1", "1.0a1"),
            row("1.0ALPHA1", "1.0a1"),
            row("1.0.a1", "1.0a1"),
            row("1.0-a1", "1.0a1"),
            row("1.0_a1", "1.0a1"),
            row("1.0a.1", "1.0a1"),
            row("1.0a-1", "1.0a1"),
            row("1.0a_1", "1.0a1"),
            row("1.0a", "1.0a0"),
            row("1.0.alpha", "1.0a0"),
            row("1.0-alpha-2", "1.0a2"),
            row("1.0b2", "1.0b2"),
            row("1.0beta2", "1.0b2"),
            row("1.0.beta.2", "1.0b2"),
            row("1.0B", "1.0b0"),
            row("1.0c3", "1.0rc3"),
            row("1.0C3", "1.0rc3"),
            row("1.0rc3", "1.0rc3"),
            row("1.0RC3", "1.0rc3"),
            row("1.0pre3", "1.0rc3"),
            row("1.0preview3", "1.0rc3"),
            row("1.0.pre", "1.0rc0"),
            row("1.0-preview", "1.0rc0"),
            row("1.0.c", "1.0rc0"),
            row("1.0-rc-1", "1.0rc1"),
            row("1.1RC1", "1.1rc1"),
            row("1.1alpha1", "1.1a1"),
            row("1.1beta2", "1.1b2"),
            row("1.1c3", "1.1rc3"),
            row("1.1.a1", "1.1a1"),
            row("1.1-a1", "1.1a1"),
            row("1.2a", "1.2a0"),
            row("1.0.post1", "1.0.post1"),
            row("1.0post1", "1.0.post1"),
            row("1.0-post1", "1.0.post1"),
            row("1.0_post1", "1.0.post1"),
            row("1.0.post.1", "1.0.post1"),
            row("1.0.post-1", "1.0.post1"),
            row("1.0.post_1", "1.0.post1"),
            row("1.0.post", "1.0.post0"),
            row("1.0post", "1.0.post0"),
            row("1.0-1", "1.0.post1"),
            row("1.0-01", "1.0.post1"),
            row("1.0.rev1", "1.0.post1"),
            row("1.0-r4", "1.0.post4"),
            row("1.0r", "1.0.post0"),
            row("1.0.REV", "1.0.post0"),
            row("1.0.Post2", "1.0.post2"),
            row("1.2-post2", "1.2.post2"),
            row("1.2post2", "1.2.post2"),
            row("1.2.post-2", "1.2.post2"),
            row("1.2.post", "1.2.post0"),
            row("1.0.dev1", "1.0.dev1"),
            row("1.0dev1", "1.0.dev1"),
            row("1.0-dev1", "1.0.dev1"),
            row("1.0_dev1", "1.0.dev1"),
            row("1.0.dev.1", "1.0.dev1"),
            row("1.0.dev-1", "1.0.dev1"),
            row("1.0.dev", "1.0.dev0"),
            row("1.0dev", "1.0.dev0"),
            row("1.0.DEV3", "1.0.dev3"),
            row("1.2-dev2", "1.2.dev2"),
            row("1.2dev2", "1.2.dev2"),
            row("1.2.dev", "1.2.dev0"),
            row("1.0a1.post2.dev3", "1.0a1.post2.dev3"),
            row("1.0a1-2.dev3", "1.0a1.post2.dev3"),
            row("1.0rc1-1", "1.0rc1.post1"),
            row("1.0.post1.dev2", "1.0.post1.dev2"),
            row("1.0-1-dev2", "1.0.post1.dev2"),
            row("1.0-1.dev2", "1.0.post1.dev2"),
            row("1.0b2.post345.dev456", "1.0b2.post345.dev456"),
            row("1.0c1.dev", "1.0rc1.dev0"),
            row("1.0pre.post.dev", "1.0rc0.post0.dev0"),
            row("1.0alpha-post-dev", "1.0a0.post0.dev0"),
            row("1!1.0", "1!1.0"),
            row("0!1.0", "1.0"),
            row("01!1.0", "1!1.0"),
            row("2!0", "2!0"),
            row("1!1.0a1.post2.dev3+local.7", "1!1.0a1.post2.dev3+local.7"),
            row("V1!2.0", "1!2.0"),
            row("1.0+ubuntu-1", "1.0+ubuntu.1"),
            row("1.0+ubuntu_1", "1.0+ubuntu.1"),
            row("1.0+ubuntu.1", "1.0+ubuntu.1"),
            row("1.0+Ubuntu.1", "1.0+ubuntu.1"),
            row("1.0+abc.5", "1.0+abc.5"),
            row("1.0+5", "1.0+5"),
            row("1.0+007", "1.0+7"),
            row("1.0+foo0100", "1.0+foo0100"),
            row("1.0+00", "1.0+0"),
            row("1.0+a.b.c", "1.0+a.b.c"),
            row("1.0+1.0.0", "1.0+1.0.0"),
            row("1.0a1+x", "1.0a1+x"),
            row("1.0.post1+x", "1.0.post1+x"),
            row("1.0.dev1+x", "1.0.dev1+x"),
            row("2012.4", "2012.4"),
            row("2013.10", "2013.10"),
            row("2014.04", "2014.4"),
            row("20260101120000", "20260101120000"),
            row("1.20260101120000", "1.20260101120000"),
            row("9223372036854775807", "9223372036854775807"),
            row("1.0.9223372036854775807", "1.0.9223372036854775807"),
            row("1.0a9223372036854775807", "1.0a9223372036854775807"),
            row("1.0+99999999999999999999999999", "1.0+99999999999999999999999999"),
            row("1.0.0.0.0.0", "1.0.0.0.0.0"),
            row("0.0", "0.0"),
            row("1.0.15", "1.0.15"),
            row("3.11.0rc1", "3.11.0rc1"),
            row("3.13.0a2", "3.13.0a2"),
            row("2.7.18", "2.7.18"),
            row("1.0-post-", "1.0.post0"),
            row("1.0-dev-", "1.0.dev0")
        );
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("normalisation")
    void normalises(String input, String expected) {
        Version v = Version.parse(input);
        assertEquals(expected, v.toString());
        // The normal form is a fixed point and denotes the same version.
        assertEquals(expected, Version.parse(expected).toString());
        assertEquals(Version.parse(expected), v);
        assertTrue(Version.isValid(input));
    }

    static Stream<String> invalid() {
        return Stream.of(
            "",
            " ",
            "french toast",
            "1.0-",
            "1.0+",
            "1.0+_abc",
            "1.0+abc_",
            "+1.0",
            ".1",
            "1.",
            "1..0",
            "1.0a1a2",
            "1.0.post1.post2",
            "1.0.dev1.dev2",
            "1.0.dev1.post1",
            "1.0+abc+def",
            "1.0 a1",
            "1 .0",
            "vv1.0",
            "v 1.0",
            "1.0-1-1",
            "1!",
            "!1.0",
            "1!!1.0",
            "a1.0",
            "1.0.x",
            "1.0a1b1",
            "1.0+",
            "1.0+loc..al",
            "1.0+ loc",
            "1.0++local",
            "1.0_",
            "1.0.",
            "1,0",
            "\uff11.0",
            "1.0\u00df",
            "1.0+\u210c",
            "1.0.post1-1",
            "-1.0",
            "1.0-+local",
            "1.0.*",
            "==1.0",
            "dev",
            "post1",
            "1.0alphabeta",
            "1.0rc1rc2",
            "1e5",
            "0x10"
        );
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsInvalid(String input) {
        InvalidVersionException e = assertThrows(InvalidVersionException.class, () -> Version.parse(input));
        assertEquals(input, e.input());
        assertTrue(e.getMessage().contains("'" + input + "'"), e.getMessage());
        assertFalse(Version.isValid(input));
        assertTrue(Version.tryParse(input).isEmpty());
    }

    /**
     * packaging accepts these, we do not: the spec names only ASCII whitespace as ignorable
     * (Python's {@code \s} also matches Unicode spaces), and numeric components beyond
     * {@link Long#MAX_VALUE} are refused instead of wrapping.
     */
    static Stream<String> deliberatelyRejected() {
        return Stream.of(
            "1.0\u00a0",
            "\u00a01.0",
            "1.0\u2009",
            "99999999999999999999",
            "1.99999999999999999999",
            "1!99999999999999999999"
        );
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("deliberatelyRejected")
    void deliberatelyRejectsWhatPackagingTolerates(String input) {
        assertThrows(InvalidVersionException.class, () -> Version.parse(input));
    }

    @Test
    void overflowMessageNamesTheComponent() {
        InvalidVersionException e =
                assertThrows(InvalidVersionException.class, () -> Version.parse("1.99999999999999999999"));
        assertTrue(e.getMessage().contains("99999999999999999999"), e.getMessage());
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    // ---- accessors ----

    static Stream<Arguments> accessors() {
        return Stream.of(
            row("1.0", 0L, "1.0", "", -1L, -1L, "", false, false, false, "1.0", "1.0", "1.0"),
            row("v01.02.003", 0L, "1.2.3", "", -1L, -1L, "", false, false, false, "1.2.3", "1.2.3", "1.2.3"),
            row("1!2.0rc1.post2.dev3+Ubuntu-1.007", 1L, "2.0", "rc1", 2L, 3L, "ubuntu.1.7", true, true, true, "1!2.0rc1.post2.dev3", "1!2.0", "1!2.0rc1.post2.dev3+ubuntu.1.7"),
            row("1.0.dev0", 0L, "1.0", "", -1L, 0L, "", true, false, true, "1.0.dev0", "1.0", "1.0.dev0"),
            row("1.0a0", 0L, "1.0", "a0", -1L, -1L, "", true, false, false, "1.0a0", "1.0", "1.0a0"),
            row("1.0.post0", 0L, "1.0", "", 0L, -1L, "", false, true, false, "1.0.post0", "1.0", "1.0.post0"),
            row("1.0b2.post3", 0L, "1.0", "b2", 3L, -1L, "", true, true, false, "1.0b2.post3", "1.0", "1.0b2.post3"),
            row("1.0.post1.dev2", 0L, "1.0", "", 1L, 2L, "", true, true, true, "1.0.post1.dev2", "1.0", "1.0.post1.dev2"),
            row("1.0rc1.dev1", 0L, "1.0", "rc1", -1L, 1L, "", true, false, true, "1.0rc1.dev1", "1.0", "1.0rc1.dev1"),
            row("2!1", 2L, "1", "", -1L, -1L, "", false, false, false, "2!1", "2!1", "2!1"),
            row("1.0+abc.5", 0L, "1.0", "", -1L, -1L, "abc.5", false, false, false, "1.0", "1.0", "1.0+abc.5"),
            row("3.11.0a7", 0L, "3.11.0", "a7", -1L, -1L, "", true, false, false, "3.11.0a7", "3.11.0", "3.11.0a7"),
            row("1.0c1", 0L, "1.0", "rc1", -1L, -1L, "", true, false, false, "1.0rc1", "1.0", "1.0rc1"),
            row("0!0.0.0", 0L, "0.0.0", "", -1L, -1L, "", false, false, false, "0.0.0", "0.0.0", "0.0.0"),
            row("1.2.3.4.5", 0L, "1.2.3.4.5", "", -1L, -1L, "", false, false, false, "1.2.3.4.5", "1.2.3.4.5", "1.2.3.4.5"),
            row("1.0-1", 0L, "1.0", "", 1L, -1L, "", false, true, false, "1.0.post1", "1.0", "1.0.post1"),
            row("20260101120000.5", 0L, "20260101120000.5", "", -1L, -1L, "", false, false, false, "20260101120000.5", "20260101120000.5", "20260101120000.5")
        );
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("accessors")
    void exposesComponents(String input, long epoch, String release, String pre, long post, long dev, String local,
            boolean isPre, boolean isPost, boolean isDev, String publicVersion, String baseVersion, String normal) {
        Version v = Version.parse(input);
        assertEquals(epoch, v.epoch());
        assertEquals(release,
                v.release().stream().map(String::valueOf).collect(Collectors.joining(".")));
        assertEquals(pre, v.pre().map(PreRelease::toString).orElse(""));
        assertEquals(post, v.post().orElse(-1));
        assertEquals(dev, v.dev().orElse(-1));
        assertEquals(local, v.localLabel().orElse(""));
        assertEquals(!local.isEmpty(), v.hasLocal());
        assertEquals(local.isEmpty() ? 0 : local.split("\\.").length, v.local().size());
        assertEquals(isPre, v.isPrerelease());
        assertEquals(isPost, v.isPostrelease());
        assertEquals(isDev, v.isDevrelease());
        assertEquals(publicVersion, v.publicVersion().toString());
        assertEquals(baseVersion, v.baseVersion().toString());
        assertEquals(normal, v.toString());
    }

    @Test
    void preReleaseKindsAndNumbers() {
        assertEquals(new PreRelease(PreRelease.Kind.ALPHA, 0), Version.parse("1.0alpha").pre().orElseThrow());
        assertEquals(new PreRelease(PreRelease.Kind.BETA, 2), Version.parse("1.0.beta-2").pre().orElseThrow());
        assertEquals(new PreRelease(PreRelease.Kind.RELEASE_CANDIDATE, 3), Version.parse("1.0c3").pre().orElseThrow());
        assertEquals(new PreRelease(PreRelease.Kind.RELEASE_CANDIDATE, 0), Version.parse("1.0preview").pre().orElseThrow());
        assertTrue(Version.parse("1.0").pre().isEmpty());
    }

    @Test
    void localSegmentsDistinguishNumbersFromStrings() {
        List<LocalSegment> local = Version.parse("1.0+Ubuntu-007_x1.0").local();
        assertEquals(List.of("ubuntu", "7", "x1", "0"), local.stream().map(LocalSegment::value).collect(Collectors.toList()));
        assertFalse(local.get(0).isNumeric());
        assertTrue(local.get(1).isNumeric());
        assertFalse(local.get(2).isNumeric());
        assertTrue(local.get(3).isNumeric());
        // Any number sorts after any string, numbers compare numerically, strings lexically.
        assertTrue(LocalSegment.of("zzz").compareTo(LocalSegment.of("0")) < 0);
        assertTrue(LocalSegment.of("9").compareTo(LocalSegment.of("10")) < 0);
        assertTrue(LocalSegment.of("abc").compareTo(LocalSegment.of("abd")) < 0);
        assertEquals(0, LocalSegment.of("007").compareTo(LocalSegment.of("7")));
        assertTrue(LocalSegment.of("99999999999999999999999")
                .compareTo(LocalSegment.of("100000000000000000000000")) < 0);
    }

    @Test
    void bigDateStampsWork() {
        Version v = Version.parse("20260101120000");
        assertEquals(List.of(20260101120000L), v.release());
        assertEquals(20260101120000L, v.major());
        assertTrue(v.compareTo(Version.parse("20260101115959")) > 0);
        assertTrue(Version.parse("1.20260101120000").compareTo(Version.parse("1.20260101120001")) < 0);
        assertEquals(Long.MAX_VALUE, Version.parse("9223372036854775807").major());
        assertEquals(Long.MAX_VALUE, Version.parse("1.0.dev9223372036854775807").dev().orElseThrow());
    }

    @Test
    void majorMinorMicroPadWithZeros() {
        Version v = Version.parse("3");
        assertEquals(3, v.major());
        assertEquals(0, v.minor());
        assertEquals(0, v.micro());
        Version w = Version.parse("3.11.4.2");
        assertEquals(3, w.major());
        assertEquals(11, w.minor());
        assertEquals(4, w.micro());
    }

    @Test
    void ofBuildsFinalReleases() {
        assertEquals(Version.parse("3.11"), Version.of(3, 11));
        assertEquals("3.11.0", Version.of(3, 11, 0).toString());
        assertThrows(IllegalArgumentException.class, Version::of);
        assertThrows(IllegalArgumentException.class, () -> Version.of(1, -1));
    }

    @Test
    void releaseListIsImmutable() {
        Version v = Version.parse("1.2.3");
        assertThrows(UnsupportedOperationException.class, () -> v.release().set(0, 9L));
        assertThrows(UnsupportedOperationException.class, () -> Version.parse("1+a").local().clear());
    }

    // ---- canonical form check (the spec's is_canonical) ----

    static Stream<Arguments> canonical() {
        return Stream.of(
            row("1.0", true),
            row("1.0.0", true),
            row("0", true),
            row("1!1.0", true),
            row("1.0a1", true),
            row("1.0rc1", true),
            row("1.0.post1", true),
            row("1.0.dev1", true),
            row("1.0a1.post2.dev3", true),
            row("1.0c1", false),
            row("1.0.0a1", true),
            row("01.0", false),
            row("1.01", false),
            row("0!1.0", false),
            row("v1.0", false),
            row("1.0+local", false),
            row("1.0-1", false),
            row("1.0alpha1", false),
            row("1.0.a1", false),
            row("1.0post1", false),
            row("1.0.DEV1", false),
            row(" 1.0", false),
            row("1.0 ", false),
            row("1.0rc", false),
            row("1.0.post", false)
        );
    }

    @ParameterizedTest(name = "[{index}] {0} canonical={1}")
    @MethodSource("canonical")
    void detectsCanonicalForm(String input, boolean expected) {
        assertEquals(expected, Version.isCanonical(input));
    }

    // ---- ordering ----

    /** Strictly increasing; includes the spec's own example list as a subsequence. */
    static final List<String> SORTED = List.of(
            "0.dev0",
            "0",
            "0.0.1",
            "0.9",
            "0.9.1",
            "0.9.2",
            "0.9.10",
            "0.9.11",
            "1.dev0",
            "1.0.dev456",
            "1.0.dev9223372036854775807",
            "1.0a1.dev0",
            "1.0a1",
            "1.0a1+loc",
            "1.0a1.post0.dev0",
            "1.0a1.post0",
            "1.0a1.post1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0a9223372036854775807",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0b2-346",
            "1.0c1.dev456",
            "1.0rc1",
            "1.0rc1.post1.dev1",
            "1.0rc2",
            "1.0c3",
            "1.0",
            "1.0+a.b",
            "1.0+A.c",
            "1.0+abc",
            "1.0+abc.a",
            "1.0+abc.0",
            "1.0+abc.5",
            "1.0+abc.5.1",
            "1.0+abc.7",
            "1.0+0",
            "1.0+5",
            "1.0+6",
            "1.0+10",
            "1.0+99999999999999999999999999",
            "1.0+100000000000000000000000000",
            "1.0.post0.dev0",
            "1.0.post0",
            "1.0.post0+x",
            "1.0.post1.dev0",
            "1.0.post1",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.0.1",
            "1.0.1.dev3",
            "1.0.1a1",
            "1.0.1",
            "1.0.15",
            "1.0.9223372036854775807",
            "1.1.dev1",
            "1.1",
            "1.2+123abc",
            "1.2+123abc456",
            "1.2+abc",
            "1.2+abc123",
            "1.2+abc123def",
            "1.2+1234.abc",
            "1.2+123456",
            "1.2.r32+123456",
            "1.2.rev33+123456",
            "2.0",
            "2.0.post1",
            "2.0.1",
            "3.9",
            "3.10",
            "3.11.0a1",
            "3.11.0rc2",
            "3.11",
            "3.11.1",
            "3.11.12",
            "2012.4",
            "2012.7",
            "2012.10",
            "2013.1",
            "2013.6",
            "2013.10",
            "2014.04",
            "20260101120000",
            "1!1.0.dev456",
            "1!1.0a1",
            "1!1.0a2.dev456",
            "1!1.0a12.dev456",
            "1!1.0a12",
            "1!1.0b1.dev456",
            "1!1.0b2",
            "1!1.0b2.post345.dev456",
            "1!1.0b2.post345",
            "1!1.0b2-346",
            "1!1.0c1.dev456",
            "1!1.0c1",
            "1!1.0rc2",
            "1!1.0c3",
            "1!1.0",
            "1!1.0.post456.dev34",
            "1!1.0.post456",
            "1!1.1.dev1",
            "1!1.2+123abc",
            "1!1.2+123abc456",
            "1!1.2+abc",
            "1!1.2+abc123",
            "1!1.2+abc123def",
            "1!1.2+1234.abc",
            "1!1.2+123456",
            "1!1.2.r32+123456",
            "1!1.2.rev33+123456",
            "1!2013.10",
            "2!0.dev0"
    );

    static final List<String> SPEC_EXAMPLE = List.of(
            "1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
            "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
            "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1");

    @Test
    void specExampleListIsInOrder() {
        List<Version> versions = SPEC_EXAMPLE.stream().map(Version::parse).collect(Collectors.toList());
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i - 1).compareTo(versions.get(i)) < 0,
                    versions.get(i - 1) + " < " + versions.get(i));
        }
    }

    @Test
    void everyPairIsOrderedConsistently() {
        List<Version> versions = SORTED.stream().map(Version::parse).collect(Collectors.toList());
        for (int i = 0; i < versions.size(); i++) {
            for (int k = 0; k < versions.size(); k++) {
                Version a = versions.get(i);
                Version b = versions.get(k);
                int expected = Integer.compare(i, k);
                assertEquals(expected, Integer.signum(a.compareTo(b)), a + " vs " + b);
                assertEquals(i == k, a.equals(b), a + " equals " + b);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 440, 508, 20260101})
    void sortingAShuffledCopyReproducesTheOrder(long seed) {
        List<Version> expected = SORTED.stream().map(Version::parse).collect(Collectors.toList());
        List<Version> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(seed));
        Collections.sort(shuffled);
        assertEquals(SORTED, shuffled.stream().map(VersionTest::original).collect(Collectors.toList()));
    }

    private static String original(Version v) {
        for (String s : SORTED) {
            if (Version.parse(s).toString().equals(v.toString())) {
                return s;
            }
        }
        throw new AssertionError(v);
    }

    static Stream<Arguments> specificOrderings() {
        return Stream.of(
                row("1.0.dev0", "1.0a0"),
                row("1.0a1.dev0", "1.0a1"),
                row("1.0.post0.dev0", "1.0.post0"),
                row("1.0", "1.0+local"),
                row("1.0+local", "1.0.post0.dev0"),
                row("1.0.post0", "1.0.post1.dev0"),
                row("1.0rc9", "1.0"),
                row("1.0.dev9", "1.0a0.dev0"),
                row("1.0a0.post9", "1.0a1.dev0"),
                row("1.0+abc", "1.0+abc.0"),
                row("1.0+zzz", "1.0+0"),
                row("1.0+9", "1.0+10"),
                row("1.0+a", "1.0+b"),
                row("0.9.9999", "1.0.dev0"),
                row("1.9", "1.10"),
                row("3.9", "3.10"),
                row("2014.04", "1!1.0"),
                row("1.0.post1", "1.0.1.dev0"),
                row("1!0.dev0", "2!0.dev0"));
    }

    @ParameterizedTest(name = "[{index}] {0} < {1}")
    @MethodSource("specificOrderings")
    void ordersPairs(String lower, String higher) {
        Version a = Version.parse(lower);
        Version b = Version.parse(higher);
        assertTrue(a.compareTo(b) < 0);
        assertTrue(b.compareTo(a) > 0);
        assertNotEquals(a, b);
    }

    static Stream<List<String>> equalityGroups() {
        return Stream.of(
                List.of("1", "1.0", "1.0.0", "1.0.0.0.0", "v1.0", "V1.0.0", "0!1.0", " 1.0\n"),
                List.of("1.0c1", "1.0rc1", "1.0pre1", "1.0preview1", "1.0-C-1", "1.0.0rc1"),
                List.of("1.0.post1", "1.0-1", "1.0r1", "1.0rev1", "1.0.POST.1", "1.0.0.post1"),
                List.of("1.0a", "1.0a0", "1.0alpha0", "1.0.ALPHA", "1.0-a-0"),
                List.of("1.0.dev", "1.0.dev0", "1.0-dev", "1.0dev0"),
                List.of("1.0+ubuntu.1", "1.0+UBUNTU-1", "1.0+ubuntu_01", "1.0.0+ubuntu.001"),
                List.of("1!2.0", "01!2", "1!2.0.0"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("equalityGroups")
    void equalVersionsHaveEqualHashesAndCompareEqual(List<String> group) {
        Version first = Version.parse(group.get(0));
        for (String s : group) {
            Version v = Version.parse(s);
            assertEquals(first, v, s);
            assertEquals(first.hashCode(), v.hashCode(), s);
            assertEquals(0, first.compareTo(v), s);
        }
    }

    @Test
    void differentGroupsAreNotEqual() {
        List<Version> representatives = equalityGroups().map(g -> Version.parse(g.get(0))).collect(Collectors.toList());
        for (int i = 0; i < representatives.size(); i++) {
            for (int k = 0; k < representatives.size(); k++) {
                assertEquals(i == k, representatives.get(i).equals(representatives.get(k)));
            }
        }
    }

    @Test
    void trailingZerosDoNotChangeThePrintedForm() {
        // Equal, but each prints as written (normalised), not stripped.
        assertEquals("1.0.0", Version.parse("1.0.0").toString());
        assertEquals("1", Version.parse("1").toString());
    }
}
