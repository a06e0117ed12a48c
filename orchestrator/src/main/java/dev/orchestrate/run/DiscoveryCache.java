package dev.orchestrate.run;

import dev.orchestrate.state.SourceRules;
import dev.orchestrate.state.TreeScan;
import dev.orchestrate.workspace.Workspace;
import dev.orchestrate.workspace.WorkspaceDiscovery;
import dev.orchestrate.workspace.WorkspaceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The workspace as one run discovered it, for the next run in the same process (watch mode): as
 * long as the tree's discovery fingerprint (its directories, links and every
 * {@code pyproject.toml}/{@code setup.py} by stamp) is unchanged, discovery would find the same
 * members, so no file is parsed again. The scan it takes serves the run's input hashing too.
 * Used by one run at a time. Blocking.
 */
public final class DiscoveryCache {
  private final boolean remember;
  private Optional<Cached> last = Optional.empty();
  private Optional<TreeScan.Scan> scan = Optional.empty();

  private record Cached(String fingerprint, Workspace workspace) {}

  private DiscoveryCache(boolean remember) {
    this.remember = remember;
  }

  /** Discovers every time (one run per process). */
  static DiscoveryCache none() {
    return new DiscoveryCache(false);
  }

  /** Remembers between runs. */
  public static DiscoveryCache remembering() {
    return new DiscoveryCache(true);
  }

  synchronized Workspace discover(RunOptions options) throws WorkspaceException {
    scan = Optional.empty();
    if (!remember) {
      return WorkspaceDiscovery.discover(options.root());
    }
    TreeScan.Scan now;
    try {
      Path root = options.root().toRealPath();
      now = TreeScan.scan(SourceRules.forWorkspace(root, Set.of(options.outDir(), options.cacheDir())));
    } catch (IOException e) {
      return WorkspaceDiscovery.discover(options.root()); // it says what is wrong with the root
    }
    scan = Optional.of(now);
    String fingerprint = now.discoveryFingerprint();
    if (last.isPresent() && last.get().fingerprint().equals(fingerprint)) {
      return last.get().workspace();
    }
    Workspace workspace = WorkspaceDiscovery.discover(options.root());
    // A pyproject.toml changed a moment ago may change again unseen: then discover next time.
    last = now.discoveryRacy() ? Optional.empty() : Optional.of(new Cached(fingerprint, workspace));
    return workspace;
  }

  /** The scan the last {@link #discover} took, if it took one. */
  synchronized Optional<TreeScan.Scan> scan() {
    return scan;
  }
}
