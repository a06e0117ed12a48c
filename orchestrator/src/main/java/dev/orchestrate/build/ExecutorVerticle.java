package dev.orchestrate.build;

import dev.orchestrate.bus.Addresses;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import dev.orchestrate.state.UpToDateGate;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes {@link BuildRequest}s from the event bus and answers each with a {@link BuildOutcome}.
 * How many run at once is the scheduler's decision; this verticle only builds. With an
 * {@link UpToDateGate}, a package whose state says it is up to date is answered without building
 * (step 1), and a built one is recorded.
 */
public final class ExecutorVerticle extends VerticleBase {
  private final BuildContext context;
  private final Optional<UpToDateGate> gate;
  private MessageConsumer<BuildRequest> consumer;

  public ExecutorVerticle(BuildContext context) {
    this(context, Optional.empty());
  }

  public ExecutorVerticle(BuildContext context, Optional<UpToDateGate> gate) {
    this.context = Objects.requireNonNull(context, "context");
    this.gate = Objects.requireNonNull(gate, "gate");
  }

  @Override
  public Future<?> start() {
    // Local only: on a clustered bus no other node may hand this executor a request directly
    // (cluster agents take tasks on their own address, after checking them).
    consumer = vertx.eventBus().localConsumer(Addresses.BUILD, message -> {
      BuildRequest request = message.body();
      (gate.isPresent()
          ? gate.get().around(request, () -> new PackageBuild(context, request).run())
          : new PackageBuild(context, request).run())
          .onComplete(ar -> message.reply(ar.result()));
    });
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
