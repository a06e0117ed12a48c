package dev.orchestrate.env.index;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A place distributions come from. Implementations never block the caller's thread: file-system
 * sources work on a worker pool, HTTP sources through the Vert.x WebClient.
 */
public interface PackageSource {

  /** Every file listed for {@code normalizedName} (empty when the project is unknown here). */
  Future<List<DistributionFile>> files(String normalizedName);

  /**
   * Fetches {@code file} into {@code directory} (same file system as the final store) and returns
   * its path; fails when a promised sha256 does not match, leaving nothing behind.
   */
  Future<Path> download(DistributionFile file, Path directory);

  /**
   * The core metadata (the wheel's METADATA file) without downloading the distribution, when the
   * source offers it (PEP 658); empty otherwise.
   */
  Future<Optional<byte[]>> metadata(DistributionFile file);

  /** A label for messages: the index URL without credentials, or the directory. */
  String describe();
}
