package dev.orchestrate.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What under a workspace is not a source of any package: version-control metadata,
 * virtualenvs, caches, build outputs (the out dir, {@code build/} and {@code dist/} beside a
 * {@code pyproject.toml} or {@code setup.py}, {@code *.egg-info}), editor droppings, and, in a
 * git checkout, what git ignores. Input hashing and watch mode share these rules, so that what
 * a build writes into the tree never triggers a rebuild.
 */
public final class SourceRules {
  static final Set<String> VCS = Set.of(".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", "CVS");
  static final Set<String> CACHES = Set.of("__pycache__", ".pytest_cache", ".mypy_cache",
      ".ruff_cache", ".hypothesis", ".tox", ".nox", ".ipynb_checkpoints", "node_modules", ".eggs",
      ".pytype", ".pyre", ".venv");
  static final Set<String> OUTPUTS_BESIDE_PACKAGE = Set.of("build", "dist");
  static final Set<String> JUNK_FILES = Set.of(".DS_Store", "Thumbs.db", "4913");
  /** A directory holding this file is a virtualenv, whatever its name. */
  static final String VENV_MARKER = "pyvenv.cfg";

  private final Path root;
  private final Set<Path> excludedDirs;
  private final Optional<GitIgnore> git;

  /**
   * @param excludedDirs absolute directories that are never sources (the out dir, the cache)
   */
  public SourceRules(Path root, Set<Path> excludedDirs, Optional<GitIgnore> git) {
    this.root = root;
    this.excludedDirs = Set.copyOf(excludedDirs);
    this.git = git;
  }

  /** Rules for a workspace, with git's ignore rules when it is a git checkout. */
  public static SourceRules forWorkspace(Path root, Set<Path> excludedDirs) {
    return new SourceRules(root, excludedDirs, GitIgnore.find(root));
  }

  /** The same rules for a new pass (ignore files read again). */
  public SourceRules fresh() {
    return new SourceRules(root, excludedDirs, git.map(GitIgnore::fresh));
  }

  public Path root() {
    return root;
  }

  public boolean gitCheckout() {
    return git.isPresent();
  }

  /** Whether the walk must not enter {@code dir} (absolute). */
  public boolean skipDirectory(Path dir) {
    return skipDirectoryWithoutLooking(dir) || Files.exists(dir.resolve(VENV_MARKER));
  }

  /**
   * {@link #skipDirectory} except the virtualenv check, which needs a look inside: a walk that
   * lists the directory anyway sees {@value #VENV_MARKER} among its entries (no failed stat).
   */
  boolean skipDirectoryWithoutLooking(Path dir) {
    if (dir.equals(root)) {
      return false;
    }
    String name = String.valueOf(dir.getFileName());
    if (VCS.contains(name) || CACHES.contains(name) || excludedDirs.contains(dir)
        || name.toLowerCase(Locale.ROOT).endsWith(".egg-info")) {
      return true;
    }
    if (OUTPUTS_BESIDE_PACKAGE.contains(name) && isPackage(dir.getParent())) {
      return true;
    }
    return git.isPresent() && git.get().ignored(dir, true);
  }

  /** Whether a file (absolute) in a directory the walk entered is not a source. */
  public boolean skipFile(Path file) {
    String name = String.valueOf(file.getFileName());
    if (JUNK_FILES.contains(name) || name.endsWith(".pyc") || name.endsWith(".pyo")
        || name.endsWith(".swp") || name.endsWith(".swo") || name.endsWith(".swx")
        || name.endsWith("~") || name.startsWith(".#")) {
      return true;
    }
    return git.isPresent() && git.get().ignored(file, false);
  }

  /**
   * Whether a path reported by a file watcher (absolute; it may be gone already) lies outside
   * the sources: itself or a directory above it is skipped.
   */
  public boolean excludes(Path path) {
    if (!path.startsWith(root)) {
      return true;
    }
    Path relative = root.relativize(path);
    Path at = root;
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      at = at.resolve(relative.getName(i));
      if (skipDirectory(at)) {
        return true;
      }
    }
    if (path.equals(root)) {
      return false;
    }
    return Files.isDirectory(path) ? skipDirectory(path) : skipFile(path)
        || excludedDirs.contains(path);
  }

  private static boolean isPackage(Path dir) {
    return dir != null && (Files.isRegularFile(dir.resolve("pyproject.toml"))
        || Files.isRegularFile(dir.resolve("setup.py")));
  }
}
