package dev.orchestrate.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.shim.InterpreterInfo;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an interpreter said about itself, kept under {@code CACHE/interpreters-v1/} by what
 * identifies it on disk: the name or path asked for, the file it resolves to on PATH and the
 * stamps of that file and of the real executable behind it. A no-op run then needs no Python
 * process at all. For a shell shim (pyenv, asdf), whose target depends on the environment and
 * the current directory, the version files and variables it reads are part of the key.
 */
public final class InterpreterCache {
  public static final String BUCKET = "interpreters-v1";
  static final String HEADER = "orchestrate.interpreter/1";
  private static final List<String> SHIM_VARIABLES = List.of("PYENV_VERSION", "PYENV_ROOT",
      "ASDF_PYTHON_VERSION", "ASDF_DATA_DIR", "VIRTUAL_ENV", "CONDA_PREFIX");
  private static final List<String> VERSION_FILES = List.of(".python-version", ".tool-versions");

  private InterpreterCache() {}

  /** What a run prints and hashes about its interpreter, read without a JSON parser. */
  public record Known(String identity, String version, String executable) {}

  /** The cached facts of {@code python}, when still valid; never runs Python. */
  public static Optional<Known> quick(Path cacheDir, String python, Path shim) {
    return entry(cacheDir, python, shim).flatMap(InterpreterCache::header);
  }

  /** The cached interpreter in full (a JSON read), when still valid. */
  public static Optional<InterpreterInfo> full(Path cacheDir, String python, Path shim) {
    return entry(cacheDir, python, shim).flatMap(file -> {
      try {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() < 3 || header(file).isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(json().readValue(String.join("\n", lines.subList(2, lines.size())),
            InterpreterInfo.class));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  /** Remembers what the interpreter said, for the next run. */
  public static void store(Path cacheDir, String python, Path shim, InterpreterInfo info) {
    try {
      Optional<String> key = key(python, shim);
      Optional<Stamp> real = stampFollowing(Path.of(info.realExecutable()));
      if (key.isEmpty() || real.isEmpty()) {
        return;
      }
      String text = HEADER + "\n"
          + Fields.line(info.realExecutable(), real.get().text(), info.identity(), info.version(),
              info.executable())
          + json().writeValueAsString(info) + "\n";
      StateFiles.writeAtomically(file(cacheDir, key.get()), text);
    } catch (IOException | RuntimeException e) {
      // a cache that cannot be written only costs a probe next time
    }
  }

  private static Optional<Path> entry(Path cacheDir, String python, Path shim) {
    return key(python, shim).map(k -> file(cacheDir, k)).filter(Files::isRegularFile);
  }

  private static Path file(Path cacheDir, String key) {
    return cacheDir.resolve(BUCKET).resolve(Digests.of(key).substring(0, 32));
  }

  /** The second line, checked against the real executable as it is now. */
  private static Optional<Known> header(Path file) {
    try (var in = Files.newBufferedReader(file)) {
      if (!HEADER.equals(in.readLine())) {
        return Optional.empty();
      }
      List<String> f = Fields.split(String.valueOf(in.readLine()));
      if (f.size() != 5) {
        return Optional.empty();
      }
      Optional<Stamp> now = stampFollowing(Path.of(f.get(0)));
      if (now.isEmpty() || !now.get().text().equals(f.get(1))) {
        return Optional.empty(); // the interpreter was replaced or upgraded
      }
      return Optional.of(new Known(f.get(2), f.get(3), f.get(4)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** What identifies the interpreter {@code python} names, without running it. */
  static Optional<String> key(String python, Path shim) {
    Optional<Path> found = python.contains("/") ? Optional.of(Path.of(python)) : onPath(python);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Path file = found.get();
    Optional<Stamp> stamp = stampFollowing(file);
    if (stamp.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder key = new StringBuilder(HEADER).append('\n');
    key.append(Fields.line(python, file.toString(), stamp.get().text(), realPath(file),
        String.valueOf(shim.getParent().getFileName())));
    if (isScript(file)) {
      // A shim chooses the interpreter from variables and version files: they are the key too.
      Map<String, String> env = System.getenv();
      for (String name : SHIM_VARIABLES) {
        key.append(Fields.line("env", name, env.getOrDefault(name, "")));
      }
      // The probe runs in the cache directory, builds elsewhere: version files above both count.
      List<Path> versionFiles = new ArrayList<>();
      for (Path start : List.of(Path.of("").toAbsolutePath(), shim.toAbsolutePath().getParent())) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
          for (String name : VERSION_FILES) {
            versionFiles.add(dir.resolve(name));
          }
        }
      }
      String pyenvRoot = env.getOrDefault("PYENV_ROOT", System.getProperty("user.home") + "/.pyenv");
      versionFiles.add(Path.of(pyenvRoot, "version"));
      versionFiles.add(Path.of(System.getProperty("user.home"), ".tool-versions"));
      for (Path versionFile : versionFiles) {
        stampFollowing(versionFile).ifPresent(s -> key.append(Fields.line("file",
            versionFile.toString(), s.text())));
      }
    }
    return Optional.of(key.toString());
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  private static String realPath(Path file) {
    try {
      return file.toRealPath().toString();
    } catch (IOException e) {
      return file.toString();
    }
  }

  private static boolean isScript(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && head[0] == '#' && head[1] == '!';
    } catch (IOException e) {
      return true; // unreadable: do not trust a cache for it
    }
  }

  private static Optional<Stamp> stampFollowing(Path file) {
    try {
      return Optional.of(Stamp.of(Files.readAttributes(file, BasicFileAttributes.class)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static ObjectMapper json() {
    return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }
}
