package dev.orchestrate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Drives the real CLI in a separate JVM, as a user would, on copies of the example workspaces.
 */
final class Cli {
  static final ObjectMapper JSON = new ObjectMapper();

  private Cli() {}

  record Result(int exitCode, String stdout, String stderr) {
    String all() {
      return stdout + stderr;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** The repository's workspace-examples directory. */
  static Path examples() {
    return Path.of("..", "workspace-examples").toAbsolutePath().normalize();
  }

  static Path fixture(String name) {
    return examples().resolve("fixtures").resolve(name);
  }

  static Process start(Map<String, String> env, Path log, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    argv.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(log.toFile())
        .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  static Result run(Path scratch, Map<String, String> env, String... args) throws Exception {
    Files.createDirectories(scratch);
    Path out = Files.createTempFile(scratch, "cli-", ".out");
    Process p = start(env, out, args);
    if (!p.waitFor(Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("orchestrate " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(out.resolveSibling(out.getFileName() + ".err"), StandardCharsets.UTF_8));
  }

  static Result run(Path scratch, String... args) throws Exception {
    return run(scratch, Map.of(), args);
  }

  /** Copies a directory tree (files and directories; the examples hold no links). */
  static Path copy(Path source, Path target) throws IOException {
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        String name = dir.getFileName().toString();
        if (!dir.equals(source) && (name.equals("dist") || name.equals("__pycache__"))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(target.resolve(source.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, target.resolve(source.relativize(file).toString()),
            StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }
    });
    return target;
  }

  /** A workspace whose members are copies of the named fixtures (members = ["*"]). */
  static Path fixtureWorkspace(Path root, String... fixtures) throws IOException {
    Files.createDirectories(root);
    Files.writeString(root.resolve("pyproject.toml"),
        "[tool.orchestrate.workspace]\nmembers = [\"*\"]\n");
    for (String f : fixtures) {
      copy(fixture(f), root.resolve(f));
    }
    return root;
  }

  static JsonNode report(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  static JsonNode pkg(JsonNode report, String name) {
    for (JsonNode p : report.get("packages")) {
      if (p.get("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no package " + name + " in the report: " + report);
  }

  /** A member the report knows by its path alone (its pyproject.toml could not be used). */
  static JsonNode unnamed(JsonNode report, Path dir) {
    for (JsonNode p : report.get("packages")) {
      if (p.get("name").isNull() && Path.of(p.get("path").asText()).equals(dir)) {
        return p;
      }
    }
    throw new AssertionError("no unnamed package at " + dir + " in the report: " + report);
  }
}
