package dev.orchestrate.cluster.transfer;

import dev.orchestrate.cluster.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Serves files over HTTP on the cluster interface and an ephemeral port. URLs are
 * {@code BASE/<segments...>} where {@code BASE} ends in a random token: only nodes told a URL
 * over the cluster can fetch it. Which file a path names is the resolver's decision; anything it
 * does not name, and anything but GET, is 404.
 */
public final class ArtifactServer {
  private final HttpServer server;
  private final String base;
  private final String token;

  private ArtifactServer(HttpServer server, String base, String token) {
    this.server = server;
    this.base = base;
    this.token = token;
  }

  /**
   * @param resolver path segments after the token (each non-empty, no {@code .} or {@code ..})
   *     to the file they name; runs on the event loop, so it must not touch the disk
   */
  public static Future<ArtifactServer> start(Vertx vertx, String host,
      Optional<ClusterSettings.Tls> tls, Function<List<String>, Optional<Path>> resolver) {
    Objects.requireNonNull(resolver, "resolver");
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(0);
    tls.ifPresent(t -> options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.cert().toString())
            .setKeyPath(t.key().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(t.ca().toString()))
        .setClientAuth(ClientAuth.REQUIRED));
    HttpServer server = vertx.createHttpServer(options);
    server.requestHandler(request -> handle(request, token, resolver));
    return server.listen().map(s -> new ArtifactServer(s,
        (tls.isPresent() ? "https://" : "http://") + host + ":" + s.actualPort() + "/" + token, token));
  }

  private static void handle(HttpServerRequest request, String token,
      Function<List<String>, Optional<Path>> resolver) {
    String path = request.path();
    List<String> segments = path.startsWith("/") ? Arrays.asList(path.substring(1).split("/", -1))
        : List.of();
    boolean valid = request.method() == HttpMethod.GET && segments.size() >= 2
        && constantTimeEquals(segments.get(0), token)
        && segments.stream().allMatch(s -> !s.isEmpty() && !s.equals(".") && !s.equals("..")
            && s.indexOf('\\') < 0 && s.indexOf('\0') < 0);
    Optional<Path> file = valid ? resolver.apply(segments.subList(1, segments.size())) : Optional.empty();
    if (file.isEmpty()) {
      request.response().setStatusCode(404).end();
      return;
    }
    request.response().putHeader("Content-Type", "application/octet-stream")
        .sendFile(file.get().toString())
        .onFailure(err -> {
          if (!request.response().headWritten()) {
            request.response().setStatusCode(404).end();
          } else {
            request.connection().close();
          }
        });
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** The URL prefix, {@code http://host:port/<token>}. */
  public String base() {
    return base;
  }

  public int port() {
    return server.actualPort();
  }

  String token() {
    return token;
  }

  public Future<Void> close() {
    return server.close();
  }
}
