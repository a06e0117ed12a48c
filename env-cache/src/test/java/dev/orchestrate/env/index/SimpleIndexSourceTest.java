package dev.orchestrate.env.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A real simple index on loopback, served by Vert.x; the source talks to it over HTTP. */
class SimpleIndexSourceTest {
  static Vertx vertx;
  static WebClient client;
  static final HttpOptions FAST = HttpOptions.defaults().withRetries(1, Duration.ofMillis(20));
  @TempDir Path tmp;
  TestIndex index;
  byte[] wheel10;
  byte[] wheel20;
  byte[] metadata20;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    client = FAST.newClient(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static Throwable failure(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @BeforeEach
  void serve() throws Exception {
    index = new TestIndex(vertx);
    Path built = tmp.resolve("built");
    wheel10 = TestWheels.wheel(built, "demo-pkg", "1.0", "py3-none-any", TestWheels.metadata("demo-pkg", "1.0", ""));
    metadata20 = TestWheels.metadata("demo-pkg", "2.0", ">=3.8", "six>=1.0").getBytes(StandardCharsets.UTF_8);
    wheel20 = TestWheels.wheel(built, "demo-pkg", "2.0", "py3-none-any", new String(metadata20, StandardCharsets.UTF_8));
    index.add("demo-pkg", "demo_pkg-1.0-py3-none-any.whl", wheel10).yanked("broken <build>");
    index.add("demo-pkg", "demo_pkg-2.0-py3-none-any.whl", wheel20).requiresPython(">=3.8, <4").metadata(metadata20);
    index.add("demo-pkg", "demo-pkg-2.0.tar.gz", "not really a tarball".getBytes(StandardCharsets.UTF_8))
        .yanked("");
  }

  @AfterEach
  void close() throws Exception {
    index.close();
  }

  SimpleIndexSource source(String url) {
    return new SimpleIndexSource(vertx, client, url, Netrc.empty(), FAST);
  }

  @ParameterizedTest
  @EnumSource(value = TestIndex.Format.class, names = {"HTML", "NEGOTIATE"})
  void htmlAndJsonPagesListTheSameFiles(TestIndex.Format format) throws Exception {
    index.format = format;
    SimpleIndexSource source = source(index.url());
    List<DistributionFile> files = await(source.files("demo-pkg"));
    String base = "http://127.0.0.1:" + index.port + "/files/";
    assertEquals(List.of(
        new DistributionFile("demo-pkg", "demo_pkg-1.0-py3-none-any.whl", base + "demo_pkg-1.0-py3-none-any.whl",
            Optional.of(TestWheels.sha256(wheel10)), Optional.empty(), Optional.of("broken <build>"),
            Optional.empty(), "index " + index.url()),
        new DistributionFile("demo-pkg", "demo_pkg-2.0-py3-none-any.whl", base + "demo_pkg-2.0-py3-none-any.whl",
            Optional.of(TestWheels.sha256(wheel20)), Optional.of(">=3.8, <4"), Optional.empty(),
            Optional.of(TestWheels.sha256(metadata20)), "index " + index.url()),
        new DistributionFile("demo-pkg", "demo-pkg-2.0.tar.gz", base + "demo-pkg-2.0.tar.gz",
            Optional.of(TestWheels.sha256("not really a tarball".getBytes(StandardCharsets.UTF_8))),
            Optional.empty(), Optional.of(""), Optional.empty(), "index " + index.url())),
        files);
    TestIndex.Seen page = index.seen("/simple/demo-pkg/").get(0);
    assertEquals(Optional.of("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, "
        + "text/html;q=0.01"), page.accept());
  }

  @Test
  void eachProjectPageIsFetchedOnceAndAnUnknownProjectIsEmpty() throws Exception {
    SimpleIndexSource source = source(index.url().replaceAll("/$", "")); // no trailing slash
    await(source.files("demo-pkg"));
    assertEquals(3, await(source.files("Demo_Pkg")).size(), "names are normalised first");
    assertEquals(1, index.seen("/simple/demo-pkg/").size());
    assertEquals(List.of(), await(source.files("no-such-project")));
    assertEquals(1, index.seen("/simple/no-such-project/").size());
  }

  @Test
  void downloadsAreVerifiedAndRenamedIntoPlace() throws Exception {
    SimpleIndexSource source = source(index.url());
    DistributionFile file = await(source.files("demo-pkg")).get(1);
    Path into = Files.createDirectories(tmp.resolve("store"));
    Path got = await(source.download(file, into));
    assertEquals(into.resolve("demo_pkg-2.0-py3-none-any.whl"), got);
    assertArrayEquals(wheel20, Files.readAllBytes(got));
    assertEquals(List.of(got), list(into), "no temporary file is left");
  }

  @Test
  void aTamperedFileFailsAndLeavesNothing() throws Exception {
    index.projects.get("demo-pkg").get(1).content = wheel10; // served bytes differ from the listed hash
    SimpleIndexSource source = source(index.url());
    DistributionFile file = await(source.files("demo-pkg")).get(1);
    Path into = Files.createDirectories(tmp.resolve("store"));
    Throwable e = failure(source.download(file, into));
    assertInstanceOf(IndexException.HashMismatch.class, e);
    assertTrue(e.getMessage().startsWith("demo_pkg-2.0-py3-none-any.whl from index " + index.url()
        + " does not match its promised sha256: expected " + TestWheels.sha256(wheel20) + ", got "
        + TestWheels.sha256(wheel10)), e.getMessage());
    assertEquals(List.of(), list(into));
  }

  @Test
  void coreMetadataIsFetchedAloneAndChecked() throws Exception {
    SimpleIndexSource source = source(index.url());
    List<DistributionFile> files = await(source.files("demo-pkg"));
    assertArrayEquals(metadata20, await(source.metadata(files.get(1))).orElseThrow());
    assertEquals(1, index.seen("/files/demo_pkg-2.0-py3-none-any.whl.metadata").size());
    assertEquals(0, index.seen("/files/demo_pkg-2.0-py3-none-any.whl").stream()
        .filter(s -> s.path().endsWith(".whl")).count(), "the wheel itself was not downloaded");
    // Not offered: no request at all.
    assertEquals(Optional.empty(), await(source.metadata(files.get(0))));
    assertEquals(0, index.seen("/files/demo_pkg-1.0-py3-none-any.whl.metadata").size());
    // Offered with a hash the file does not have.
    DistributionFile lying = new DistributionFile("demo-pkg", files.get(1).filename(), files.get(1).url(),
        files.get(1).sha256(), Optional.empty(), Optional.empty(), Optional.of(TestWheels.sha256(wheel10)),
        files.get(1).source());
    Throwable e = failure(source.metadata(lying));
    assertInstanceOf(IndexException.HashMismatch.class, e);
    assertTrue(e.getMessage().contains("the metadata of demo_pkg-2.0-py3-none-any.whl"), e.getMessage());
    // Offered but missing on the server: the caller falls back to the file.
    index.projects.get("demo-pkg").get(1).metadataServed = false;
    assertEquals(Optional.empty(), await(source.metadata(files.get(1))));
  }

  @Test
  void credentialsFromTheUrlAreSentButNeverShown() throws Exception {
    String secret = "s3cret-Pa55";
    index.requiredAuthorization = Optional.of(TestIndex.basic("alice", secret));
    try (CapturedLogs logs = new CapturedLogs()) {
      SimpleIndexSource source = source(index.urlWith("alice:" + secret));
      List<DistributionFile> files = await(source.files("demo-pkg"));
      assertEquals(3, files.size());
      Path into = Files.createDirectories(tmp.resolve("store"));
      await(source.download(files.get(1), into));
      await(source.metadata(files.get(1)));
      assertTrue(index.seen.stream().allMatch(s -> s.authorization().equals(index.requiredAuthorization)));
      // An error page: the message names the project and the index, without the secret.
      index.failureStatus = 500;
      index.failuresLeft.set(1);
      Throwable e = failure(source.files("other"));
      assertEquals("the page of `other` on index " + index.url() + ": HTTP 500 Internal Server Error",
          e.getMessage());
      StringBuilder shown = new StringBuilder(source.describe() + source + e + files);
      for (DistributionFile f : files) {
        shown.append(f.url()).append(f.source());
      }
      assertFalse(shown.toString().contains(secret), shown.toString());
      assertFalse(shown.toString().contains("alice"), shown.toString());
      assertFalse(logs.text().contains(secret), logs.text());
      assertFalse(logs.text().contains(TestIndex.basic("alice", secret).substring(6)), logs.text());
    }
  }

  @Test
  void credentialsFromNetrcAreSentToTheirHostOnly() throws Exception {
    String secret = "netrc-Secret-9";
    index.requiredAuthorization = Optional.of(TestIndex.basic("bob", secret));
    Netrc netrc = Netrc.parse("machine example.org login eve password nope\n"
        + "machine 127.0.0.1\n  login bob\n  password " + secret + "\n", "test");
    try (CapturedLogs logs = new CapturedLogs()) {
      SimpleIndexSource source = new SimpleIndexSource(vertx, client, index.url(), netrc, FAST);
      assertEquals(3, await(source.files("demo-pkg")).size());
      assertEquals(index.requiredAuthorization, index.seen("/simple/demo-pkg/").get(0).authorization());
      // Refused credentials: a hint, no secret.
      index.requiredAuthorization = Optional.of(TestIndex.basic("bob", "another"));
      Throwable e = failure(source.files("refused"));
      assertEquals("the page of `refused` on index " + index.url() + ": HTTP 401 Unauthorized; the "
          + "credentials sent (from the URL or .netrc) were refused", e.getMessage());
      assertFalse(logs.text().contains(secret));
    }
    // Without credentials for the host, none are sent, and the hint says where to put them.
    index.requiredAuthorization = Optional.of(TestIndex.basic("bob", secret));
    SimpleIndexSource anonymous = source(index.url());
    Throwable e = failure(anonymous.files("demo-pkg"));
    assertTrue(e.getMessage().endsWith("HTTP 401 Unauthorized; no credentials were sent: put them in "
        + "the index URL or in ~/.netrc (or $NETRC)"), e.getMessage());
    assertEquals(Optional.empty(), index.seen.get(index.seen.size() - 1).authorization());
  }

  @Test
  void redirectsToAnotherHostCarryNoCredentialsOfTheIndex() throws Exception {
    try (TestIndex mirror = new TestIndex(vertx)) {
      mirror.add("demo-pkg", "demo_pkg-2.0-py3-none-any.whl", wheel20);
      index.override = req -> {
        if (req.path().startsWith("/files/")) {
          req.response().setStatusCode(302)
              .putHeader("Location", "http://localhost:" + mirror.port + req.path()).end();
          return true;
        }
        return false;
      };
      SimpleIndexSource source = source(index.urlWith("carol:redirect-secret"));
      DistributionFile file = await(source.files("demo-pkg")).get(1);
      Path got = await(source.download(file, Files.createDirectories(tmp.resolve("store"))));
      assertArrayEquals(wheel20, Files.readAllBytes(got));
      assertEquals(Optional.of(TestIndex.basic("carol", "redirect-secret")),
          index.seen("/files/").get(0).authorization());
      assertEquals(Optional.empty(), mirror.seen("/files/").get(0).authorization());
    }
  }

  @Test
  void aRefusedConnectionNamesTheProjectAndTheIndexWithoutCredentials() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    SimpleIndexSource source = source("http://dave:refused-secret@127.0.0.1:" + port + "/simple/");
    Throwable e = failure(source.files("demo-pkg"));
    assertEquals("cannot get the page of `demo-pkg` from index http://127.0.0.1:" + port
        + "/simple/: connection refused (tried 2 times)", e.getMessage());
    Throwable d = failure(source.download(new DistributionFile("demo-pkg", "demo_pkg-2.0-py3-none-any.whl",
        "http://127.0.0.1:" + port + "/files/demo_pkg-2.0-py3-none-any.whl", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), source.describe()), Files.createDirectories(tmp.resolve("store"))));
    assertTrue(d.getMessage().startsWith("cannot get demo_pkg-2.0-py3-none-any.whl from index http://127.0.0.1:"
        + port + "/simple/: connection refused"), d.getMessage());
    assertEquals(List.of(), list(tmp.resolve("store")));
  }

