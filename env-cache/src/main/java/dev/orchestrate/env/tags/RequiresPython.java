package dev.orchestrate.env.tags;

import dev.orchestrate.env.pep440.SpecifierSet;
import dev.orchestrate.env.pep440.Version;
import dev.orchestrate.shim.InterpreterInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code Requires-Python} checks as pip makes them: the interpreter's {@code major.minor.micro}
 * (python_full_version without its pre-release part, as {@code sys.version_info[:3]}) against the
 * specifier set. An empty value allows every interpreter; a value that is not a valid specifier
 * set is ignored (allowing), as pip ignores a broken {@code data-requires-python}.
 */
public final class RequiresPython {
  private RequiresPython() {}

  /** True when the interpreter satisfies {@code specifier} (or the specifier is empty or invalid). */
  public static boolean check(String specifier, InterpreterInfo interpreter) {
    return check(specifier, pythonVersion(interpreter));
  }

  /** {@link #check(String, InterpreterInfo)} against an explicit interpreter version. */
  public static boolean check(String specifier, Version python) {
    Objects.requireNonNull(specifier, "specifier");
    Objects.requireNonNull(python, "python");
    Optional<SpecifierSet> set = parse(specifier);
    return set.isEmpty() || set.get().contains(python, true);
  }

  /** {@link #check(String, InterpreterInfo)} for an optional value (absent allows). */
  public static boolean check(Optional<String> specifier, InterpreterInfo interpreter) {
    return specifier.map(s -> check(s, interpreter)).orElse(true);
  }

  /** The specifier set, empty when the text is not a valid one. */
  public static Optional<SpecifierSet> parse(String specifier) {
    return SpecifierSet.tryParse(specifier.strip());
  }

  /** {@code major.minor.micro} of the interpreter, the version pip compares. */
  public static Version pythonVersion(InterpreterInfo interpreter) {
    List<Integer> v = interpreter.versionInfo();
    if (v.size() >= 3) {
      return Version.of(v.get(0), v.get(1), v.get(2));
    }
    return Version.parse(interpreter.markers().getOrDefault("python_full_version", interpreter.version()))
        .baseVersion();
  }
}
