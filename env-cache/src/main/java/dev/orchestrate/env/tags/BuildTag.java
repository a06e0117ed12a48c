package dev.orchestrate.env.tags;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * A wheel's optional build tag: leading digits and the rest ({@code 1}, {@code 2b}). Build tags
 * break ties between wheels of the same version, the number first, then the rest as text; a wheel
 * without one sorts below every wheel with one, as in pip.
 */
public record BuildTag(long number, String rest) implements Comparable<BuildTag> {

  /** Orders optional build tags: absent first, then by {@link #compareTo}. */
  public static final Comparator<Optional<BuildTag>> ORDER =
      Comparator.comparing((Optional<BuildTag> b) -> b.isPresent())
          .thenComparing(b -> b.orElse(null), Comparator.nullsFirst(Comparator.naturalOrder()));

  public BuildTag {
    if (number < 0) {
      throw new IllegalArgumentException("build number must not be negative: " + number);
    }
    Objects.requireNonNull(rest, "rest");
  }

  @Override
  public int compareTo(BuildTag other) {
    int c = Long.compare(number, other.number);
    return c != 0 ? c : rest.compareTo(other.rest);
  }

  @Override
  public String toString() {
    return number + rest;
  }
}
