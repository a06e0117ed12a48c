package dev.orchestrate.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * One walk of a workspace: every source file with its stamp (metadata only, no content), and
 * every directory walked. Members' inputs are cut out of it by directory; the directories and
 * the {@code pyproject.toml}/{@code setup.py} files make the discovery fingerprint. Blocking.
 */
public final class TreeScan {
  private TreeScan() {}

  /** A source file: a regular file (or a symlink to one, by its target's stamp) or a symlink. */
  public record Entry(Path path, Stamp stamp, String linkTarget) {
    /** Whether this entry is a symbolic link that is not followed (to a directory, or dangling). */
    public boolean isLink() {
      return !linkTarget.isEmpty();
    }
  }

  /**
   * @param files source files by path relative to the root ({@code /}-separated)
   * @param directories the directories walked, relative to the root ("" for the root)
   * @param atEpochNanos when the walk started, to tell racy stamps
   */
  public record Scan(Path root, NavigableMap<String, Entry> files, NavigableSet<String> directories,
      long atEpochNanos) {

    /** The files under a directory (relative to the root; "" for all), keyed relative to it. */
    public Map<String, Entry> under(String relativeDir) {
      if (relativeDir.isEmpty()) {
        return files;
      }
      NavigableMap<String, Entry> sub = files.subMap(relativeDir + "/", true, relativeDir + "0", false);
      Map<String, Entry> result = new TreeMap<>();
      int cut = relativeDir.length() + 1;
      sub.forEach((k, v) -> result.put(k.substring(cut), v));
      return result;
    }

    /**
     * A digest of everything workspace discovery depends on: which directories exist, the
     * symbolic links, and every {@code pyproject.toml} and {@code setup.py} by stamp. Equal
     * fingerprints mean discovery finds the same members with the same metadata.
     */
    public String discoveryFingerprint() {
      MessageDigest digest = Digests.sha256();
      for (String dir : directories) {
        digest.update(("d " + dir + "\n").getBytes(StandardCharsets.UTF_8));
      }
      files.forEach((path, entry) -> {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (entry.isLink()) {
          digest.update(("l " + path + " " + entry.linkTarget() + "\n").getBytes(StandardCharsets.UTF_8));
        } else if (name.equals("pyproject.toml") || name.equals("setup.py")) {
          digest.update(("f " + path + " " + entry.stamp().text() + "\n").getBytes(StandardCharsets.UTF_8));
        }
      });
      return HexFormat.of().formatHex(digest.digest());
    }

    /** Whether a file discovery reads changed so recently that its stamp cannot be trusted. */
    public boolean discoveryRacy() {
      for (Map.Entry<String, Entry> e : files.entrySet()) {
        String path = e.getKey();
        if ((path.endsWith("pyproject.toml") || path.endsWith("setup.py"))
            && e.getValue().stamp().racyAt(atEpochNanos)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Walks {@code rules.root()}, skipping what {@code rules} says is not a source. Directories are
   * read in parallel (a no-op run is mostly this walk).
   */
  public static Scan scan(SourceRules rules) throws IOException {
    Path root = rules.root();
    long at = Stamp.nowEpochNanos();
    ConcurrentSkipListMap<String, Entry> files = new ConcurrentSkipListMap<>();
    ConcurrentSkipListSet<String> directories = new ConcurrentSkipListSet<>();
    if (!Files.isDirectory(root)) {
      throw new IOException("not a directory: " + root);
    }
    ForkJoinPool.commonPool().invoke(new Walk(rules, root, root, files, directories, 0));
    return new Scan(root, Collections.unmodifiableNavigableMap(files),
        Collections.unmodifiableNavigableSet(directories), at);
  }

  /** One directory: its files recorded, its subdirectories walked as tasks of their own. */
  private static final class Walk extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    /** Directories this deep or less are tasks of their own (the root, the groups, the members). */
    private static final int FORK_DEPTH = 2;
    private final transient SourceRules rules;
    private final transient Path root;
    private final transient Path dir;
    private final transient NavigableMap<String, Entry> files;
    private final transient NavigableSet<String> directories;
    private final int depth;

    Walk(SourceRules rules, Path root, Path dir, NavigableMap<String, Entry> files,
        NavigableSet<String> directories, int depth) {
      this.depth = depth;
      this.rules = rules;
      this.root = root;
      this.dir = dir;
      this.files = files;
      this.directories = directories;
    }

    @Override
    protected void compute() {
      List<Walk> subdirectories = new ArrayList<>();
      Map<String, Entry> found = new TreeMap<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path child : entries) {
          if (SourceRules.VENV_MARKER.equals(String.valueOf(child.getFileName())) && !dir.equals(root)) {
            return; // a virtualenv: none of it is a source
          }
          BasicFileAttributes attrs;
          try {
            attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          } catch (IOException gone) {
            continue; // removed while we looked, or unreadable: a backend could not read it either
          }
          if (attrs.isDirectory()) {
            if (!rules.skipDirectoryWithoutLooking(child)) {
              subdirectories.add(new Walk(rules, root, child, files, directories, depth + 1));
            }
          } else if (!rules.skipFile(child)) {
            if (attrs.isSymbolicLink()) {
              try {
                found.put(relative(root, child), link(child, attrs));
              } catch (IOException gone) {
                // removed while we looked
              }
            } else if (attrs.isRegularFile()) {
              found.put(relative(root, child), new Entry(child, Stamp.of(attrs), ""));
            } // sockets, fifos, devices: not sources
          }
        }
      } catch (IOException unreadable) {
        return;
      }
      directories.add(relative(root, dir));
      files.putAll(found);
      if (depth < FORK_DEPTH) {
        invokeAll(subdirectories);
      } else {
        subdirectories.forEach(Walk::compute); // deep down, a task per directory costs more than it saves
      }
    }
  }

  /** A link to a file counts as that file; a link to a directory (not walked) by its target. */
  private static Entry link(Path file, BasicFileAttributes linkAttrs) throws IOException {
    String target = Files.readSymbolicLink(file).toString();
    try {
      BasicFileAttributes followed = Files.readAttributes(file, BasicFileAttributes.class);
      if (followed.isRegularFile()) {
        return new Entry(file, Stamp.of(followed), "");
      }
    } catch (IOException dangling) {
      // recorded by its target text
    }
    return new Entry(file, Stamp.of(linkAttrs), target);
  }

  static String relative(Path root, Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }
}
