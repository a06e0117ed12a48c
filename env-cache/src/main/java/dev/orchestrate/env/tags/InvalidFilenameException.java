package dev.orchestrate.env.tags;

/** A file name that is not a valid wheel or sdist name; the message quotes it and says why. */
public final class InvalidFilenameException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String filename;
  private final String reason;

  InvalidFilenameException(String kind, String filename, String reason) {
    super("invalid " + kind + " file name `" + filename + "`: " + reason);
    this.filename = filename;
    this.reason = reason;
  }

  /** The rejected name, exactly as given. */
  public String filename() {
    return filename;
  }

  /** What is wrong, without the name. */
  public String reason() {
    return reason;
  }
}
