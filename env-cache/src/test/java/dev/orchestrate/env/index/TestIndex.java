package dev.orchestrate.env.index;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.nio.charset.StandardCharsets;

/**
 * A simple index served on loopback by a Vert.x HttpServer: PEP 503 HTML and PEP 691 JSON pages
 * chosen by the Accept header (or forced), files under {@code /files/}, PEP 658 metadata beside
 * them, optional Basic authentication, and a log of every request it saw.
 */
final class TestIndex implements AutoCloseable {

  /** One file listed for a project. */
  static final class Entry {
    final String filename;
    byte[] content;
    String listedSha256;
    String requiresPython;
    String yanked;
    byte[] metadata;
    String listedMetadataSha256;
    boolean metadataServed = true;

    Entry(String filename, byte[] content) {
      this.filename = filename;
      this.content = content;
      this.listedSha256 = TestWheels.sha256(content);
    }

    Entry requiresPython(String value) {
      this.requiresPython = value;
      return this;
    }

    Entry yanked(String reason) {
      this.yanked = reason;
      return this;
    }

    Entry metadata(byte[] value) {
      this.metadata = value;
      this.listedMetadataSha256 = TestWheels.sha256(value);
      return this;
    }
  }

  /** What the server saw. */
  record Seen(String path, Optional<String> authorization, Optional<String> accept) {}

  enum Format { NEGOTIATE, HTML, JSON }

  final Map<String, List<Entry>> projects = new ConcurrentHashMap<>();
  final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger failuresLeft = new AtomicInteger();
  volatile int failureStatus = 503;
  volatile Format format = Format.NEGOTIATE;
  volatile Optional<String> requiredAuthorization = Optional.empty();
  volatile Function<HttpServerRequest, Boolean> override = r -> false;
  final HttpServer server;
  final int port;

  TestIndex(Vertx vertx) throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/simple/";
  }

  String urlWith(String userInfo) {
    return "http://" + userInfo + "@127.0.0.1:" + port + "/simple/";
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  Entry add(String project, String filename, byte[] content) {
    Entry e = new Entry(filename, content);
    projects.computeIfAbsent(project, p -> Collections.synchronizedList(new ArrayList<>())).add(e);
    return e;
  }

  List<Seen> seen(String pathPrefix) {
    synchronized (seen) {
      return seen.stream().filter(s -> s.path.startsWith(pathPrefix)).toList();
    }
  }

  private void handle(HttpServerRequest req) {
    seen.add(new Seen(req.path(), Optional.ofNullable(req.getHeader("Authorization")),
        Optional.ofNullable(req.getHeader("Accept"))));
    if (override.apply(req)) {
      return;
    }
    if (requiredAuthorization.isPresent()
        && !requiredAuthorization.get().equals(req.getHeader("Authorization"))) {
      req.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"test\"").end("no");
      return;
    }
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      req.response().setStatusCode(failureStatus).end("try later");
      return;
    }
    String path = req.path();
    if (path.startsWith("/simple/") && path.endsWith("/") && path.length() > "/simple/".length()) {
      String project = path.substring("/simple/".length(), path.length() - 1);
      List<Entry> entries = projects.get(project);
      if (entries == null) {
        req.response().setStatusCode(404).end("not found");
        return;
      }
      boolean json = format == Format.JSON || format == Format.NEGOTIATE
          && String.valueOf(req.getHeader("Accept")).startsWith(SimplePages.JSON_TYPE);
      if (json) {
        req.response().putHeader("Content-Type", SimplePages.JSON_TYPE).end(json(project, entries));
      } else {
        req.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html(project, entries));
      }
      return;
    }
    if (path.startsWith("/files/")) {
      String name = path.substring("/files/".length());
      boolean metadata = name.endsWith(".metadata");
      String filename = metadata ? name.substring(0, name.length() - ".metadata".length()) : name;
      for (List<Entry> entries : projects.values()) {
        synchronized (entries) {
          for (Entry e : entries) {
            if (e.filename.equals(filename)) {
              if (metadata && (e.metadata == null || !e.metadataServed)) {
                break;
              }
              req.response().putHeader("Content-Type", "application/octet-stream")
                  .end(Buffer.buffer(metadata ? e.metadata : e.content));
              return;
            }
          }
        }
      }
    }
    req.response().setStatusCode(404).end("not found");
  }

  // Relative links, HTML-escaped attributes, a foreign file that must be ignored.
  private static String html(String project, List<Entry> entries) {
    StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head>"
        + "<meta name=\"pypi:repository-version\" content=\"1.1\"><title>Links for " + project
        + "</title></head><body><h1>Links for " + project + "</h1>\n"
        + "<!-- <a href=\"../../files/commented-out-9.9-py3-none-any.whl\">x</a> -->\n");
    synchronized (entries) {
      for (Entry e : entries) {
        sb.append("<a href=\"../../files/").append(e.filename).append("#sha256=").append(e.listedSha256).append('"');
        if (e.requiresPython != null) {
          sb.append(" data-requires-python=\"").append(escape(e.requiresPython)).append('"');
        }
        if (e.yanked != null) {
          sb.append(e.yanked.isEmpty() ? " data-yanked" : " data-yanked=\"" + escape(e.yanked) + "\"");
        }
        if (e.metadata != null) {
          sb.append(" data-dist-info-metadata=\"sha256=").append(e.listedMetadataSha256).append('"');
          sb.append(" data-core-metadata=\"sha256=").append(e.listedMetadataSha256).append('"');
        }
        sb.append(">").append(e.filename).append("</a><br/>\n");
      }
    }
    sb.append("<a href=\"/files/someone-else-1.0-py3-none-any.whl\">someone-else-1.0-py3-none-any.whl</a>\n");
    return sb.append("</body></html>\n").toString();
  }

  private static String json(String project, List<Entry> entries) {
    List<Map<String, Object>> files = new ArrayList<>();
    synchronized (entries) {
      for (Entry e : entries) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("filename", e.filename);
        f.put("url", "/files/" + e.filename);
        f.put("hashes", Map.of("sha256", e.listedSha256));
        if (e.requiresPython != null) {
          f.put("requires-python", e.requiresPython);
        }
        if (e.yanked != null) {
          f.put("yanked", e.yanked.isEmpty() ? Boolean.TRUE : e.yanked);
        }
        if (e.metadata != null) {
          f.put("core-metadata", Map.of("sha256", e.listedMetadataSha256));
          f.put("dist-info-metadata", Map.of("sha256", e.listedMetadataSha256));
        }
        files.add(f);
      }
    }
    files.add(Map.of("filename", "someone-else-1.0-py3-none-any.whl", "url", "/files/x.whl", "hashes", Map.of()));
    return new io.vertx.core.json.JsonObject(Map.of("meta", Map.of("api-version", "1.1"),
        "name", project, "files", files)).encode();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
