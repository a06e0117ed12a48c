package dev.orchestrate.state;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the last full run learnt about the workspace, so that the next one can tell "nothing
 * changed" without parsing a single {@code pyproject.toml}: the members with the settings part
 * of their inputs, the build graph's edges, and the discovery fingerprint of the tree they were
 * read from. Valid only for the same options ({@link #key}) and an equal fingerprint; written
 * only for workspaces without problems.
 *
 * @param key what the settings depend on: root, out dir, cache dir, interpreter, build mode,
 *     config settings, frontend
 * @param fingerprint {@link TreeScan.Scan#discoveryFingerprint()} of the tree the members were read from
 */
public record WorkspaceSnapshot(String key, String fingerprint, String discoveredBy,
    Map<String, Member> members, List<Edge> edges) {
  static final String HEADER = "orchestrate.snapshot/2";

  /**
   * One member as the last run saw it.
   *
   * @param dir relative to the root ("" for the root itself)
   * @param version the static version, or ""
   * @param settingsDigest {@link InputManifest#settingsDigest} of its settings
   */
  public record Member(String name, String displayName, String version, String dir,
      String settingsDigest) {}

  /** {@code from} needs {@code to}'s wheel at build time. */
  public record Edge(String from, String to) {}

  public WorkspaceSnapshot {
    members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
    edges = List.copyOf(edges);
  }

  /** The key for a run's options (see {@link #key()}). */
  public static String key(Path root, Path outDir, Path cacheDir, String interpreterIdentity,
      String buildMode, String configSettings, String frontend) {
    return Digests.of(Fields.line(HEADER, root.toString(), outDir.toString(), cacheDir.toString(),
        interpreterIdentity, buildMode, configSettings, frontend));
  }

  public static Optional<WorkspaceSnapshot> read(StateStore store) {
    try {
      return StateFiles.read(store.snapshotFile()).map(WorkspaceSnapshot::parse);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public void write(StateStore store) throws IOException {
    StateFiles.writeAtomically(store.snapshotFile(), text());
  }

  String text() {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    sb.append(Fields.line("key", key));
    sb.append(Fields.line("fingerprint", fingerprint));
    sb.append(Fields.line("discovered-by", discoveredBy));
    for (Member m : members.values()) {
      sb.append(Fields.line("member", m.name(), m.displayName(), m.version(), m.dir(),
          m.settingsDigest()));
    }
    for (Edge e : edges) {
      sb.append(Fields.line("edge", e.from(), e.to()));
    }
    return sb.toString();
  }

  static WorkspaceSnapshot parse(String text) {
    Iterator<String> lines = text.lines().iterator();
    if (!lines.hasNext() || !lines.next().equals(HEADER)) {
      throw new IllegalArgumentException("not a snapshot of " + HEADER);
    }
    String key = "";
    String fingerprint = "";
    String discoveredBy = "";
    Map<String, Member> members = new LinkedHashMap<>();
    List<Edge> edges = new ArrayList<>();
    while (lines.hasNext()) {
      List<String> f = Fields.split(lines.next());
      switch (f.get(0)) {
        case "key" -> key = f.get(1);
        case "fingerprint" -> fingerprint = f.get(1);
        case "discovered-by" -> discoveredBy = f.get(1);
        case "member" -> members.put(f.get(1), new Member(f.get(1), f.get(2), f.get(3), f.get(4), f.get(5)));
        case "edge" -> edges.add(new Edge(f.get(1), f.get(2)));
        default -> { }
      }
    }
    return new WorkspaceSnapshot(key, fingerprint, discoveredBy, members, edges);
  }
}
