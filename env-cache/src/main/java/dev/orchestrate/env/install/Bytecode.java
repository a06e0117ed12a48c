package dev.orchestrate.env.install;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.env.store.StoreBucket;
import dev.orchestrate.shim.InterpreterInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The byte code of an unpacked wheel for one Python version, compiled once into the store
 * ({@code bytecode-v1/<cache-tag>/<sha256>/tree/}, laid out like site-packages:
 * {@code pkg/__pycache__/mod.cpython-311.pyc}) and linked into every environment with the
 * sources. Timestamp-checked {@code .pyc} files stay valid there: an environment's source files
 * are hard links of (or copies with the times of) the very files compiled. Compiling in each
 * environment instead costs ~0.7 s for setuptools, per environment.
 *
 * @param tree the compiled files, relative paths as in site-packages
 * @param files each {@code .pyc} relative to site-packages, with its hash and size
 */
record Bytecode(Path tree, List<UnpackedWheel.FileEntry> files) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "bytecode.json";
  private static final String TREE = "tree";
  /** Compiles each "source TAB target TAB display-name" line of the file named by argv[1]. */
  private static final String COMPILER = String.join("\n",
      "import sys, py_compile",
      "mode = py_compile.PycInvalidationMode.TIMESTAMP",
      "with open(sys.argv[1], encoding='utf-8') as f:",
      "    for line in f:",
      "        src, cfile, dfile = line.rstrip('\\n').split('\\t')",
      "        try:",
      "            py_compile.compile(src, cfile=cfile, dfile=dfile, doraise=True, invalidation_mode=mode)",
      "        except Exception:",
      "            pass  # not Python 3 (test data, templates): pip skips these too",
      "");

  Bytecode {
    files = List.copyOf(files);
  }

  static Bytecode none() {
    return new Bytecode(Path.of(""), List.of());
  }

  /**
   * The compiled form of {@code wheel}'s Python sources, whose site-packages paths
   * {@code sources} gives (relative path in site-packages to relative path in the wheel's tree).
   */
  static Bytecode of(StoreBucket bucket, String sha256, UnpackedWheel wheel,
      Map<String, String> sources, InterpreterInfo interpreter, Duration timeout, Path log)
      throws IOException, InterruptedException {
    String tag = interpreter.cacheTag();
    if (tag == null || tag.isEmpty() || sources.keySet().stream().noneMatch(s -> s.endsWith(".py"))) {
      return none();
    }
    StoreBucket.Read<Bytecode> got = bucket.get(sha256, staging ->
        compile(staging, tag, wheel, sources, interpreter, timeout, log), Bytecode::load,
        (entry, bytecode) -> bytecode.whole());
    StoreFiles.noteReplaced(got.entry(), log);
    return got.value();
  }

  private static Bytecode load(Path entry) throws IOException {
    return new Bytecode(entry.resolve(TREE), JSON.readValue(entry.resolve(MANIFEST).toFile(),
        new TypeReference<List<UnpackedWheel.FileEntry>>() { }));
  }

  /**
   * Whether a compiled entry is as it was made: its manifest readable and every {@code .pyc} it
   * lists there, of its size and not written since (a stat each; a pyc cut short fails the
   * import of its module in every environment that links it, a rewritten header makes Python
   * compile the source again on each import).
   */
  private boolean whole() throws IOException {
    return StoreFiles.whole(tree, files, path -> false);
  }

  private static void compile(Path staging, String tag, UnpackedWheel wheel,
      Map<String, String> sources, InterpreterInfo interpreter, Duration timeout, Path log)
      throws IOException, InterruptedException {
    Path tree = Files.createDirectories(staging.resolve(TREE));
    StringBuilder list = new StringBuilder();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      String dest = e.getKey();
      if (!dest.endsWith(".py") || dest.contains("\t") || dest.contains("\n")) {
        continue;
      }
      int slash = dest.lastIndexOf('/');
      String dir = slash < 0 ? "" : dest.substring(0, slash + 1);
      String stem = dest.substring(slash + 1, dest.length() - 3);
      Path cfile = tree.resolve(dir + "__pycache__/" + stem + "." + tag + ".pyc");
      list.append(wheel.tree().resolve(e.getValue())).append('\t').append(cfile).append('\t')
          .append(dest).append('\n');
    }
    Path listFile = staging.resolve("sources.txt");
    Files.writeString(listFile, list, StandardCharsets.UTF_8);
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder pb = new ProcessBuilder(interpreter.executable(), "-I", "-S", "-c", COMPILER,
        listFile.toString())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().clear();
    pb.environment().putAll(PipEnvironmentBuilder.cleanEnvironment());
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new EnvironmentException("byte-compiling " + wheel.name() + " " + wheel.version()
          + " did not finish in " + timeout.toSeconds() + "s", log);
    }
    if (p.exitValue() != 0) {
      throw new EnvironmentException("could not byte-compile " + wheel.name() + " "
          + wheel.version() + " (exit " + p.exitValue() + "); see the log", log);
    }
    Files.delete(listFile);
    List<UnpackedWheel.FileEntry> files = StoreFiles.record(tree);
    JSON.writeValue(staging.resolve(MANIFEST).toFile(), files);
  }
}
