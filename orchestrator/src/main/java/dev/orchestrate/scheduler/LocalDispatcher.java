package dev.orchestrate.scheduler;

import dev.orchestrate.bus.Addresses;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.time.Duration;
import java.util.Objects;

/** The executor of this process: a request on {@link Addresses#BUILD}, never to another node. */
public final class LocalDispatcher implements Dispatcher {
  private final Vertx vertx;
  private final Duration replyTimeout;

  public LocalDispatcher(Vertx vertx, Duration replyTimeout) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.replyTimeout = Objects.requireNonNull(replyTimeout, "replyTimeout");
  }

  @Override
  public Future<BuildOutcome> dispatch(BuildRequest request) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(replyTimeout.toMillis())
        .setLocalOnly(true);
    return vertx.eventBus().<BuildOutcome>request(Addresses.BUILD, request, options).map(Message::body);
  }
}
