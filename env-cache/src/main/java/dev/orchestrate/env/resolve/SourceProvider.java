package dev.orchestrate.env.resolve;

import dev.orchestrate.env.index.DistributionFile;
import dev.orchestrate.env.index.PackageSource;
import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.env.store.StoreBucket;
import dev.orchestrate.env.store.WheelStore;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A {@link Provider} over a {@link PackageSource}: listings as the source gives them, metadata
 * from the source when it offers it alone (PEP 658), else read from the wheel's zip without
 * unpacking it. Wheels from an index are downloaded once into the {@link WheelStore} (skipped
 * when the store already holds the hash the index promised); local wheels are read in place.
 *
 * <p>Blocking: it waits for the source's futures, so it must run on a thread that the source's
 * own work never needs (the native builder gives resolution a worker pool of its own).
 */
public final class SourceProvider implements Provider {
  private final PackageSource source;
  private final WheelStore store;
  private final Duration timeout;
  private final Optional<StoreBucket> builtWheels;
  private final Map<String, Path> wheels = new ConcurrentHashMap<>();

  public SourceProvider(PackageSource source, WheelStore store, Duration timeout) {
    this(source, store, timeout, Optional.empty());
  }

  /**
   * @param builtWheels where wheels built from sdists are kept for the target interpreter; when
   *     present, versions available only as sdists may be chosen ({@link #buildsFromSource})
   */
  public SourceProvider(PackageSource source, WheelStore store, Duration timeout,
      Optional<StoreBucket> builtWheels) {
    this.source = Objects.requireNonNull(source, "source");
    this.store = Objects.requireNonNull(store, "store");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.builtWheels = Objects.requireNonNull(builtWheels, "builtWheels");
  }

  @Override
  public boolean buildsFromSource() {
    return builtWheels.isPresent();
  }

  @Override
  public List<DistributionFile> files(String normalizedName) {
    return await(source.files(normalizedName), "list `" + normalizedName + "`");
  }

  @Override
  public CoreMetadata metadata(DistributionFile wheel) {
    if (!wheel.isWheel()) {
      Path built = wheel(wheel); // the wheel built from the sdist, or SourceBuildNeeded
      try {
        return CoreMetadata.parse(readMetadata(built, wheel.project()));
      } catch (IOException e) {
        throw new EnvironmentException("cannot read the metadata of " + built.getFileName()
            + " (built from " + wheel.filename() + "): " + e.getMessage(), null);
      }
    }
    if (wheel.metadataSha256().isPresent() && !isLocal(wheel)) {
      Optional<byte[]> alone = await(source.metadata(wheel), "fetch the metadata of " + wheel.filename());
      if (alone.isPresent()) {
        return CoreMetadata.parse(alone.get());
      }
    }
    Path file = wheel(wheel);
    try {
      return CoreMetadata.parse(readMetadata(file, wheel.project()));
    } catch (IOException e) {
      throw new EnvironmentException("cannot read the metadata of " + wheel.filename() + " ("
          + file + "): " + e.getMessage(), null);
    }
  }

  @Override
  public String describe() {
    return source.describe();
  }

  /**
   * The wheel on disk: in place for {@code file:} URLs, else downloaded into the store once. For
   * an sdist, the wheel built from it ({@link SourceBuildNeeded} when there is none yet).
   */
  public Path wheel(DistributionFile file) {
    Path known = wheels.get(file.url());
    if (known != null) {
      return known;
    }
    Path path;
    if (!file.isWheel()) {
      path = builtFrom(file);
    } else if (isLocal(file)) {
      path = Path.of(URI.create(file.url()));
    } else {
      Optional<Path> stored = file.sha256().flatMap(store::wheel);
      if (stored.isPresent()) {
        path = stored.get();
      } else {
        try {
          path = store.add(await(source.download(file, store.incoming()), "download " + file.filename()));
        } catch (IOException e) {
          throw new EnvironmentException("cannot store " + file.filename() + ": " + e.getMessage(), null);
        }
      }
    }
    wheels.put(file.url(), path);
    return path;
  }

