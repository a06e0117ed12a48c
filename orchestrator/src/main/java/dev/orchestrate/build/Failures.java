package dev.orchestrate.build;

import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.report.DidYouMean;
import dev.orchestrate.shim.HookCall;
import dev.orchestrate.shim.HookResult;
import dev.orchestrate.shim.Subprocess;
import dev.orchestrate.workspace.BuildSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place that turns a failed hook call or environment into what a person reads: the
 * cause in one line, the detail (traceback, output tail) for -v, and hints that say what to do.
 * Hints that state a fact start with a label ({@code backend-path:}, {@code environment:},
 * {@code searched:}...); the others are advice.
 */
final class Failures {
  private static final Pattern PIP_NOT_FOUND =
      Pattern.compile("No matching distribution found for (\\S+)");

  private Failures() {}

  /** @param detail the traceback or output tail, printed in full with -v */
  record Described(String cause, String detail, List<String> hints) {}

  static Described describe(HookCall call, String tree, Path treeDir, BuildSystem buildSystem,
      Environment env) {
    String where = tree.equals("sdist") ? " (in the unpacked sdist)" : "";
    HookResult result = call.result();
    List<String> hints = new ArrayList<>();
    String detail = result.fullTraceback().orElse("");
    String cause;
    if (result instanceof HookResult.BackendUnavailable b) {
      cause = "backend `" + buildSystem.backend() + "` cannot be imported" + where + ": "
          + b.message().replaceFirst("^cannot import '[^']*': ", "");
      hints.add("backend-path: " + (buildSystem.backendPath().isEmpty() ? "(not set)"
          : String.join(", ", buildSystem.backendPath())));
      hints.add("environment: " + env.root() + " (installed: " + installed(env.installed()) + ")");
      hints.addAll(unavailable(b, buildSystem, env, treeDir));
    } else if (result instanceof HookResult.BackendInvalid b) {
      cause = "backend `" + buildSystem.backend() + "` is invalid" + where + ": " + b.message();
      hints.add("build-backend is `module` or `module:object`; the object must have the PEP 517 hooks");
    } else if (result instanceof HookResult.HookMissing m) {
      cause = m.message() + where;
      hints.add("`" + buildSystem.backend() + "` does not implement this mandatory PEP 517 hook;"
          + " is it really a build backend?");
    } else if (result instanceof HookResult.Unsupported u) {
      cause = "the backend does not support this operation" + where + ": " + u.message();
    } else if (result instanceof HookResult.Raised r) {
      cause = "the hook raised " + r.message() + where;
    } else if (result instanceof HookResult.TimedOut t) {
      cause = "the hook " + t.exit().describe() + where;
      detail = t.outputTail();
      hints.add("if the build is only slow, raise --hook-timeout; the log shows how far it got");
    } else if (result instanceof HookResult.Died d) {
      cause = "the hook process " + d.exit().describe() + " without reporting a result" + where;
      detail = d.outputTail();
      hints.add(died(d.exit()));
    } else {
      cause = result.summary();
    }
    return new Described(cause, detail, hints);
  }

  /**
   * A build environment that could not be made. Installers end their messages with
   * {@code searched: ...} and {@code hint: ...} lines; those become hints, the rest is detail.
   */
  static Described environment(EnvironmentException e, List<EnvRequirement> requirements) {
    String message = String.valueOf(e.getMessage());
    String[] lines = message.split("\n");
    List<String> hints = new ArrayList<>();
    String headline = lines[0].strip();
    Matcher pip = PIP_NOT_FOUND.matcher(message);
    String cause;
    if (pip.find() && !headline.startsWith("No matching distribution")) {
      // pip says it on a later line; the first only says that pip failed.
      cause = "cannot create the build environment: `" + pip.group(1)
          + "` cannot be found in the configured package sources";
    } else {
      cause = "cannot create the build environment: " + headline;
    }
    List<String> advice = new ArrayList<>();
    for (String line : List.of(lines).subList(1, lines.length)) {
      String s = line.strip();
      if (s.startsWith("searched:")) {
        hints.add(s);
      } else if (s.startsWith("hint:")) {
        advice.add(s.substring("hint:".length()).strip());
      } else if (line.startsWith("  ") && !s.isEmpty()) {
        hints.add("  " + s); // why it was needed (a chain of requirements), or the installer's error
      }
    }
    hints.add("requirements: " + requirements.stream().map(EnvRequirement::keyForm)
        .collect(Collectors.joining(", ")));
    hints.addAll(advice);
    // The installer's message in full stays the detail (-v, the JSON report).
    return new Described(cause, message, hints);
  }