  @Test
  void aTransferBrokenOffLeavesNothingAndASilentServerTimesOut() throws Exception {
    index.override = req -> {
      if (req.path().endsWith(".whl")) {
        req.response().putHeader("Content-Length", "100000").write(io.vertx.core.buffer.Buffer.buffer(new byte[1000]))
            .onComplete(ar -> req.connection().close());
        return true;
      }
      if (req.path().startsWith("/simple/silent/")) {
        return true; // never answers
      }
      return false;
    };
    SimpleIndexSource source = source(index.url());
    DistributionFile file = await(source.files("demo-pkg")).get(1);
    Path into = Files.createDirectories(tmp.resolve("store"));
    Throwable e = failure(source.download(file, into));
    assertEquals("cannot get demo_pkg-2.0-py3-none-any.whl from index " + index.url()
        + ": the connection was closed (tried 2 times)", e.getMessage());
    assertEquals(List.of(), list(into));

    HttpOptions impatient = new HttpOptions(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(5),
        0, Duration.ofMillis(10), 3, false);
    Throwable t = failure(new SimpleIndexSource(vertx, client, index.url(), Netrc.empty(), impatient).files("silent"));
    assertEquals("cannot get the page of `silent` from index " + index.url() + ": timed out", t.getMessage());
  }

