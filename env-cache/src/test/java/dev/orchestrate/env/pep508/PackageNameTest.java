package dev.orchestrate.env.pep508;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PEP 503 normalisation and name validity (expectations from {@code packaging.utils}). */
class PackageNameTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "Django|django",
        "oslo.concurrency|oslo-concurrency",
        "requests|requests",
        "A.B-C_D|a-b-c-d",
        "Foo__Bar|foo-bar",
        "foo-_.bar|foo-bar",
        "FOO.-_BAR|foo-bar",
        "zope.interface|zope-interface",
        "typing_extensions|typing-extensions",
        "a|a",
        "1|1",
        "Pillow|pillow",
        "ruamel.yaml.clib|ruamel-yaml-clib",
        "a...b|a-b"})
    void normalises(String name, String expected) {
        assertEquals(expected, PackageName.normalize(name));
        assertEquals(expected, PackageName.normalize(expected));
        assertEquals(true, PackageName.isNormalized(expected));
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' valid={1}")
    @CsvSource(delimiter = '|', value = {
        "a|true", "A|true", "a1|true", "1|true", "0a|true", "a.b|true", "a-b|true", "a_b|true", "A.B-C_D|true",
        "a--b|true", "a._-b|true",
        "''|false", "-a|false", "a-|false", "_a|false", "a_|false", ".a|false", "a.|false", "a b|false",
        "a!|false", "\u00e4|false", "a/b|false", "a+b|false"})
    void validatesNames(String name, boolean expected) {
        assertEquals(expected, PackageName.isValid(name));
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' normalized={1}")
    @CsvSource(delimiter = '|', value = {
        "foo-bar|true", "a|true", "a1-b2|true", "Foo|false", "foo_bar|false", "foo.bar|false", "foo--bar|false",
        "foo-|false", "-foo|false", "''|false"})
    void detectsNormalisedNames(String name, boolean expected) {
        assertEquals(expected, PackageName.isNormalized(name));
    }
}
