package dev.orchestrate.env.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A build environment could not be made; the message says why and what to try. */
public class EnvironmentException extends RuntimeException {
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

  /**
   * The same failure told to a caller whose requirements name their own origins (one shared
   * attempt serves every caller with the same key; each reads its own chain of requirements).
   */
  public EnvironmentException withOrigins(List<EnvRequirement> requirements) {
    return this;
  }
}
