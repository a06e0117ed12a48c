package dev.orchestrate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archives (ops/bin/orchestrate), run as a user runs it: a copy of the
 * script in a scratch tree laid out like the repository, whose orchestrator/target/orchestrate.jar
 * is a manifest jar over copies of this test's class path (CDS archives classes from jars only,
 * so the class directories are packed into jars). A coordinator's {@code build-all --cluster} and a local
 * {@code build-all} each write an archive of their own, a later launch adopts each, and each kind
 * of launch maps its own: the coordinator's holds Hazelcast, the local one never loads it. The
 * tests share the tree and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherCdsTest {
  @TempDir static Path root;
  static Path launcher;
  static Path cds;
  static Path workspace;
  static ClusterCli.Cluster cluster;

  @BeforeAll
  static void tree() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    launcher = root.resolve("ops/bin/orchestrate");
    Files.createDirectories(launcher.getParent());
    Files.copy(repo.resolve("ops/bin/orchestrate"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    // What the launcher's staleness check looks at, older than the jar: it must not run Maven.
    for (String module : List.of("shims", "env-cache", "orchestrator")) {
      Files.createDirectories(root.resolve(module));
    }
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(Instant.now().minusSeconds(3600)));
    writeJar(root.resolve("orchestrator/target"));
    cds = root.resolve("orchestrator/target/cds");
    workspace = Cli.fixtureWorkspace(root.resolve("ws"), "config-echo");
    cluster = ClusterCli.Cluster.create("launcher-cds", 1);
  }

  /** orchestrate.jar naming lib/*.jar in its Class-Path: this class path, directories packed. */
  private static void writeJar(Path target) throws IOException {
    Path lib = Files.createDirectories(target.resolve("lib"));
    List<String> classPath = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path source = Path.of(entry);
      Path jar = lib.resolve((n++) + "-" + source.getFileName() + (Files.isDirectory(source) ? ".jar" : ""));
      if (Files.isDirectory(source)) {
        packDirectory(source, jar);
      } else if (Files.isRegularFile(source)) {
        Files.copy(source, jar);   // not a link: JUnit warns of each link it deletes
      } else {
        continue;
      }
      classPath.add("lib/" + jar.getFileName());
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    try (OutputStream out = Files.newOutputStream(target.resolve("orchestrate.jar"));
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      // the manifest is all it holds
    }
  }

  private static void packDirectory(Path dir, Path jarFile) throws IOException {
    try (OutputStream out = Files.newOutputStream(jarFile);
        JarOutputStream jar = new JarOutputStream(out);
        Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        jar.putNextEntry(new JarEntry(dir.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, jar);
        jar.closeEntry();
      }
    }
  }

  /** A launch of the copied launcher, with nothing of the caller's ORCHESTRATE_* settings. */
  record Launch(long pid, Cli.Result result) {}

  private static Launch launch(Map<String, String> env, Object... args) throws Exception {
    return launchExpecting(0, env, args);
  }

  private static Launch launchExpecting(int exitCode, Map<String, String> env, Object... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(launcher.toString()));
    argv.addAll(ClusterCli.args(args));
    Path out = Files.createDirectories(root.resolve("logs")).resolve("launch-" + UUID.randomUUID() + ".out");
    ProcessBuilder builder = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(out.resolveSibling(out.getFileName() + ".err").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("ORCHESTRATE_"));
    // The launcher runs `java` from PATH: the JDK running this test.
    builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin")
        + File.pathSeparator + System.getenv("PATH"));
    builder.environment().putAll(env);
    Process p = builder.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("launcher " + argv + " did not finish in 5 minutes");
    }
    Launch launch = new Launch(p.pid(), ClusterCli.result(p, out));
    assertEquals(exitCode, launch.result().exitCode(), () -> argv + "\n" + launch.result());
    return launch;
  }

  private static Launch launch(Object... args) throws Exception {
    return launch(Map.of(), args);
  }

  /** A coordinator alone in its cluster, building locally; {@code naming}: how it names the cluster. */
  private static List<String> coordinator(String... naming) {
    return ClusterCli.args(List.of(naming), "--port", cluster.ports().get(0), "--members",
        cluster.members(), "--local-jobs", 1);
  }

  private static List<Object> build() {
    return List.of("build-all", workspace, "--cache-dir", root.resolve("cache"), "--force",
        "--out", root.resolve("out"));
  }

  /** The names in the archive directory, other launches' (`other.*`, from --version) left out. */
  private static Set<String> archives() throws IOException {
    try (Stream<Path> files = Files.list(cds)) {
      return files.map(f -> f.getFileName().toString()).filter(f -> !f.startsWith("other."))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @Test
  @Order(0)
  void aFirstRunThatOnlyPrintsHelpOrAnErrorLeavesNoArchiveToAdopt() throws Exception {
    Launch help = launch("graph", "--help");
    assertEquals(Set.of("graph." + help.pid() + ".part", "graph." + help.pid() + ".part.discard"), archives(),
        "a subcommand's --help loads a fraction of its classes: its archive is marked");
    launch("--version");   // the next launch removes it instead of adopting it
    assertEquals(Set.of(), archives());

    Launch usage = launchExpecting(2, Map.of(), "graph", root.resolve("no-such-workspace"));
    assertEquals(Set.of("graph." + usage.pid() + ".part", "graph." + usage.pid() + ".part.discard"), archives(),
        "a run that stops at a configuration error (exit 2) marks its archive too");
    launch("--version");
    assertEquals(Set.of(), archives());

    Launch real = launch("graph", workspace);
    assertEquals(Set.of("graph." + real.pid() + ".part"), archives(), "a real run's archive is not marked");
    launch("--version");
    assertEquals(Set.of("graph.jsa"), archives(), "and it is adopted");
    Files.delete(cds.resolve("graph.jsa"));  // the tests below count only build-all's archives
  }

  @Test
  @Order(1)
  void coordinatorAndLocalBuildAllWriteArchivesOfTheirOwn() throws Exception {
    Launch coordinator = launch(build(), coordinator("--cluster", cluster.name()));
    assertEquals(Set.of("build-all-cluster." + coordinator.pid() + ".part"), archives(),
        "the coordinator records its classes under the build-all-cluster kind");
    launch("--version");   // adopts it: its writer has exited, and a JVM maps it
    assertEquals(Set.of("build-all-cluster.jsa"), archives());

    Launch local = launch(build());
    assertEquals(Set.of("build-all-cluster.jsa", "build-all." + local.pid() + ".part"), archives(),
        "a local build-all does not map the coordinator's archive: it writes one of its own");
    launch("--version");
    assertEquals(Set.of("build-all-cluster.jsa", "build-all.jsa"), archives());
  }

  @Test
  @Order(2)
  void eachKindOfBuildAllMapsItsOwnArchive() throws Exception {
    Path logs = Files.createDirectories(root.resolve("jvm-logs"));
    // --cluster=NAME, the other spelling; ORCHESTRATE_JAVA_OPTS comes after the launcher's flags.
    String clusterLogs = "-Xlog:cds=info:file=" + logs.resolve("cluster-cds.log")
        + " -Xlog:class+load=info:file=" + logs.resolve("cluster-classes.log");
    launch(Map.of("ORCHESTRATE_JAVA_OPTS", clusterLogs), build(), coordinator("--cluster=" + cluster.name()));
    String localLogs = "-Xlog:cds=info:file=" + logs.resolve("local-cds.log")
        + " -Xlog:class+load=info:file=" + logs.resolve("local-classes.log");
    launch(Map.of("ORCHESTRATE_JAVA_OPTS", localLogs), build());

    String clusterCds = Files.readString(logs.resolve("cluster-cds.log"), StandardCharsets.UTF_8);
    String localCds = Files.readString(logs.resolve("local-cds.log"), StandardCharsets.UTF_8);
    assertTrue(clusterCds.contains("Opened archive " + cds.resolve("build-all-cluster.jsa") + "."), clusterCds);
    assertTrue(localCds.contains("Opened archive " + cds.resolve("build-all.jsa") + "."), localCds);

    List<String> hazelcast = Files.readAllLines(logs.resolve("cluster-classes.log")).stream()
        .filter(l -> l.contains(" com.hazelcast.")).toList();
    assertFalse(hazelcast.isEmpty(), "the coordinator loads Hazelcast");
    long shared = hazelcast.stream().filter(l -> l.endsWith("source: shared objects file (top)")).count();
    assertTrue(shared > hazelcast.size() / 2, "most of Hazelcast comes from the coordinator's archive: "
        + shared + " of " + hazelcast.size());
    // A local build loads a few of Hazelcast's interfaces (named by the classes that choose the
    // executor), not Hazelcast: a tiny fraction of what the coordinator loads.
    long local = Files.readAllLines(logs.resolve("local-classes.log")).stream()
        .filter(l -> l.contains(" com.hazelcast.")).count();
    assertTrue(local * 20 < hazelcast.size(), "a local build-all loads next to nothing of Hazelcast: "
        + local + " classes, the coordinator " + hazelcast.size());
    assertEquals(Set.of("build-all-cluster.jsa", "build-all.jsa"), archives(), "nothing more written");
  }

  @Test
  @Order(3)
  void theClusterKindIsToldFromTheEnvironmentAndTheConfigFlagToo() throws Exception {
    Path logs = Files.createDirectories(root.resolve("jvm-logs"));
    // --help: the kind is decided before the JVM starts, and the archive mapped at its start.
    Path byEnv = logs.resolve("env-cds.log");
    launch(Map.of("ORCHESTRATE_CLUSTER", cluster.name(), "ORCHESTRATE_JAVA_OPTS", "-Xlog:cds=info:file=" + byEnv),
        "build-all", "--help");
    Path byConfig = logs.resolve("config-cds.log");
    launch(Map.of("ORCHESTRATE_JAVA_OPTS", "-Xlog:cds=info:file=" + byConfig),
        "build-all", "--cluster-config=" + root.resolve("hazelcast.yaml"), "--help");
    Path afterOperands = logs.resolve("operand-cds.log");
    launch(Map.of("ORCHESTRATE_JAVA_OPTS", "-Xlog:cds=info:file=" + afterOperands),
        "build-all", "--help", "--", "--cluster");
    for (Path log : List.of(byEnv, byConfig)) {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(text.contains("Opened archive " + cds.resolve("build-all-cluster.jsa") + "."), log + ":\n" + text);
    }
    String text = Files.readString(afterOperands, StandardCharsets.UTF_8);
    assertTrue(text.contains("Opened archive " + cds.resolve("build-all.jsa") + "."), text);
  }
}
