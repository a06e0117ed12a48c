package dev.orchestrate.build;

import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import io.vertx.core.Future;

/**
 * One package's build without the event bus, for executors that need a context per package: a
 * cluster agent gives each task its own out dir (artifacts kept by input hash) and the
 * coordinator's hook timeout.
 */
public final class Builds {
  private Builds() {}

  public static Future<BuildOutcome> build(BuildContext context, BuildRequest request) {
    return new PackageBuild(context, request).run();
  }
}
