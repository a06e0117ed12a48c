package dev.orchestrate.env.archive;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished extraction.
 *
 * @param destination the directory the archive now lives in (it did not exist before)
 * @param format the format the archive was read as
 * @param topLevelDirectory the only top-level entry of the destination, when there is exactly
 *     one and it is a directory: for an sdist, its {@code {name}-{version}/}
 * @param fileCount regular files written, hard-link copies included (not directories or symlinks)
 * @param totalBytes bytes of file content written
 * @param warnings things worth telling a person that did not stop the extraction, such as an
 *     sdist without {@code PKG-INFO}
 */
public record ExtractResult(Path destination, ArchiveFormat format,
    Optional<Path> topLevelDirectory, int fileCount, long totalBytes, List<String> warnings) {

  public ExtractResult {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(topLevelDirectory, "topLevelDirectory");
    warnings = List.copyOf(warnings);
  }
}
