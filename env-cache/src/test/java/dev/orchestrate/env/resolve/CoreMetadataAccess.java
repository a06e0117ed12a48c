package dev.orchestrate.env.resolve;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests elsewhere read a wheel's METADATA the way the resolver does. */
public final class CoreMetadataAccess {
  private CoreMetadataAccess() {}

  public static byte[] read(Path wheel, String project) throws IOException {
    return SourceProvider.readMetadata(wheel, project);
  }
}
