package dev.orchestrate.env.index;

import dev.orchestrate.env.pep508.PackageName;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * A PEP 503 / PEP 691 simple index over HTTP(S), through the Vert.x WebClient.
 *
 * <p>Pages are asked for with content negotiation (JSON preferred, HTML accepted) and read by
 * {@link SimplePages}; each project's page is fetched once per source. Downloads stream to a
 * temporary file in the target directory while being hashed, are checked against the promised
 * sha256, and renamed into place; a mismatch or a broken transfer leaves nothing behind.
 *
 * <p>Credentials come from the index URL's user info (sent to the index's own host and port
 * only) or from {@code .netrc} (by host), as Basic authentication. Redirects are followed here,
 * not by the client, so that each hop gets its own host's credentials and no other's. No message
 * this class makes holds a credential: URLs are shown without user info, and what comes from
 * elsewhere (a cause's text) is scrubbed of every secret the source knows.
 */
public final class SimpleIndexSource implements PackageSource {
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Set<Integer> RETRY_STATUS = Set.of(502, 503, 504);

  private final Vertx vertx;
  private final WebClient client;
  private final String base;
  private final String indexAuthority;
  private final Optional<Credentials> urlCredentials;
  private final Netrc netrc;
  private final HttpOptions options;
  private final String label;
  private final Map<String, Future<List<DistributionFile>>> pages = new ConcurrentHashMap<>();

  /**
   * @param client shared by the sources of a run, closed by its owner ({@link HttpOptions#newClient})
   * @param indexUrl the index root, e.g. {@code https://user:token@example.org/simple/}
   */
  public SimpleIndexSource(Vertx vertx, WebClient client, String indexUrl, Netrc netrc,
      HttpOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.client = Objects.requireNonNull(client, "client");
    this.netrc = Objects.requireNonNull(netrc, "netrc");
    this.options = Objects.requireNonNull(options, "options");
    Objects.requireNonNull(indexUrl, "indexUrl");
    this.urlCredentials = IndexUrls.userInfo(indexUrl);
    String bare = IndexUrls.withoutFragment(IndexUrls.withoutUserInfo(indexUrl.strip()));
    URI uri = IndexUrls.parseHttp(bare);
    this.base = bare.endsWith("/") ? bare : bare + "/";
    this.indexAuthority = IndexUrls.authority(uri);
    this.label = "index " + base;
  }

  /** The index root without credentials, ending in {@code /}. */
  public String url() {
    return base;
  }

  @Override
  public String describe() {
    return label;
  }

  @Override
  public Future<List<DistributionFile>> files(String name) {
    String normalizedName = PackageName.normalize(Objects.requireNonNull(name, "name"));
    if (options.offline()) {
      return Future.failedFuture(offline("`" + normalizedName + "`"));
    }
    // Failed lookups are forgotten, so that a later call asks again.
    Future<List<DistributionFile>> page = pages.computeIfAbsent(normalizedName, this::fetchFiles);
    page.onFailure(e -> pages.remove(normalizedName, page));
    return page;
  }

  private Future<List<DistributionFile>> fetchFiles(String project) {
    String pageUrl = base + project + "/";
    String what = "the page of `" + project + "`";
    return get(pageUrl, what, Map.of("Accept", SimplePages.ACCEPT), options.maxRedirects(), 0)
        .map(answer -> {
          if (answer.response == null) {
            return List.<DistributionFile>of(); // 404: not a project of this index
          }
          String type = contentType(answer.response);
          String body = answer.response.bodyAsString("UTF-8");
          if (body == null) {
            body = "";
          }
          if (type.equals(SimplePages.JSON_TYPE) || type.equals("application/json")) {
            return SimplePages.json(body, answer.url, project, label);
          }
          if (type.equals(SimplePages.HTML_TYPE) || type.equals("text/html") || type.isEmpty()) {
            return SimplePages.html(body, answer.url, project, label);
          }
          throw new IndexException(what + " on " + label + " came as `" + type
              + "`, neither simple-API JSON nor HTML");
        });
  }

  @Override
  public Future<Optional<byte[]>> metadata(DistributionFile file) {
    Objects.requireNonNull(file, "file");
    if (file.metadataSha256().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    if (options.offline()) {
      return Future.failedFuture(offline("the metadata of " + file.filename()));
    }
    String what = "the metadata of " + file.filename();
    return get(file.url() + ".metadata", what, Map.of(), options.maxRedirects(), 0).map(answer -> {
      if (answer.response == null) {
        return Optional.<byte[]>empty(); // promised but absent: the caller downloads the file
      }
      byte[] bytes = answer.response.bodyAsBuffer() == null ? new byte[0]
          : answer.response.bodyAsBuffer().getBytes();
      String expected = file.metadataSha256().get();
      if (!expected.isEmpty()) {
        MessageDigest digest = HashingSink.sha256();
        String actual = HexFormat.of().formatHex(digest.digest(bytes));
        if (!actual.equals(expected)) {
          throw new IndexException.HashMismatch(what + " from " + label
              + " does not match its promised sha256: expected " + expected + ", got " + actual);
        }
      }
      return Optional.of(bytes);
    });
  }

  @Override
  public Future<Path> download(DistributionFile file, Path directory) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(directory, "directory");
    if (!IndexUrls.isSafeFilename(file.filename())) {
      return Future.failedFuture(new IndexException("refusing to download `" + file.filename()
          + "` from " + label + ": not a plain file name"));
    }
    if (options.offline()) {
      return Future.failedFuture(offline(file.filename()));
    }
    Path target = directory.resolve(file.filename());
    return vertx.fileSystem().mkdirs(directory.toString())
        .compose(v -> downloadFrom(file, file.url(), target, options.maxRedirects(), 0));
  }

  private Future<Path> downloadFrom(DistributionFile file, String url, Path target, int redirects,
      int attempt) {
    String what = file.filename();
    Path dir = target.getParent();
    try {
      IndexUrls.parseHttp(IndexUrls.withoutUserInfo(url));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IndexException("cannot download " + what + " from " + label + ": "
          + e.getMessage()));
    }
    return vertx.fileSystem().createTempFile(dir.toString(), "." + file.filename() + ".", ".part", (String) null)
        .compose(temp -> transfer(url, temp)
            .transform(ar -> settle(file, url, target, redirects, attempt, temp, ar.result(), ar.cause())))
        .recover(e -> Future.failedFuture(e instanceof IndexException ? e
            : new IndexException("cannot download " + what + " from " + label + " into " + dir + ": "
                + scrub(describe(e)))));
  }

  /** What one GET wrote into a temporary file. */
  private record Transfer(HttpResponse<Void> response, String sha256, long size) {}

  // Streams the body into temp while hashing it; the file is closed whatever happens.
  private Future<Transfer> transfer(String url, String temp) {
    return vertx.fileSystem().open(temp, new OpenOptions().setWrite(true).setTruncateExisting(true))
        .compose(file -> {
          HashingSink sink = new HashingSink(file);
          HttpRequest<Void> request;
          try {
            request = request(url).putHeader("Accept-Encoding", "identity").as(BodyCodec.pipe(sink, true));
          } catch (RuntimeException e) {
            return sink.abandon().compose(v -> Future.failedFuture(e));
          }
          return request.send()
              .recover(e -> sink.abandon().compose(v -> Future.failedFuture(e)))
              .map(response -> new Transfer(response, response.statusCode() == 200 ? sink.sha256Hex() : "",
                  sink.size()));
        });
  }

  // Decides what a transfer means: retry, follow, fail (deleting temp) or rename into place.
  private Future<Path> settle(DistributionFile file, String url, Path target, int redirects, int attempt,
      String temp, Transfer transfer, Throwable failure) {
    String what = file.filename();
    if (failure != null) {
      return delete(temp).compose(v -> retryOrFail(failure, what, attempt,
          () -> downloadFrom(file, url, target, redirects, attempt + 1)));
    }
    HttpResponse<Void> response = transfer.response();
    int status = response.statusCode();
    String location = response.getHeader("Location");
    if (REDIRECTS.contains(status) && location != null) {
      return delete(temp).compose(v -> redirects == 0
          ? Future.failedFuture(new IndexException(what + " from " + label + ": too many redirects"))
          : downloadFrom(file, IndexUrls.resolve(url, location), target, redirects - 1, 0));
    }
    if (status != 200) {
      return delete(temp).compose(v -> RETRY_STATUS.contains(status) && attempt < options.retries()
          ? retryLater(attempt, () -> downloadFrom(file, url, target, redirects, attempt + 1))
          : Future.failedFuture(httpError(what, url, response)));
    }
    Optional<String> expected = file.sha256();
    if (expected.isPresent() && !expected.get().equals(transfer.sha256())) {
      return delete(temp).compose(v -> Future.failedFuture(new IndexException.HashMismatch(
          what + " from " + label + " does not match its promised sha256: expected " + expected.get()
              + ", got " + transfer.sha256() + " (" + transfer.size() + " bytes); the file was discarded")));
    }
    return vertx.fileSystem()
        .move(temp, target.toString(), new CopyOptions().setAtomicMove(true).setReplaceExisting(true))
        .recover(e -> delete(temp).compose(v -> Future.failedFuture(new IndexException(
            "cannot store " + what + " in " + target.getParent() + ": " + scrub(describe(e))))))
        .map(v -> target);
  }

  private Future<Void> delete(String temp) {
    return vertx.fileSystem().delete(temp).otherwiseEmpty();
  }

  /** A response, or null (inside) for a 404/410; and the URL it finally came from. */
  private record Answer(HttpResponse<Buffer> response, String url) {}

  private Future<Answer> get(String url, String what, Map<String, String> headers, int redirects,
      int attempt) {
    HttpRequest<Buffer> request;
    try {
      request = request(url).timeout(options.pageTimeout().toMillis());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IndexException("cannot get " + what + " from " + label + ": "
          + e.getMessage()));
    }
    headers.forEach(request::putHeader);
    return request.send().transform(ar -> {
      if (ar.failed()) {
        return retryOrFail(ar.cause(), what, attempt, () -> get(url, what, headers, redirects, attempt + 1));
      }
      HttpResponse<Buffer> response = ar.result();
      int status = response.statusCode();
      if (REDIRECTS.contains(status) && response.getHeader("Location") != null) {
        if (redirects == 0) {
          return Future.failedFuture(new IndexException(what + " on " + label + ": too many redirects"));
        }
        return get(IndexUrls.resolve(url, response.getHeader("Location")), what, headers, redirects - 1, 0);
      }
      if (status == 200) {
        return Future.succeededFuture(new Answer(response, url));
      }
      if (status == 404 || status == 410) {
        return Future.succeededFuture(new Answer(null, url));
      }
      if (RETRY_STATUS.contains(status) && attempt < options.retries()) {
        return retryLater(attempt, () -> get(url, what, headers, redirects, attempt + 1));
      }
      return Future.failedFuture(httpError(what, url, response));
    });
  }

  private HttpRequest<Buffer> request(String url) {
    String bare = IndexUrls.withoutUserInfo(url);
    URI uri = IndexUrls.parseHttp(bare);
    HttpRequest<Buffer> request = client.requestAbs(HttpMethod.GET, bare)
        .followRedirects(false)
        .idleTimeout(options.idleTimeout().toMillis())
        .connectTimeout(options.connectTimeout().toMillis());
    credentialsFor(url, uri).ifPresent(c -> request.basicAuthentication(c.username(), c.password()));
    return request;
  }

  private Optional<Credentials> credentialsFor(String url, URI uri) {
    Optional<Credentials> own = IndexUrls.userInfo(url);
    if (own.isPresent()) {
      return own;
    }
    if (urlCredentials.isPresent() && IndexUrls.authority(uri).equals(indexAuthority)) {
      return urlCredentials;
    }
    return netrc.lookup(uri.getHost());
  }

  private <T> Future<T> retryOrFail(Throwable cause, String what, int attempt,
      java.util.function.Supplier<Future<T>> again) {
    if (retryable(cause) && attempt < options.retries()) {
      return retryLater(attempt, again);
    }
    String tries = attempt == 0 ? "" : " (tried " + (attempt + 1) + " times)";
    return Future.failedFuture(new IndexException("cannot get " + what + " from " + label + ": "
        + scrub(describe(cause)) + tries));
  }

  private <T> Future<T> retryLater(int attempt, java.util.function.Supplier<Future<T>> again) {
    long delay = Math.max(1, options.retryDelay().toMillis() << Math.min(attempt, 10));
    Promise<Void> wait = Promise.promise();
    vertx.setTimer(delay, id -> wait.complete());
    return wait.future().compose(v -> again.get());
  }

  private static boolean retryable(Throwable e) {
    return e instanceof ConnectException || e instanceof HttpClosedException
        || e instanceof TimeoutException || (e instanceof IOException && !(e instanceof UnknownHostException));
  }

  private IndexException httpError(String what, String url, HttpResponse<?> response) {
    int status = response.statusCode();
    String reason = response.statusMessage() == null ? "" : " " + response.statusMessage();
    String hint = "";
    if (status == 401 || status == 403) {
      boolean sent = credentialsFor(url, IndexUrls.parseHttp(IndexUrls.withoutUserInfo(url))).isPresent();
      hint = sent ? "; the credentials sent (from the URL or .netrc) were refused"
          : "; no credentials were sent: put them in the index URL or in ~/.netrc (or $NETRC)";
    }
    String where = url.startsWith(base) ? label : label + " (" + IndexUrls.redact(url) + ")";
    return new IndexException(what + " on " + where + ": HTTP " + status + scrub(reason) + hint);
  }

  private IndexException offline(String what) {
    return new IndexException.Offline("not fetching " + what + " from " + label
        + ": --offline forbids the network");
  }

  private static String contentType(HttpResponse<?> response) {
    String type = response.getHeader("Content-Type");
    if (type == null) {
      return "";
    }
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  /** Plain words for a transport failure. */
  static String describe(Throwable e) {
    if (e instanceof ConnectException) {
      String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
      return m.contains("refused") ? "connection refused"
          : m.contains("timed out") || m.contains("timeout") ? "connection timed out"
          : "cannot connect (" + e.getMessage() + ")";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    if (e instanceof TimeoutException) {
      return "timed out";
    }
    if (e instanceof HttpClosedException) {
      return "the connection was closed";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** The text with every credential this source may send replaced by {@code ***}. */
  String scrub(String text) {
    String out = IndexUrls.redact(text);
    if (urlCredentials.isPresent()) {
      out = urlCredentials.get().scrub(out);
    }
    Optional<Credentials> fromNetrc = netrc.lookup(URI.create(base).getHost());
    if (fromNetrc.isPresent()) {
      out = fromNetrc.get().scrub(out);
    }
    return out;
  }

  @Override
  public String toString() {
    return label;
  }
}
