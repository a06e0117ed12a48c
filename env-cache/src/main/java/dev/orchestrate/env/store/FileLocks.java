package dev.orchestrate.env.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Exclusive locks on lock files, across processes (an OS file lock) and across threads of this
 * process (a semaphore per path: the JVM refuses two file locks on one file, and a lock may be
 * released by a different thread than the one that took it, since work in between is async).
 * Acquiring blocks: call it from a worker thread only.
 */
public final class FileLocks {
  private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

  private FileLocks() {}

  /** A held lock; {@link #close()} releases it. */
  public static final class Held implements AutoCloseable {
    private final Path path;
    private final Semaphore semaphore;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private Held(Path path, Semaphore semaphore, FileChannel channel, FileLock lock) {
      this.path = path;
      this.semaphore = semaphore;
      this.channel = channel;
      this.lock = lock;
    }

    public Path path() {
      return path;
    }

    @Override
    public synchronized void close() {
      if (released) {
        return;
      }
      released = true;
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        // closing the channel drops the lock in any case
      } finally {
        semaphore.release();
      }
    }
  }

  /** Blocks until the lock on {@code lockFile} is held by this caller. */
  public static Held acquire(Path lockFile) throws IOException, InterruptedException {
    Path key = lockFile.toAbsolutePath().normalize();
    Semaphore semaphore = IN_PROCESS.computeIfAbsent(key, k -> new Semaphore(1));
    semaphore.acquire();
    try {
      Files.createDirectories(key.getParent());
      FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        return new Held(key, semaphore, channel, channel.lock());
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      semaphore.release();
      throw e;
    }
  }
}
