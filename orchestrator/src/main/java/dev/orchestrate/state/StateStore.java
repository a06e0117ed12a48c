package dev.orchestrate.state;

import dev.orchestrate.env.store.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The state of one workspace's builds, under {@code CACHE/state-v1/<workspace-digest>/}:
 *
 * <pre>
 *   packages/&lt;member&gt;             last successful build: input hash, artifacts with sha256
 *   blobs/&lt;sha256&gt;               a copy of each recorded artifact, to restore deleted outputs
 *   manifests/&lt;member&gt;/&lt;hash&gt;   the inputs behind an input hash, to explain a rebuild
 *   locks/&lt;member&gt;.lock         held while a package is checked, built and recorded
 *   digests, snapshot            the per-file digest cache and the workspace snapshot
 * </pre>
 *
 * Every file is written beside its place and renamed into it. A record is written only after its
 * artifacts are published and copied, under the package's lock, so that two runs at once leave
 * records that match the out dir. Blocking: call from worker threads.
 */
public final class StateStore {
  public static final String BUCKET = "state-v1";
  /** Manifests kept per package besides the one its record names. */
  static final int KEEP_MANIFESTS = 4;

  private final Path dir;

  private StateStore(Path dir) {
    this.dir = dir;
  }

  /** The store of the workspace at {@code root} (its real path: one state per checkout). */
  public static StateStore forWorkspace(Path cacheDir, Path root) {
    return new StateStore(cacheDir.resolve(BUCKET).resolve(Digests.of(root.toString()).substring(0, 20)));
  }

  public Path dir() {
    return dir;
  }

  Path digestsFile() {
    return dir.resolve("digests");
  }

  Path snapshotFile() {
    return dir.resolve("snapshot");
  }

  private Path recordFile(String member) {
    return dir.resolve("packages").resolve(member);
  }

  Path blob(String sha256) {
    return dir.resolve("blobs").resolve(sha256);
  }

  private Path manifestDir(String member) {
    return dir.resolve("manifests").resolve(member);
  }

  public DigestCache digests() {
    return DigestCache.load(digestsFile());
  }

  /** The record of {@code member}'s last successful build; empty when none (or unreadable). */
  public Optional<PackageRecord> read(String member) {
    try {
      return StateFiles.read(recordFile(member)).map(PackageRecord::parse);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a damaged record is a missing one: the package is rebuilt
    }
  }

  void write(String member, PackageRecord record) throws IOException {
    StateFiles.writeAtomically(recordFile(member), record.text());
  }

  /** Holds {@code member}'s lock (blocking) until the returned handle is closed. */
  PackageLock lock(String member) throws IOException, InterruptedException {
    return PackageLock.acquire(dir.resolve("locks").resolve(member + ".lock"));
  }

  /** Keeps the manifest behind {@code hash} (once; manifests are immutable). */
  public void putManifest(String member, String hash, InputManifest manifest) throws IOException {
    Path file = manifestDir(member).resolve(hash);
    if (!Files.exists(file)) {
      StateFiles.writeAtomically(file, manifest.text());
    }
  }

  public Optional<InputManifest> manifest(String member, String hash) {
    try {
      return StateFiles.read(manifestDir(member).resolve(hash)).map(InputManifest::parse);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Drops all but the newest manifests of {@code member}, never the one named {@code keep}. */
  void pruneManifests(String member, String keep) throws IOException {
    List<Path> all = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(manifestDir(member))) {
      files.forEach(all::add);
    } catch (NoSuchFileException e) {
      return;
    }
    all.removeIf(p -> p.getFileName().toString().equals(keep) || p.getFileName().toString().startsWith("."));
    if (all.size() <= KEEP_MANIFESTS) {
      return;
    }
    all.sort(Comparator.comparing(StateStore::modified).reversed());
    for (Path old : all.subList(KEEP_MANIFESTS, all.size())) {
      Files.deleteIfExists(old);
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /**
   * Copies a published artifact into the blob store, unless a copy is there. A copy, not a link:
   * a later change to the out dir's file must not reach the stored one.
   *
   * @return false when the file does not have the expected content any more
   */
  boolean keep(Path artifact, String sha256) throws IOException {
    Path blob = blob(sha256);
    if (Files.isRegularFile(blob)) {
      return true;
    }
    Files.createDirectories(blob.getParent());
    Path tmp = blob.resolveSibling(".tmp-" + sha256 + "-" + UUID.randomUUID());
    try {
      if (!copyVerified(artifact, tmp, sha256)) {
        return false;
      }
      AtomicFiles.moveAtomically(tmp, blob);
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Puts the stored copy of an artifact at {@code target} (atomically, staged in
   * {@code stagingDir} on the target's file system).
   *
   * @return false when there is no intact copy
   */
  boolean restore(PackageRecord.Artifact artifact, Path target, Path stagingDir) throws IOException {
    Path blob = blob(artifact.sha256());
    if (!Files.isRegularFile(blob)) {
      return false;
    }
    Files.createDirectories(stagingDir);
    Path tmp = stagingDir.resolve("restore-" + UUID.randomUUID() + "-" + artifact.file());
    try {
      if (!copyVerified(blob, tmp, artifact.sha256())) {
        Files.deleteIfExists(blob); // a damaged copy helps no one
        return false;
      }
      AtomicFiles.moveAtomically(tmp, target);
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Drops the copies of {@code before}'s artifacts that {@code after} no longer names. */
  void pruneBlobs(Optional<PackageRecord> before, PackageRecord after) throws IOException {
    if (before.isEmpty()) {
      return;
    }
    Set<String> kept = new HashSet<>();
    after.artifacts().forEach(a -> kept.add(a.sha256()));
    for (PackageRecord.Artifact old : before.get().artifacts()) {
      if (!kept.contains(old.sha256())) {
        Files.deleteIfExists(blob(old.sha256()));
      }
    }
  }

  /** Copies {@code from} to {@code to}, computing the digest on the way; true when it matches. */
  private static boolean copyVerified(Path from, Path to, String sha256) throws IOException {
    MessageDigest digest = Digests.sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(from);
        OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (NoSuchFileException e) {
      return false;
    }
    return HexFormat.of().formatHex(digest.digest()).equals(sha256);
  }
}
