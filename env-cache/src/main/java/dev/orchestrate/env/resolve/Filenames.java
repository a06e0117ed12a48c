package dev.orchestrate.env.resolve;

import dev.orchestrate.env.pep440.Version;
import dev.orchestrate.env.tags.SdistFilename;
import dev.orchestrate.env.tags.WheelFilename;
import java.util.Optional;

/** The version a distribution's file name carries, when the name is the project's. */
final class Filenames {
  private Filenames() {}

  static Optional<Version> wheelVersion(String project, String filename) {
    return WheelFilename.tryParse(filename).filter(w -> w.normalizedName().equals(project))
        .map(WheelFilename::version);
  }

  static Optional<Version> sdistVersion(String project, String filename) {
    return SdistFilename.forProject(filename, project).map(SdistFilename::version);
  }
}
