package dev.orchestrate.build;

import dev.orchestrate.bus.Addresses;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Objects;

/**
 * Takes {@link BuildRequest}s from the event bus and answers each with a {@link BuildOutcome}.
 * How many run at once is the scheduler's decision; this verticle only builds.
 */
public final class ExecutorVerticle extends VerticleBase {
  private final BuildContext context;
  private MessageConsumer<BuildRequest> consumer;

  public ExecutorVerticle(BuildContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.BUILD, message ->
        new PackageBuild(context, message.body()).run()
            .onComplete(ar -> message.reply(ar.result())));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
