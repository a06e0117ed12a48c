package dev.orchestrate.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a package's build depends on, listed: its settings (build spec, environment key,
 * config settings, build mode, interpreter, frontend), its source files by sha256, and the input
 * hashes of the members it needs at build time. The input hash is a digest of the package's own
 * inputs and its dependencies' input hashes (a Merkle tree over the build graph), so a change in
 * a member changes the hash of every member that needs it, transitively, and of nothing else.
 *
 * @param settings name to canonical value
 * @param files path relative to the member directory to sha256
 * @param dependencies member name to its input hash
 */
public record InputManifest(SortedMap<String, String> settings, SortedMap<String, String> files,
    SortedMap<String, String> dependencies) {
  static final String SCHEME = "orchestrate.inputs/1";

  public InputManifest {
    settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    dependencies = Collections.unmodifiableSortedMap(new TreeMap<>(dependencies));
  }

  /** The digest of the package's own inputs: settings and files, not dependencies. */
  public String ownDigest() {
    return ownDigest(settingsDigest(settings), files);
  }

  /** The digest of a package's settings alone (what the workspace snapshot keeps of them). */
  public static String settingsDigest(SortedMap<String, String> settings) {
    MessageDigest digest = Digests.sha256();
    settings.forEach((k, v) -> digest.update(Fields.line("setting", k, v).getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(digest.digest());
  }

  /** {@link #ownDigest()} from the settings' digest and the files. */
  public static String ownDigest(String settingsDigest, SortedMap<String, String> files) {
    StringBuilder text = new StringBuilder(Fields.line("settings", settingsDigest));
    files.forEach((path, sha) -> text.append(Fields.line("file", sha, path)));
    return Digests.of(text.toString());
  }

  /** The input hash: own inputs plus the dependencies' input hashes. */
  public String hash() {
    return hash(ownDigest(), dependencies);
  }

  static String hash(String ownDigest, Map<String, String> dependencyHashes) {
    StringBuilder sb = new StringBuilder(SCHEME).append('\n').append(ownDigest).append('\n');
    new TreeMap<>(dependencyHashes).forEach((name, h) -> sb.append(Fields.line("dep", name, h)));
    return Digests.of(sb.toString());
  }

  public InputManifest withDependencies(Map<String, String> dependencyHashes) {
    return new InputManifest(settings, files, new TreeMap<>(dependencyHashes));
  }

  /** The manifest as the state store keeps it. */
  public String text() {
    StringBuilder sb = new StringBuilder(SCHEME).append('\n');
    settings.forEach((k, v) -> sb.append(Fields.line("setting", k, v)));
    files.forEach((path, sha) -> sb.append(Fields.line("file", sha, path)));
    dependencies.forEach((name, h) -> sb.append(Fields.line("dep", name, h)));
    return sb.toString();
  }

  public static InputManifest parse(String text) {
    Iterator<String> lines = text.lines().iterator();
    if (!lines.hasNext() || !lines.next().equals(SCHEME)) {
      throw new IllegalArgumentException("not an input manifest of " + SCHEME);
    }
    SortedMap<String, String> settings = new TreeMap<>();
    SortedMap<String, String> files = new TreeMap<>();
    SortedMap<String, String> dependencies = new TreeMap<>();
    while (lines.hasNext()) {
      List<String> f = Fields.split(lines.next());
      if (f.size() != 3) {
        continue;
      }
      switch (f.get(0)) {
        case "setting" -> settings.put(f.get(1), f.get(2));
        case "file" -> files.put(f.get(2), f.get(1));
        case "dep" -> dependencies.put(f.get(1), f.get(2));
        default -> { }
      }
    }
    return new InputManifest(settings, files, dependencies);
  }

  /** What changed from {@code previous} to this manifest, settings first, then files, then dependencies. */
  public List<InputChange> changesSince(InputManifest previous) {
    Objects.requireNonNull(previous, "previous");
    List<InputChange> changes = new ArrayList<>();
    TreeMap<String, String> keys = new TreeMap<>(previous.settings);
    keys.putAll(settings);
    for (String key : keys.keySet()) {
      String before = previous.settings.getOrDefault(key, "");
      String after = settings.getOrDefault(key, "");
      if (!before.equals(after)) {
        changes.add(new InputChange.SettingChanged(key, before, after));
      }
    }
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (Map.Entry<String, String> e : files.entrySet()) {
      String before = previous.files.get(e.getKey());
      if (before == null) {
        added.add(e.getKey());
      } else if (!before.equals(e.getValue())) {
        changes.add(new InputChange.FileModified(e.getKey()));
      }
    }
    for (String path : previous.files.keySet()) {
      if (!files.containsKey(path)) {
        removed.add(path);
      }
    }
    // A file that disappeared while one with the same content appeared was renamed.
    for (Iterator<String> it = removed.iterator(); it.hasNext(); ) {
      String from = it.next();
      String sha = previous.files.get(from);
      for (Iterator<String> a = added.iterator(); a.hasNext(); ) {
        String to = a.next();
        if (files.get(to).equals(sha)) {
          changes.add(new InputChange.FileRenamed(from, to));
          it.remove();
          a.remove();
          break;
        }
      }
    }
    added.forEach(p -> changes.add(new InputChange.FileAdded(p)));
    removed.forEach(p -> changes.add(new InputChange.FileRemoved(p)));
    for (Map.Entry<String, String> e : dependencies.entrySet()) {
      String before = previous.dependencies.get(e.getKey());
      if (before == null) {
        changes.add(new InputChange.DependencyAdded(e.getKey()));
      } else if (!before.equals(e.getValue())) {
        changes.add(new InputChange.DependencyChanged(e.getKey(), before, e.getValue()));
      }
    }
    for (String name : previous.dependencies.keySet()) {
      if (!dependencies.containsKey(name)) {
        changes.add(new InputChange.DependencyRemoved(name));
      }
    }
    return changes;
  }
}
