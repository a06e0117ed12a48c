package dev.orchestrate.env.resolve;

import dev.orchestrate.env.pep440.Version;
import dev.orchestrate.env.pep508.Requirement;
import java.util.List;
import java.util.Optional;

/**
 * A requirement and why it is wanted: the package (and version) whose metadata asked for it, or
 * the root requirement it is.
 *
 * @param requirement what is asked
 * @param parent the chosen distribution that asked, empty for a root requirement
 * @param root the index of the root requirement at the start of the chain
 */
record Demand(Requirement requirement, Optional<Parent> parent, int root) {

  /** A distribution chosen during resolution, and the demand that first brought it in. */
  record Parent(String name, Version version, Demand demand) {}

  static Demand root(Requirement requirement, int index) {
    return new Demand(requirement, Optional.empty(), index);
  }

  static Demand of(Requirement requirement, String name, Version version, Demand parentDemand) {
    return new Demand(requirement, Optional.of(new Parent(name, version, parentDemand)),
        parentDemand.root());
  }

  String name() {
    return requirement.normalizedName();
  }

  /**
   * {@code `gamma<2` ← required by `alpha 2.0` ← required by alpha's build-system.requires}.
   */
  String chain(List<String> origins) {
    StringBuilder sb = new StringBuilder("`").append(display(requirement)).append('`');
    Demand current = this;
    while (current.parent.isPresent()) {
      Parent p = current.parent.get();
      sb.append(" ← required by `").append(p.name()).append(' ').append(p.version()).append('`');
      current = p.demand();
    }
    String origin = current.root < origins.size() ? origins.get(current.root) : "";
    sb.append(" ← required by ").append(origin.isEmpty() ? "the build requirements" : origin);
    return sb.toString();
  }

  /** A requirement as a person wrote it, without the marker that already applied. */
  static String display(Requirement r) {
    StringBuilder sb = new StringBuilder(r.name());
    if (!r.extras().isEmpty()) {
      sb.append('[').append(String.join(",", r.extras())).append(']');
    }
    if (r.url().isPresent()) {
      sb.append(" @ ").append(r.url().get());
    } else {
      sb.append(r.specifier());
    }
    return sb.toString();
  }
}
