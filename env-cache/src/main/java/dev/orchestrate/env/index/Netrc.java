package dev.orchestrate.env.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials from a {@code .netrc} file: {@code machine HOST login USER password PASS} entries and
 * an optional {@code default} entry; {@code account} is read and ignored, {@code macdef} bodies are
 * skipped, {@code #} starts a comment, and tokens may be double-quoted with backslash escapes, as
 * Python's {@code netrc} module reads them. The file is {@code $NETRC} when set, else
 * {@code ~/.netrc}; a missing file is no credentials.
 */
public final class Netrc {
  private static final Netrc EMPTY = new Netrc(Map.of(), Optional.empty());

  private final Map<String, Credentials> machines;
  private final Optional<Credentials> fallback;

  private Netrc(Map<String, Credentials> machines, Optional<Credentials> fallback) {
    this.machines = Map.copyOf(machines);
    this.fallback = fallback;
  }

  /** No credentials at all. */
  public static Netrc empty() {
    return EMPTY;
  }

  /** The user's file: {@code $NETRC}, else {@code ~/.netrc}. Blocking: call on a worker. */
  public static Netrc load() {
    return load(defaultPath(System.getenv(), Path.of(System.getProperty("user.home"))));
  }

  /** Where the file is looked for: {@code NETRC} in {@code env} overrides {@code home/.netrc}. */
  public static Path defaultPath(Map<String, String> env, Path home) {
    String explicit = env.get("NETRC");
    return explicit != null && !explicit.isBlank() ? Path.of(explicit) : home.resolve(".netrc");
  }

  /**
   * Reads {@code file}; a missing file is {@link #empty()}. A file that cannot be parsed fails with
   * a message naming the file and the line, never the tokens.
   */
  public static Netrc load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (NoSuchFileException e) {
      return EMPTY;
    } catch (IOException e) {
      throw new IndexException("cannot read netrc file " + file + ": " + e.getClass().getSimpleName());
    }
  }

  /** Parses netrc text; {@code origin} names it in errors. */
  public static Netrc parse(String text, String origin) {
    Objects.requireNonNull(text, "text");
    List<Token> tokens = tokenize(text);
    Map<String, Credentials> machines = new LinkedHashMap<>();
    Optional<Credentials> fallback = Optional.empty();
    int i = 0;
    while (i < tokens.size()) {
      Token t = tokens.get(i++);
      String host;
      if (t.text.equals("machine")) {
        if (i >= tokens.size()) {
          throw malformed(origin, t.line, "`machine` without a host name");
        }
        host = tokens.get(i++).text.toLowerCase(Locale.ROOT);
      } else if (t.text.equals("default")) {
        host = null;
      } else if (t.text.equals("macdef")) {
        i = skipMacro(tokens, i);
        continue;
      } else {
        throw malformed(origin, t.line, "expected `machine`, `default` or `macdef`");
      }
      String login = "";
      String password = "";
      while (i < tokens.size()) {
        String key = tokens.get(i).text;
        if (key.equals("machine") || key.equals("default") || key.equals("macdef")) {
          break;
        }
        if (!key.equals("login") && !key.equals("password") && !key.equals("account")) {
          throw malformed(origin, tokens.get(i).line, "unknown keyword (expected login, password or account)");
        }
        if (i + 1 >= tokens.size()) {
          throw malformed(origin, tokens.get(i).line, "`" + key + "` without a value");
        }
        String value = tokens.get(i + 1).text;
        if (key.equals("login")) {
          login = value;
        } else if (key.equals("password")) {
          password = value;
        }
        i += 2;
      }
      Credentials c = new Credentials(login, password);
      if (host == null) {
        fallback = Optional.of(c);
      } else {
        machines.putIfAbsent(host, c); // the first entry for a host wins, as in Python's netrc
      }
    }
    return new Netrc(machines, fallback);
  }

  /** Credentials for {@code host} (case-insensitive), else the {@code default} entry's. */
  public Optional<Credentials> lookup(String host) {
    Credentials c = machines.get(host.toLowerCase(Locale.ROOT));
    return c != null ? Optional.of(c) : fallback;
  }

  public boolean isEmpty() {
    return machines.isEmpty() && fallback.isEmpty();
  }

  @Override
  public String toString() {
    return "Netrc[" + machines.size() + " machines" + (fallback.isPresent() ? ", default" : "") + "]";
  }

  private record Token(String text, int line, boolean macroEnd) {}

  // A macro body runs from the line after `macdef NAME` to the first empty line.
  private static int skipMacro(List<Token> tokens, int i) {
    while (i < tokens.size() && !tokens.get(i).macroEnd) {
      i++;
    }
    return i < tokens.size() ? i + 1 : i;
  }

  private static List<Token> tokenize(String text) {
    List<Token> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    boolean inMacro = false;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (inMacro) {
        if (line.isBlank()) {
          out.add(new Token("", n + 1, true));
          inMacro = false;
        }
        continue;
      }
      int p = 0;
      while (p < line.length()) {
        char c = line.charAt(p);
        if (Character.isWhitespace(c)) {
          p++;
        } else if (c == '#') {
          break;
        } else {
          StringBuilder sb = new StringBuilder();
          if (c == '"') {
            p++;
            while (p < line.length() && line.charAt(p) != '"') {
              if (line.charAt(p) == '\\' && p + 1 < line.length()) {
                p++;
              }
              sb.append(line.charAt(p++));
            }
            p++;
          } else {
            while (p < line.length() && !Character.isWhitespace(line.charAt(p))) {
              if (line.charAt(p) == '\\' && p + 1 < line.length()) {
                p++;
              }
              sb.append(line.charAt(p++));
            }
          }
          String token = sb.toString();
          out.add(new Token(token, n + 1, false));
          if (token.equals("macdef") && c != '"') {
            inMacro = true; // the rest of this line is the macro name, then the body
          }
        }
      }
    }
    return out;
  }

  private static IndexException malformed(String origin, int line, String what) {
    return new IndexException("malformed netrc file " + origin + " line " + line + ": " + what);
  }
}
