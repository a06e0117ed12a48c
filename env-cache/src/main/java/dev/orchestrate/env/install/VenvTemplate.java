package dev.orchestrate.env.install;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.env.store.StoreBucket;
import dev.orchestrate.shim.InterpreterInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A virtual environment without pip, made once per interpreter by the interpreter's own
 * {@code python -m venv --without-pip} (so its layout is whatever that Python says it is) and
 * copied for each new environment: directories, symbolic links to the interpreter, and small
 * text files ({@code pyvenv.cfg}, activation scripts) with the template's path replaced by the
 * environment's final one. A copy takes a millisecond or two; {@code python -m venv} takes ~60 ms.
 */
final class VenvTemplate {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "template.json";
  private static final String VENV = "venv";
  private static final String PYVENV_CFG = "pyvenv.cfg";
  private static final String PYTHON = "bin/python";
  private static final long MAX_TEXT = 1 << 20;

  private final Path venv;
  private final String madeAt;
  private final String sitePackages;

  private VenvTemplate(Path venv, String madeAt, String sitePackages) {
    this.venv = venv;
    this.madeAt = madeAt;
    this.sitePackages = sitePackages;
  }

  /**
   * What {@code template.json} records beside the template.
   *
   * @param madeAt the template's path when it was made (its text files name it)
   * @param sitePackages site-packages relative to the template
   * @param files every file and link of the template as made (see {@link StoreFiles})
   */
  record Manifest(@JsonProperty("madeAt") String madeAt,
      @JsonProperty("sitePackages") String sitePackages,
      @JsonProperty("interpreter") String interpreter,
      @JsonProperty("files") List<UnpackedWheel.FileEntry> files) {}

  /**
   * The template of {@code interpreter}, made now if the store has none or the one there is
   * damaged (see {@link #whole}).
   */
  static VenvTemplate of(StoreBucket bucket, InterpreterInfo interpreter, Duration timeout,
      Path log) throws IOException, InterruptedException {
    StoreBucket.Read<Manifest> got = bucket.get(digest(interpreter.identity()),
        staging -> make(staging, interpreter, timeout, log), VenvTemplate::load,
        (entry, manifest) -> whole(entry.resolve(VENV), manifest));
    StoreFiles.noteReplaced(got.entry(), log);
    return new VenvTemplate(got.entry().path().resolve(VENV), got.value().madeAt(),
        got.value().sitePackages());
  }

  private static Manifest load(Path entry) throws IOException {
    return JSON.readValue(entry.resolve(MANIFEST).toFile(), Manifest.class);
  }

  /**
   * Whether a template is as it was made: its manifest complete (one from before files were
   * recorded is made again), every file and link there as recorded ({@code pyvenv.cfg}, which
   * names the interpreter, with its hash too), {@code bin/python} still resolving to the
   * interpreter and site-packages a directory. A few stats and one small read.
   */
  static boolean whole(Path venv, Manifest manifest) throws IOException {
    if (manifest.madeAt() == null || manifest.sitePackages() == null || manifest.files() == null
        || manifest.files().stream().noneMatch(f -> f.path().equals(PYVENV_CFG))
        || manifest.files().stream().noneMatch(f -> f.path().equals(PYTHON) && f.symlink())) {
      return false;
    }
    return StoreFiles.whole(venv, manifest.files(), PYVENV_CFG::equals)
        && Files.isRegularFile(venv.resolve(PYTHON))
        && Files.isDirectory(venv.resolve(manifest.sitePackages()), LinkOption.NOFOLLOW_LINKS);
  }

  private static void make(Path staging, InterpreterInfo interpreter, Duration timeout, Path log)
      throws IOException, InterruptedException {
    Path venv = staging.resolve(VENV);
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder pb = new ProcessBuilder(interpreter.executable(), "-m", "venv", "--without-pip",
        venv.toString())
        .directory(staging.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().clear();
    pb.environment().putAll(PipEnvironmentBuilder.cleanEnvironment());
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new EnvironmentException("`" + interpreter.executable() + " -m venv` did not finish in "
          + timeout.toSeconds() + "s", log);
    }
    if (p.exitValue() != 0) {
      throw new EnvironmentException("could not create a virtual environment with `"
          + interpreter.executable() + " -m venv --without-pip` (exit " + p.exitValue()
          + "); see the log" + (interpreter.hasVenv() ? "" : "\nhint: this Python has no venv "
          + "module (on Debian: apt-get install python3-venv)"), log);
    }
    Path site = findSitePackages(venv);
    JSON.writeValue(staging.resolve(MANIFEST).toFile(), new Manifest(venv.toString(),
        venv.relativize(site).toString(), interpreter.identity(), StoreFiles.record(venv)));
  }

  private static Path findSitePackages(Path venv) throws IOException {
    try (Stream<Path> walk = Files.walk(venv, 4)) {
      List<Path> found = walk.filter(p -> p.getFileName().toString().equals("site-packages"))
          .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .sorted().toList();
      if (found.isEmpty()) {
        throw new IOException("the new virtual environment " + venv + " has no site-packages");
      }
      return found.get(0);
    }
  }

  /** site-packages inside an environment made from this template. */
  Path sitePackages(Path envRoot) {
    return envRoot.resolve(sitePackages);
  }

  /**
   * Writes the environment into {@code staging} (which must not exist), its paths naming
   * {@code finalPath}.
   */
  void copyTo(Path staging, Path finalPath) throws IOException {
    byte[] from = madeAt.getBytes(StandardCharsets.UTF_8);
    byte[] to = finalPath.toString().getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> walk = Files.walk(venv)) {
      for (Path src : walk.toList()) {
        Path dest = staging.resolve(venv.relativize(src).toString());
        if (Files.isSymbolicLink(src)) {
          Files.createSymbolicLink(dest, Files.readSymbolicLink(src));
        } else if (Files.isDirectory(src)) {
          Files.createDirectories(dest);
        } else if (Files.size(src) <= MAX_TEXT) {
          Files.write(dest, PipEnvironmentBuilder.replaceAll(Files.readAllBytes(src), from, to));
          Set<PosixFilePermission> mode = Files.getPosixFilePermissions(src);
          Files.setPosixFilePermissions(dest, mode);
        } else {
          Files.copy(src, dest, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  static String digest(String identity) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(
          ("orchestrate-venv-template/1\n" + identity).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
