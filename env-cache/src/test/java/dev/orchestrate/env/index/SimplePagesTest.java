package dev.orchestrate.env.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Project pages in the forms indexes really write them. */
class SimplePagesTest {
  static final String PAGE = "https://idx.example/simple/foo/";
  static final String SHA = "ab".repeat(32);

  @Test
  void htmlAttributesInAnyQuotingWithEntitiesAndRawGreaterThan() {
    String html = """
        <html><BODY>
        <A HREF='../../f/foo-1.0.tar.gz#sha256=%s' data-requires-python=">=3.7,<4">foo-1.0.tar.gz</A>
        <a href=../../f/foo-1.1-py3-none-any.whl data-requires-python="&gt;=3.8&#44;&lt;4" data-yanked="bad &amp; broken">x</a>
        <a href="../../f/foo-1.2-py3-none-any.whl" data-dist-info-metadata="true">x</a>
        <a href="../../f/foo-1.3-py3-none-any.whl" data-core-metadata="sha256=%s" data-dist-info-metadata="sha256=00">x</a>
        <a href="../../f/foo-1.4-py3-none-any.whl" data-dist-info-metadata="md5=00">x</a>
        <a href="../../f/foo-1.5-py3-none-any.whl#md5=00&amp;sha256=%s">x</a>
        <a href="../../f/foobar-1.0-py3-none-any.whl">other project</a>
        <a href="../../f/foo-1.0.exe">installer</a>
        <a name="anchor-without-href">x</a>
        <abbr href="../../f/foo-9.0.tar.gz">not a link</abbr>
        </BODY></html>
        """.formatted(SHA, SHA, SHA);
    List<DistributionFile> files = SimplePages.html(html, PAGE, "foo", "index x");
    assertEquals(List.of("foo-1.0.tar.gz", "foo-1.1-py3-none-any.whl", "foo-1.2-py3-none-any.whl",
        "foo-1.3-py3-none-any.whl", "foo-1.4-py3-none-any.whl", "foo-1.5-py3-none-any.whl"),
        files.stream().map(DistributionFile::filename).toList());
    assertEquals("https://idx.example/f/foo-1.0.tar.gz", files.get(0).url());
    assertEquals(Optional.of(SHA), files.get(0).sha256());
    assertEquals(Optional.of(">=3.7,<4"), files.get(0).requiresPython());
    assertEquals(Optional.of(">=3.8,<4"), files.get(1).requiresPython());
    assertEquals(Optional.of("bad & broken"), files.get(1).yanked());
    assertEquals(Optional.empty(), files.get(1).sha256());
    assertEquals(Optional.of(""), files.get(2).metadataSha256());
    assertEquals(Optional.of(SHA), files.get(3).metadataSha256(), "data-core-metadata wins (PEP 714)");
    assertEquals(Optional.of(""), files.get(4).metadataSha256(), "offered, but not with a sha256");
    assertEquals(Optional.of(SHA), files.get(5).sha256());
    assertEquals(Optional.empty(), files.get(0).metadataSha256());
  }

  @Test
  void htmlBaseHrefAndCommentsAndUserInfoInLinks() {
    String html = "<base href=\"https://cdn.example/pkgs/\"><!-- <a href=\"foo-0.1.tar.gz\"> -->"
        + "<a href=\"foo-1.0.tar.gz\">a</a><a href=\"https://u:p@mirror/foo-2.0.tar.gz\">b</a>";
    List<DistributionFile> files = SimplePages.html(html, PAGE, "foo", "index x");
    assertEquals(List.of("https://cdn.example/pkgs/foo-1.0.tar.gz", "https://mirror/foo-2.0.tar.gz"),
        files.stream().map(DistributionFile::url).toList());
  }

  @Test
  void malformedLinksAreSkippedNotFatal() {
    String html = "<a href=\"../../f/foo-1.6[bad].tar.gz\">a</a><a href=\"../../f/foo-1.7%zz.tar.gz\">b</a>"
        + "<a href=\"../../f/foo-1.8.tar.gz\">c</a>";
    assertEquals(List.of("foo-1.8.tar.gz"), SimplePages.html(html, PAGE, "foo", "index x").stream()
        .map(DistributionFile::filename).toList());
  }

  @Test
  void jsonFilesWithHashesYankingAndMetadata() {
    String json = """
        {"meta": {"api-version": "1.1"}, "name": "foo", "files": [
          {"filename": "foo-1.0.tar.gz", "url": "../../f/foo-1.0.tar.gz", "hashes": {"sha256": "%s"},
           "requires-python": ">=3.8", "yanked": "security issue"},
          {"filename": "foo-1.1-py3-none-any.whl", "url": "https://cdn/download?id=7", "hashes": {},
           "yanked": true, "core-metadata": {"sha256": "%s"}},
          {"filename": "foo-1.2-py3-none-any.whl", "url": "/f/foo-1.2-py3-none-any.whl", "hashes": {"md5": "00"},
           "yanked": false, "dist-info-metadata": true, "requires-python": null},
          {"filename": "../escape-1.0.tar.gz", "url": "/f/x", "hashes": {}},
          {"filename": "bar-1.0.tar.gz", "url": "/f/bar-1.0.tar.gz", "hashes": {}}
        ]}
        """.formatted(SHA, SHA);
    List<DistributionFile> files = SimplePages.json(json, PAGE, "foo", "index x");
    assertEquals(3, files.size());
    assertEquals(new DistributionFile("foo", "foo-1.0.tar.gz", "https://idx.example/f/foo-1.0.tar.gz",
        Optional.of(SHA), Optional.of(">=3.8"), Optional.of("security issue"), Optional.empty(), "index x"),
        files.get(0));
    assertEquals("https://cdn/download?id=7", files.get(1).url());
    assertEquals(Optional.of(""), files.get(1).yanked());
    assertEquals(Optional.of(SHA), files.get(1).metadataSha256());
    assertEquals(Optional.empty(), files.get(2).yanked());
    assertEquals(Optional.of(""), files.get(2).metadataSha256());
    assertEquals(Optional.empty(), files.get(2).sha256());
    assertEquals(Optional.empty(), files.get(2).requiresPython());
  }

  @Test
  void otherApiVersionsAndBrokenJsonAreErrorsNamingTheProject() {
    IndexException e = assertThrows(IndexException.class, () -> SimplePages.json(
        "{\"meta\": {\"api-version\": \"2.0\"}, \"files\": []}", PAGE, "foo", "index x"));
    assertEquals("the page of `foo` on index x uses simple API version 2.0; only version 1 is understood",
        e.getMessage());
    assertEquals("the page of `foo` on index x is not valid JSON", assertThrows(IndexException.class,
        () -> SimplePages.json("<html>", PAGE, "foo", "index x")).getMessage());
  }
}
