package dev.orchestrate.env.archive;

import java.nio.file.Path;

/**
 * An archive entry would escape the destination, write through a link, create a special file,
 * clobber an earlier entry or blow past the size limits. The archive is refused as a whole.
 */
public final class UnsafeArchiveException extends ArchiveException {

  private final String entry;
  private final String reason;

  public UnsafeArchiveException(Path archive, String entry, String reason) {
    super(archive, "Refusing to extract " + archive + ": entry " + EntryNames.quote(entry) + " "
        + reason);
    this.entry = entry;
    this.reason = reason;
  }

  /**
   * The offending entry's name exactly as stored in the archive; {@code (start of archive)} when
   * a limit was passed before the first entry was read.
   */
  public String entry() {
    return entry;
  }

  /** What is wrong with it, as a phrase that follows the entry name. */
  public String reason() {
    return reason;
  }
}
