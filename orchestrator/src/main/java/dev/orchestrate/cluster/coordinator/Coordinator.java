package dev.orchestrate.cluster.coordinator;

import dev.orchestrate.build.BuildContext;
import dev.orchestrate.build.ExecutorVerticle;
import dev.orchestrate.cluster.ClusterJson;
import dev.orchestrate.cluster.ClusterNode;
import dev.orchestrate.cluster.ClusterSettings;
import dev.orchestrate.run.ExecutionSite;
import dev.orchestrate.run.ExecutorUse;
import dev.orchestrate.run.Placement;
import dev.orchestrate.run.RunOptions;
import dev.orchestrate.scheduler.BuildPlan;
import dev.orchestrate.scheduler.Dispatcher;
import dev.orchestrate.scheduler.LocalDispatcher;
import dev.orchestrate.state.UpToDateGate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code build-all --cluster}: the run joins the cluster, and its scheduler's packages go to
 * the agents (and to a local executor with {@code --local-jobs}).
 */
public final class Coordinator implements ExecutionSite {
  private final ClusterSettings cluster;
  private final CoordinatorSettings settings;
  private final RunOptions options;
  private ClusterNode node;
  private ClusterDispatcher dispatcher;

  public Coordinator(ClusterSettings cluster, CoordinatorSettings settings, RunOptions options) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public Vertx open() throws ClusterNode.JoinException {
    node = ClusterNode.join(cluster, options.verbosity(), true, true);
    return node.vertx();
  }

  @Override
  public int jobs(int requested) {
    // Capacity is the agents' slots, and agents come and go: the dispatcher queues.
    return settings.jobsGiven() ? requested : 1_000_000;
  }

  @Override
  public Dispatcher dispatcher(BuildPlan plan) {
    dispatcher = new ClusterDispatcher(node, settings, options, plan.replyTimeout());
    return dispatcher;
  }

  @Override
  public Future<List<String>> start(BuildContext context, Optional<UpToDateGate> gate,
      Consumer<String> say) {
    Vertx vertx = node.vertx();
    ClusterJson.registerCodecs(vertx.eventBus());
    List<String> deployed = new ArrayList<>();
    // The local executor runs without the gate: the dispatcher applies it once around a package,
    // wherever the package is built.
    Future<Optional<Dispatcher>> local = settings.localJobs() > 0
        ? vertx.deployVerticle(new ExecutorVerticle(context)).map(id -> {
          deployed.add(id);
          return Optional.of(new LocalDispatcher(vertx, dispatcher.replyTimeout()));
        })
        : Future.succeededFuture(Optional.empty());
    return local.compose(l -> {
      dispatcher.attach(context, gate, l, say);
      return vertx.deployVerticle(dispatcher);
    }).compose(id -> {
      deployed.add(id);
      return dispatcher.ready();
    }).map(v -> List.copyOf(deployed));
  }

  @Override
  public Optional<Placement> placement(String member) {
    return dispatcher == null ? Optional.empty() : dispatcher.placement(member);
  }

  @Override
  public List<ExecutorUse> executors() {
    return dispatcher == null ? List.of() : dispatcher.executors();
  }
}
