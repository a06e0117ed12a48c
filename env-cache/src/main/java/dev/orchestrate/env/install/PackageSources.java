package dev.orchestrate.env.install;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where build requirements come from: flat find-links directories and at most one simple index.
 * Without an index nothing is fetched from the network: builds are offline unless asked.
 */
public record PackageSources(List<Path> findLinks, Optional<String> indexUrl) {
  public PackageSources {
    findLinks = List.copyOf(findLinks);
    indexUrl = indexUrl.filter(s -> !s.isBlank());
  }

  public static PackageSources offline() {
    return new PackageSources(List.of(), Optional.empty());
  }

  /** A copy with one more find-links directory (such as this run's wheels of workspace members). */
  public PackageSources plusFindLinks(Path dir) {
    List<Path> dirs = new java.util.ArrayList<>(findLinks);
    if (!dirs.contains(dir)) {
      dirs.add(dir);
    }
    return new PackageSources(dirs, indexUrl);
  }

  /** For messages: what was searched. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    indexUrl.ifPresentOrElse(u -> sb.append("index ").append(redact(u)), () -> sb.append("no index"));
    findLinks.forEach(d -> sb.append(", find-links ").append(d));
    return sb.toString();
  }

  /** Never print credentials that may be embedded in an index URL. */
  public static String redact(String url) {
    return dev.orchestrate.env.index.IndexUrls.redact(url); // one implementation, in the index package
  }
}
