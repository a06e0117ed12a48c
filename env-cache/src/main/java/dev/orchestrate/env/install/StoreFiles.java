package dev.orchestrate.env.install;

import dev.orchestrate.env.install.UnpackedWheel.FileEntry;
import dev.orchestrate.env.store.StoreBucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The files of a store entry (an unpacked wheel, its byte code, a venv template) as recorded in
 * the entry's manifest when it was made, and the check, each time the entry is used, that they
 * are still so. Entries never change once published, but a disk, a person or another tool may
 * damage them, and environments link their files: a damaged entry is made again, never used.
 *
 * <p>The check is a stat per file (type, size and modification time: any write since the entry
 * was made changes the time, hard links to the file do not) plus the hash of the few small
 * files a caller names, so that it stays cheap beside linking the files into an environment.
 */
final class StoreFiles {
  private StoreFiles() {}

  /** Every regular file and symbolic link under {@code tree}, sorted, as a manifest lists them. */
  static List<FileEntry> record(Path tree) throws IOException {
    List<FileEntry> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(tree)) {
      for (Path p : walk.sorted().toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
        if (!a.isSymbolicLink() && !a.isRegularFile()) {
          continue;
        }
        boolean link = a.isSymbolicLink();
        files.add(new FileEntry(tree.relativize(p).toString().replace('\\', '/'),
            link ? "" : UnpackedWheel.hash(p, "sha256"), link ? 0 : a.size(), link, modified(a)));
      }
    }
    return files;
  }

  /**
   * Whether every file of {@code files} is under {@code tree} as it was recorded: still there,
   * of its kind, of its size, not written since (when its time was recorded: entries made before
   * times were recorded have none), and for the paths {@code hashed} accepts, of its hash.
   */
  static boolean whole(Path tree, List<FileEntry> files, Predicate<String> hashed)
      throws IOException {
    for (FileEntry f : files) {
      Path p = tree.resolve(f.path());
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return false;
      }
      if (f.symlink() ? !a.isSymbolicLink() : !a.isRegularFile() || a.size() != f.size()) {
        return false;
      }
      if (f.modified() != 0 && modified(a) != f.modified()) {
        return false;
      }
      if (!f.symlink() && hashed.test(f.path()) && !UnpackedWheel.hash(p, "sha256").equals(f.hash())) {
        return false;
      }
    }
    return true;
  }

  /** Says in the environment's log that a damaged store entry was found and made again. */
  static void noteReplaced(StoreBucket.Entry entry, Path log) {
    if (entry.replacedDamaged()) {
      NativeEnvironmentBuilder.note(log, "the store entry " + entry.path() + " was damaged (a file"
          + " missing, cut short or written since it was made, or its manifest unreadable): made"
          + " it again", System.nanoTime());
    }
  }

  private static long modified(BasicFileAttributes a) {
    return a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
  }
}
