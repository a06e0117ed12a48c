package dev.orchestrate.env.store;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.shim.InterpreterInfo;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Build environments on disk, one per {@link EnvKey}, under
 * {@code CACHE/environments-v1/<interpreter-digest>/<requirements-digest>/}.
 *
 * <p>An environment is built in a staging directory beside its final place and renamed into
 * place once complete, under a file lock per key, so that two processes asking for one key make
 * it once and neither sees it half-made. After the rename it is never modified. A process killed
 * half-way leaves only a staging directory, removed by the next builder of that key.
 *
 * <p>Every environment this cache hands out stays under a shared "in use" lock
 * ({@code .locks/<key>.use}) until {@link #close()}, so that {@code orchestrate env gc} (which
 * needs the exclusive one) never removes it under a running build; its last use is the
 * modification time of {@code .used/<key>}, outside the immutable environment.
 */
public final class EnvironmentCache implements AutoCloseable {
  public static final String BUCKET = "environments-v1";
  public static final String METADATA = "orchestrate-env.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final WorkerExecutor workers;
  private final Path bucket;
  private final EnvironmentBuilder builder;
  private final ConcurrentHashMap<EnvKey, Future<Environment>> inFlight = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<EnvKey, FileLocks.Held> inUse = new ConcurrentHashMap<>();

  public EnvironmentCache(WorkerExecutor workers, Path cacheRoot, EnvironmentBuilder builder) {
    this.workers = Objects.requireNonNull(workers, "workers");
    this.bucket = cacheRoot.resolve(BUCKET);
    this.builder = Objects.requireNonNull(builder, "builder");
  }

  /** Where the environment of {@code key} lives (whether or not it exists yet). */
  public Path pathOf(EnvKey key) {
    return bucket.resolve(key.interpreterDigest()).resolve(key.requirementsDigest());
  }

  /**
   * The environment for these requirements: from the cache, or made now. Concurrent callers in
   * this process with the same key share one future.
   */
  public Future<Environment> ensure(InterpreterInfo interpreter, List<EnvRequirement> requirements,
      Path log) {
    EnvKey key = EnvKey.of(interpreter, requirements);
    Future<Environment> made = inFlight.computeIfAbsent(key, k -> make(k, interpreter, requirements, log));
    // A failure is not remembered: the next request tries again (after a source build, say).
    made.onFailure(err -> inFlight.remove(key, made));
    return made.recover(err -> Future.failedFuture(err instanceof EnvironmentException e
            ? e.withOrigins(requirements) : err));
  }

  /** The lock file that {@code env gc} must hold exclusively to remove an environment. */
  public static Path useLock(Path environment) {
    return environment.resolveSibling(".locks").resolve(environment.getFileName() + ".use");
  }

  /** The file whose modification time is the environment's last use. */
  public static Path lastUsed(Path environment) {
    return environment.resolveSibling(".used").resolve(environment.getFileName().toString());
  }

  /** Releases the "in use" locks of every environment this cache handed out. */
  @Override
  public void close() {
    inUse.values().forEach(FileLocks.Held::close);
    inUse.clear();
  }

  private Future<Environment> make(EnvKey key, InterpreterInfo interpreter,
      List<EnvRequirement> requirements, Path log) {
    Path target = pathOf(key);
    return workers.executeBlocking(() -> {
      // In use before it is looked at: gc then either removed it already or waits for us.
      FileLocks.Held use = FileLocks.acquireShared(useLock(target));
      FileLocks.Held previous = inUse.put(key, use);
      if (previous != null) {
        previous.close();
      }
      touch(lastUsed(target));
      Environment existing = read(key, target);
      if (existing != null) {
        return new Claim(null, existing, null);
      }
      TestPoints.reach("env.lock-wait");
      FileLocks.Held lock = FileLocks.acquire(target.resolveSibling(".locks").resolve(key.requirementsDigest() + ".lock"));
      try {
        existing = read(key, target); // made by another process while we waited
        if (existing != null) {
          lock.close();
          return new Claim(null, existing, null);
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          StoreBucket.discard(target); // damaged (see read): out of sight, made again
        }
        removeStaleStaging(target);
        Path staging = target.resolveSibling(".tmp-" + key.requirementsDigest() + "-" + UUID.randomUUID());
        TestPoints.reach("env.staging");
        return new Claim(lock, null, staging);
      } catch (IOException | RuntimeException e) {
        lock.close();
        throw e;
      }
    }, false).compose(claim -> {
      if (claim.existing() != null) {
        return Future.succeededFuture(claim.existing());
      }
      return builder.build(interpreter, requirements, claim.staging(), target, log)
          .compose(pins -> workers.executeBlocking(
              () -> publish(key, interpreter, pins, claim.staging(), target), false))
          .eventually(() -> workers.executeBlocking(() -> {
            AtomicFiles.deleteTree(claim.staging());
            claim.lock().close();
            return null;
          }, false));
    });
  }

  private record Claim(FileLocks.Held lock, Environment existing, Path staging) {}

