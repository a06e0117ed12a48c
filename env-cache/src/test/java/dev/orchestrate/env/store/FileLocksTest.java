package dev.orchestrate.env.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared and exclusive file locks, within this process and against another one. */
class FileLocksTest {
  @TempDir Path tmp;

  @Test
  void sharedHoldersCoexistAndKeepTheExclusiveOneOut() throws Exception {
    Path lock = tmp.resolve("env.use");
    FileLocks.Held a = FileLocks.acquireShared(lock);
    FileLocks.Held b = FileLocks.acquireShared(lock);
    assertTrue(FileLocks.tryAcquire(lock).isEmpty(), "two readers hold it");
    a.close();
    assertTrue(FileLocks.tryAcquire(lock).isEmpty(), "one reader still holds it");
    b.close();
    Optional<FileLocks.Held> exclusive = FileLocks.tryAcquire(lock);
    assertTrue(exclusive.isPresent());
    CompletableFuture<FileLocks.Held> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return FileLocks.acquireShared(lock);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200);
    assertFalse(waiting.isDone(), "a reader waits while the exclusive lock is held");
    exclusive.get().close();
    waiting.get(10, TimeUnit.SECONDS).close();
  }

  @Test
  void anotherProcessHoldingItSharedKeepsTheExclusiveOneOut() throws Exception {
    Path lock = tmp.resolve("env.use");
    // Python's lockf is the same POSIX record lock the JVM takes.
    Process holder = new ProcessBuilder("python3", "-c", String.join("\n",
        "import fcntl, sys",
        "f = open(sys.argv[1], 'a+')",
        "fcntl.lockf(f, fcntl.LOCK_SH)",
        "print('held', flush=True)",
        "sys.stdin.readline()"), lock.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("held", out.readLine());
      assertTrue(FileLocks.tryAcquire(lock).isEmpty(), "the other process holds it shared");
      FileLocks.acquireShared(lock).close(); // readers share with other processes' readers
    } finally {
      holder.getOutputStream().close();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
    Optional<FileLocks.Held> exclusive = FileLocks.tryAcquire(lock);
    assertTrue(exclusive.isPresent(), "free once the other process is gone");
    exclusive.get().close();
  }
}
