package dev.orchestrate.cluster.coordinator;

import dev.orchestrate.build.BuildContext;
import dev.orchestrate.build.ExecutorVerticle;
import dev.orchestrate.cluster.ClusterJson;
import dev.orchestrate.cluster.ClusterNode;
import dev.orchestrate.cluster.ClusterSettings;
import dev.orchestrate.run.BuildRun;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * {@code build-all --cluster}: the run's scheduler hands packages to agents (and to a local
 * executor with {@code --local-jobs}). The run itself lives in a plain Vert.x instance; the
 * dispatcher in a clustered one, joined in the background while the run reads the workspace and
 * asks its interpreter (a first Hazelcast start in a JVM takes seconds).
 */
public final class Coordinator implements ExecutionSite {
  private final ClusterSettings cluster;
  private final CoordinatorSettings settings;
  private final RunOptions options;
  private final CompletableFuture<ClusterNode> joined = new CompletableFuture<>();
  private Vertx local;
  private ClusterDispatcher dispatcher;

  public Coordinator(ClusterSettings cluster, CoordinatorSettings settings, RunOptions options) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public Vertx open() {
    Thread joiner = new Thread(() -> {
      try {
        joined.complete(ClusterNode.join(cluster, options.verbosity(), true, true));
      } catch (ClusterNode.JoinException | RuntimeException e) {
        joined.completeExceptionally(e);
      }
    }, "orchestrate-cluster-join");
    joiner.setDaemon(true);
    joiner.start();
    local = Vertx.vertx();
    return local;
  }

  @Override
  public int jobs(int requested) {
    // Capacity is the agents' slots, and agents come and go: the dispatcher says how many.
    return settings.jobsGiven() ? requested : 1_000_000;
  }

  @Override
  public Dispatcher dispatcher(BuildPlan plan) {
    Map<String, Path> dirs = new TreeMap<>();
    for (String name : plan.graph().names()) {
      plan.graph().member(name).ifPresent(m -> dirs.put(name, m.dir()));
    }
    dispatcher = new ClusterDispatcher(settings, options, plan.replyTimeout(), dirs);
    return dispatcher;
  }

  @Override
  public Future<List<String>> start(BuildContext context, Optional<UpToDateGate> gate,
      Consumer<String> say) {
    return Future.fromCompletionStage(joined)
        .recover(err -> Future.failedFuture(new BuildRun.ConfigurationException(
            (err instanceof CompletionException && err.getCause() != null ? err.getCause() : err)
                .getMessage())))
        .compose(node -> {
          ClusterJson.registerCodecs(node.vertx().eventBus());
          // The local executor runs without the gate: the dispatcher applies it once around a
          // package, wherever the package is built.
          Future<Optional<String>> executor = settings.localJobs() > 0
              ? local.deployVerticle(new ExecutorVerticle(context)).map(Optional::of)
              : Future.succeededFuture(Optional.empty());
          return executor.compose(id -> {
            dispatcher.attach(node, context, gate, id.map(x -> (Dispatcher)
                new LocalDispatcher(local, dispatcher.replyTimeout())), say);
            // Undeployed by close(), with the clustered instance.
            return node.vertx().deployVerticle(dispatcher)
                .compose(ignored -> dispatcher.ready())
                .map(ready -> id.map(List::of).orElse(List.of()));
          });
        });
  }

  @Override
  public Optional<Placement> placement(String member) {
    return dispatcher == null ? Optional.empty() : dispatcher.placement(member);
  }

  @Override
  public List<ExecutorUse> executors() {
    return dispatcher == null ? List.of() : dispatcher.executors();
  }

  /** Leaves the cluster (waiting for a join still under way, so as to leave it too). */
  @Override
  public Future<Void> close() {
    return Future.fromCompletionStage(joined.handle((node, err) -> node)
        .thenAcceptAsync(node -> {
          if (node != null) {
            node.close();
          }
        }));
  }
}