  /** What to try when the backend's module cannot be imported, by what is missing. */
  private static List<String> unavailable(HookResult.BackendUnavailable b, BuildSystem buildSystem,
      Environment env, Path treeDir) {
    List<String> hints = new ArrayList<>();
    String backendModule = buildSystem.backendModule();
    String missing = b.missingModule().orElse(backendModule);
    Importable importable = Importable.scan(env, treeDir, buildSystem.backendPath());
    boolean theBackendItself = backendModule.equals(missing) || backendModule.startsWith(missing + ".");
    if (!theBackendItself) {
      // The backend module was found, but something it imports is not installed.
      String top = missing.split("\\.")[0];
      hints.add("the backend imports `" + missing + "`, which is not in the build environment: add "
          + "the distribution that provides `" + top + "` to build-system.requires (requires = "
          + buildSystem.requires() + ")");
      if (buildSystem.inTreeBackend()) {
        hints.add("backend-path makes an in-tree backend importable but installs nothing: its own "
            + "dependencies must be listed in build-system.requires");
      }
      return hints;
    }
    int dot = missing.lastIndexOf('.');
    String parent = dot < 0 ? "" : missing.substring(0, dot);
    String leaf = missing.substring(dot + 1);
    Map<String, String> candidates;
    if (!parent.isEmpty() && importable.has(parent)) {
      hints.add("`" + parent + "` is importable (" + importable.origin(parent)
          + ") but has no module `" + leaf + "`");
      candidates = importable.submodules(parent);
    } else {
      String top = missing.split("\\.")[0];
      if (buildSystem.inTreeBackend()) {
        hints.add("backend-path " + String.join(", ", buildSystem.backendPath())
            + " does not contain the module `" + top + "` (" + top + ".py or " + top
            + "/__init__.py); it holds: " + importable.listing());
      } else if (buildSystem.requires().isEmpty()) {
        hints.add("build-system.requires is empty, so nothing provides `" + top + "`: add the "
            + "distribution that provides it, or set backend-path for an in-tree backend");
      } else {
        hints.add("no distribution in build-system.requires provides `" + top + "`; requires = "
            + buildSystem.requires());
      }
      candidates = importable.topLevel();
    }
    Optional<String> guess = DidYouMean.closest(leaf, candidates.keySet());
    guess.ifPresent(g -> {
      String full = parent.isEmpty() ? g : parent + "." + g;
      String object = buildSystem.backend().contains(":")
          ? buildSystem.backend().substring(buildSystem.backend().indexOf(':')) : "";
      String rest = backendModule.length() > missing.length() ? backendModule.substring(missing.length()) : "";
      hints.add("did you mean `" + full + "` (" + candidates.get(g) + ")? build-backend = \""
          + full + rest + object + "\"");
    });
    return hints;
  }

  private static String died(Subprocess.Exit exit) {
    if (exit instanceof Subprocess.Exit.Signalled s) {
      return switch (s.signal()) {
        case 9 -> "killed from outside, often by the kernel's out-of-memory killer (see `dmesg`)";
        case 11, 6, 7, 4, 8 -> "a crash in native code: a C extension of the backend or of a tool it runs;"
            + " the log has the output up to the crash";
        default -> "the log has the output up to the signal";
      };
    }
    return "the backend ended the process (os._exit, a fatal error) before it could report; the log"
        + " has its output";
  }

  private static String installed(Map<String, String> installed) {
    return installed.isEmpty() ? "nothing"
        : installed.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
  }

  /**
   * The modules a hook could have imported: the build environment's site-packages (with the
   * distribution each comes from, by the dist-info's top_level.txt or RECORD) and the
   * backend-path entries. Values say where a module comes from.
   */
  private record Importable(Map<String, String> topLevel, List<Path> roots, String listing) {

