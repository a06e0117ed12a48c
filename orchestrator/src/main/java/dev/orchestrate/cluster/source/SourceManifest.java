package dev.orchestrate.cluster.source;

import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.state.SourceRules;
import dev.orchestrate.state.TreeScan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A member's source files by content: what the coordinator and an agent compare before the
 * agent builds from its own checkout. The files are those the incremental build hashes
 * ({@link SourceRules}: git's ignore rules in a checkout; no VCS metadata, caches, virtualenvs
 * or build outputs), so that what differs between two checkouts only matters when it is source.
 *
 * @param files path relative to the member directory ({@code /}-separated) to sha256
 */
public record SourceManifest(SortedMap<String, String> files) {
  static final String SCHEME = "orchestrate.source/1";
  /** Beyond this many files a task carries only the digest (the refusal then names no file). */
  public static final int LISTED_FILES_LIMIT = 5000;

  public SourceManifest {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  /** Scans and hashes {@code memberDir} (blocking); {@code excluded}: absolute dirs to skip. */
  public static SourceManifest of(Path memberDir, Set<Path> excluded) throws IOException {
    Path dir = memberDir.toAbsolutePath().normalize();
    TreeScan.Scan scan = TreeScan.scan(SourceRules.forWorkspace(dir, excluded));
    SortedMap<String, String> files = new TreeMap<>();
    for (Map.Entry<String, TreeScan.Entry> e : scan.files().entrySet()) {
      TreeScan.Entry entry = e.getValue();
      files.put(e.getKey(), entry.isLink() ? sha256("symlink\0" + entry.linkTarget())
          : AtomicFiles.sha256(entry.path()));
    }
    return new SourceManifest(files);
  }

  /** One digest for the whole tree: equal digests, equal sources. */
  public String digest() {
    return digest(files);
  }

  public static String digest(Map<String, String> files) {
    StringBuilder sb = new StringBuilder(SCHEME).append('\n');
    new TreeMap<>(files).forEach((path, sha) -> sb.append(sha).append(' ').append(path).append('\n'));
    return sha256(sb.toString());
  }

  /** The files as a task carries them: all of them, or none past {@link #LISTED_FILES_LIMIT}. */
  public Map<String, String> listed() {
    return files.size() <= LISTED_FILES_LIMIT ? files : Map.of();
  }

  /**
   * How this tree (here) differs from {@code theirs} (the coordinator's), for a person: changed
   * files, files only there, files only here; at most a few of each.
   */
  public String differencesFrom(Map<String, String> theirs) {
    if (theirs.isEmpty()) {
      return files.size() + " files here";
    }
    List<String> changed = new ArrayList<>();
    List<String> onlyThere = new ArrayList<>();
    List<String> onlyHere = new ArrayList<>();
    theirs.forEach((path, sha) -> {
      String mine = files.get(path);
      if (mine == null) {
        onlyThere.add(path);
      } else if (!mine.equals(sha)) {
        changed.add(path);
      }
    });
    files.keySet().stream().filter(p -> !theirs.containsKey(p)).forEach(onlyHere::add);
    List<String> parts = new ArrayList<>();
    if (!changed.isEmpty()) {
      parts.add("changed " + few(changed));
    }
    if (!onlyThere.isEmpty()) {
      parts.add("only on the coordinator " + few(onlyThere));
    }
    if (!onlyHere.isEmpty()) {
      parts.add("only here " + few(onlyHere));
    }
    return parts.isEmpty() ? "same files" : String.join("; ", parts);
  }

  private static String few(List<String> paths) {
    List<String> sorted = paths.stream().sorted().toList();
    String shown = String.join(", ", sorted.subList(0, Math.min(5, sorted.size())));
    return sorted.size() > 5 ? shown + " and " + (sorted.size() - 5) + " more" : shown;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
