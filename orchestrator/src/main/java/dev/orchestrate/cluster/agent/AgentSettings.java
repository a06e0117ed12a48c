package dev.orchestrate.cluster.agent;

import dev.orchestrate.cluster.ClusterSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an agent is told.
 *
 * @param name unique in the cluster
 * @param workspace its checkout; it builds nothing outside it
 * @param slots packages it builds at once
 */
public record AgentSettings(ClusterSettings cluster, String name, Path workspace, Path cacheDir,
    int slots, String python, List<Path> findLinks, Optional<String> indexUrl,
    List<String> extraIndexUrls, boolean offline, int verbosity) {

  public AgentSettings {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(cacheDir, "cacheDir");
    if (slots < 1) {
      throw new IllegalArgumentException("--slots must be at least 1");
    }
    Objects.requireNonNull(python, "python");
    findLinks = List.copyOf(findLinks);
    Objects.requireNonNull(indexUrl, "indexUrl");
    extraIndexUrls = List.copyOf(extraIndexUrls);
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("--name may hold letters, digits, `.`, `_` and `-` only");
    }
  }
}
