package dev.orchestrate.env.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Locks on lock files, across processes (an OS file lock) and across threads of this process (a
 * semaphore per path: the JVM refuses two file locks on one file, and a lock may be released by
 * a different thread than the one that took it, since work in between is async). Exclusive locks
 * take every permit of the path's semaphore, shared ones one permit and share one OS lock (one
 * channel per file and process: closing any channel on a file drops the process's locks on it).
 * Acquiring blocks: call it from a worker thread only.
 */
public final class FileLocks {
  private static final int PERMITS = 1 << 16;
  private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Path, SharedState> SHARED = new ConcurrentHashMap<>();

  private FileLocks() {}

  /** A held lock; {@link #close()} releases it. */
  public static class Held implements AutoCloseable {
    private final Path path;
    private final Semaphore semaphore;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    Held(Path path, Semaphore semaphore, FileChannel channel, FileLock lock) {
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
        semaphore.release(PERMITS);
      }
    }
  }

  /** The OS side of this process's shared locks on one file: one channel, counted holders. */
  private static final class SharedState {
    private int holders;
    private FileChannel channel;
    private FileLock lock;
  }

  /** A held shared lock; {@link #close()} releases this holder's share. */
  private static final class SharedHeld extends Held {
    private final Path key;
    private final Semaphore semaphore;
    private boolean released;

    private SharedHeld(Path key, Semaphore semaphore) {
      super(key, semaphore, null, null);
      this.key = key;
      this.semaphore = semaphore;
    }

    @Override
    public synchronized void close() {
      if (released) {
        return;
      }
      released = true;
      SharedState state = SHARED.get(key);
      try {
        synchronized (state) {
          if (--state.holders == 0) {
            try {
              state.lock.release();
              state.channel.close();
            } catch (IOException e) {
              // closing the channel drops the lock in any case
            } finally {
              state.lock = null;
              state.channel = null;
            }
          }
        }
      } finally {
        semaphore.release(1);
      }
    }
  }

  /** Blocks until the lock on {@code lockFile} is held by this caller. */
  public static Held acquire(Path lockFile) throws IOException, InterruptedException {
    Path key = lockFile.toAbsolutePath().normalize();
    Semaphore semaphore = semaphore(key);
    semaphore.acquire(PERMITS);
    try {
      FileChannel channel = open(key);
      try {
        return new Held(key, semaphore, channel, channel.lock());
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      semaphore.release(PERMITS);
      throw e;
    }
  }

  /**
   * The exclusive lock on {@code lockFile} if no one (in this process or another) holds it,
   * shared or exclusive; empty otherwise. Never blocks on other holders.
   */
  public static Optional<Held> tryAcquire(Path lockFile) throws IOException {
    Path key = lockFile.toAbsolutePath().normalize();
    Semaphore semaphore = semaphore(key);
    if (!semaphore.tryAcquire(PERMITS)) {
      return Optional.empty();
    }
    try {
      FileChannel channel = open(key);
      try {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          channel.close();
          semaphore.release(PERMITS);
          return Optional.empty();
        }
        return Optional.of(new Held(key, semaphore, channel, lock));
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      semaphore.release(PERMITS);
      throw e;
    }
  }

  /**
   * Blocks until a shared lock on {@code lockFile} is held by this caller: any number of shared
   * holders (in any process) at once, none while someone holds it exclusively.
   */
  public static Held acquireShared(Path lockFile) throws IOException, InterruptedException {
    Path key = lockFile.toAbsolutePath().normalize();
    Semaphore semaphore = semaphore(key);
    semaphore.acquire(1);
    try {
      SharedState state = SHARED.computeIfAbsent(key, k -> new SharedState());
      synchronized (state) {
        if (state.holders == 0) {
          FileChannel channel = open(key);
          try {
            state.lock = channel.lock(0, Long.MAX_VALUE, true);
            state.channel = channel;
          } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
          }
        }
        state.holders++;
      }
      return new SharedHeld(key, semaphore);
    } catch (IOException | RuntimeException e) {
      semaphore.release(1);
      throw e;
    }
  }

  private static Semaphore semaphore(Path key) {
    return IN_PROCESS.computeIfAbsent(key, k -> new Semaphore(PERMITS, true));
  }

  private static FileChannel open(Path key) throws IOException {
    Files.createDirectories(key.getParent());
    // Read and write: a shared OS lock needs a readable channel, an exclusive one a writable one.
    return FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }
}
