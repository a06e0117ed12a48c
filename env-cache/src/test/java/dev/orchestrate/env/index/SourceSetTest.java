package dev.orchestrate.env.index;

import static dev.orchestrate.env.index.SimpleIndexSourceTest.await;
import static dev.orchestrate.env.index.SimpleIndexSourceTest.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Find-links, an index and an extra index behind one source; --offline. */
class SourceSetTest {
  static Vertx vertx;
  static final HttpOptions FAST = HttpOptions.defaults().withRetries(0, Duration.ofMillis(10));
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void findLinksComeFirstThenTheIndexThenTheExtraIndexAndEachFileNameOnce() throws Exception {
    Path links = tmp.resolve("links");
    byte[] local = TestWheels.wheel(links, "demo", "1.0", "py3-none-any", TestWheels.metadata("demo", "1.0", ""));
    byte[] remote = TestWheels.wheel(tmp.resolve("built"), "demo", "2.0", "py3-none-any",
        TestWheels.metadata("demo", "2.0", ""));
    try (TestIndex main = new TestIndex(vertx); TestIndex extra = new TestIndex(vertx)) {
      main.add("demo", "demo-2.0-py3-none-any.whl", remote);
      extra.add("demo", "demo-1.0-py3-none-any.whl", remote); // shadowed by the find-links copy
      extra.add("demo", "demo-3.0.tar.gz", new byte[] {1, 2, 3});
      SourceSettings settings = new SourceSettings(Optional.of(main.url()), List.of(extra.url()),
          List.of(links), false);
      try (SourceSet set = SourceSet.of(vertx, settings, Netrc.empty(), FAST)) {
        List<DistributionFile> files = await(set.files("demo"));
        assertEquals(List.of("demo-1.0-py3-none-any.whl", "demo-2.0-py3-none-any.whl", "demo-3.0.tar.gz"),
            files.stream().map(DistributionFile::filename).toList());
        assertEquals(List.of(links.toString(), "index " + main.url(), "index " + extra.url()),
            files.stream().map(DistributionFile::source).toList());
        Path store = tmp.resolve("store");
        assertArrayEquals(local, Files.readAllBytes(await(set.download(files.get(0), store))));
        assertArrayEquals(remote, Files.readAllBytes(await(set.download(files.get(1), store))));
        assertEquals(1, main.seen("/files/").size());
        assertEquals(0, extra.seen("/files/").size());
        assertEquals("find-links " + links + ", index " + main.url() + ", index " + extra.url(), set.describe());
      }
    }
  }

  @Test
  void offlineUsesFindLinksAndRefusesTheIndexesWithAClearMessage() throws Exception {
    Path links = tmp.resolve("links");
    TestWheels.wheel(links, "demo", "1.0", "py3-none-any", TestWheels.metadata("demo", "1.0", ""));
    try (TestIndex main = new TestIndex(vertx)) {
      main.add("other", "other-1.0-py3-none-any.whl", new byte[] {1});
      SourceSettings settings = new SourceSettings(Optional.of(main.urlWith("u:offline-secret")), List.of(),
          List.of(links), true);
      try (SourceSet set = SourceSet.of(vertx, settings, Netrc.empty(), FAST)) {
        assertEquals(1, await(set.files("demo")).size());
        Throwable e = failure(set.files("other"));
        assertInstanceOf(IndexException.Offline.class, e);
        assertEquals("`other` is not in the find-links directories (" + links + "), and --offline keeps index "
            + main.url() + " out", e.getMessage());
        DistributionFile remote = new DistributionFile("other", "other-1.0-py3-none-any.whl",
            "http://127.0.0.1:" + main.port + "/files/other-1.0-py3-none-any.whl", Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), "index " + main.url());
        assertInstanceOf(IndexException.Offline.class, failure(set.download(remote, tmp.resolve("store"))));
        assertEquals(List.of(), main.seen);
        assertEquals("find-links " + links + ", index " + main.url() + " (offline)", set.describe());
      }
      assertEquals("find-links " + links + ", index http://***@127.0.0.1:" + main.port + "/simple/ (offline)",
          settings.describe());
    }
  }

  @Test
  void withoutAnyIndexNothingTouchesTheNetworkAndUnknownProjectsAreEmpty() throws Exception {
    try (SourceSet set = await(SourceSet.open(vertx, SourceSettings.findLinksOnly(List.of(tmp))))) {
      assertEquals(List.of(), await(set.files("anything")));
      assertEquals(1, set.sources().size());
    }
  }
}
