package dev.orchestrate.env.store;

import java.nio.file.Path;
import java.util.Optional;

/** A build environment could not be made; the message says why and what to try. */
public final class EnvironmentException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Path log;

  public EnvironmentException(String message, Path log) {
    super(message);
    this.log = log;
  }

  /** The log of the failed creation, when there is one. */
  public Optional<Path> log() {
    return Optional.ofNullable(log);
  }
}
