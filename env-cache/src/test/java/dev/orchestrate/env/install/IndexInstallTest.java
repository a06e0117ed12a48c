package dev.orchestrate.env.install;

import static dev.orchestrate.env.install.EnvTestSupport.await;
import static dev.orchestrate.env.install.EnvTestSupport.reqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.env.index.HttpOptions;
import dev.orchestrate.env.index.Netrc;
import dev.orchestrate.env.index.SourceSet;
import dev.orchestrate.env.index.SourceSettings;
import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentCache;
import dev.orchestrate.env.store.WheelStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Environments from a real loopback PEP 503 index: metadata read from the index alone (PEP 658)
 * for every candidate, only the chosen wheels downloaded, once, into the content-addressed store.
 */
class IndexInstallTest extends RealPythonTest {
  @Test
  void metadataComesFromTheIndexAndOnlyChosenWheelsAreDownloadedOnce() throws Exception {
    Path files = tmp.resolve("files");
    Path alpha = TestWheel.of("alpha", "1.0").requires("beta").consoleScript("alpha", "alpha:main").writeTo(files);
    Path beta1 = TestWheel.of("beta", "1.0").writeTo(files);
    Path beta2 = TestWheel.of("beta", "2.0").writeTo(files);
    Path beta3 = TestWheel.of("beta", "3.0").requiresPython(">=3.99").writeTo(files);
    Map<String, List<String>> pages = Map.of(
        "alpha", List.of(link(alpha, "")),
        "beta", List.of(link(beta1, ""), link(beta2, " data-yanked=\"broken\""),
            link(beta3, " data-requires-python=\"&gt;=3.99\"")));
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = await(env.vertx.createHttpServer().requestHandler(req -> {
      String path = req.path();
      requests.add(path);
      if (path.startsWith("/simple/")) {
        String project = path.substring("/simple/".length()).replace("/", "");
        List<String> links = pages.get(project);
        if (links == null) {
          req.response().setStatusCode(404).end();
        } else {
          req.response().putHeader("Content-Type", "text/html")
              .end("<!DOCTYPE html><html><body>\n" + String.join("\n", links) + "\n</body></html>");
        }
      } else if (path.startsWith("/files/")) {
        Path file = files.resolve(path.substring("/files/".length()).replace(".metadata", ""));
        try {
          byte[] body = path.endsWith(".metadata") ? metadata(file) : Files.readAllBytes(file);
          req.response().end(Buffer.buffer(body));
        } catch (Exception e) {
          req.response().setStatusCode(404).end();
        }
      } else {
        req.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1"));
    try {
      String index = "http://127.0.0.1:" + server.actualPort() + "/simple/";
      Path cacheRoot = tmp.resolve("cache");
      Environment e = await(cache(index, cacheRoot).ensure(env.python, reqs("alpha"), tmp.resolve("a.log")));
      assertEquals(Map.of("alpha", "1.0", "beta", "1.0"), e.installed());
      assertEquals(List.of(), requests.stream().filter(r -> r.endsWith("beta-2.0-py3-none-any.whl")
          || r.endsWith("beta-3.0-py3-none-any.whl")).toList(), "no other wheel downloaded: " + requests);
      assertTrue(requests.contains("/files/alpha-1.0-py3-none-any.whl.metadata"), requests.toString());
      assertEquals(1, requests.stream().filter(r -> r.equals("/files/beta-1.0-py3-none-any.whl")).count());
      try (Stream<Path> stored = Files.list(cacheRoot.resolve(WheelStore.WHEELS))) {
        assertEquals(2, stored.filter(p -> p.toString().endsWith(".whl")).count());
      }
      var run = EnvTestSupport.run(tmp, Map.of(), e.binDir().resolve("alpha").toString());
      assertEquals("alpha 1.0 main", run.output().strip());

      // Another process (a new builder), another environment of the same wheels: no download.
      requests.clear();
      Environment other = await(cache(index, cacheRoot).ensure(env.python, reqs("alpha", "beta<2"),
          tmp.resolve("b.log")));
      assertTrue(other.createdNow());
      assertFalse(requests.stream().anyMatch(r -> r.endsWith(".whl")), "served from the store: " + requests);
    } finally {
      await(server.close());
    }
  }

  private EnvironmentCache cache(String index, Path cacheRoot) {
    SourceSet sources = SourceSet.of(env.vertx, new SourceSettings(Optional.of(index), List.of(),
        List.of(), false), Netrc.empty(), HttpOptions.defaults());
    return new EnvironmentCache(env.workers, cacheRoot, new NativeEnvironmentBuilder(env.vertx, sources, cacheRoot));
  }

  private static String link(Path wheel, String attributes) throws Exception {
    String name = wheel.getFileName().toString();
    return "<a href=\"/files/" + name + "#sha256=" + sha256(Files.readAllBytes(wheel))
        + "\" data-dist-info-metadata=\"sha256=" + sha256(metadata(wheel)) + "\"" + attributes + ">"
        + name + "</a>";
  }

  private static byte[] metadata(Path wheel) throws Exception {
    String name = wheel.getFileName().toString();
    return dev.orchestrate.env.resolve.CoreMetadataAccess.read(wheel, name.substring(0, name.indexOf('-')));
  }

  private static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
