package dev.orchestrate.env.tags;

import dev.orchestrate.env.pep440.InvalidVersionException;
import dev.orchestrate.env.pep440.Version;
import dev.orchestrate.env.pep508.PackageName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wheel's file name, {@code {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl}, parsed
 * as {@code packaging.utils.parse_wheel_filename} does. Tag parts may be compressed sets
 * ({@code py2.py3}); {@link #tags()} expands them.
 *
 * @param filename the name as given
 * @param name the project name as written in the file name (escaped: {@code _} for {@code -})
 * @param version the version
 * @param build the build tag, when there is one
 * @param pythonTags the interpreter tags, in file-name order ({@code [py2, py3]})
 * @param abiTags the ABI tags
 * @param platformTags the platform tags
 */
public record WheelFilename(
    String filename,
    String name,
    Version version,
    Optional<BuildTag> build,
    List<String> pythonTags,
    List<String> abiTags,
    List<String> platformTags) {

  // PEP 427 escapes every run of -_. in the name to one _; a name part never holds "__".
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._]+");
  private static final Pattern BUILD = Pattern.compile("([0-9]+)(.*)");
  private static final Pattern TAG_PART = Pattern.compile("[A-Za-z0-9_]+");

  public WheelFilename {
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(build, "build");
    pythonTags = List.copyOf(pythonTags);
    abiTags = List.copyOf(abiTags);
    platformTags = List.copyOf(platformTags);
  }

  /**
   * Parses a wheel file name (not a path).
   *
   * @throws InvalidFilenameException naming the file and what is wrong with it
   */
  public static WheelFilename parse(String filename) {
    Objects.requireNonNull(filename, "filename");
    if (!filename.endsWith(".whl")) {
      throw invalid(filename, "a wheel's name ends with `.whl`");
    }
    String stem = filename.substring(0, filename.length() - 4);
    String[] parts = stem.split("-", -1);
    if (parts.length != 5 && parts.length != 6) {
      throw invalid(filename, "expected name-version(-build)?-python-abi-platform, found "
          + parts.length + " dash-separated parts");
    }
    String name = parts[0];
    if (name.isEmpty() || !NAME.matcher(name).matches() || name.contains("__")) {
      throw invalid(filename, "`" + name + "` is not a valid escaped project name");
    }
    Version version;
    try {
      version = Version.parse(parts[1]);
    } catch (InvalidVersionException e) {
      throw invalid(filename, "`" + parts[1] + "` is not a PEP 440 version");
    }
    Optional<BuildTag> build = Optional.empty();
    if (parts.length == 6) {
      Matcher m = BUILD.matcher(parts[2]);
      if (!m.matches()) {
        throw invalid(filename, "build tag `" + parts[2] + "` must start with a digit");
      }
      try {
        build = Optional.of(new BuildTag(Long.parseLong(m.group(1)), m.group(2)));
      } catch (NumberFormatException e) {
        throw invalid(filename, "build number `" + m.group(1) + "` is too large");
      }
    }
    int t = parts.length - 3;
    return new WheelFilename(filename, name, version, build,
        tagSet(filename, parts[t], "python"), tagSet(filename, parts[t + 1], "abi"),
        tagSet(filename, parts[t + 2], "platform"));
  }

  /** Like {@link #parse(String)}, empty for a name that is not a valid wheel name. */
  public static Optional<WheelFilename> tryParse(String filename) {
    try {
      return Optional.of(parse(filename));
    } catch (InvalidFilenameException e) {
      return Optional.empty();
    }
  }

  private static List<String> tagSet(String filename, String compressed, String what) {
    List<String> out = new ArrayList<>();
    for (String tag : compressed.split("\\.", -1)) {
      if (!TAG_PART.matcher(tag).matches()) {
        throw invalid(filename, "`" + compressed + "` is not a valid " + what + " tag set");
      }
      out.add(tag);
    }
    return out;
  }

  private static InvalidFilenameException invalid(String filename, String reason) {
    return new InvalidFilenameException("wheel", filename, reason);
  }

  /** The PEP 503 normal form of the project name ({@code Foo_Bar} → {@code foo-bar}). */
  public String normalizedName() {
    return PackageName.normalize(name);
  }

  /** Every tag the name stands for: the product of the three tag sets, in file-name order. */
  public Set<Tag> tags() {
    Set<Tag> out = new LinkedHashSet<>();
    for (String py : pythonTags) {
      for (String abi : abiTags) {
        for (String platform : platformTags) {
          out.add(new Tag(py, abi, platform));
        }
      }
    }
    return out;
  }

  /** True for a wheel whose every tag ends in {@code -none-any} (pure Python). */
  public boolean isUniversalPlatform() {
    return abiTags.equals(List.of("none")) && platformTags.equals(List.of("any"));
  }

  @Override
  public String toString() {
    return filename;
  }
}
