package dev.orchestrate.env.tags;

import dev.orchestrate.shim.InterpreterInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tags an interpreter installs, most preferred first, with each tag's rank (its position).
 * A wheel's rank is the best rank among its tags, so choosing between compatible wheels of one
 * version is picking the lowest rank, as pip does.
 */
public final class SupportedTags {
  private final List<Tag> tags;
  private final Map<Tag, Integer> ranks;

  private SupportedTags(List<Tag> tags) {
    this.tags = List.copyOf(tags);
    Map<Tag, Integer> r = new HashMap<>();
    for (int i = 0; i < this.tags.size(); i++) {
      r.putIfAbsent(this.tags.get(i), i);
    }
    this.ranks = Map.copyOf(r);
  }

  /** The given tags in order of preference. */
  public static SupportedTags of(List<Tag> tags) {
    return new SupportedTags(Objects.requireNonNull(tags, "tags"));
  }

  /** Tags as text ({@code cp311-cp311-linux_x86_64}), in order of preference. */
  public static SupportedTags parse(List<String> tags) {
    return new SupportedTags(tags.stream().map(Tag::parse).toList());
  }

  /**
   * What {@code interpreter} supports, from the list its shim computed. An interpreter described
   * without tags (a description written before the shim knew them) gets only the pure-Python tags
   * its version implies, so binary wheels are never guessed compatible.
   */
  public static SupportedTags supportedTags(InterpreterInfo interpreter) {
    Objects.requireNonNull(interpreter, "interpreter");
    if (!interpreter.tags().isEmpty()) {
      return parse(interpreter.tags());
    }
    return of(pureTags(interpreter));
  }

  private static List<Tag> pureTags(InterpreterInfo interpreter) {
    List<Integer> v = interpreter.versionInfo();
    if (v.size() < 2) {
      return List.of(new Tag("py3", "none", "any"));
    }
    int major = v.get(0);
    int minor = v.get(1);
    List<Tag> out = new ArrayList<>();
    if ("cpython".equals(interpreter.implementation())) {
      out.add(new Tag("cp" + major + minor, "none", "any"));
    }
    out.add(new Tag("py" + major + minor, "none", "any"));
    out.add(new Tag("py" + major, "none", "any"));
    for (int m = minor - 1; m >= 0; m--) {
      out.add(new Tag("py" + major + m, "none", "any"));
    }
    return out;
  }

  /** Every supported tag, the most preferred first. */
  public List<Tag> tags() {
    return tags;
  }

  public int size() {
    return tags.size();
  }

  /** The position of {@code tag}, lower is better; empty when unsupported. */
  public Optional<Integer> rank(Tag tag) {
    return Optional.ofNullable(ranks.get(tag));
  }

  /** The best position among the wheel's tags, lower is better; empty when none is supported. */
  public Optional<Integer> rank(WheelFilename wheel) {
    Integer best = null;
    for (Tag tag : wheel.tags()) {
      Integer r = ranks.get(tag);
      if (r != null && (best == null || r < best)) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  /** True when some tag of the wheel is supported. */
  public boolean isCompatible(WheelFilename wheel) {
    return rank(wheel).isPresent();
  }

  @Override
  public String toString() {
    return tags.size() + " tags, best " + (tags.isEmpty() ? "(none)" : tags.get(0));
  }
}
