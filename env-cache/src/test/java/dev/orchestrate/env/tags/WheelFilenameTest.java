package dev.orchestrate.env.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.env.pep440.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Wheel file names per the binary distribution format spec, as packaging parses them. */
class WheelFilenameTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # file name                                                                  | normalised | version  | build | python  | abi         | platform
      foo-1.0-py3-none-any.whl                                                     | foo        | 1.0      |       | py3     | none        | any
      distribution-1.0-1-py27-none-any.whl                                         | distribution | 1.0    | 1     | py27    | none        | any
      six-1.16.0-py2.py3-none-any.whl                                              | six        | 1.16.0   |       | py2.py3 | none        | any
      numpy-1.26.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl      | numpy      | 1.26.2   |       | cp311   | cp311       | manylinux_2_17_x86_64.manylinux2014_x86_64
      Foo_Bar-2.0rc1-py3-none-any.whl                                              | foo-bar    | 2.0rc1   |       | py3     | none        | any
      zope.interface-6.1-cp311-cp311-win_amd64.whl                                 | zope-interface | 6.1  |       | cp311   | cp311       | win_amd64
      cryptography-41.0.7-cp37-abi3-macosx_10_12_universal2.whl                    | cryptography | 41.0.7 |       | cp37    | abi3        | macosx_10_12_universal2
      foo-1.0-2b-py3-none-any.whl                                                  | foo        | 1.0      | 2b    | py3     | none        | any
      foo-1.0.post1+local.7-py3-none-any.whl                                       | foo        | 1.0.post1+local.7 |  | py3 | none       | any
      pip-23.2.1-py3-none-any.whl                                                  | pip        | 23.2.1   |       | py3     | none        | any
      FOO-1.0-PY3-NONE-ANY.whl                                                     | foo        | 1.0      |       | PY3     | NONE        | ANY
      """)
  void parsesTheSpecsNames(String filename, String normalised, String version, String build,
      String python, String abi, String platform) {
    WheelFilename w = WheelFilename.parse(filename);
    assertEquals(normalised, w.normalizedName());
    assertEquals(Version.parse(version), w.version());
    assertEquals(Optional.ofNullable(build), w.build().map(BuildTag::toString));
    assertEquals(List.of(python.split("\\.")), w.pythonTags());
    assertEquals(List.of(abi.split("\\.")), w.abiTags());
    assertEquals(List.of(platform.split("\\.")), w.platformTags());
    assertEquals(filename, w.toString());
  }

  @Test
  void compressedTagSetsExpandToEveryCombinationInLowerCase() {
    WheelFilename w = WheelFilename.parse("foo-1.0-py2.py3-none-manylinux1_x86_64.LINUX_x86_64.whl");
    assertEquals(List.of(
        Tag.parse("py2-none-manylinux1_x86_64"), Tag.parse("py2-none-linux_x86_64"),
        Tag.parse("py3-none-manylinux1_x86_64"), Tag.parse("py3-none-linux_x86_64")),
        new ArrayList<>(w.tags()));
    assertTrue(WheelFilename.parse("six-1.16.0-py2.py3-none-any.whl").isUniversalPlatform());
    assertFalse(w.isUniversalPlatform());
  }

  @Test
  void buildTagsOrderByNumberThenTextAndAWheelWithoutOneComesFirst() {
    List<String> names = List.of("foo-1.0-10-py3-none-any.whl", "foo-1.0-2b-py3-none-any.whl",
        "foo-1.0-py3-none-any.whl", "foo-1.0-2-py3-none-any.whl", "foo-1.0-2a-py3-none-any.whl");
    List<String> sorted = names.stream().map(WheelFilename::parse)
        .sorted((a, b) -> BuildTag.ORDER.compare(a.build(), b.build()))
        .map(WheelFilename::filename).toList();
    assertEquals(List.of("foo-1.0-py3-none-any.whl", "foo-1.0-2-py3-none-any.whl",
        "foo-1.0-2a-py3-none-any.whl", "foo-1.0-2b-py3-none-any.whl", "foo-1.0-10-py3-none-any.whl"),
        sorted);
    assertEquals(new BuildTag(2, "b"), WheelFilename.parse("foo-1.0-2b-py3-none-any.whl").build().get());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      foo-1.0-py3-none-any.zip             | ends with `.whl`
      foo-1.0-py3-none.whl                 | found 4 dash-separated parts
      foo-1.0-1-2-py3-none-any.whl         | found 7 dash-separated parts
      foo-1.0-a1-py3-none-any.whl          | build tag `a1` must start with a digit
      foo__bar-1.0-py3-none-any.whl        | `foo__bar` is not a valid escaped project name
      -1.0-py3-none-any.whl                | `` is not a valid escaped project name
      f@o-1.0-py3-none-any.whl             | `f@o` is not a valid escaped project name
      foo-one-py3-none-any.whl             | `one` is not a PEP 440 version
      foo-1.0-py3..py2-none-any.whl        | `py3..py2` is not a valid python tag set
      foo-1.0-py3--any.whl                 | `` is not a valid abi tag set
      foo-1.0-99999999999999999999-py3-none-any.whl | build number `99999999999999999999` is too large
      """)
  void invalidNamesSayWhatIsWrong(String filename, String reason) {
    InvalidFilenameException e = assertThrows(InvalidFilenameException.class,
        () -> WheelFilename.parse(filename));
    assertEquals(filename, e.filename());
    assertTrue(e.getMessage().startsWith("invalid wheel file name `" + filename + "`: "), e.getMessage());
    assertTrue(e.reason().contains(reason), e.reason());
    assertEquals(Optional.empty(), WheelFilename.tryParse(filename));
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo-1.0.tar.gz", "Foo_Bar-1.0.zip", "foo.bar-2.0rc1.tar.gz"})
  void sdistNamesSplitAtTheLastDash(String filename) {
    SdistFilename s = SdistFilename.parse(filename);
    assertTrue(SdistFilename.looksLikeSdist(filename));
    assertEquals(filename, s.filename());
    assertEquals(s.normalizedName(), SdistFilename.forProject(filename, s.name()).get().normalizedName());
  }

  @Test
  void legacySdistNamesWithDashesMatchTheProjectTheyBelongTo() {
    assertEquals(Version.parse("1.0"), SdistFilename.forProject("foo-bar-1.0.tar.gz", "foo-bar").get().version());
    assertEquals("foo-bar", SdistFilename.parse("foo-bar-1.0.tar.gz").normalizedName());
    assertEquals(Optional.empty(), SdistFilename.forProject("foo-bar-1.0.tar.gz", "foo"));
    assertEquals(Optional.empty(), SdistFilename.forProject("foobar-1.0.tar.gz", "foo"));
    assertEquals(Optional.empty(), SdistFilename.forProject("foo-1.0.whl", "foo"));
    assertThrows(InvalidFilenameException.class, () -> SdistFilename.parse("foo.tar.gz"));
    assertThrows(InvalidFilenameException.class, () -> SdistFilename.parse("foo-1.0.rpm"));
    assertThrows(InvalidFilenameException.class, () -> SdistFilename.parse("foo-x.y.tar.gz"));
  }

  /** The same names through pip's vendored packaging: same verdict, name, version, build, tags. */
  @Test
  void agreesWithPackagingParseWheelFilename() throws Exception {
    List<String> names = List.of("foo-1.0-py3-none-any.whl", "distribution-1.0-1-py27-none-any.whl",
        "six-1.16.0-py2.py3-none-any.whl", "Foo_Bar-2.0rc1-py3-none-any.whl",
        "numpy-1.26.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "foo-1.0-2b-py3-none-any.whl", "foo-1.0.post1+local.7-py3-none-any.whl",
        "FOO-1.0-PY3-NONE-ANY.whl", "foo.bar-1!2.0-py3-none-any.whl",
        "foo-1.0-py3-none-any.zip", "foo-1.0-py3-none.whl", "foo-1.0-a1-py3-none-any.whl",
        "foo__bar-1.0-py3-none-any.whl", "foo-one-py3-none-any.whl", "foo-1.0-1-2-py3-none-any.whl");
    String script = """
        import json, sys
        from pip._vendor.packaging.utils import parse_wheel_filename
        out = {}
        for n in json.load(sys.stdin):
            try:
                name, ver, build, tags = parse_wheel_filename(n)
                out[n] = [name, str(ver), "".join(map(str, build)), sorted(map(str, tags))]
            except Exception:
                out[n] = None
        print(json.dumps(out))
        """;
    Map<?, ?> reference = new ObjectMapper().readValue(
        TagsPython.run(script, new ObjectMapper().writeValueAsString(names)), Map.class);
    for (String n : names) {
      Object expected = reference.get(n);
      Optional<WheelFilename> ours = WheelFilename.tryParse(n);
      if (expected == null) {
        assertEquals(Optional.empty(), ours, n);
        continue;
      }
      WheelFilename w = ours.orElseThrow(() -> new AssertionError("packaging accepts " + n));
      Set<String> tags = w.tags().stream().map(Tag::toString).collect(Collectors.toCollection(TreeSet::new));
      assertEquals(expected, List.of(w.normalizedName(), w.version().toString(),
          w.build().map(BuildTag::toString).orElse(""), new ArrayList<>(tags)), n);
    }
  }
}
