package dev.orchestrate.env.resolve;

import dev.orchestrate.env.store.EnvironmentException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Resolution chose a version that exists only as an sdist, and no wheel has been built from that
 * sdist yet. Not a dead end: whoever builds packages (the orchestrator's own PEP 517 path) builds
 * the sdist's wheel into {@code builtWheels/<sdistSha256>/} and asks for the environment again;
 * the next resolution finds the wheel there. Where nothing builds it, the message says what to do.
 *
 * @param project the normalised project name
 * @param sdist the sdist on disk (in place for {@code file:} URLs, else in the store)
 * @param builtWheels the bucket of wheels built from sdists for this interpreter
 * @param requiredBy who asked for it, for messages ({@code `alpha`'s build-system.requires})
 */
public final class SourceBuildNeeded extends EnvironmentException {
  private static final long serialVersionUID = 1L;
  private final String project;
  private final String version;
  private final transient Path sdist;
  private final String sdistSha256;
  private final transient Path builtWheels;
  private final String requiredBy;

  public SourceBuildNeeded(String project, String version, Path sdist, String sdistSha256,
      Path builtWheels, String requiredBy, Path log) {
    super("`" + project + " " + version + "` is only available as an sdist ("
        + sdist.getFileName() + "), and no wheel has been built from it yet\n"
        + "hint: orchestrate build-all builds such requirements through their own PEP 517 "
        + "backend; elsewhere, put a wheel of it in a --find-links directory", log);
    this.project = Objects.requireNonNull(project, "project");
    this.version = Objects.requireNonNull(version, "version");
    this.sdist = sdist;
    this.sdistSha256 = Objects.requireNonNull(sdistSha256, "sdistSha256");
    this.builtWheels = Objects.requireNonNull(builtWheels, "builtWheels");
    this.requiredBy = Objects.requireNonNull(requiredBy, "requiredBy");
  }

  public String project() {
    return project;
  }

  public String version() {
    return version;
  }

  public Path sdist() {
    return sdist;
  }

  public String sdistSha256() {
    return sdistSha256;
  }

  public Path builtWheels() {
    return builtWheels;
  }

  public String requiredBy() {
    return requiredBy;
  }

  /** {@code name version}, as messages name it. */
  public String label() {
    return project + " " + version;
  }

  /** The same need, saying who asked for it. */
  public SourceBuildNeeded withRequiredBy(String chain) {
    return new SourceBuildNeeded(project, version, sdist, sdistSha256, builtWheels, chain, log().orElse(null));
  }

  /** The same need, with the log of the environment that met it. */
  public SourceBuildNeeded withLog(Path log) {
    return new SourceBuildNeeded(project, version, sdist, sdistSha256, builtWheels, requiredBy, log);
  }
}
