package dev.orchestrate.run;

import dev.orchestrate.build.BuildContext;
import dev.orchestrate.build.ExecutorVerticle;
import dev.orchestrate.scheduler.BuildPlan;
import dev.orchestrate.scheduler.Dispatcher;
import dev.orchestrate.scheduler.LocalDispatcher;
import dev.orchestrate.state.UpToDateGate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Everything in this process: a plain Vert.x instance and one executor verticle. */
public final class LocalSite implements ExecutionSite {
  private Vertx vertx;

  /** A site that makes its Vert.x instance when the run opens it. */
  public LocalSite() {}

  /** A site on a Vert.x instance that outlives the run (watch mode). */
  public LocalSite(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Vertx open() {
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    return vertx;
  }

  @Override
  public int jobs(int requested) {
    return requested;
  }

  @Override
  public Dispatcher dispatcher(BuildPlan plan) {
    return new LocalDispatcher(vertx, plan.replyTimeout());
  }

  @Override
  public Future<List<String>> start(BuildContext context, Optional<UpToDateGate> gate,
      Consumer<String> say) {
    return vertx.deployVerticle(new ExecutorVerticle(context, gate)).map(List::of);
  }
}
