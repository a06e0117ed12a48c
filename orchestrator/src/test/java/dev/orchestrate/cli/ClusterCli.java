package dev.orchestrate.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Cluster mode through the real CLI: coordinators and agents each in their own JVM on loopback,
 * started like {@link Cli#start} with the JVM flags Hazelcast asks for. Every test class takes a
 * cluster name and ports of its own.
 */
final class ClusterCli {
  /** As the pom's hazelcast.jvm.flags (surefire's argLine) and the launcher. */
  static final List<String> JVM_FLAGS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "-XX:TieredStopAtLevel=1");

  private ClusterCli() {}

  /** A loopback cluster for one test class: a unique name and free ports, all listed as members. */
  record Cluster(String name, List<Integer> ports) {
    static Cluster create(String prefix, int size) throws IOException {
      return new Cluster(prefix + "-" + UUID.randomUUID().toString().substring(0, 8), freePorts(size));
    }

    String members() {
      return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** {@code --cluster NAME --port P --members ...} for the node on port number {@code index}. */
    List<String> flags(int index) {
      return List.of("--cluster", name, "--port", Integer.toString(ports.get(index)), "--members", members());
    }
  }

  /** A running process: an agent (or a coordinator started in the background). */
  record Node(String name, Process process, Path log) {
    String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8) + Files.readString(
            log.resolveSibling(log.getFileName() + ".err"), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(no output: " + e + ")";
      }
    }

    boolean alive() {
      return process.isAlive();
    }
  }

  /**
   * Free ports below the kernel's ephemeral range. A port taken from the ephemeral range (bind to
   * 0) can be handed, before the node binds it, to any outgoing connection or ephemeral listener
   * on the machine (Hazelcast's own connections among them), which made a coordinator fail to
   * start now and then. Ports below the range are only ever bound on purpose.
   */
  static synchronized List<Integer> freePorts(int count) throws IOException {
    int low = 20_000;
    int high = ephemeralLow() - 1;
    List<Integer> ports = new ArrayList<>();
    for (int tries = 0; ports.size() < count; tries++) {
      if (tries > 10_000) {
        throw new IOException("no free port in " + low + ".." + high);
      }
      int port = low + Math.floorMod(nextPort++, high - low);
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        ports.add(port);
      } catch (IOException inUse) {
        // taken: try the next one
      }
    }
    return ports;
  }

  /** Where the search continues: random per JVM, so that two test JVMs rarely start together. */
  private static int nextPort = new java.util.Random().nextInt(10_000);

  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Math.max(21_000, Integer.parseInt(range.split("\\s+")[0]));
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  static Process start(Map<String, String> env, Path log, List<String> args) throws IOException {
    return start(env, log, List.of(), false, args);
  }

  /**
   * @param properties extra {@code -D} flags, such as {@code orchestrate.test.points}
   * @param pipeStdin stdin a pipe the test writes to (a paused test point goes on at each line),
   *     else /dev/null
   */
  static Process start(Map<String, String> env, Path log, List<String> properties, boolean pipeStdin,
      List<String> args) throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(JVM_FLAGS);
    argv.addAll(properties);
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    argv.addAll(args);
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(argv)
        .redirectInput(pipeStdin ? ProcessBuilder.Redirect.PIPE
            : ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(log.toFile())
        .redirectError(log.resolveSibling(log.getFileName() + ".err").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("ORCHESTRATE_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Runs a coordinator (or any command) to its end. */
  static Cli.Result run(Path scratch, List<String> args) throws Exception {
    Path out = scratch.resolve("cli-" + UUID.randomUUID() + ".out");
    Process p = start(Map.of(), out, args);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("orchestrate " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    return result(p, out);
  }

  static Cli.Result result(Process p, Path out) throws IOException {
    return new Cli.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(out.resolveSibling(out.getFileName() + ".err"), StandardCharsets.UTF_8));
  }

  static List<String> args(Object... parts) {
    List<String> args = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof List<?> list) {
        list.forEach(item -> args.add(item.toString()));
      } else {
        args.add(part.toString());
      }
    }
    return args;
  }

  /** Starts an agent and waits until it says it is ready (joined, registered, listening). */
  static Node agent(Cluster cluster, int index, String name, Path workspace, Path cache, int slots,
      Path logs) throws Exception {
    return agent(cluster, index, name, workspace, cache, slots, logs, List.of());
  }

  /**
   * An agent stopping at the named test points ({@code -Dorchestrate.test.points}), its stdin a
   * pipe: {@link #resume} lets a paused one go on. None named: stdin is /dev/null, as above.
   */
  static Node agent(Cluster cluster, int index, String name, Path workspace, Path cache, int slots,
      Path logs, List<String> testPoints) throws Exception {
    Path log = logs.resolve("agent-" + name + ".log");
    List<String> properties = testPoints.isEmpty() ? List.of()
        : List.of("-D" + dev.orchestrate.env.store.TestPoints.PROPERTY + "=" + String.join(",", testPoints));
    Process p = start(Map.of(), log, properties, !testPoints.isEmpty(), args("agent", cluster.flags(index),
        "--name", name, "--workspace", workspace, "--cache-dir", cache, "--slots", slots));
    Node node = new Node(name, p, log);
    awaitOutput(node, "agent " + name + " ready", Duration.ofMinutes(2));
    return node;
  }

  static void awaitOutput(Node node, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (node.output().contains(text)) {
        return;
      }
      if (!node.alive()) {
        throw new AssertionError(node.name() + " exited (" + node.process().exitValue()
            + ") before saying `" + text + "`:\n" + node.output());
      }
      Thread.sleep(100);
    }
    throw new AssertionError(node.name() + " did not say `" + text + "` in " + timeout + ":\n"
        + node.output());
  }

  /** Lets a node paused at a test point go on (one line on its stdin). */
  static void resume(Node node) throws IOException {
    node.process().getOutputStream().write('\n');
    node.process().getOutputStream().flush();
  }

  /** SIGTERM, as an operator stops an agent; SIGKILL if it does not leave in time. */
  static void stop(Node node) throws InterruptedException {
    if (node == null || !node.alive()) {
      return;
    }
    node.process().destroy();
    if (!node.process().waitFor(30, TimeUnit.SECONDS)) {
      node.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** kill -9: no goodbye, no deregistration. */
  static void kill(Node node) throws InterruptedException {
    node.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Kills a process by pid (a hook orphaned by a killed agent), if it still runs. */
  static void killPid(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  static String describe(Node... nodes) {
    return Arrays.stream(nodes).filter(n -> n != null)
        .map(n -> "--- " + n.name() + "\n" + n.output()).collect(Collectors.joining("\n"));
  }
}
