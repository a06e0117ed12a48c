package dev.orchestrate.env.index;

import dev.orchestrate.env.pep508.PackageName;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A flat directory of distributions ({@code --find-links DIR}): wheels named
 * {@code name-version-...whl} and sdists {@code name-version.tar.gz} (or {@code .zip}), matched
 * by normalised project name. The directory is listed on every call (a run adds its members'
 * wheels as it goes); no hashes are computed for a listing. A wheel's METADATA is read from
 * the zip when asked, so a resolver needs no copy to learn its dependencies. A path that names
 * one file offers that file; a path that does not exist offers nothing.
 */
public final class FindLinksSource implements PackageSource {
  private final Path directory;
  private final Function<Callable<?>, Future<?>> blocking;
  private final String label;

  /** Blocking work on Vert.x's worker pool. */
  public FindLinksSource(Vertx vertx, Path directory) {
    this(directory, c -> Objects.requireNonNull(vertx, "vertx").executeBlocking(c, false));
  }

  /** Blocking work on {@code workers}. */
  public FindLinksSource(WorkerExecutor workers, Path directory) {
    this(directory, c -> Objects.requireNonNull(workers, "workers").executeBlocking(c, false));
  }

  private FindLinksSource(Path directory, Function<Callable<?>, Future<?>> blocking) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    this.blocking = blocking;
    this.label = this.directory.toString();
  }

  public Path directory() {
    return directory;
  }

  @Override
  public String describe() {
    return label;
  }

  @SuppressWarnings("unchecked")
  private <T> Future<T> blocking(Callable<T> work) {
    return ((Future<T>) blocking.apply(work)).recover(e -> Future.failedFuture(
        e instanceof IndexException ? e
            : new IndexException("find-links " + label + ": " + SimpleIndexSource.describe(e))));
  }

  @Override
  public Future<List<DistributionFile>> files(String name) {
    String project = PackageName.normalize(Objects.requireNonNull(name, "name"));
    return blocking(() -> list(project));
  }

  private List<DistributionFile> list(String project) throws IOException {
    List<Path> candidates = new ArrayList<>();
    if (Files.isRegularFile(directory)) {
      candidates.add(directory);
    } else if (Files.isDirectory(directory)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
        for (Path p : entries) {
          candidates.add(p);
        }
      }
    }
    candidates.sort(Comparator.comparing(p -> p.getFileName().toString()));
    List<DistributionFile> out = new ArrayList<>();
    for (Path p : candidates) {
      String name = p.getFileName().toString();
      if (name.startsWith(".") || !SimplePages.belongsTo(name, project) || !Files.isRegularFile(p)) {
        continue; // dot files include our own downloads in progress
      }
      boolean wheel = name.endsWith(".whl");
      out.add(new DistributionFile(project, name, p.toUri().toString(), Optional.empty(),
          Optional.empty(), Optional.empty(), wheel ? Optional.of("") : Optional.empty(), label));
    }
    return out;
  }

  @Override
  public Future<Path> download(DistributionFile file, Path directory) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(directory, "directory");
    return blocking(() -> LocalFiles.copyInto(file, directory));
  }

  @Override
  public Future<Optional<byte[]>> metadata(DistributionFile file) {
    Objects.requireNonNull(file, "file");
    if (!file.isWheel() || file.metadataSha256().isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return blocking(() -> LocalFiles.wheelMetadata(file));
  }

  @Override
  public String toString() {
    return "find-links " + label;
  }
}
