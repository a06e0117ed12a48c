package dev.orchestrate.env.tags;

import dev.orchestrate.env.pep440.Version;
import dev.orchestrate.env.pep508.PackageName;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A source distribution's file name, {@code {name}-{version}.tar.gz} (PEP 625), also accepting
 * the legacy {@code .zip}, {@code .tgz}, {@code .tar.bz2}, {@code .tar.xz} and {@code .tar}
 * endings pip still takes.
 *
 * @param filename the name as given
 * @param name the project name as written
 * @param version the version
 */
public record SdistFilename(String filename, String name, Version version) {

  /** Archive endings of sdists, longest first so that {@code .tar.gz} wins over {@code .tar}. */
  public static final List<String> EXTENSIONS =
      List.of(".tar.gz", ".tar.bz2", ".tar.xz", ".zip", ".tgz", ".tbz", ".txz", ".tar");

  public SdistFilename {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
  }

  /** True when the name ends like an sdist archive. */
  public static boolean looksLikeSdist(String filename) {
    return extension(filename).isPresent();
  }

  /**
   * Parses {@code name-version.ext}, splitting at the last dash (PEP 440 versions hold none).
   *
   * @throws InvalidFilenameException naming the file and what is wrong with it
   */
  public static SdistFilename parse(String filename) {
    Objects.requireNonNull(filename, "filename");
    String stem = stem(filename);
    int dash = stem.lastIndexOf('-');
    if (dash <= 0) {
      throw new InvalidFilenameException("sdist", filename, "expected name-version" + ext(filename));
    }
    String name = stem.substring(0, dash);
    String versionText = stem.substring(dash + 1);
    if (!PackageName.isValid(name)) {
      throw new InvalidFilenameException("sdist", filename, "`" + name + "` is not a valid project name");
    }
    return new SdistFilename(filename, name, Version.tryParse(versionText).orElseThrow(() ->
        new InvalidFilenameException("sdist", filename, "`" + versionText + "` is not a PEP 440 version")));
  }

  /**
   * The sdist of {@code project} (normalised) this name stands for, if it is one: the name part is
   * the dash-separated prefix that normalises to the project, as pip matches legacy names like
   * {@code foo-bar-1.0.tar.gz}; the rest must be a PEP 440 version.
   */
  public static Optional<SdistFilename> forProject(String filename, String project) {
    Optional<String> ext = extension(filename);
    if (ext.isEmpty()) {
      return Optional.empty();
    }
    String stem = filename.substring(0, filename.length() - ext.get().length());
    String wanted = PackageName.normalize(project);
    for (int dash = stem.indexOf('-'); dash > 0; dash = stem.indexOf('-', dash + 1)) {
      String name = stem.substring(0, dash);
      if (PackageName.normalize(name).equals(wanted)) {
        Optional<Version> version = Version.tryParse(stem.substring(dash + 1));
        return version.map(v -> new SdistFilename(filename, name, v));
      }
    }
    return Optional.empty();
  }

  /** The PEP 503 normal form of the project name. */
  public String normalizedName() {
    return PackageName.normalize(name);
  }

  private static Optional<String> extension(String filename) {
    String lower = filename.toLowerCase(Locale.ROOT);
    for (String ext : EXTENSIONS) {
      if (lower.endsWith(ext) && lower.length() > ext.length()) {
        return Optional.of(filename.substring(filename.length() - ext.length()));
      }
    }
    return Optional.empty();
  }

  private static String ext(String filename) {
    return extension(filename).orElse(".tar.gz");
  }

  private static String stem(String filename) {
    Optional<String> ext = extension(filename);
    if (ext.isEmpty()) {
      throw new InvalidFilenameException("sdist", filename,
          "an sdist's name ends with `.tar.gz` (or a legacy `.zip`, `.tgz`, `.tar.bz2`, `.tar.xz`, `.tar`)");
    }
    return filename.substring(0, filename.length() - ext.get().length());
  }

  @Override
  public String toString() {
    return filename;
  }
}
