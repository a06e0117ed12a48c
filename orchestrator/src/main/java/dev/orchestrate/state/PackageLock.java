package dev.orchestrate.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * A package's lock in the state store, held while it is checked, built and recorded: across
 * threads (a semaphore) and processes (a file lock). Unlike the environment cache's locks it
 * never waits inside the kernel: a process waiting there for one lock while holding another
 * (an environment's, taken by a build on another thread) is a deadlock to the kernel, which
 * fails one of the waits ({@code EDEADLK}) although nothing is stuck. It polls instead.
 * Acquiring blocks: call it from a worker thread.
 */
final class PackageLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();
  private static final long MAX_POLL_MILLIS = 200;

  private final Semaphore semaphore;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean released;

  private PackageLock(Semaphore semaphore, FileChannel channel, FileLock lock) {
    this.semaphore = semaphore;
    this.channel = channel;
    this.lock = lock;
  }

  static PackageLock acquire(Path file) throws IOException, InterruptedException {
    Path key = file.toAbsolutePath().normalize();
    Semaphore semaphore = IN_PROCESS.computeIfAbsent(key, k -> new Semaphore(1));
    semaphore.acquire();
    try {
      Files.createDirectories(key.getParent());
      FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        long wait = 5;
        while (true) {
          FileLock lock;
          try {
            lock = channel.tryLock();
          } catch (OverlappingFileLockException e) {
            lock = null; // cannot happen behind the semaphore; treat as busy
          }
          if (lock != null) {
            return new PackageLock(semaphore, channel, lock);
          }
          Thread.sleep(wait);
          wait = Math.min(MAX_POLL_MILLIS, wait * 2);
        }
      } catch (IOException | RuntimeException | InterruptedException e) {
        channel.close();
        throw e;
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      semaphore.release();
      throw e;
    }
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
