package dev.orchestrate.cluster.transfer;

import dev.orchestrate.cluster.ClusterSettings;
import dev.orchestrate.env.store.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Fetches a file another node serves: streamed to a hidden file beside the target, checked
 * (sha256, size), then renamed into place, so that the target is complete and right or absent.
 */
public final class Fetcher {
  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final WebClient client;

  public Fetcher(Vertx vertx, WorkerExecutor workers, Optional<ClusterSettings.Tls> tls) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.workers = Objects.requireNonNull(workers, "workers");
    WebClientOptions options = new WebClientOptions().setConnectTimeout(10_000).setIdleTimeout(120)
        .setKeepAlive(true).setUserAgent("orchestrate-cluster");
    tls.ifPresent(t -> options.setSsl(true).setVerifyHost(false)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.cert().toString())
            .setKeyPath(t.key().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(t.ca().toString())));
    this.client = WebClient.create(vertx, options);
  }

  /** A fetch that failed: unreachable, not there, or not what was promised. */
  public static final class FetchException extends IOException {
    private static final long serialVersionUID = 1L;

    FetchException(String message) {
      super(message);
    }
  }

  /**
   * Downloads {@code url} to {@code target}, which must end up with this sha256 (and size, when
   * {@code size >= 0}). An existing target is kept as it is: targets are fresh paths or named by
   * their content, and only a verified file is ever renamed into place.
   */
  public Future<Path> fetch(String url, Path target, String sha256, long size) {
    return workers.executeBlocking(() -> {
      Files.createDirectories(target.getParent());
      return Files.isRegularFile(target);
    }, false).compose(present -> present ? Future.succeededFuture(target)
        : fetchNew(url, target, sha256, size));
  }

  /** As {@link #fetch}, into a directory that exists, for a target that does not (staging). */
  public Future<Path> fetchNew(String url, Path target, String sha256, long size) {
    Path part = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
    return vertx.fileSystem().open(part.toString(), new OpenOptions().setWrite(true).setCreate(true)
                .setTruncateExisting(true))
            .compose(file -> client.getAbs(url).as(BodyCodec.pipe(file)).send()
                .onFailure(err -> file.close()))
            .compose(response -> response.statusCode() == 200 ? Future.succeededFuture()
                : Future.failedFuture(new FetchException("HTTP " + response.statusCode())))
            .compose(v -> workers.executeBlocking(() -> {
              String actual = AtomicFiles.sha256(part);
              long actualSize = Files.size(part);
              if (!actual.equals(sha256) || (size >= 0 && actualSize != size)) {
                throw new FetchException("its sha256 is " + actual + " (" + actualSize
                    + " bytes), expected " + sha256 + (size >= 0 ? " (" + size + " bytes)" : ""));
              }
              AtomicFiles.moveAtomically(part, target);
              return target;
            }, false))
            .recover(err -> workers.executeBlocking(() -> {
              Files.deleteIfExists(part);
              return null;
            }, false).transform(ignored -> Future.<Path>failedFuture(new FetchException(
                "cannot fetch " + target.getFileName() + ": " + describe(err)))));
  }

  private static String describe(Throwable err) {
    return err instanceof FetchException ? err.getMessage()
        : err.getMessage() == null ? err.toString() : err.getMessage();
  }

  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
