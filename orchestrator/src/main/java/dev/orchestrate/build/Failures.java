package dev.orchestrate.build;

import dev.orchestrate.env.store.Environment;
import dev.orchestrate.report.DidYouMean;
import dev.orchestrate.shim.HookCall;
import dev.orchestrate.shim.HookResult;
import dev.orchestrate.workspace.BuildSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The one place that turns a failed hook call into what a person reads: cause, detail, hints. */
final class Failures {
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
      String backendModule = buildSystem.backendModule();
      cause = "backend `" + buildSystem.backend() + "` cannot be imported" + where + ": "
          + b.message().replaceFirst("^cannot import '[^']*': ", "");
      hints.add("backend-path: " + (buildSystem.backendPath().isEmpty() ? "(not set)"
          : String.join(", ", buildSystem.backendPath())));
      hints.add("environment: " + env.root() + " (installed: " + installed(env.installed()) + ")");
      String missing = b.missingModule().orElse("");
      String topModule = backendModule.split("\\.")[0];
      if (!missing.isEmpty() && !backendModule.equals(missing) && !backendModule.startsWith(missing + ".")
          && !topModule.equals(missing)) {
        hints.add("the backend imports `" + missing + "`, which is not installed: add the package "
            + "that provides it to build-system.requires");
      } else if (buildSystem.inTreeBackend()) {
        hints.add("backend-path " + buildSystem.backendPath() + " does not contain the module `"
            + topModule + "` (" + topModule + ".py or " + topModule + "/__init__.py)");
      } else {
        hints.add("is `" + topModule + "` provided by a package in build-system.requires? requires = "
            + buildSystem.requires());
      }
      closeNames(topModule, env, buildSystem, treeDir).ifPresent(
          guess -> hints.add("did you mean `" + guess + "`?"));
    } else if (result instanceof HookResult.BackendInvalid b) {
      cause = "backend `" + buildSystem.backend() + "` is invalid" + where + ": " + b.message();
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
      hints.add("if the build is only slow, raise --hook-timeout");
    } else if (result instanceof HookResult.Died d) {
      cause = "the hook process " + d.exit().describe() + " without reporting a result" + where;
      detail = d.outputTail();
    } else {
      cause = result.summary();
    }
    return new Described(cause, detail, hints);
  }

  private static String installed(Map<String, String> installed) {
    return installed.isEmpty() ? "nothing"
        : installed.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
  }

  /** A module name close to the one that failed, among those the hook could have imported. */
  private static Optional<String> closeNames(String wanted, Environment env, BuildSystem buildSystem,
      Path tree) {
    TreeSet<String> candidates = new TreeSet<>();
    try {
      Path lib = env.root().resolve("lib");
      if (Files.isDirectory(lib)) {
        try (DirectoryStream<Path> pythons = Files.newDirectoryStream(lib)) {
          for (Path python : pythons) {
            addModules(python.resolve("site-packages"), candidates);
          }
        }
      }
      for (String entry : buildSystem.backendPath()) {
        addModules(tree.resolve(entry), candidates);
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return DidYouMean.closest(wanted, candidates);
  }

  private static void addModules(Path dir, TreeSet<String> into) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.endsWith(".py")) {
          into.add(name.substring(0, name.length() - 3));
        } else if (Files.isRegularFile(p.resolve("__init__.py"))) {
          into.add(name);
        }
      }
    }
  }

  static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
