package dev.orchestrate.env.index;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where distributions may come from, as the command line says: {@code --index-url},
 * {@code --extra-index-url} (repeatable), {@code --find-links} (repeatable) and
 * {@code --offline}. Without an index nothing is fetched from the network.
 */
public record SourceSettings(
    Optional<String> indexUrl,
    List<String> extraIndexUrls,
    List<Path> findLinks,
    boolean offline) {

  public SourceSettings {
    indexUrl = Objects.requireNonNull(indexUrl, "indexUrl").filter(s -> !s.isBlank());
    extraIndexUrls = extraIndexUrls.stream().filter(s -> !s.isBlank()).toList();
    findLinks = List.copyOf(findLinks);
  }

  /** Find-links directories only. */
  public static SourceSettings findLinksOnly(List<Path> findLinks) {
    return new SourceSettings(Optional.empty(), List.of(), findLinks, false);
  }

  /** A copy with one more find-links directory (such as this run's wheels of workspace members). */
  public SourceSettings plusFindLinks(Path dir) {
    List<Path> dirs = new ArrayList<>(findLinks);
    if (!dirs.contains(dir)) {
      dirs.add(dir);
    }
    return new SourceSettings(indexUrl, extraIndexUrls, dirs, offline);
  }

  /** The index URLs in the order they are asked: {@code --index-url}, then the extra ones. */
  public List<String> indexUrls() {
    List<String> all = new ArrayList<>();
    indexUrl.ifPresent(all::add);
    all.addAll(extraIndexUrls);
    return all;
  }

  /** For messages: what is searched, credentials redacted. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    findLinks.forEach(d -> parts.add("find-links " + d));
    indexUrls().forEach(u -> parts.add("index " + IndexUrls.redact(u)));
    if (parts.isEmpty()) {
      parts.add("no sources");
    }
    return String.join(", ", parts) + (offline ? " (offline)" : "");
  }

  @Override
  public String toString() {
    return describe();
  }
}
