package dev.orchestrate.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sha256 of every source file, reused while the file's {@link Stamp} is unchanged (as git's
 * index does), so that a run in which nothing changed reads no file content. One file per
 * workspace, replaced atomically; two runs writing it at once both leave a valid cache.
 */
public final class DigestCache {
  static final String HEADER = "orchestrate.digests/1";

  private final Path file;
  private final ConcurrentHashMap<String, Cached> entries;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private volatile boolean dirty;

  private record Cached(Stamp stamp, String sha256) {}

  private DigestCache(Path file, ConcurrentHashMap<String, Cached> entries) {
    this.file = file;
    this.entries = entries;
  }

  /** The cache stored at {@code file}, or an empty one (a missing or unreadable file is a miss). */
  public static DigestCache load(Path file) {
    ConcurrentHashMap<String, Cached> entries = new ConcurrentHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      if (HEADER.equals(in.readLine())) {
        String line;
        while ((line = in.readLine()) != null) {
          List<String> f = Fields.split(line);
          if (f.size() == 3) {
            entries.put(f.get(0), new Cached(Stamp.parse(f.get(1)), f.get(2)));
          }
        }
      }
    } catch (NoSuchFileException e) {
      // first run
    } catch (IOException | RuntimeException e) {
      entries.clear(); // a damaged cache only costs a re-read
    }
    return new DigestCache(file, entries);
  }

  /**
   * The digest of a scanned file ({@code relative} to the workspace root): from the cache when
   * its stamp is unchanged, else read and hashed now. A symlink that is not followed is hashed
   * by its target text.
   */
  public String digest(String relative, TreeScan.Entry entry, long scanAtEpochNanos) throws IOException {
    seen.add(relative);
    if (entry.isLink()) {
      return Digests.of("symlink\0" + entry.linkTarget());
    }
    Cached cached = entries.get(relative);
    if (cached != null && cached.stamp().equals(entry.stamp())) {
      return cached.sha256();
    }
    String sha = Digests.ofFile(entry.path());
    if (entry.stamp().racyAt(scanAtEpochNanos)) {
      // Changed a moment ago: it may change again without its stamp changing. Hash it next time too.
      if (entries.remove(relative) != null) {
        dirty = true;
      }
    } else {
      entries.put(relative, new Cached(entry.stamp(), sha));
      dirty = true;
    }
    return sha;
  }

  /**
   * Writes the cache back when it changed. With {@code complete} (every member was hashed in this
   * pass), entries of files no longer seen are dropped.
   */
  public void save(boolean complete) throws IOException {
    if (complete && entries.keySet().retainAll(seen)) {
      dirty = true;
    }
    if (!dirty) {
      return;
    }
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Map.Entry<String, Cached> e : new TreeMap<>(entries).entrySet()) {
      sb.append(Fields.line(e.getKey(), e.getValue().stamp().text(), e.getValue().sha256()));
    }
    StateFiles.writeAtomically(file, sb.toString());
    dirty = false;
  }
}
