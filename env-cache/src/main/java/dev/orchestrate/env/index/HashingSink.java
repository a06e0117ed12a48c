package dev.orchestrate.env.index;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A file being written that hashes what goes through it, so a download is read once. */
final class HashingSink implements WriteStream<Buffer> {
  private final AsyncFile file;
  private final MessageDigest digest;
  private long size;

  HashingSink(AsyncFile file) {
    this.file = file;
    this.digest = sha256();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    file.exceptionHandler(handler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    digest.update(data.getBytes());
    size += data.length();
    return file.write(data);
  }

  @Override
  public Future<Void> end() {
    return file.end();
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    file.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return file.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    file.drainHandler(handler);
    return this;
  }

  /** The sha256 of everything written, lower-case hex; call once, after the end. */
  String sha256Hex() {
    return HexFormat.of().formatHex(digest.digest());
  }

  long size() {
    return size;
  }

  /** Closes the file when the transfer broke off before its end; errors are moot by then. */
  Future<Void> abandon() {
    try {
      return file.close().otherwiseEmpty();
    } catch (IllegalStateException alreadyClosed) {
      return Future.succeededFuture(); // the pipe ended it on the failure
    }
  }
}
