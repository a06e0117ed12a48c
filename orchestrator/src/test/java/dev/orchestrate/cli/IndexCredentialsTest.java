package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index credentials through the real CLI: a loopback PEP 503 index (Vert.x, in this JVM) that
 * wants Basic authentication, credentials given in the index URL or in a netrc file, and an index
 * that cannot be reached. The build uses them, and no password (nor its Basic header form) shows
 * up anywhere: stdout, stderr at {@code -vv}, the JSON report, {@code env list/show}, or any file
 * the run left in its cache, output or scratch directories.
 */
class IndexCredentialsTest {
  private static final String USER = "alice";

  @TempDir Path tmp;
  Vertx vertx;
  HttpServer server;
  int port;
  volatile String expectedAuthorization;
  final List<String> seen = new CopyOnWriteArrayList<>();
  Path wheels;

  @BeforeEach
  void serve() throws Exception {
    wheels = OfflineWheels.setuptoolsAndWheel(tmp.resolve("index-files"));
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code /simple/<name>/}: links to the wheels of that project; {@code /files/<file>}: a wheel. */
  private void handle(HttpServerRequest request) {
    String auth = request.getHeader("Authorization");
    seen.add(request.path() + " " + (auth == null ? "-" : auth.equals(expectedAuthorization) ? "ok" : "wrong"));
    if (!Objects.equals(auth, expectedAuthorization)) {
      request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"test\"").end();
      return;
    }
    vertx.executeBlocking(() -> {
      String path = request.path();
      if (path.startsWith("/simple/")) {
        String project = path.substring("/simple/".length()).replace("/", "");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body>\n");
        try (Stream<Path> files = Files.list(wheels)) {
          for (Path f : files.sorted().toList()) {
            String name = f.getFileName().toString();
            if (name.toLowerCase(Locale.ROOT).startsWith(project.replace('-', '_') + "-")) {
              String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
              html.append("<a href=\"/files/").append(name).append("#sha256=").append(sha).append("\">")
                  .append(name).append("</a>\n");
            }
          }
        }
        return Buffer.buffer(html.append("</body></html>\n").toString());
      }
      if (path.startsWith("/files/")) {
        Path f = wheels.resolve(path.substring("/files/".length()));
        return Files.isRegularFile(f) ? Buffer.buffer(Files.readAllBytes(f)) : null;
      }
      return null;
    }).onComplete(r -> {
      if (r.succeeded() && r.result() != null) {
        request.response().putHeader("Content-Type",
            request.path().startsWith("/simple/") ? "text/html" : "application/octet-stream").end(r.result());
      } else {
        request.response().setStatusCode(404).end();
      }
    });
  }

  /** A workspace of one member that builds with setuptools, which only the index has. */
  private Path workspace() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("ws"));
    Files.writeString(root.resolve("pyproject.toml"), "[tool.orchestrate.workspace]\nmembers = [\"pkg\"]\n");
    Path pkg = Files.createDirectories(root.resolve("pkg"));
    Files.writeString(pkg.resolve("pyproject.toml"), """
        [build-system]
        requires = ["setuptools>=40"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "cred-probe"
        version = "0.1"

        [tool.setuptools]
        py-modules = ["cred_probe"]
        """);
    Files.writeString(pkg.resolve("cred_probe.py"), "X = 1\n");
    return root;
  }

  /** No file under {@code tmp} (but the netrc itself) holds the password or its Basic form. */
  private void assertNowhere(String password, Path... except) throws IOException {
    List<String> needles = List.of(password, basic(USER, password).substring(6));
    List<Path> leaks = new ArrayList<>();
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (List.of(except).contains(f)) {
          continue;
        }
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        if (needles.stream().anyMatch(text::contains)) {
          leaks.add(f);
        }
      }
    }
    assertEquals(List.of(), leaks, "files holding the password");
  }

  private static void assertNotShown(String password, Cli.Result r) {
    assertFalse(r.all().contains(password), r.toString());
    assertFalse(r.all().contains(basic(USER, password).substring(6)), r.toString());
  }

  private Cli.Result build(Path root, Path cache, Map<String, String> env, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("build-all", root.toString(), "--cache-dir", cache.toString(),
        "--report", tmp.resolve("report.json").toString(), "-vv"));
    args.addAll(List.of(more));
    return Cli.run(tmp.resolve("cli"), env, args.toArray(String[]::new));
  }

  private void assertEnvCommandsQuiet(Path cache, String password) throws Exception {
    for (String[] args : List.of(new String[] {"env", "list"}, new String[] {"env", "list", "--json"},
        new String[] {"env", "show", "setuptools"}, new String[] {"env", "show", "setuptools", "--json"})) {
      List<String> argv = new ArrayList<>(List.of(args));
      argv.addAll(List.of("--cache-dir", cache.toString()));
      Cli.Result r = Cli.run(tmp.resolve("cli"), argv.toArray(String[]::new));
      assertEquals(0, r.exitCode(), r.toString());
      assertNotShown(password, r);
    }
  }

  @Test
  void credentialsInTheIndexUrlAreUsedAndNeverShown() throws Exception {
    String password = "url-Pa55word-7f3e";
    expectedAuthorization = basic(USER, password);
    Path root = workspace();
    Path cache = tmp.resolve("cache");
    Cli.Result r = build(root, cache, Map.of(),
        "--index-url", "http://" + USER + ":" + password + "@127.0.0.1:" + port + "/simple/");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(seen.stream().anyMatch(s -> s.startsWith("/files/setuptools-") && s.endsWith(" ok")), seen.toString());
    assertNotShown(password, r);
    assertEnvCommandsQuiet(cache, password);
    // The pins name where each wheel came from: the index, without its user info.
    Cli.Result show = Cli.run(tmp.resolve("cli"), "env", "show", "setuptools", "--cache-dir", cache.toString());
    assertTrue(show.stdout().contains("from index http://127.0.0.1:" + port + "/simple/"), show.toString());
    assertNowhere(password);
  }

  @Test
  void credentialsFromNetrcAreUsedAndNeverShownNorAreRefusedOnes() throws Exception {
    String password = "netrc-Pa55word-91ab";
    expectedAuthorization = basic(USER, password);
    Path netrc = tmp.resolve("netrc");
    Files.writeString(netrc, "machine 127.0.0.1 login " + USER + " password " + password + "\n");
    Path root = workspace();
    Path cache = tmp.resolve("cache");
    Map<String, String> env = Map.of("NETRC", netrc.toString());
    Cli.Result ok = build(root, cache, env, "--index-url", "http://127.0.0.1:" + port + "/simple/");
    assertEquals(0, ok.exitCode(), ok.toString());
    assertTrue(seen.stream().anyMatch(s -> s.endsWith(" ok")), seen.toString());
    assertNotShown(password, ok);
    assertEnvCommandsQuiet(cache, password);

    // The index now wants another password: the one sent is refused, and not echoed.
    expectedAuthorization = basic(USER, "something-else");
    Cli.Result refused = build(root, tmp.resolve("cache-2"), env, "--force",
        "--index-url", "http://127.0.0.1:" + port + "/simple/");
    assertNotEquals(0, refused.exitCode(), refused.toString());
    assertTrue(refused.all().contains("401") || refused.all().toLowerCase(Locale.ROOT).contains("refused"),
        refused.toString());
    assertNotShown(password, refused);
    assertNowhere(password, netrc);
  }

  @Test
  void anUnreachableIndexIsNamedWithoutItsPassword() throws Exception {
    String password = "dead-Pa55word-c0de";
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort(); // closed again: nothing listens there
    }
    Path root = workspace();
    Cli.Result r = build(root, tmp.resolve("cache"), Map.of(),
        "--index-url", "http://" + USER + ":" + password + "@127.0.0.1:" + dead + "/simple/");
    assertNotEquals(0, r.exitCode(), r.toString());
    assertTrue(r.all().contains("127.0.0.1:" + dead), "the error names the index: " + r);
    assertNotShown(password, r);
    String report = Files.readString(tmp.resolve("report.json"));
    assertTrue(report.contains("127.0.0.1:" + dead), report);
    assertNowhere(password);
  }
}
