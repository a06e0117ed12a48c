package dev.orchestrate.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The ignore rules of a git checkout, as {@code git status} applies them: every
 * {@code .gitignore} from the top of the checkout down to a path (the deepest file with a
 * matching pattern decides; within a file, the last matching pattern), then
 * {@code .git/info/exclude} and the user's global excludes file. Only for trees that are git
 * checkouts; a path inside an ignored directory is ignored with it.
 *
 * <p>One instance serves one pass over the tree: each directory's {@code .gitignore} is read
 * once per instance, so a changed file is seen by the next pass.
 */
public final class GitIgnore {
  private final Path top;
  private final List<Rule> base;
  private final ConcurrentHashMap<Path, List<Rule>> perDirectory = new ConcurrentHashMap<>();

  /** One pattern line. */
  record Rule(Pattern regex, boolean negated, boolean directoryOnly) {
    boolean matches(String relative, boolean isDirectory) {
      return (!directoryOnly || isDirectory) && regex.matcher(relative).matches();
    }
  }

  private GitIgnore(Path top, List<Rule> base) {
    this.top = top;
    this.base = base;
  }

  /** The rules of the checkout that holds {@code dir}, when it is in one. */
  public static Optional<GitIgnore> find(Path dir) {
    for (Path at = dir.toAbsolutePath().normalize(); at != null; at = at.getParent()) {
      Path dotGit = at.resolve(".git");
      if (Files.isDirectory(dotGit) || Files.isRegularFile(dotGit)) {
        List<Rule> base = new ArrayList<>();
        gitDir(dotGit).ifPresent(gitDir -> base.addAll(read(gitDir.resolve("info").resolve("exclude"))));
        // core.excludesFile's default; a configured other file is not read (that needs git config).
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".config");
        List<Rule> global = read(config.resolve("git").resolve("ignore"));
        // Lower precedence first: the global file, then info/exclude (the last match wins).
        List<Rule> ordered = new ArrayList<>(global);
        ordered.addAll(base);
        return Optional.of(new GitIgnore(at, List.copyOf(ordered)));
      }
    }
    return Optional.empty();
  }

  /** A fresh pass: .gitignore files are read again. */
  public GitIgnore fresh() {
    return new GitIgnore(top, base);
  }

  public Path top() {
    return top;
  }

  /** Whether git ignores {@code path} (absolute, inside the checkout). */
  public boolean ignored(Path path, boolean isDirectory) {
    if (!path.startsWith(top) || path.equals(top)) {
      return false;
    }
    for (Path dir = path.getParent(); dir != null && dir.startsWith(top); dir = dir.getParent()) {
      List<Rule> rules = rules(dir);
      if (!rules.isEmpty()) {
        Boolean decided = decide(rules, relative(dir, path), isDirectory);
        if (decided != null) {
          return decided;
        }
      }
    }
    Boolean decided = decide(base, relative(top, path), isDirectory);
    return decided != null && decided;
  }

  private static Boolean decide(List<Rule> rules, String relative, boolean isDirectory) {
    for (int i = rules.size() - 1; i >= 0; i--) {
      Rule rule = rules.get(i);
      if (rule.matches(relative, isDirectory)) {
        return !rule.negated();
      }
    }
    return null;
  }

  private List<Rule> rules(Path dir) {
    return perDirectory.computeIfAbsent(dir, d -> read(d.resolve(".gitignore")));
  }

  private static String relative(Path dir, Path path) {
    return dir.relativize(path).toString().replace('\\', '/');
  }

  private static Optional<Path> gitDir(Path dotGit) {
    if (Files.isDirectory(dotGit)) {
      return Optional.of(dotGit);
    }
    try {
      // A worktree or submodule: ".git" is a file saying "gitdir: <path>".
      String text = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
      if (text.startsWith("gitdir:")) {
        return Optional.of(dotGit.getParent().resolve(text.substring(7).strip()).normalize());
      }
    } catch (IOException e) {
      // no info/exclude then
    }
    return Optional.empty();
  }

  private static List<Rule> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return List.of(); // an unreadable ignore file ignores nothing, as git does
    }
  }

  static List<Rule> parse(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String line : lines) {
      Rule rule = parseLine(line);
      if (rule != null) {
        rules.add(rule);
      }
    }
    return List.copyOf(rules);
  }

  /** One line of a .gitignore as a rule, or null for blanks and comments. */
  static Rule parseLine(String raw) {
    String line = trimTrailingSpaces(raw);
    if (line.isEmpty() || line.startsWith("#")) {
      return null;
    }
    boolean negated = false;
    if (line.startsWith("!")) {
      negated = true;
      line = line.substring(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
      line = line.substring(1);
    }
    boolean directoryOnly = false;
    while (line.endsWith("/")) {
      directoryOnly = true;
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      return null;
    }
    // A slash at the start or in the middle anchors the pattern to the file's directory.
    boolean anchored = line.contains("/");
    if (line.startsWith("/")) {
      line = line.substring(1);
    }
    String body = globToRegex(line);
    return new Rule(Pattern.compile(anchored ? body : "(?:.*/)?" + body, Pattern.DOTALL), negated,
        directoryOnly);
  }

  private static String trimTrailingSpaces(String line) {
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ' && !(end > 1 && line.charAt(end - 2) == '\\')) {
      end--;
    }
    String trimmed = line.substring(0, end);
    return trimmed.endsWith("\\ ") ? trimmed.substring(0, trimmed.length() - 2) + " " : trimmed;
  }

  static String globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    int n = glob.length();
    int i = 0;
    while (i < n) {
      char c = glob.charAt(i);
      boolean segmentStart = i == 0 || glob.charAt(i - 1) == '/';
      if (c == '*' && i + 1 < n && glob.charAt(i + 1) == '*' && segmentStart
          && (i + 2 == n || glob.charAt(i + 2) == '/')) {
        if (i + 2 == n) {
          re.append(".*"); // "abc/**": everything inside
          i += 2;
        } else {
          re.append("(?:.*/)?"); // "**/": any number of directories, none included
          i += 3;
        }
      } else if (c == '*') {
        re.append("[^/]*");
        i++;
        while (i < n && glob.charAt(i) == '*') {
          i++; // other runs of asterisks are one asterisk
        }
      } else if (c == '?') {
        re.append("[^/]");
        i++;
      } else if (c == '[') {
        int close = classEnd(glob, i);
        if (close < 0) {
          re.append("\\[");
          i++;
        } else {
          String body = glob.substring(i + 1, close);
          StringBuilder cls = new StringBuilder("[");
          int j = 0;
          if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            cls.append('^');
            j = 1;
          }
          for (; j < body.length(); j++) {
            char k = body.charAt(j);
            if (k == '\\' && j + 1 < body.length()) {
              cls.append('\\').append(body.charAt(++j));
            } else if (k == '[' || k == '&' || k == '\\') {
              cls.append('\\').append(k);
            } else {
              cls.append(k);
            }
          }
          re.append(cls).append(']');
          i = close + 1;
        }
      } else if (c == '\\' && i + 1 < n) {
        re.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
        i += 2;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return re.toString();
  }

  private static int classEnd(String glob, int open) {
    int j = open + 1;
    if (j < glob.length() && (glob.charAt(j) == '!' || glob.charAt(j) == '^')) {
      j++;
    }
    if (j < glob.length() && glob.charAt(j) == ']') {
      j++; // a leading ] is literal
    }
    for (; j < glob.length(); j++) {
      if (glob.charAt(j) == '\\') {
        j++;
      } else if (glob.charAt(j) == ']') {
        return j;
      }
    }
    return -1;
  }
}
