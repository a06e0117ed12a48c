package dev.orchestrate.env.resolve;

import dev.orchestrate.env.tags.SupportedTags;
import dev.orchestrate.env.tags.WheelFilename;
import java.util.OptionalInt;

/** Which wheels the target interpreter can install, and which it prefers. */
@FunctionalInterface
public interface Compatibility {

  /**
   * The preference for a wheel file name (lower is better: the rank of its best tag among the
   * interpreter's supported tags); empty when no tag of the wheel fits the interpreter.
   */
  OptionalInt rank(String wheelFilename);

  /** Ranks from an interpreter's supported tags; a file name that does not parse fits nothing. */
  static Compatibility of(SupportedTags supported) {
    return filename -> WheelFilename.tryParse(filename).flatMap(supported::rank)
        .map(OptionalInt::of).orElse(OptionalInt.empty());
  }
}
