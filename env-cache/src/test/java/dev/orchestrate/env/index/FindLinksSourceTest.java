package dev.orchestrate.env.index;

import static dev.orchestrate.env.index.SimpleIndexSourceTest.await;
import static dev.orchestrate.env.index.SimpleIndexSourceTest.failure;
import static dev.orchestrate.env.index.SimpleIndexSourceTest.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real find-links directory of real wheels and sdists. */
class FindLinksSourceTest {
  static Vertx vertx;
  @TempDir Path tmp;
  Path dir;
  byte[] fooWheel;
  String fooMetadata;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void fill() throws Exception {
    dir = Files.createDirectories(tmp.resolve("wheels"));
    fooMetadata = TestWheels.metadata("foo", "1.0", ">=3.8", "bar>=2");
    fooWheel = TestWheels.wheel(dir, "foo", "1.0", "py3-none-any", fooMetadata);
    TestWheels.wheel(dir, "Foo.Bar", "2.0", "py2.py3-none-any", TestWheels.metadata("Foo.Bar", "2.0", ""));
    TestWheels.wheel(dir, "foobar", "3.0", "py3-none-any", TestWheels.metadata("foobar", "3.0", ""));
    Files.writeString(dir.resolve("foo-1.1.tar.gz"), "sdist");
    Files.writeString(dir.resolve("foo_bar-2.0.zip"), "sdist");
    Files.writeString(dir.resolve("foo-bar-2.1.tar.gz"), "legacy sdist");
    Files.writeString(dir.resolve("foo-1.0.egg"), "egg");
    Files.writeString(dir.resolve("README.txt"), "hello");
    Files.writeString(dir.resolve(".foo-1.2-py3-none-any.whl.123.part"), "partial");
    Files.createDirectories(dir.resolve("foo-9.0-py3-none-any.whl")); // a directory, not a file
  }

  @Test
  void listsTheProjectsWheelsAndSdistsByNormalisedName() throws Exception {
    FindLinksSource source = new FindLinksSource(vertx, dir);
    assertEquals(List.of("foo-1.0-py3-none-any.whl", "foo-1.1.tar.gz"),
        await(source.files("foo")).stream().map(DistributionFile::filename).toList());
    assertEquals(List.of("Foo_Bar-2.0-py2.py3-none-any.whl", "foo-bar-2.1.tar.gz", "foo_bar-2.0.zip"),
        await(source.files("foo-bar")).stream().map(DistributionFile::filename).toList());
    DistributionFile wheel = await(source.files("foo")).get(0);
    assertEquals(new DistributionFile("foo", "foo-1.0-py3-none-any.whl",
        dir.resolve("foo-1.0-py3-none-any.whl").toUri().toString(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(""), dir.toString()), wheel);
    assertTrue(wheel.url().startsWith("file:"));
    assertEquals(Optional.empty(), await(source.files("foo")).get(1).metadataSha256());
    assertEquals(List.of(), await(source.files("nothing-here")));
  }

  @Test
  void aMissingDirectoryOffersNothingAndASingleFileOffersItself() throws Exception {
    assertEquals(List.of(), await(new FindLinksSource(vertx, tmp.resolve("missing")).files("foo")));
    FindLinksSource one = new FindLinksSource(vertx, dir.resolve("foo-1.0-py3-none-any.whl"));
    assertEquals(List.of("foo-1.0-py3-none-any.whl"),
        await(one.files("foo")).stream().map(DistributionFile::filename).toList());
  }

  @Test
  void wheelMetadataIsReadFromTheZip() throws Exception {
    FindLinksSource source = new FindLinksSource(vertx, dir);
    List<DistributionFile> files = await(source.files("foo"));
    assertEquals(fooMetadata, new String(await(source.metadata(files.get(0))).orElseThrow(), StandardCharsets.UTF_8));
    assertEquals(Optional.empty(), await(source.metadata(files.get(1))), "an sdist has no metadata file");
  }

  @Test
  void downloadCopiesAndChecksAPromisedHash() throws Exception {
    FindLinksSource source = new FindLinksSource(vertx, dir);
    DistributionFile wheel = await(source.files("foo")).get(0);
    Path store = tmp.resolve("store");
    Path got = await(source.download(wheel, store));
    assertArrayEquals(fooWheel, Files.readAllBytes(got));
    assertEquals(List.of(got), list(store));

    DistributionFile promised = new DistributionFile(wheel.project(), wheel.filename(), wheel.url(),
        Optional.of("0".repeat(64)), Optional.empty(), Optional.empty(), Optional.empty(), wheel.source());
    Path other = tmp.resolve("other");
    Throwable e = failure(source.download(promised, other));
    assertInstanceOf(IndexException.HashMismatch.class, e);
    assertEquals(List.of(), list(other));
    Files.delete(dir.resolve("foo-1.0-py3-none-any.whl"));
    Throwable gone = failure(source.download(wheel, store));
    assertTrue(gone.getMessage().startsWith("foo-1.0-py3-none-any.whl is gone from " + dir), gone.getMessage());
  }
}
