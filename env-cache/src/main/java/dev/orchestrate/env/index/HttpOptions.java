package dev.orchestrate.env.index;

import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How index sources use the network.
 *
 * @param connectTimeout to open a connection
 * @param idleTimeout longest silence while waiting for or reading a response (downloads have no
 *     overall limit, only this one)
 * @param pageTimeout a whole project page or metadata file
 * @param retries further attempts after a connection error or HTTP 502/503/504
 * @param retryDelay before the first retry; doubled for each next one
 * @param maxRedirects redirects followed per request (each hop gets its own host's credentials)
 * @param offline refuse the network altogether ({@code --offline})
 */
public record HttpOptions(
    Duration connectTimeout,
    Duration idleTimeout,
    Duration pageTimeout,
    int retries,
    Duration retryDelay,
    int maxRedirects,
    boolean offline) {

  public HttpOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(pageTimeout, "pageTimeout");
    Objects.requireNonNull(retryDelay, "retryDelay");
    if (retries < 0 || maxRedirects < 0) {
      throw new IllegalArgumentException("retries and maxRedirects must not be negative");
    }
  }

  /** 10 s to connect, 30 s of silence, 60 s a page, 2 retries from 250 ms, 10 redirects, online. */
  public static HttpOptions defaults() {
    return new HttpOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
        2, Duration.ofMillis(250), 10, false);
  }

  public HttpOptions withOffline(boolean offline) {
    return new HttpOptions(connectTimeout, idleTimeout, pageTimeout, retries, retryDelay,
        maxRedirects, offline);
  }

  public HttpOptions withRetries(int retries, Duration retryDelay) {
    return new HttpOptions(connectTimeout, idleTimeout, pageTimeout, retries, retryDelay,
        maxRedirects, offline);
  }

  /** A WebClient for index sources: these timeouts, redirects handled by the sources themselves. */
  public WebClient newClient(Vertx vertx) {
    WebClientOptions options = new WebClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setFollowRedirects(false)
        .setDecompressionSupported(true)
        .setUserAgent("orchestrate");
    return WebClient.create(vertx, options);
  }
}
