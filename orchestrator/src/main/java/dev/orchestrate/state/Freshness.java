package dev.orchestrate.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrate.env.store.EnvironmentCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The up-to-date check: a package's input hash against its record, its artifacts against the out dir. */
public final class Freshness {
  private Freshness() {}

  /**
   * Without the package's lock and without reading any artifact: fresh when the record has this
   * input hash and every artifact is in the out dir with the stamp it had when last verified.
   */
  public static Verdict quick(Optional<PackageRecord> record, String inputHash, Path outDir) {
    if (record.isEmpty()) {
      return new Verdict.Stale(record, "never built (no record in the state store)");
    }
    if (!record.get().inputHash().equals(inputHash)) {
      return new Verdict.Stale(record, "inputs changed");
    }
    List<String> why = new ArrayList<>();
    for (PackageRecord.Artifact a : record.get().artifacts()) {
      Path target = outDir.resolve(a.file());
      Optional<Stamp> now = stamp(target);
      if (now.isEmpty()) {
        why.add("`" + a.file() + "` is missing from the out dir");
      } else if (!a.outDir().equals(outDir) || !a.stamp().equals(now.get())) {
        why.add("`" + a.file() + "` changed on disk since it was built");
      }
    }
    for (PackageRecord.Environment e : record.get().environments()) {
      Optional<Stamp> now = stamp(e.path().resolve(EnvironmentCache.METADATA));
      // Gone (env gc) is no news; made again, it may have resolved to other versions.
      if (now.isPresent() && !now.get().equals(e.metadataStamp())) {
        why.add("its build environment `" + e.key() + "` was made again since");
      }
    }
    return why.isEmpty() ? new Verdict.Fresh(record.get(), List.of())
        : new Verdict.Unverified(record.get(), why);
  }

  /**
   * Under the package's lock: the record read again (another run may just have built the
   * package), missing artifacts restored from the store, changed ones hashed. An artifact whose
   * content is not what was built (sha256 mismatch) makes the package stale: it is rebuilt.
   */
  public static Verdict settle(StateStore store, String member, String inputHash, Path outDir,
      Path stagingDir) throws IOException {
    Optional<PackageRecord> record = store.read(member);
    Verdict quick = quick(record, inputHash, outDir);
    if (!(quick instanceof Verdict.Unverified)) {
      return quick;
    }
    List<PackageRecord.Artifact> now = new ArrayList<>();
    List<String> restored = new ArrayList<>();
    for (PackageRecord.Artifact a : record.get().artifacts()) {
      Path target = outDir.resolve(a.file());
      Optional<Stamp> stamp = stamp(target);
      if (stamp.isEmpty()) {
        if (!store.restore(a, target, stagingDir)) {
          return new Verdict.Stale(record, "`" + a.file()
              + "` is missing from the out dir and the state store has no intact copy");
        }
        restored.add(a.file());
        stamp = stamp(target);
      } else if (!a.outDir().equals(outDir) || !a.stamp().equals(stamp.get())) {
        if (!Digests.ofFile(target).equals(a.sha256())) {
          return new Verdict.Stale(record, "`" + a.file() + "` is corrupt (its sha256 is not the built one's)");
        }
      }
      now.add(a.seenAt(outDir, stamp.orElseThrow()));
    }
    List<PackageRecord.Environment> environments = new ArrayList<>();
    for (PackageRecord.Environment e : record.get().environments()) {
      Path metadata = e.path().resolve(EnvironmentCache.METADATA);
      Optional<Stamp> stamp = stamp(metadata);
      if (stamp.isEmpty() || stamp.get().equals(e.metadataStamp())) {
        environments.add(e);
        continue;
      }
      List<String> resolved = resolved(metadata);
      if (!resolved.equals(e.resolved())) {
        return new Verdict.Stale(record, "its build environment `" + e.key() + "` resolved to "
            + String.join(", ", resolved) + " instead of " + String.join(", ", e.resolved()));
      }
      environments.add(new PackageRecord.Environment(e.key(), e.path(), stamp.get(), resolved));
    }
    PackageRecord updated = record.get().withArtifacts(now).withEnvironments(environments);
    store.write(member, updated);
    return new Verdict.Fresh(updated, restored);
  }

  /** The {@code name==version} pins in an environment's metadata, sorted. */
  static List<String> resolved(Path metadata) throws IOException {
    Map<?, ?> data = new ObjectMapper().readValue(metadata.toFile(), Map.class);
    List<String> pins = new ArrayList<>();
    if (data.get("resolved") instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> pin) {
          pins.add(pin.get("name") + "==" + pin.get("version"));
        }
      }
    }
    pins.sort(null);
    return pins;
  }

  static Optional<Stamp> stamp(Path file) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      return attrs.isRegularFile() ? Optional.of(Stamp.of(attrs)) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
