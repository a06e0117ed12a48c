package dev.orchestrate.env.archive;

import java.nio.file.Path;

/** The archive unpacked safely but is not laid out like an sdist: one {@code {name}-{version}/}. */
public final class InvalidSdistException extends ArchiveException {

  public InvalidSdistException(Path archive, String message) {
    super(archive, message);
  }
}