  @Test
  void aTransientServerErrorIsRetried() throws Exception {
    index.failuresLeft.set(1);
    assertEquals(3, await(source(index.url()).files("demo-pkg")).size());
    assertEquals(2, index.seen("/simple/demo-pkg/").size());
    index.failuresLeft.set(5);
    Throwable e = failure(source(index.url()).files("demo-pkg"));
    assertEquals("the page of `demo-pkg` on index " + index.url() + ": HTTP 503 Service Unavailable",
        e.getMessage());
  }

  @Test
  void offlineRefusesWithoutTouchingTheNetwork() throws Exception {
    SimpleIndexSource source = new SimpleIndexSource(vertx, client, index.url(), Netrc.empty(),
        FAST.withOffline(true));
    Throwable e = failure(source.files("demo-pkg"));
    assertInstanceOf(IndexException.Offline.class, e);
    assertEquals("not fetching `demo-pkg` from index " + index.url() + ": --offline forbids the network",
        e.getMessage());
    assertEquals(List.of(), index.seen);
  }

  @Test
  void hostileFileNamesAreNotListedNorDownloaded() throws Exception {
    index.override = req -> {
      if (req.path().equals("/simple/evil/")) {
        req.response().putHeader("Content-Type", "text/html").end(
            "<a href=\"/files/..%2F..%2Fevil-1.0-py3-none-any.whl\">x</a>"
                + "<a href='/files/evil-1.0-py3-none-any.whl#sha256=" + "0".repeat(64) + "'>ok</a>");
        return true;
      }
      return false;
    };
    List<DistributionFile> files = await(source(index.url()).files("evil"));
    assertEquals(List.of("evil-1.0-py3-none-any.whl"), files.stream().map(DistributionFile::filename).toList());
    DistributionFile crafted = new DistributionFile("evil", "../evil-1.0-py3-none-any.whl", files.get(0).url(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), files.get(0).source());
    Throwable e = failure(source(index.url()).download(crafted, Files.createDirectories(tmp.resolve("store"))));
    assertTrue(e.getMessage().startsWith("refusing to download `../evil-1.0-py3-none-any.whl`"), e.getMessage());
  }

  static List<Path> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
