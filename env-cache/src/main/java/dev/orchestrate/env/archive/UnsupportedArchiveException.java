package dev.orchestrate.env.archive;

import java.nio.file.Path;

/**
 * The archive's name does not say which format it is, its content contradicts its name, or it
 * needs a feature this extractor does not have (an optional codec, zip encryption...).
 */
public final class UnsupportedArchiveException extends ArchiveException {

  public UnsupportedArchiveException(Path archive, String message) {
    super(archive, message);
  }
}
