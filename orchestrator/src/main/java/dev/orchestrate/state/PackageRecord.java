package dev.orchestrate.state;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A package's last successful build, as the state store remembers it.
 *
 * @param inputHash the input hash it was built from
 * @param version the version its wheel carries
 * @param memberDependencies the workspace members whose wheels its build environments held,
 *     including those a {@code get_requires_for_build_*} hook named at run time (next run's
 *     graph gets those edges up front)
 * @param environments the build environments it used, with what they resolved to
 */
public record PackageRecord(String inputHash, String version, long recordedAtMillis,
    SortedSet<String> memberDependencies, List<Artifact> artifacts, List<Environment> environments) {
  static final String HEADER = "orchestrate.state/1";

  /**
   * One artifact of the build.
   *
   * @param outDir the out dir it was last seen intact in, and {@code stamp} its stamp there
   */
  public record Artifact(String kind, String file, String sha256, long size, Path outDir, Stamp stamp) {
    public Artifact {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(outDir, "outDir");
      Objects.requireNonNull(stamp, "stamp");
    }

    Artifact seenAt(Path dir, Stamp now) {
      return new Artifact(kind, file, sha256, size, dir, now);
    }
  }

  /**
   * A build environment the build used: its resolved pins ({@code name==version}), and the stamp
   * of its metadata file, which changes only if the environment is made again (they are
   * immutable once published), so that a re-resolution is noticed without reading it.
   */
  public record Environment(String key, Path path, Stamp metadataStamp, List<String> resolved) {
    public Environment {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(metadataStamp, "metadataStamp");
      resolved = List.copyOf(resolved);
    }
  }

  public PackageRecord {
    Objects.requireNonNull(inputHash, "inputHash");
    Objects.requireNonNull(version, "version");
    memberDependencies = Collections.unmodifiableSortedSet(new TreeSet<>(memberDependencies));
    artifacts = List.copyOf(artifacts);
    environments = List.copyOf(environments);
  }

  PackageRecord withArtifacts(List<Artifact> now) {
    return new PackageRecord(inputHash, version, recordedAtMillis, memberDependencies, now, environments);
  }

  PackageRecord withEnvironments(List<Environment> now) {
    return new PackageRecord(inputHash, version, recordedAtMillis, memberDependencies, artifacts, now);
  }

  String text() {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    sb.append(Fields.line("input", inputHash));
    sb.append(Fields.line("version", version));
    sb.append(Fields.line("recorded", Long.toString(recordedAtMillis)));
    for (String dep : memberDependencies) {
      sb.append(Fields.line("member-dep", dep));
    }
    for (Artifact a : artifacts) {
      sb.append(Fields.line("artifact", a.kind(), a.file(), a.sha256(), Long.toString(a.size()),
          a.outDir().toString(), a.stamp().text()));
    }
    for (Environment e : environments) {
      sb.append(Fields.line("environment", e.key(), e.path().toString(), e.metadataStamp().text(),
          String.join(" ", e.resolved())));
    }
    return sb.toString();
  }

  static PackageRecord parse(String text) {
    Iterator<String> lines = text.lines().iterator();
    if (!lines.hasNext() || !lines.next().equals(HEADER)) {
      throw new IllegalArgumentException("not a state record of " + HEADER);
    }
    String input = null;
    String version = "";
    long recorded = 0;
    SortedSet<String> deps = new TreeSet<>();
    List<Artifact> artifacts = new ArrayList<>();
    List<Environment> environments = new ArrayList<>();
    while (lines.hasNext()) {
      List<String> f = Fields.split(lines.next());
      switch (f.get(0)) {
        case "input" -> input = f.get(1);
        case "version" -> version = f.get(1);
        case "recorded" -> recorded = Long.parseLong(f.get(1));
        case "member-dep" -> deps.add(f.get(1));
        case "artifact" -> artifacts.add(new Artifact(f.get(1), f.get(2), f.get(3),
            Long.parseLong(f.get(4)), Path.of(f.get(5)), Stamp.parse(f.get(6))));
        case "environment" -> environments.add(new Environment(f.get(1), Path.of(f.get(2)),
            Stamp.parse(f.get(3)), f.get(4).isEmpty() ? List.of() : List.of(f.get(4).split(" "))));
        default -> { }
      }
    }
    if (input == null || artifacts.isEmpty()) {
      throw new IllegalArgumentException("incomplete state record");
    }
    return new PackageRecord(input, version, recorded, deps, artifacts, environments);
  }
}