    static Importable scan(Environment env, Path tree, List<String> backendPath) {
      Map<String, String> modules = new TreeMap<>();
      List<Path> roots = new ArrayList<>();
      List<String> listing = new ArrayList<>();
      try {
        for (String entry : backendPath) {
          Path dir = tree.resolve(entry).normalize();
          roots.add(dir);
          for (Map.Entry<String, String> m : modules(dir, "in backend-path " + entry).entrySet()) {
            modules.putIfAbsent(m.getKey(), m.getValue());
          }
          if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
              entries.forEach(p -> listing.add(p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
            }
          }
        }
        Path lib = env.root().resolve("lib");
        if (Files.isDirectory(lib)) {
          try (DirectoryStream<Path> pythons = Files.newDirectoryStream(lib)) {
            for (Path python : pythons) {
              Path site = python.resolve("site-packages");
              roots.add(site);
              Map<String, String> providers = providers(site);
              for (Map.Entry<String, String> m : modules(site, "installed").entrySet()) {
                modules.putIfAbsent(m.getKey(), providers.getOrDefault(m.getKey(), m.getValue()));
              }
            }
          }
        }
      } catch (IOException e) {
        // suggestions are a courtesy: say less rather than fail
      }
      listing.sort(null);
      String shown = listing.isEmpty() ? "nothing" : listing.size() > 8
          ? String.join(", ", listing.subList(0, 8)) + ", ..." : String.join(", ", listing);
      return new Importable(modules, roots, shown);
    }

    boolean has(String module) {
      return dir(module).isPresent() || topLevel.containsKey(module);
    }

    String origin(String module) {
      return topLevel.getOrDefault(module.split("\\.")[0], "installed");
    }

    /** The modules inside package {@code module}, with the same origin as the package. */
    Map<String, String> submodules(String module) {
      Map<String, String> result = new TreeMap<>();
      dir(module).ifPresent(d -> {
        try {
          modules(d, origin(module)).forEach(result::putIfAbsent);
        } catch (IOException e) {
          // no suggestion then
        }
      });
      return result;
    }

    private Optional<Path> dir(String module) {
      for (Path root : roots) {
        Path dir = root.resolve(module.replace('.', '/'));
        if (Files.isDirectory(dir)) {
          return Optional.of(dir);
        }
      }
      return Optional.empty();
    }

    private static Map<String, String> modules(Path dir, String origin) throws IOException {
      Map<String, String> into = new TreeMap<>();
      if (!Files.isDirectory(dir)) {
        return into;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path p : entries) {
          String name = p.getFileName().toString();
          if (name.endsWith(".py")) {
            into.put(name.substring(0, name.length() - 3), origin);
          } else if (name.contains(".cpython-") && name.endsWith(".so")) {
            into.put(name.substring(0, name.indexOf('.')), origin);
          } else if (Files.isDirectory(p) && !name.contains(".") && !name.equals("__pycache__")) {
            into.put(name, origin); // packages, namespace packages included
          }
        }
      }
      return into;
    }

    /** Top-level module to {@code from NAME VERSION}, from the dist-info directories. */
    private static Map<String, String> providers(Path site) throws IOException {
      Map<String, String> providers = new TreeMap<>();
      if (!Files.isDirectory(site)) {
        return providers;
      }
      try (DirectoryStream<Path> infos = Files.newDirectoryStream(site, "*.dist-info")) {
        for (Path info : infos) {
          String base = info.getFileName().toString().replace(".dist-info", "");
          int dash = base.indexOf('-');
          String dist = dash < 0 ? base : base.substring(0, dash).replace('_', '-') + " "
              + base.substring(dash + 1);
          List<String> tops = new ArrayList<>();
          Path topLevel = info.resolve("top_level.txt");
          Path record = info.resolve("RECORD");
          if (Files.isRegularFile(topLevel)) {
            tops.addAll(Files.readAllLines(topLevel, StandardCharsets.UTF_8));
          } else if (Files.isRegularFile(record)) {
            for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
              String path = line.split(",")[0];
              String first = path.split("/")[0];
              if (!first.isEmpty() && !first.endsWith(".dist-info") && !first.endsWith(".data")
                  && !first.equals("..") && !first.equals("__pycache__")) {
                tops.add(first.endsWith(".py") ? first.substring(0, first.length() - 3) : first);
              }
            }
          }
          for (String top : tops) {
            if (!top.isBlank()) {
              providers.putIfAbsent(top.strip(), "from " + dist);
            }
          }
        }
      }
      return providers;
    }
  }

  static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
