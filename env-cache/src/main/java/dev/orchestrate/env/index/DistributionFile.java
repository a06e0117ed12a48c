package dev.orchestrate.env.index;

import java.util.Objects;
import java.util.Optional;

/**
 * One file a source offers for a project: a wheel or an sdist.
 *
 * @param project the normalised project name it was listed under
 * @param filename the file name (a wheel's name carries its version and tags)
 * @param url where to get it: {@code file:} for find-links, {@code http(s):} for an index
 * @param sha256 the hash the source promises, checked after download when present
 * @param requiresPython the {@code data-requires-python} / {@code requires-python} value
 * @param yanked why the file was yanked (PEP 592), when it was
 * @param metadataSha256 present when the source offers the core metadata on its own (PEP 658/714);
 *     the value is its sha256, or "" when the source offers it without a hash
 * @param source a short label of the source for messages (never credentials)
 */
public record DistributionFile(
    String project,
    String filename,
    String url,
    Optional<String> sha256,
    Optional<String> requiresPython,
    Optional<String> yanked,
    Optional<String> metadataSha256,
    String source) {

  public DistributionFile {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(requiresPython, "requiresPython");
    Objects.requireNonNull(yanked, "yanked");
    Objects.requireNonNull(metadataSha256, "metadataSha256");
    Objects.requireNonNull(source, "source");
  }

  public boolean isWheel() {
    return filename.endsWith(".whl");
  }
}