  /** The wheel built from an sdist, found by the sdist's sha256. */
  private Path builtFrom(DistributionFile sdistFile) {
    StoreBucket bucket = builtWheels.orElseThrow(() -> new IllegalStateException(
        "an sdist was chosen by a resolution that does not build from source"));
    Path sdist = sdist(sdistFile);
    String sha;
    try {
      sha = store.sha256(sdist);
    } catch (IOException e) {
      throw new EnvironmentException("cannot read " + sdist + ": " + e.getMessage(), null);
    }
    if (sdistFile.sha256().isPresent() && !sdistFile.sha256().get().equalsIgnoreCase(sha)) {
      throw new EnvironmentException(sdistFile.filename() + " from " + sdistFile.source()
          + " does not match its promised sha256 (" + sdistFile.sha256().get() + ", found " + sha + ")", null);
    }
    Path entry = bucket.pathOf(sha);
    try (Stream<Path> files = Files.isDirectory(entry) ? Files.list(entry) : Stream.empty()) {
      Optional<Path> wheel = files.filter(f -> f.getFileName().toString().endsWith(".whl")).findFirst();
      if (wheel.isPresent()) {
        return wheel.get();
      }
    } catch (IOException e) {
      throw new EnvironmentException("cannot read " + entry + ": " + e.getMessage(), null);
    }
    String version = Filenames.sdistVersion(sdistFile.project(), sdistFile.filename())
        .map(Object::toString).orElse("?");
    throw new SourceBuildNeeded(PackageName.normalize(sdistFile.project()), version, sdist, sha,
        bucket.dir(), "", null);
  }

  /** An sdist on disk: in place for {@code file:} URLs, else downloaded into the store once. */
  private Path sdist(DistributionFile file) {
    if (isLocal(file)) {
      return Path.of(URI.create(file.url()));
    }
    Optional<Path> stored = file.sha256().flatMap(sha -> store.sdist(sha.toLowerCase(Locale.ROOT), file.filename()));
    if (stored.isPresent()) {
      return stored.get();
    }
    try {
      return store.addSdist(await(source.download(file, store.incoming()), "download " + file.filename()),
          file.filename());
    } catch (IOException e) {
      throw new EnvironmentException("cannot store " + file.filename() + ": " + e.getMessage(), null);
    }
  }

  private static boolean isLocal(DistributionFile file) {
    return file.url().regionMatches(true, 0, "file:", 0, 5);
  }

  /**
   * The {@code *.dist-info/METADATA} at the top of a wheel whose directory names the project
   * (or the only one there is).
   */
  static byte[] readMetadata(Path wheel, String project) throws IOException {
    String wanted = PackageName.normalize(project);
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      ZipEntry only = null;
      int count = 0;
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        String name = entry.getName();
        int slash = name.indexOf('/');
        if (slash < 0 || !name.substring(slash).equals("/METADATA")
            || !name.substring(0, slash).toLowerCase(Locale.ROOT).endsWith(".dist-info")) {
          continue;
        }
        String dir = name.substring(0, slash - ".dist-info".length());
        int dash = dir.lastIndexOf('-');
        if (dash > 0 && PackageName.normalize(dir.substring(0, dash)).equals(wanted)) {
          return read(zip, entry);
        }
        only = entry;
        count++;
      }
      if (count == 1) {
        return read(zip, only);
      }
      throw new IOException("the wheel has no " + wanted + "-*.dist-info/METADATA");
    }
  }

  private static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readNBytes(16 * 1024 * 1024);
    }
  }

  private <T> T await(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new EnvironmentException("cannot " + what + ": " + cause.getMessage(), null);
    } catch (TimeoutException e) {
      throw new EnvironmentException("cannot " + what + ": no answer in "
          + timeout.toSeconds() + "s from " + source.describe(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while waiting to " + what, null);
    }
  }
}
