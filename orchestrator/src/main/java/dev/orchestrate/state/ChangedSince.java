package dev.orchestrate.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * {@code --changed-since REF}: the members with a source file that differs between the git
 * revision {@code REF} and the working tree (committed, staged, unstaged or untracked), as git
 * reports it. Blocking (runs git).
 */
public final class ChangedSince {
  private ChangedSince() {}

  /** When git cannot answer: not a checkout, an unknown revision, no git at all. */
  public static final class GitException extends Exception {
    private static final long serialVersionUID = 1L;

    GitException(String message) {
      super(message);
    }
  }

  /**
   * @param memberDirs each member's directory (absolute, real path), by name
   * @return the names of the members holding a changed path (a nested member's parent too)
   */
  public static Set<String> members(Path root, String ref, Map<String, Path> memberDirs,
      SourceRules rules) throws GitException {
    Path top = Path.of(git(root, "rev-parse", "--show-toplevel").strip());
    List<String> paths = new ArrayList<>();
    // --no-renames: a rename is the old path removed and the new one added, both count.
    paths.addAll(split(git(root, "diff", "--name-only", "--no-renames", "-z", ref, "--")));
    paths.addAll(split(git(root, "ls-files", "--others", "--exclude-standard", "-z")));
    Set<String> changed = new TreeSet<>();
    for (String relative : paths) {
      Path path = top.resolve(relative).normalize();
      if (rules.excludes(path)) {
        continue;
      }
      memberDirs.forEach((name, dir) -> {
        if (path.startsWith(dir)) {
          changed.add(name);
        }
      });
    }
    return changed;
  }

  private static List<String> split(String zeroSeparated) {
    List<String> out = new ArrayList<>();
    for (String p : zeroSeparated.split("\0")) {
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  private static String git(Path dir, String... args) throws GitException {
    List<String> argv = new ArrayList<>(List.of("git", "-C", dir.toString()));
    argv.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new GitException("`git " + String.join(" ", args) + "` did not finish");
      }
      if (p.exitValue() != 0) {
        throw new GitException("`git " + String.join(" ", args) + "` failed: " + err);
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GitException("cannot run git: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitException("interrupted while running git");
    }
  }
}
