package dev.orchestrate.state;

import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.scheduler.Stamps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The input hashes of a run's packages: each package's own inputs (computed once, on a worker)
 * combined with its dependencies' input hashes along the build graph. Combining is cheap and
 * memoised by the dependencies' hashes, so it follows edges added at run time.
 */
public final class InputHashes implements Stamps {
  private final Map<String, InputManifest> own;
  private final Map<String, String> ownDigests = new ConcurrentHashMap<>();
  private final Set<String> forced;
  private final Map<String, String> combined = new ConcurrentHashMap<>();
  private volatile BiConsumer<String, InputManifest> onStamp = (member, manifest) -> { };

  /**
   * @param own each package's manifest without dependencies
   * @param forced packages rebuilt whatever their state says
   */
  public InputHashes(Map<String, InputManifest> own, Set<String> forced) {
    this.own = Map.copyOf(own);
    this.forced = Set.copyOf(forced);
    this.own.forEach((name, manifest) -> ownDigests.put(name, manifest.ownDigest()));
  }

  private InputHashes(Map<String, String> ownDigests) {
    this.own = Map.of();
    this.forced = Set.of();
    this.ownDigests.putAll(ownDigests);
  }

  /** Hashes from own digests alone (no manifests: nothing to explain or stamp with). */
  public static InputHashes ofDigests(Map<String, String> ownDigests) {
    return new InputHashes(ownDigests);
  }

  /**
   * The own digest of a member from its settings' digest and the scanned files under
   * {@code relativeDir}, reading only files whose stamp changed.
   *
   * @param memberDirs every member's directory relative to the root: those inside
   *     {@code relativeDir} are other packages' sources, not this one's
   */
  public static String ownDigest(String settingsDigest, TreeScan.Scan scan, String relativeDir,
      Collection<String> memberDirs, DigestCache digests) throws IOException {
    return InputManifest.ownDigest(settingsDigest, files(scan, relativeDir, memberDirs, digests));
  }

  private static SortedMap<String, String> files(TreeScan.Scan scan, String relativeDir,
      Collection<String> memberDirs, DigestCache digests) throws IOException {
    List<String> nested = nested(relativeDir, memberDirs);
    SortedMap<String, String> files = new TreeMap<>();
    String prefix = relativeDir.isEmpty() ? "" : relativeDir + "/";
    for (Map.Entry<String, TreeScan.Entry> e : scan.under(relativeDir).entrySet()) {
      if (insideAny(e.getKey(), nested)) {
        continue;
      }
      files.put(e.getKey(), digests.digest(prefix + e.getKey(), e.getValue(), scan.atEpochNanos()));
    }
    return files;
  }

  /**
   * The member directories strictly inside {@code relativeDir}, relative to it, each ending in
   * {@code /}. A member nested in another's tree (or any member, under a root that is a member
   * itself) is built on its own: editing it must not rebuild the outer one.
   */
  static List<String> nested(String relativeDir, Collection<String> memberDirs) {
    String prefix = relativeDir.isEmpty() ? "" : relativeDir + "/";
    List<String> nested = new ArrayList<>();
    for (String dir : memberDirs) {
      if (!dir.equals(relativeDir) && dir.startsWith(prefix) && !dir.isEmpty()) {
        nested.add(dir.substring(prefix.length()) + "/");
      }
    }
    return nested;
  }

  private static boolean insideAny(String file, List<String> dirs) {
    for (String dir : dirs) {
      if (file.startsWith(dir)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A member's own inputs: {@code settings} and the scanned files under {@code relativeDir}
   * (relative to the root, "" for the root) that are not in another member's directory, by
   * digest. Blocking: reads files whose stamp changed.
   */
  public static InputManifest own(SortedMap<String, String> settings, TreeScan.Scan scan,
      String relativeDir, Collection<String> memberDirs, DigestCache digests) throws IOException {
    return new InputManifest(settings, files(scan, relativeDir, memberDirs, digests), new TreeMap<>());
  }

  /** Called with each manifest handed to an executor (the state store keeps it, for explaining). */
  public void onStamp(BiConsumer<String, InputManifest> listener) {
    this.onStamp = listener;
  }

  public boolean tracks(String member) {
    return ownDigests.containsKey(member);
  }

  /** The input hash of {@code member}, given each member's direct dependencies. */
  public String inputHash(String member, Function<String, ? extends Collection<String>> dependencies) {
    String ownDigest = ownDigests.get(member);
    if (ownDigest == null) {
      throw new IllegalArgumentException("no inputs for `" + member + "`");
    }
    Map<String, String> deps = new TreeMap<>();
    for (String dep : dependencies.apply(member)) {
      if (tracks(dep)) {
        deps.put(dep, inputHash(dep, dependencies));
      }
    }
    String key = member + "\n" + deps;
    return combined.computeIfAbsent(key, k -> InputManifest.hash(ownDigest, deps));
  }

  /** The full manifest of {@code member}: its own inputs and its dependencies' input hashes. */
  public InputManifest manifest(String member, Function<String, ? extends Collection<String>> dependencies) {
    if (!own.containsKey(member)) {
      throw new IllegalArgumentException("no manifest for `" + member + "`");
    }
    Map<String, String> deps = new TreeMap<>();
    for (String dep : dependencies.apply(member)) {
      if (tracks(dep)) {
        deps.put(dep, inputHash(dep, dependencies));
      }
    }
    return own.get(member).withDependencies(deps);
  }

  @Override
  public String stamp(String member, BuildGraph graph) {
    if (!own.containsKey(member)) {
      return "";
    }
    InputManifest manifest = manifest(member, graph::dependenciesOf);
    onStamp.accept(member, manifest);
    return inputHash(member, graph::dependenciesOf);
  }

  @Override
  public boolean force(String member) {
    return forced.contains(member);
  }
}
