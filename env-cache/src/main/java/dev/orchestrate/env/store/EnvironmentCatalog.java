package dev.orchestrate.env.store;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.env.pep508.PackageName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The environments a cache holds, for people: what each was asked for and resolved to, how big
 * it is, when it was last used; and their removal ({@link #gc}), which never touches an
 * environment a build is using (it must win the exclusive side of the environment's "in use"
 * lock, which every build holds shared) nor one being made. Blocking.
 */
public final class EnvironmentCatalog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path cacheRoot;
  private final Path bucket;

  public EnvironmentCatalog(Path cacheRoot) {
    this.cacheRoot = Objects.requireNonNull(cacheRoot, "cacheRoot").toAbsolutePath().normalize();
    this.bucket = this.cacheRoot.resolve(EnvironmentCache.BUCKET);
  }

  /**
   * One published environment.
   *
   * @param key {@code <interpreter-digest>/<requirements-digest>}
   * @param size bytes of its files (hard links into the store count in full)
   * @param ownSize bytes of the files only it holds (removing it frees at least this)
   */
  public record Entry(String key, Path path, String interpreter, List<String> requirements,
      Map<String, String> installed, List<Pin> resolved, Optional<Instant> created,
      Instant lastUsed, long size, long ownSize) {
    public Entry {
      requirements = List.copyOf(requirements);
      installed = Map.copyOf(installed);
      resolved = List.copyOf(resolved);
    }
  }

  /** What {@link #gc} did. */
  public record GcResult(List<Entry> removed, List<Entry> inUse, long freed, int leftovers) {
    public GcResult {
      removed = List.copyOf(removed);
      inUse = List.copyOf(inUse);
    }
  }

  /** Every published environment, the most recently used first. */
  public List<Entry> list() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Path interp : children(bucket)) {
      for (Path env : children(interp)) {
        read(interp.getFileName() + "/" + env.getFileName(), env).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparing(Entry::lastUsed).reversed().thenComparing(Entry::key));
    return out;
  }

  /**
   * The environments {@code query} names: a key (or a unique prefix of one, or of its
   * requirements digest), else every environment holding the distribution of that name.
   */
  public List<Entry> find(String query) throws IOException {
    List<Entry> all = list();
    List<Entry> byKey = all.stream().filter(e -> e.key().equals(query)
        || e.key().startsWith(query) || e.key().substring(e.key().indexOf('/') + 1).startsWith(query))
        .toList();
    if (!byKey.isEmpty() && query.length() >= 4) {
      return byKey;
    }
    String name = PackageName.isValid(query) ? PackageName.normalize(query) : query;
    return all.stream().filter(e -> e.installed().containsKey(name)
        || e.resolved().stream().anyMatch(p -> p.name().equals(name))).toList();
  }

  /**
   * Removes environments last used before {@code now - olderThan}, then, while the environments
   * together exceed {@code maxSize} bytes, the least recently used ones; and the leftovers of
   * killed builders (staging directories no one is writing to). Environments in use are kept
   * and reported.
   */
  public GcResult gc(Optional<Duration> olderThan, OptionalLong maxSize, Instant now) throws IOException {
    List<Entry> all = new ArrayList<>(list());
    all.sort(Comparator.comparing(Entry::lastUsed));
    long total = all.stream().mapToLong(Entry::size).sum();
    List<Entry> removed = new ArrayList<>();
    List<Entry> inUse = new ArrayList<>();
    long freed = 0;
    for (Entry e : all) {
      boolean old = olderThan.isPresent() && e.lastUsed().isBefore(now.minus(olderThan.get()));
      boolean tooBig = maxSize.isPresent() && total > maxSize.getAsLong();
      if (!old && !tooBig) {
        continue;
      }
      if (remove(e)) {
        removed.add(e);
        freed += e.ownSize();
        total -= e.size();
      } else {
        inUse.add(e);
      }
    }
    return new GcResult(removed, inUse, freed, sweepLeftovers());
  }

  /** Removes one environment unless it is in use; true when it is gone. */
  private boolean remove(Entry e) throws IOException {
    Optional<FileLocks.Held> exclusive = FileLocks.tryAcquire(EnvironmentCache.useLock(e.path()));
    if (exclusive.isEmpty()) {
      return false;
    }
    try (FileLocks.Held held = exclusive.get()) {
      if (!Files.isDirectory(e.path(), LinkOption.NOFOLLOW_LINKS)) {
        return true;
      }
      // Renamed first, so that no one ever sees a half-deleted environment under its key.
      StoreBucket.discard(e.path());
      Files.deleteIfExists(EnvironmentCache.lastUsed(e.path()));
      return true;
    }
  }

  /** Staging directories whose maker is gone (its lock is free), and trash; how many went. */
  private int sweepLeftovers() throws IOException {
    int swept = 0;
    List<Path> buckets = new ArrayList<>(children(bucket));
    buckets.add(cacheRoot.resolve(WheelStore.UNPACKED));
    buckets.add(cacheRoot.resolve(WheelStore.VENV_TEMPLATES));
    buckets.addAll(children(cacheRoot.resolve(WheelStore.BYTECODE)));
    for (Path dir : buckets) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".{tmp,trash}-*")) {
        for (Path p : entries) {
          String name = p.getFileName().toString();
          if (name.startsWith(".trash-")) {
            swept += deleteQuietly(p);
            continue;
          }
          // .tmp-<key>-<uuid>: the key's maker holds .locks/<key>.lock while it writes there.
          String key = name.substring(".tmp-".length(), Math.max(".tmp-".length(), name.length() - 37));
          Path lock = dir.resolve(".locks").resolve(key + ".lock");
          Optional<FileLocks.Held> held = FileLocks.tryAcquire(lock);
          if (held.isPresent()) {
            try (FileLocks.Held h = held.get()) {
              swept += deleteQuietly(p);
            }
          }
        }
      }
    }
    return swept;
  }

  private static int deleteQuietly(Path p) {
    try {
      AtomicFiles.deleteTree(p);
      return 1;
    } catch (IOException e) {
      return 0;
    }
  }

  private Optional<Entry> read(String key, Path env) throws IOException {
    Path meta = env.resolve(EnvironmentCache.METADATA);
    Map<?, ?> data;
    try {
      data = JSON.readValue(meta.toFile(), Map.class);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty(); // not published (or being removed)
    } catch (JacksonException e) {
      data = Map.of("interpreter", "(damaged: " + EnvironmentCache.METADATA
          + " unreadable; the next build that needs it makes it again, env gc removes it)");
    }
    @SuppressWarnings("unchecked")
    List<String> requirements = data.get("requirements") instanceof List<?> l
        ? (List<String>) l : List.of();
    @SuppressWarnings("unchecked")
    Map<String, String> installed = data.get("installed") instanceof Map<?, ?> m
        ? new TreeMap<>((Map<String, String>) m) : Map.of();
    Optional<Instant> created = Optional.ofNullable(data.get("created")).map(Object::toString)
        .flatMap(EnvironmentCatalog::instant);
    Path used = EnvironmentCache.lastUsed(env);
    Instant lastUsed = Files.exists(used) ? Files.getLastModifiedTime(used).toInstant()
        : created.orElse(Files.getLastModifiedTime(meta).toInstant());
    long[] sizes = sizes(env);
    return Optional.of(new Entry(key, env, String.valueOf(data.get("interpreter")), requirements,
        installed, EnvironmentCache.pins(data), created, lastUsed, sizes[0], sizes[1]));
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Apparent size, and the size of files with one link (not shared with the store). */
  private static long[] sizes(Path env) throws IOException {
    long[] sizes = new long[2];
    try (Stream<Path> walk = Files.walk(env)) {
      walk.forEach(p -> {
        try {
          Map<String, Object> a = Files.readAttributes(p, "unix:size,nlink,isRegularFile",
              LinkOption.NOFOLLOW_LINKS);
          if (Boolean.TRUE.equals(a.get("isRegularFile"))) {
            long size = ((Number) a.get("size")).longValue();
            sizes[0] += size;
            if (((Number) a.get("nlink")).intValue() <= 1) {
              sizes[1] += size;
            }
          }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
          // a file removed meanwhile, or a file system without unix attributes: not counted
        }
      });
    }
    return sizes;
  }

  private static List<Path> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** The last-use time of an environment, for tests and tools that age it. */
  public static void setLastUsed(Path environment, Instant when) throws IOException {
    Path used = EnvironmentCache.lastUsed(environment);
    Files.createDirectories(used.getParent());
    if (!Files.exists(used)) {
      Files.createFile(used);
    }
    Files.setLastModifiedTime(used, FileTime.from(when));
  }
}
