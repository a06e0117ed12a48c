package dev.orchestrate.state;

import dev.orchestrate.env.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Small text files of the state store, written whole or not at all. */
final class StateFiles {
  private StateFiles() {}

  /** Writes beside the target and renames over it: readers see the old file or the new one. */
  static void writeAtomically(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      AtomicFiles.moveAtomically(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static Optional<String> read(Path file) throws IOException {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }
}
