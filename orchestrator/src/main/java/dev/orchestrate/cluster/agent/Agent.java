package dev.orchestrate.cluster.agent;

import dev.orchestrate.cluster.ClusterJson;
import dev.orchestrate.cluster.ClusterNode;
import dev.orchestrate.cluster.registry.ClusterEnvironmentBuilder;
import dev.orchestrate.cluster.registry.EnvironmentRegistry;
import dev.orchestrate.cluster.transfer.BuildCache;
import dev.orchestrate.env.index.SourceSet;
import dev.orchestrate.env.index.SourceSettings;
import dev.orchestrate.env.install.NativeEnvironmentBuilder;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.shim.HookRunner;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.shim.InterpreterProbe;
import dev.orchestrate.shim.ShimScript;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code orchestrate agent}: joins the cluster, asks its interpreter about itself, offers its
 * executor, and serves coordinators until it is stopped (SIGTERM or Ctrl-C: it deregisters and
 * leaves; a task in progress then goes back to its coordinator's queue).
 */
public final class Agent {
  /** Builds kept (artifacts served to coordinators, task logs) are removed after this long. */
  static final Duration KEEP = BuildCache.KEEP;

  private Agent() {}

  /** Runs until the process is asked to stop; returns the exit code. */
  public static int run(AgentSettings settings, PrintStream out, PrintStream err) {
    Path workspace = settings.workspace();
    if (!Files.isDirectory(workspace)) {
      err.println("error: --workspace " + workspace + " is not a directory");
      return 2;
    }
    ClusterNode node;
    try {
      node = ClusterNode.join(settings.cluster(), settings.verbosity(), false, false);
    } catch (ClusterNode.JoinException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    Vertx vertx = node.vertx();
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      ClusterJson.registerCodecs(vertx.eventBus());
      WorkerExecutor workers = vertx.createSharedWorkerExecutor("orchestrate-build",
          Math.max(4, settings.slots() * 2 + 2));
      WorkerExecutor clusterWorkers = vertx.createSharedWorkerExecutor("orchestrate-cluster", 4);
      Path cacheDir = settings.cacheDir();
      Path agentDir = cacheDir.resolve("cluster-v1").resolve("agent-" + settings.name());
      Files.createDirectories(agentDir);
      prune(agentDir.resolve("artifacts"), 2);
      prune(agentDir.resolve("tasks"), 1);
      Path shim = ShimScript.materialize(cacheDir);
      InterpreterInfo interpreter;
      try {
        interpreter = InterpreterProbe.probe(vertx, workers, settings.python(), shim, agentDir)
            .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        err.println("error: " + (e.getCause() == null ? e : e.getCause()).getMessage());
        return 2;
      }
      ClusterEnvironmentBuilder environments = new ClusterEnvironmentBuilder(
              new NativeEnvironmentBuilder(vertx, SourceSet.open(vertx, new SourceSettings(
                  settings.indexUrl(), settings.extraIndexUrls(), settings.findLinks(), settings.offline())),
                  cacheDir, NativeEnvironmentBuilder.Options.defaults().withSourceBuilds()),
              new EnvironmentRegistry(node.hazelcast()), vertx, clusterWorkers, settings.name(),
              Duration.ofMinutes(15));
      AgentVerticle agent = new AgentVerticle(node, settings, interpreter,
          new HookRunner(vertx, workers, shim), environments, workers, clusterWorkers, agentDir, out);
      vertx.deployVerticle(agent).toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        out.println("agent " + settings.name() + " leaving cluster `" + node.clusterName() + "`");
        try {
          vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          // leaving is best effort: the others notice the member is gone
        }
        stopped.countDown();
      }, "orchestrate-agent-shutdown"));
      out.println("agent " + settings.name() + " ready: cluster `" + node.clusterName() + "` as "
          + node.memberAddress() + ", workspace " + workspace + ", " + settings.slots() + " slot"
          + (settings.slots() == 1 ? "" : "s") + ", python " + interpreter.version() + " ("
          + interpreter.executable() + "), artifacts on port "
          + agent.info().artifactBase().replaceAll(".*:(\\d+)/.*", "$1"));
      out.flush();
      stopped.await();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (Exception e) {
      err.println("error: agent " + settings.name() + " could not start: "
          + (e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e));
      vertx.close();
      return 1;
    }
  }

  /** Removes entries of {@code dir} older than {@link #KEEP} ({@code depth} 2: dir/x/y). */
  private static void prune(Path dir, int depth) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    FileTime cutoff = FileTime.from(Instant.now().minus(KEEP));
    try (Stream<Path> walk = Files.walk(dir, depth)) {
      List<Path> old = walk.filter(p -> p.getNameCount() - dir.getNameCount() == depth)
          .filter(p -> {
            try {
              return Files.getLastModifiedTime(p).compareTo(cutoff) < 0;
            } catch (IOException e) {
              return false;
            }
          }).toList();
      for (Path p : old) {
        AtomicFiles.deleteTree(p);
      }
    }
  }
}
