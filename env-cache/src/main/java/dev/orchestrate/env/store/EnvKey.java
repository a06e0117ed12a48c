package dev.orchestrate.env.store;

import dev.orchestrate.shim.InterpreterInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The identity of a build environment: a digest of the interpreter's identity, and a digest of
 * that identity plus the sorted, de-duplicated canonical requirement set. Packages whose
 * requirements normalise to the same set share one environment.
 */
public record EnvKey(String interpreterDigest, String requirementsDigest, List<String> requirements) {
  /** Bump when what goes into a key changes; old entries then stop matching instead of lying. */
  static final String SCHEME = "orchestrate-env/1";

  public EnvKey {
    requirements = List.copyOf(requirements);
  }

  public static EnvKey of(InterpreterInfo interpreter, Collection<EnvRequirement> requirements) {
    List<String> forms = requirements.stream().map(EnvRequirement::keyForm).distinct().sorted().toList();
    String interpreterDigest = sha256(SCHEME + "\n" + interpreter.identity()).substring(0, 16);
    String body = SCHEME + "\n" + interpreter.identity() + "\n" + String.join("\n", forms);
    return new EnvKey(interpreterDigest, sha256(body).substring(0, 24), forms);
  }

  /** A short printable id: {@code <interpreter>/<requirements>}. */
  public String id() {
    return interpreterDigest + "/" + requirementsDigest;
  }

  @Override
  public String toString() {
    return id();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
