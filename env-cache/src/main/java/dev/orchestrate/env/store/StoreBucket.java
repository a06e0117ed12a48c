package dev.orchestrate.env.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.UUID;

/**
 * A versioned cache directory of immutable entries, one directory per key (such as
 * {@code CACHE/unpacked-v1/<sha256>/}), each made once.
 *
 * <p>An entry is made in {@code .tmp-<key>-<random>} beside its final place and renamed into
 * place when complete, under a file lock per key ({@code .locks/<key>.lock}): two processes (or
 * threads) asking for one key make it once, and a reader sees a complete entry or none. A
 * process killed half-way leaves only a {@code .tmp-} directory, which the next maker of that key
 * removes (it holds the lock, so no one else is writing there). Blocking: call from a worker.
 */
public final class StoreBucket {
  private final Path dir;

  public StoreBucket(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  /** Writes an entry's content into an empty staging directory. */
  @FunctionalInterface
  public interface Maker {
    void make(Path staging) throws IOException, InterruptedException;
  }

  /** Reads what an entry records about itself (its manifest): what its user needs. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(Path entry) throws IOException;
  }

  /**
   * Whether an entry found in the store is whole, judged with what {@link Reader} read of it.
   * Entries never change once made, but a disk, a person or another tool may damage them; a
   * damaged one is made again, never used.
   */
  @FunctionalInterface
  public interface Check<T> {
    boolean whole(Path entry, T read) throws IOException;
  }

  /** An entry and what was read of it: by the check that found it whole, or after making it. */
  public record Read<T>(Entry entry, T value) {}

  /**
   * An entry and whether this call made it.
   *
   * @param replacedDamaged whether this call found the entry damaged and made it again
   */
  public record Entry(Path path, boolean createdNow, boolean replacedDamaged) {}

  public Path dir() {
    return dir;
  }

  /** Where the entry of {@code key} lives, whether or not it exists. */
  public Path pathOf(String key) {
    checkKey(key);
    return dir.resolve(key);
  }

  /** The entry of {@code key}, made by {@code maker} if no one made it before. */
  public Entry get(String key, Maker maker) throws IOException, InterruptedException {
    return get(key, maker, entry -> entry, (entry, read) -> true).entry();
  }

  /**
   * The entry of {@code key} and what {@code reader} reads of it, made by {@code maker} if no one
   * made it before or if the one there fails {@code check} (then it is moved away under the
   * key's lock and made again). An entry found whole is read once, for the check and the caller.
   */
  public <T> Read<T> get(String key, Maker maker, Reader<T> reader, Check<T> check)
      throws IOException, InterruptedException {
    Path target = pathOf(key);
    T found = wholeOrNull(target, reader, check);
    if (found != null) {
      return new Read<>(new Entry(target, false, false), found);
    }
    TestPoints.reach("bucket." + dir.getFileName() + ".lock-wait");
    try (FileLocks.Held lock = FileLocks.acquire(dir.resolve(".locks").resolve(key + ".lock"))) {
      boolean damaged = false;
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        found = wholeOrNull(target, reader, check);
        if (found != null) {
          return new Read<>(new Entry(target, false, false), found); // made by another process meanwhile
        }
        discard(target); // damaged: out of sight at once, made again below
        damaged = true;
      }
      removeStaleStaging(key);
      Path staging = dir.resolve(".tmp-" + key + "-" + UUID.randomUUID());
      Files.createDirectories(staging);
      String point = "bucket." + dir.getFileName() + ".";
      try {
        TestPoints.reach(point + "staging");
        maker.make(staging);
        TestPoints.reach(point + "made");
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("the cache directory " + dir + " must allow atomic renames", e);
        }
        TestPoints.reach(point + "published");
      } catch (IOException | InterruptedException | RuntimeException | Error e) {
        AtomicFiles.deleteTree(staging);
        throw e;
      }
      return new Read<>(new Entry(target, true, damaged), reader.read(target));
    }
  }

  /**
   * Removes what a killed maker of {@code key} left. Best effort: a process killed with
   * {@code kill -9} may have left a child (a compiler) still writing there for a moment, so the
   * directory is renamed out of the way first and a failure to delete it is not this maker's
   * problem ({@code env gc} sweeps {@code .trash-} directories).
   */
  private void removeStaleStaging(String key) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, ".tmp-" + key + "-*")) {
      for (Path p : stale) {
        discard(p);
      }
    } catch (IOException e) {
      // nothing stale could be listed: the new entry is made beside it all the same
    }
  }

  /** What {@code reader} reads of the entry when it is there and whole; null when absent or damaged. */
  private static <T> T wholeOrNull(Path entry, Reader<T> reader, Check<T> check) {
    if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      T read = reader.read(entry);
      return read != null && check.whole(entry, read) ? read : null;
    } catch (IOException | RuntimeException e) {
      return null; // unreadable is damaged
    }
  }

  /** Renames {@code p} to {@code .trash-<random>} beside it and deletes it if it can. */
  static void discard(Path p) {
    Path trash = p.resolveSibling(".trash-" + UUID.randomUUID());
    try {
      Files.move(p, trash, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      trash = p;
    }
    try {
      AtomicFiles.deleteTree(trash);
    } catch (IOException e) {
      // still being written by an orphan: gc removes it later
    }
  }

  private static void checkKey(String key) {
    if (key.isEmpty() || key.startsWith(".") || key.contains("/") || key.contains("\\")
        || key.contains("..")) {
      throw new IllegalArgumentException("not a store key: `" + key + "`");
    }
  }
}
