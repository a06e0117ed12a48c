package dev.orchestrate.env.index;

import dev.orchestrate.env.pep508.PackageName;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Every source of a run behind one {@link PackageSource}: find-links directories first, then the
 * index, then the extra indexes. {@link #files} merges their listings per project in that order,
 * keeping the first file of each name; downloads and metadata go back to the source that listed
 * the file ({@code file:} URLs are always read locally).
 *
 * <p>With {@code offline}, index sources are never asked: a project missing from find-links fails
 * with a message that says {@code --offline} kept the indexes out.
 */
public final class SourceSet implements PackageSource, AutoCloseable {
  private final List<FindLinksSource> findLinks;
  private final List<SimpleIndexSource> indexes;
  private final boolean offline;
  private final Optional<WebClient> client;
  private final Vertx vertx;

  private SourceSet(Vertx vertx, List<FindLinksSource> findLinks, List<SimpleIndexSource> indexes,
      boolean offline, Optional<WebClient> client) {
    this.vertx = vertx;
    this.findLinks = List.copyOf(findLinks);
    this.indexes = List.copyOf(indexes);
    this.offline = offline;
    this.client = client;
  }

  /**
   * The sources {@code settings} name, credentials from the user's {@code .netrc} (read on a
   * worker, and only when there is an index).
   */
  public static Future<SourceSet> open(Vertx vertx, SourceSettings settings) {
    Objects.requireNonNull(settings, "settings");
    if (settings.indexUrls().isEmpty() || settings.offline()) {
      return Future.succeededFuture(of(vertx, settings, Netrc.empty(), HttpOptions.defaults()));
    }
    return vertx.executeBlocking(Netrc::load, false)
        .map(netrc -> of(vertx, settings, netrc, HttpOptions.defaults()));
  }

  /** The sources {@code settings} name, with these credentials and network options. */
  public static SourceSet of(Vertx vertx, SourceSettings settings, Netrc netrc, HttpOptions http) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(settings, "settings");
    HttpOptions options = http.withOffline(http.offline() || settings.offline());
    List<FindLinksSource> dirs = settings.findLinks().stream()
        .map(p -> new FindLinksSource(vertx, p)).toList();
    Optional<WebClient> client = settings.indexUrls().isEmpty() ? Optional.empty()
        : Optional.of(options.newClient(vertx));
    List<SimpleIndexSource> indexes = settings.indexUrls().stream()
        .map(u -> new SimpleIndexSource(vertx, client.orElseThrow(), u, netrc, options)).toList();
    return new SourceSet(vertx, dirs, indexes, options.offline(), client);
  }

  /** Every source, in the order they are asked. */
  public List<PackageSource> sources() {
    List<PackageSource> all = new ArrayList<>(findLinks);
    all.addAll(indexes);
    return all;
  }

  public boolean offline() {
    return offline;
  }

  @Override
  public Future<List<DistributionFile>> files(String name) {
    String normalizedName = PackageName.normalize(Objects.requireNonNull(name, "name"));
    List<PackageSource> asked = new ArrayList<>(findLinks);
    if (!offline) {
      asked.addAll(indexes);
    }
    List<Future<List<DistributionFile>>> listings = asked.stream().map(s -> s.files(normalizedName)).toList();
    return Future.all(listings).map(all -> {
      List<DistributionFile> merged = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Future<List<DistributionFile>> listing : listings) {
        for (DistributionFile f : listing.result()) {
          if (seen.add(f.filename())) {
            merged.add(f);
          }
        }
      }
      if (merged.isEmpty() && offline && !indexes.isEmpty()) {
        throw new IndexException.Offline("`" + normalizedName + "` is not in "
            + (findLinks.isEmpty() ? "any find-links directory (none given)"
                : "the find-links directories (" + String.join(", ", findLinks.stream().map(FindLinksSource::describe).toList()) + ")")
            + ", and --offline keeps " + String.join(", ", indexes.stream().map(SimpleIndexSource::describe).toList())
            + " out");
      }
      return merged;
    }).recover(e -> Future.failedFuture(e instanceof IndexException ? e : new IndexException(
        "cannot list `" + normalizedName + "`: " + SimpleIndexSource.describe(e))));
  }

  @Override
  public Future<Path> download(DistributionFile file, Path directory) {
    try {
      return route(file).download(file, directory);
    } catch (IndexException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Optional<byte[]>> metadata(DistributionFile file) {
    try {
      return route(file).metadata(file);
    } catch (IndexException e) {
      return Future.failedFuture(e);
    }
  }

  private PackageSource route(DistributionFile file) {
    Objects.requireNonNull(file, "file");
    if (file.url().regionMatches(true, 0, "file:", 0, 5)) {
      for (FindLinksSource s : findLinks) {
        if (s.describe().equals(file.source())) {
          return s;
        }
      }
      return new FindLinksSource(vertx, LocalFiles.path(file).getParent());
    }
    for (SimpleIndexSource s : indexes) {
      if (s.describe().equals(file.source())) {
        return s;
      }
    }
    for (SimpleIndexSource s : indexes) {
      if (file.url().startsWith(s.url())) {
        return s;
      }
    }
    if (!indexes.isEmpty()) {
      return indexes.get(0);
    }
    throw new IndexException("no source of this run can fetch " + file.filename() + " ("
        + IndexUrls.redact(file.url()) + ")");
  }

  @Override
  public String describe() {
    List<String> parts = new ArrayList<>();
    findLinks.forEach(s -> parts.add("find-links " + s.describe()));
    indexes.forEach(s -> parts.add(s.describe()));
    if (parts.isEmpty()) {
      parts.add("no sources");
    }
    return String.join(", ", parts) + (offline ? " (offline)" : "");
  }

  /** Closes the HTTP client the index sources share. */
  @Override
  public void close() {
    client.ifPresent(WebClient::close);
  }

  @Override
  public String toString() {
    return describe();
  }
}
