package dev.orchestrate.env.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The content-addressed part of the cache, shared by every environment:
 *
 * <pre>
 * CACHE/wheels-v1/&lt;sha256&gt;.whl            downloaded wheels, by content
 * CACHE/unpacked-v1/&lt;sha256&gt;/               each wheel unpacked once (see install.UnpackedWheel)
 * CACHE/bytecode-v1/&lt;cache-tag&gt;/&lt;sha256&gt;/  its byte code, once per Python version
 * CACHE/venv-template-v1/&lt;interpreter&gt;/    one {@code python -m venv} per interpreter, copied
 * </pre>
 *
 * Wheels from a local directory are not copied in: they are read in place and known by their
 * hash. Blocking: call from a worker.
 */
public final class WheelStore {
  public static final String WHEELS = "wheels-v1";
  public static final String UNPACKED = "unpacked-v1";
  public static final String BYTECODE = "bytecode-v1";
  public static final String VENV_TEMPLATES = "venv-template-v1";
  public static final String SDISTS = "sdists-v1";
  public static final String BUILT_WHEELS = "built-wheels-v1";

  private final Path root;
  private final Path wheels;
  private final StoreBucket unpacked;
  private final ConcurrentHashMap<Path, Hashed> hashes = new ConcurrentHashMap<>();

  /** A hash remembered with what the file looked like when it was computed. */
  private record Hashed(long size, long modified, Object fileKey, String sha256) {}

  public WheelStore(Path cacheRoot) {
    this.root = Objects.requireNonNull(cacheRoot, "cacheRoot").toAbsolutePath().normalize();
    this.wheels = root.resolve(WHEELS);
    this.unpacked = new StoreBucket(root.resolve(UNPACKED));
  }

  public Path root() {
    return root;
  }

  /** Where downloads land before they are known by their hash (same file system as the store). */
  public Path incoming() throws IOException {
    return Files.createDirectories(wheels.resolve(".incoming"));
  }

  /** The stored wheel with this sha256, if the store has it. */
  public Optional<Path> wheel(String sha256) {
    Path p = wheels.resolve(sha256 + ".whl");
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * Moves a downloaded file into the store under its content's sha256 and returns the stored
   * path. Two processes storing one wheel both succeed: the rename replaces equal content.
   */
  public Path add(Path downloaded) throws IOException {
    String sha = AtomicFiles.sha256(downloaded);
    Path target = wheels.resolve(sha + ".whl");
    Files.createDirectories(wheels);
    if (Files.isRegularFile(target)) {
      Files.deleteIfExists(downloaded);
    } else {
      AtomicFiles.moveAtomically(downloaded, target);
    }
    hashes.put(target, hashed(target, sha));
    return target;
  }

  /** The sha256 of a file, remembered while its size, time and identity stay the same. */
  public String sha256(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    BasicFileAttributes now = Files.readAttributes(key, BasicFileAttributes.class);
    Hashed known = hashes.get(key);
    if (known != null && known.size() == now.size()
        && known.modified() == now.lastModifiedTime().toMillis()
        && Objects.equals(known.fileKey(), now.fileKey())) {
      return known.sha256();
    }
    String sha = AtomicFiles.sha256(key);
    hashes.put(key, new Hashed(now.size(), now.lastModifiedTime().toMillis(), now.fileKey(), sha));
    return sha;
  }

  private static Hashed hashed(Path file, String sha) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return new Hashed(a.size(), a.lastModifiedTime().toMillis(), a.fileKey(), sha);
  }

  /** A downloaded sdist this store holds, by sha256 (kept under its own file name). */
  public Optional<Path> sdist(String sha256, String filename) {
    Path p = root.resolve(SDISTS).resolve(checkName(sha256)).resolve(checkName(filename));
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** Moves a downloaded sdist into the store, {@code sdists-v1/<sha256>/<filename>}. */
  public Path addSdist(Path downloaded, String filename) throws IOException {
    String sha = AtomicFiles.sha256(downloaded);
    Path target = root.resolve(SDISTS).resolve(sha).resolve(checkName(filename));
    Files.createDirectories(target.getParent());
    if (Files.isRegularFile(target)) {
      Files.deleteIfExists(downloaded);
    } else {
      AtomicFiles.moveAtomically(downloaded, target);
    }
    hashes.put(target, hashed(target, sha));
    return target;
  }

  /**
   * Wheels built from sdists for one interpreter, one entry per sdist sha256 holding the wheel
   * (a wheel built by one interpreter may carry its ABI: never shared across interpreters).
   */
  public StoreBucket builtWheels(String interpreterDigest) {
    return new StoreBucket(root.resolve(BUILT_WHEELS).resolve(checkName(interpreterDigest)));
  }

  /** Unpacked wheels, by sha256. */
  public StoreBucket unpacked() {
    return unpacked;
  }

  /** Byte code of unpacked wheels for one Python version ({@code sys.implementation.cache_tag}). */
  public StoreBucket bytecode(String cacheTag) {
    return new StoreBucket(root.resolve(BYTECODE).resolve(checkName(cacheTag)));
  }

  /** Virtual environment templates, by interpreter digest. */
  public StoreBucket venvTemplates() {
    return new StoreBucket(root.resolve(VENV_TEMPLATES));
  }

  private static String checkName(String name) {
    if (name.isEmpty() || name.startsWith(".") || name.contains("/")) {
      throw new IllegalArgumentException("not a cache directory name: `" + name + "`");
    }
    return name;
  }
}
