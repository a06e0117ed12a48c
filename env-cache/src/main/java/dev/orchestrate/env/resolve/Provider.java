package dev.orchestrate.env.resolve;

import dev.orchestrate.env.index.DistributionFile;
import java.util.List;

/**
 * What resolution asks of the world, synchronously (the resolver runs on a worker thread of its
 * own). Failures to reach a source are exceptions, not answers.
 */
public interface Provider {

  /** Every file the sources list for a project; empty when none knows it. */
  List<DistributionFile> files(String normalizedName);

  /**
   * The core metadata of a wheel: from the source when it offers it on its own (PEP 658), else
   * from the wheel itself ({@code file:} URLs are read in place).
   */
  CoreMetadata metadata(DistributionFile wheel);

  /**
   * Whether a version available only as an sdist may be chosen: its metadata then comes from a
   * wheel built from it, or {@link #metadata} throws {@link SourceBuildNeeded}. When false, such
   * a version is a resolution failure that says so.
   */
  default boolean buildsFromSource() {
    return false;
  }

  /** What was searched, for messages: directories and index URLs without credentials. */
  String describe();
}