  private Environment publish(EnvKey key, InterpreterInfo interpreter, List<Pin> pins,
      Path staging, Path target) throws IOException {
    TestPoints.reach("env.installed");
    Map<String, String> installed = scanInstalled(staging);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("schema", "orchestrate.env/1");
    meta.put("key", key.id());
    meta.put("interpreter", interpreter.identity());
    meta.put("requirements", key.requirements());
    meta.put("installed", installed);
    meta.put("resolved", pins.stream().map(Pin::toJson).toList());
    meta.put("created", Instant.now().toString());
    meta.put("checks", checks(staging));
    JSON.writeValue(staging.resolve(METADATA).toFile(), meta);
    Files.createDirectories(target.getParent());
    TestPoints.reach("env.metadata");
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the cache directory " + bucket + " must allow atomic renames", e);
    }
    TestPoints.reach("env.published");
    return new Environment(key, target, installed, pins, true);
  }

  /**
   * A published environment, or null: none there, or one damaged since it was made (its
   * metadata unreadable, or a dist-info METADATA or RECORD not of the size it had then), which
   * the caller then replaces. Only a complete one has its metadata file.
   */
  private static Environment read(EnvKey key, Path target) throws IOException {
    Path meta = target.resolve(METADATA);
    if (!Files.isRegularFile(meta)) {
      return null;
    }
    Map<?, ?> data;
    try {
      data = JSON.readValue(meta.toFile(), Map.class);
    } catch (JacksonException e) {
      return null; // truncated or garbled
    }
    if (data == null || !intact(target, data.get("checks"))) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, String> installed = data.get("installed") instanceof Map<?, ?> m
        ? (Map<String, String>) m : Map.of();
    return new Environment(key, target, installed, pins(data), false);
  }

  /**
   * Sizes of every installed distribution's METADATA and RECORD, relative to the environment:
   * a stat each tells, when the environment is found again, whether they were cut short.
   */
  private static Map<String, Long> checks(Path envRoot) throws IOException {
    Map<String, Long> checks = new TreeMap<>();
    for (Path info : distInfos(envRoot)) {
      for (String name : new String[] {"METADATA", "RECORD"}) {
        Path f = info.resolve(name);
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          checks.put(envRoot.relativize(f).toString(), Files.size(f));
        }
      }
    }
    return checks;
  }

  /** Whether the files {@code checks} names have their recorded sizes (no checks: trusted). */
  static boolean intact(Path envRoot, Object checks) {
    if (!(checks instanceof Map<?, ?> sizes)) {
      return true; // made before checks were recorded
    }
    for (Map.Entry<?, ?> e : sizes.entrySet()) {
      Path f = envRoot.resolve(String.valueOf(e.getKey())).normalize();
      try {
        if (!f.startsWith(envRoot) || !(e.getValue() instanceof Number size)
            || Files.size(f) != size.longValue()) {
          return false;
        }
      } catch (IOException gone) {
        return false;
      }
    }
    return true;
  }

  /** The pins recorded in an environment's metadata (none for environments made before pins). */
  static List<Pin> pins(Map<?, ?> metadata) {
    if (!(metadata.get("resolved") instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().filter(Map.class::isInstance).map(m -> Pin.fromJson((Map<?, ?>) m)).toList();
  }

  private static void touch(Path file) throws IOException {
    try {
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now()));
    } catch (java.nio.file.NoSuchFileException e) {
      Files.createDirectories(file.getParent());
      try {
        Files.createFile(file);
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process touched it first: as good
      }
    }
  }

  private static void removeStaleStaging(Path target) throws IOException {
    Path parent = target.getParent();
    if (!Files.isDirectory(parent)) {
      return;
    }
    String prefix = ".tmp-" + target.getFileName() + "-";
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + "*")) {
      for (Path stale : entries) {
        StoreBucket.discard(stale); // we hold this key's lock: no one else is building here
      }
    }
  }

  /**
   * Distributions in an environment's site-packages, by normalised name, read from their
   * METADATA (the directory name alone is not reliable for old installers).
   */
  public static Map<String, String> scanInstalled(Path envRoot) throws IOException {
    Map<String, String> installed = new TreeMap<>();
    for (Path info : distInfos(envRoot)) {
      Path metadata = info.resolve("METADATA");
      if (!Files.isRegularFile(metadata)) {
        continue;
      }
      String name = null;
      String version = null;
      for (String line : Files.readAllLines(metadata, StandardCharsets.UTF_8)) {
        if (line.isEmpty()) {
          break; // end of headers
        } else if (line.startsWith("Name:")) {
          name = line.substring(5).strip();
        } else if (line.startsWith("Version:")) {
          version = line.substring(8).strip();
        }
      }
      if (name != null && version != null) {
        installed.put(PackageName.normalize(name), version);
      }
    }
    return installed;
  }

  /** The {@code *.dist-info} directories of an environment's site-packages. */
  private static List<Path> distInfos(Path envRoot) throws IOException {
    List<Path> out = new ArrayList<>();
    Path lib = envRoot.resolve("lib");
    if (!Files.isDirectory(lib)) {
      return out;
    }
    try (Stream<Path> pythons = Files.list(lib)) {
      for (Path sitePackages : pythons.map(p -> p.resolve("site-packages")).filter(Files::isDirectory).toList()) {
        try (DirectoryStream<Path> infos = Files.newDirectoryStream(sitePackages, "*.dist-info")) {
          infos.forEach(out::add);
        }
      }
    }
    out.sort(null);
    return out;
  }


}
