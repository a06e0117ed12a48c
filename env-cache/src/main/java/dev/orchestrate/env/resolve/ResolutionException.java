package dev.orchestrate.env.resolve;

import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.EnvironmentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * No set of distributions satisfies the requirements. The message leads with the first problem
 * the search met (on the path of the newest versions), then the chain of requirements behind
 * every demand involved, each ending at the root requirement's origin:
 *
 * <pre>
 * Conflicting requirements for `gamma`: no version satisfies them all (available: 1.0, 2.0)
 *   `gamma<2` ← required by `alpha 2.0` ← required by delta's build-system.requires
 *   `gamma>=2` ← required by `beta 1.0` ← required by delta's build-system.requires
 * </pre>
 */
public final class ResolutionException extends EnvironmentException {
  private static final long serialVersionUID = 1L;
  static final String HINT = "hint: put wheels of the build requirements in a --find-links "
      + "directory, or pass --index-url";

  private final transient List<Resolver.Problem> problems;
  private final List<String> keyForms;
  private final List<String> origins;
  private final int attempts;
  private final int bound;
  private final String searched;

  ResolutionException(List<Resolver.Problem> problems, List<String> keyForms, List<String> origins,
      int attempts, int bound, String searched) {
    this(problems, keyForms, origins, attempts, bound, searched, null);
  }

  private ResolutionException(List<Resolver.Problem> problems, List<String> keyForms,
      List<String> origins, int attempts, int bound, String searched, Path log) {
    super(render(problems, origins, attempts, bound, searched), log);
    this.problems = List.copyOf(problems);
    this.keyForms = List.copyOf(keyForms);
    this.origins = List.copyOf(origins);
    this.attempts = attempts;
    this.bound = bound;
    this.searched = searched;
  }

  /** The same failure with a log file to point at. */
  public ResolutionException withLog(Path log) {
    return new ResolutionException(problems, keyForms, origins, attempts, bound, searched, log);
  }

  @Override
  public EnvironmentException withOrigins(List<EnvRequirement> requirements) {
    List<String> renamed = new ArrayList<>(origins);
    for (int i = 0; i < keyForms.size(); i++) {
      for (EnvRequirement r : requirements) {
        if (r.keyForm().equals(keyForms.get(i))) {
          renamed.set(i, r.origin());
          break;
        }
      }
    }
    return renamed.equals(origins) ? this : new ResolutionException(problems, keyForms, renamed,
        attempts, bound, searched, log().orElse(null));
  }

  /** True when the search stopped at its bound rather than running out of candidates. */
  public boolean gaveUp() {
    return bound > 0;
  }

  private static String render(List<Resolver.Problem> problems, List<String> origins, int attempts,
      int bound, String searched) {
    StringBuilder sb = new StringBuilder();
    Resolver.Problem first = problems.get(0);
    if (bound > 0) {
      sb.append("resolution gave up after trying ").append(bound)
          .append(" candidates; the first conflict: ");
    }
    sb.append(first.headline());
    Set<String> chains = new LinkedHashSet<>();
    first.demands().forEach(d -> chains.add(d.chain(origins)));
    chains.forEach(c -> sb.append("\n  ").append(c));
    if (problems.size() > 1 && bound == 0) {
      sb.append("\n(").append(attempts).append(attempts == 1 ? " candidate" : " candidates")
          .append(" tried; every other combination failed too, first on: ")
          .append(firstLine(problems.get(1).headline())).append(')');
    }
    sb.append("\nsearched: ").append(searched);
    if (first.kind() != Resolver.Problem.Kind.CONFLICT) {
      sb.append('\n').append(HINT);
    }
    return sb.toString();
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
