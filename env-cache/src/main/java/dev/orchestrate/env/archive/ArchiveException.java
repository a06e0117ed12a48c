package dev.orchestrate.env.archive;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An archive could not be extracted. Checked, like the {@link IOException} it extends, because
 * every caller of an extraction already handles I/O failure; the subclasses say why.
 */
public class ArchiveException extends IOException {

  private final Path archive;

  public ArchiveException(Path archive, String message) {
    super(message);
    this.archive = archive;
  }

  public ArchiveException(Path archive, String message, Throwable cause) {
    super(message, cause);
    this.archive = archive;
  }

  /** The archive, or for checks on an already extracted tree, that tree. */
  public Path archive() {
    return archive;
  }
}
