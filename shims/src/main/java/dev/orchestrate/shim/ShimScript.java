package dev.orchestrate.shim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hook-runner script, shipped inside the jar and written once to disk under a name derived
 * from its content, so that concurrent runs and different versions never overwrite each other.
 */
public final class ShimScript {
  static final String RESOURCE = "/dev/orchestrate/shim/orchestrate_shim.py";
  public static final String FILE_NAME = "orchestrate_shim.py";

  private ShimScript() {}

  /** The script's bytes. */
  public static byte[] content() {
    try (InputStream in = ShimScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the hook runner " + RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the script under {@code baseDir/shim-<digest>/} (blocking) and returns its path. */
  public static Path materialize(Path baseDir) {
    byte[] bytes = content();
    Path dir = baseDir.resolve("shim-" + sha256(bytes).substring(0, 16));
    Path script = dir.resolve(FILE_NAME);
    try {
      if (Files.isRegularFile(script) && Files.size(script) == bytes.length) {
        return script;
      }
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".shim-", ".tmp");
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, script, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING);
      }
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the hook runner under " + dir, e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
