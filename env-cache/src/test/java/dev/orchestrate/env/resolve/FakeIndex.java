package dev.orchestrate.env.resolve;

import dev.orchestrate.env.index.DistributionFile;
import dev.orchestrate.env.pep508.PackageName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An index of metadata for resolver tests: releases with their Requires-Dist, Requires-Python,
 * extras, yanked flags and file kinds, served without any file on disk. It counts the metadata
 * it hands out, so a test can see how much the search fetched.
 */
final class FakeIndex implements Provider {
  private final Map<String, List<Release>> projects = new LinkedHashMap<>();
  int metadataFetches;
  /** Whether sdists may be chosen; those in {@link #built} have a wheel built from them. */
  boolean buildsFromSource;
  final java.util.Set<String> built = new java.util.HashSet<>();

  @Override
  public boolean buildsFromSource() {
    return buildsFromSource;
  }

  static final class Release {
    final String name;
    final String version;
    final List<String> requires = new ArrayList<>();
    final List<String> extras = new ArrayList<>();
    String requiresPython = "";
    String fileRequiresPython = "";
    String yanked;
    String tag = "py3-none-any";
    boolean sdistOnly;

    Release(String name, String version) {
      this.name = name;
      this.version = version;
    }

    Release requires(String... r) {
      requires.addAll(List.of(r));
      return this;
    }

    Release extra(String name, String... r) {
      extras.add(name);
      for (String req : r) {
        requires.add(req + (req.contains(";") ? " and " : "; ") + "extra == \"" + name + "\"");
      }
      return this;
    }

    Release requiresPython(String spec) {
      requiresPython = spec;
      return this;
    }

    /** Requires-Python as the index lists it (data-requires-python), not only in the metadata. */
    Release listedRequiresPython(String spec) {
      fileRequiresPython = spec;
      requiresPython = spec;
      return this;
    }

    Release yanked(String reason) {
      yanked = reason;
      return this;
    }

    Release tag(String t) {
      tag = t;
      return this;
    }

    Release sdistOnly() {
      sdistOnly = true;
      return this;
    }

    String filename() {
      String escaped = name.replaceAll("[-_.]+", "_");
      return sdistOnly ? name + "-" + version + ".tar.gz" : escaped + "-" + version + "-" + tag + ".whl";
    }
  }

  Release add(String name, String version) {
    Release r = new Release(name, version);
    projects.computeIfAbsent(PackageName.normalize(name), k -> new ArrayList<>()).add(r);
    return r;
  }

  @Override
  public List<DistributionFile> files(String normalizedName) {
    List<DistributionFile> out = new ArrayList<>();
    for (Release r : projects.getOrDefault(normalizedName, List.of())) {
      out.add(new DistributionFile(normalizedName, r.filename(),
          "fake://" + normalizedName + "/" + r.filename(), Optional.empty(),
          r.fileRequiresPython.isEmpty() ? Optional.empty() : Optional.of(r.fileRequiresPython),
          Optional.ofNullable(r.yanked), Optional.of(""), "fake-index"));
    }
    return out;
  }

  @Override
  public CoreMetadata metadata(DistributionFile wheel) {
    metadataFetches++;
    if (!wheel.isWheel() && !built.contains(wheel.filename())) {
      String version = wheel.filename().substring(wheel.filename().lastIndexOf('-') + 1)
          .replace(".tar.gz", "");
      throw new SourceBuildNeeded(wheel.project(), version, java.nio.file.Path.of("/sdists", wheel.filename()),
          "0".repeat(64), java.nio.file.Path.of("/built"), "", null);
    }
    if (wheel.url().startsWith("file:")) {
      try {
        return CoreMetadata.parse(SourceProvider.readMetadata(
            java.nio.file.Path.of(java.net.URI.create(wheel.url())), wheel.project()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    for (Release r : projects.getOrDefault(wheel.project(), List.of())) {
      if (r.filename().equals(wheel.filename())) {
        StringBuilder md = new StringBuilder("Metadata-Version: 2.1\nName: " + r.name + "\nVersion: "
            + r.version + "\n");
        if (!r.requiresPython.isEmpty()) {
          md.append("Requires-Python: ").append(r.requiresPython).append('\n');
        }
        r.extras.forEach(e -> md.append("Provides-Extra: ").append(e).append('\n'));
        r.requires.forEach(q -> md.append("Requires-Dist: ").append(q).append('\n'));
        return CoreMetadata.parse(md.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    throw new AssertionError("no such file: " + wheel);
  }

  @Override
  public String describe() {
    return "fake-index";
  }

  /** Pure-Python wheels fit; anything else does not. */
  static final Compatibility PURE = filename ->
      filename.endsWith("-py3-none-any.whl") ? OptionalInt.of(10)
          : filename.endsWith("-cp311-cp311-linux_x86_64.whl") ? OptionalInt.of(1) : OptionalInt.empty();
}
