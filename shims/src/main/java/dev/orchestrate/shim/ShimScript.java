package dev.orchestrate.shim;

import java.io.ByteArrayOutputStream;
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
import java.util.List;

/**
 * The hook-runner scripts — the shim and, beside it, the fork server that imports it — shipped
 * inside the jar and written once to disk under a directory named after their content, so that
 * concurrent runs and different versions never overwrite each other.
 */
public final class ShimScript {
  static final String RESOURCE = "/dev/orchestrate/shim/orchestrate_shim.py";
  static final String FORK_SERVER_RESOURCE = "/dev/orchestrate/shim/orchestrate_forkserver.py";
  public static final String FILE_NAME = "orchestrate_shim.py";
  public static final String FORK_SERVER_FILE_NAME = "orchestrate_forkserver.py";
  private static final List<String> FILES = List.of(FILE_NAME, FORK_SERVER_FILE_NAME);

  private ShimScript() {}

  /** The shim's bytes. */
  public static byte[] content() {
    return resource(RESOURCE);
  }

  /** The fork server's bytes. */
  public static byte[] forkServerContent() {
    return resource(FORK_SERVER_RESOURCE);
  }

  /** The fork server written beside a shim that {@link #materialize} returned. */
  public static Path forkServerBeside(Path shim) {
    return shim.resolveSibling(FORK_SERVER_FILE_NAME);
  }

  /**
   * Writes the scripts under {@code baseDir/shim-<digest>/} (blocking) and returns the shim's path;
   * the fork server is {@link #forkServerBeside its sibling}.
   */
  public static Path materialize(Path baseDir) {
    List<byte[]> contents = List.of(content(), forkServerContent());
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    for (byte[] c : contents) {
      both.writeBytes(sha256(c).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    Path dir = baseDir.resolve("shim-" + sha256(both.toByteArray()).substring(0, 16));
    try {
      for (int i = 0; i < FILES.size(); i++) {
        write(dir, FILES.get(i), contents.get(i));
      }
      return dir.resolve(FILE_NAME);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the hook runner under " + dir, e);
    }
  }

  private static void write(Path dir, String name, byte[] bytes) throws IOException {
    Path script = dir.resolve(name);
    if (Files.isRegularFile(script) && Files.size(script) == bytes.length) {
      return;
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".shim-", ".tmp");
    Files.write(tmp, bytes);
    try {
      Files.move(tmp, script, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ShimScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the hook runner " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
