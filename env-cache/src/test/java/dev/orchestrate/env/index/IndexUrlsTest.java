package dev.orchestrate.env.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Credentials split off and hidden; links resolved as a browser resolves them. */
class IndexUrlsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      https://user:pw@example.org/simple/          | https://***@example.org/simple/        | https://example.org/simple/
      https://token@example.org/simple             | https://***@example.org/simple         | https://example.org/simple
      https://u:p@ss@example.org:8443/simple/      | https://***@example.org:8443/simple/   | https://example.org:8443/simple/
      https://example.org/simple/@notuserinfo      | https://example.org/simple/@notuserinfo | https://example.org/simple/@notuserinfo
      http://example.org?q=a@b                     | http://example.org?q=a@b               | http://example.org?q=a@b
      /local/dir                                   | /local/dir                             | /local/dir
      """)
  void redactsAndStripsUserInfo(String url, String redacted, String bare) {
    assertEquals(redacted, IndexUrls.redact(url));
    assertEquals(bare, IndexUrls.withoutUserInfo(url));
  }

  @Test
  void userInfoIsPercentDecoded() {
    assertEquals(Optional.of(new Credentials("me@corp", "p:w/d")),
        IndexUrls.userInfo("https://me%40corp:p%3Aw%2Fd@example.org/simple/"));
    assertEquals(Optional.of(new Credentials("__token__", "")), IndexUrls.userInfo("https://__token__@h/"));
    assertEquals(Optional.empty(), IndexUrls.userInfo("https://h/simple/"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      https://h/simple/foo/ | ../../files/foo-1.0.tar.gz#sha256=ab | https://h/files/foo-1.0.tar.gz#sha256=ab
      https://h/simple/foo/ | /packages/foo-1.0.tar.gz               | https://h/packages/foo-1.0.tar.gz
      https://h/simple/foo/ | foo-1.0.tar.gz                         | https://h/simple/foo/foo-1.0.tar.gz
      https://h/simple/foo/ | https://cdn/foo-1.0.tar.gz             | https://cdn/foo-1.0.tar.gz
      https://h/simple/foo/ | //cdn/x/foo-1.0.tar.gz                 | https://cdn/x/foo-1.0.tar.gz
      https://h             | foo-1.0.tar.gz                         | https://h/foo-1.0.tar.gz
      """)
  void resolvesRelativeLinks(String base, String ref, String resolved) {
    assertEquals(resolved, IndexUrls.resolve(base, ref));
  }

  @Test
  void fileNamesComeFromTheLastPathSegment() {
    assertEquals("foo-1.0+local-py3-none-any.whl",
        IndexUrls.filename("https://h/files/foo-1.0%2Blocal-py3-none-any.whl?x=1#sha256=ab"));
    assertTrue(IndexUrls.isSafeFilename("foo-1.0.tar.gz"));
    assertFalse(IndexUrls.isSafeFilename("../foo-1.0.tar.gz"));
    assertFalse(IndexUrls.isSafeFilename(".."));
    assertFalse(IndexUrls.isSafeFilename("a\\b"));
    assertFalse(IndexUrls.isSafeFilename(""));
  }
}
