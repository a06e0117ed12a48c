package dev.orchestrate.env.resolve;

import dev.orchestrate.env.pep440.SpecifierSet;
import dev.orchestrate.env.pep440.Version;
import dev.orchestrate.env.pep508.InvalidRequirementException;
import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.env.pep508.Requirement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fields of a distribution's core metadata (a wheel's {@code METADATA}, PEP 566/643) that
 * resolution reads: name, version, {@code Requires-Dist}, {@code Requires-Python},
 * {@code Provides-Extra}.
 */
public record CoreMetadata(String name, Version version, List<Requirement> requiresDist,
    Optional<SpecifierSet> requiresPython, List<String> providesExtra) {

  public CoreMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    requiresDist = List.copyOf(requiresDist);
    Objects.requireNonNull(requiresPython, "requiresPython");
    providesExtra = List.copyOf(providesExtra);
  }

  public String normalizedName() {
    return PackageName.normalize(name);
  }

  /**
   * Parses the RFC 822 style headers (continuation lines folded in, the body after the first
   * blank line ignored).
   *
   * @throws InvalidMetadataException a required field is missing or a value does not parse
   */
  public static CoreMetadata parse(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    String name = null;
    String version = null;
    String requiresPython = null;
    List<String> requires = new ArrayList<>();
    List<String> extras = new ArrayList<>();
    List<String[]> headers = new ArrayList<>();
    for (String line : text.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        break;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
        String[] last = headers.get(headers.size() - 1);
        last[1] = last[1] + " " + line.strip();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
      }
    }
    for (String[] header : headers) {
      switch (header[0].toLowerCase(java.util.Locale.ROOT)) {
        case "name" -> name = header[1];
        case "version" -> version = header[1];
        case "requires-python" -> requiresPython = header[1];
        case "requires-dist" -> requires.add(header[1]);
        case "provides-extra" -> extras.add(PackageName.normalize(header[1]));
        default -> { }
      }
    }
    if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
      throw new InvalidMetadataException("the metadata has no " + (name == null ? "Name" : "Version"));
    }
    String versionText = version;
    Version parsedVersion = Version.tryParse(versionText).orElseThrow(() ->
        new InvalidMetadataException("Version `" + versionText + "` is not a PEP 440 version"));
    List<Requirement> parsed = new ArrayList<>();
    for (String r : requires) {
      try {
        parsed.add(Requirement.parse(r));
      } catch (InvalidRequirementException e) {
        throw new InvalidMetadataException("Requires-Dist `" + r + "` is not a valid requirement");
      }
    }
    Optional<SpecifierSet> python = Optional.empty();
    if (requiresPython != null && !requiresPython.isBlank()) {
      String value = requiresPython;
      python = Optional.of(SpecifierSet.tryParse(value).orElseThrow(() ->
          new InvalidMetadataException("Requires-Python `" + value + "` is not a version specifier")));
    }
    return new CoreMetadata(name, parsedVersion, parsed, python, extras);
  }

  /** Core metadata that cannot be used. */
  public static final class InvalidMetadataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidMetadataException(String message) {
      super(message);
    }
  }
}
