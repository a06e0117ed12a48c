package dev.orchestrate.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fork server's promise: each hook sees a pristine process, whatever the previous hook in the
 * same server did; servers are shared, stopped when idle or closed, survive timeouts of their
 * children, and their deaths cost a retry in a fresh process, not a wrong result.
 */
class ForkServerRunnerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Vertx vertx;
  static WorkerExecutor workers;
  static Path shim;
  @TempDir static Path shared;
  @TempDir Path tmp;
  final List<String> notices = new CopyOnWriteArrayList<>();
  final List<ForkServerRunner> runners = new ArrayList<>();
  Path tree;
  int calls;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    workers = vertx.createSharedWorkerExecutor("test-forkserver", 8);
    shim = ShimScript.materialize(shared);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void makeTree() throws Exception {
    tree = Files.createDirectories(tmp.resolve("tree"));
  }

  @AfterEach
  void closeRunners() throws Exception {
    for (ForkServerRunner runner : runners) {
      await(runner.close());
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private ForkServerRunner runner(Duration idle, Set<String> incompatible, boolean forkAvailable) {
    ForkServerRunner r = new ForkServerRunner(vertx, workers, shim,
        new ForkServerRunner.Settings(tmp.resolve("servers"), idle, 4, incompatible), notices::add,
        forkAvailable);
    runners.add(r);
    return r;
  }

  private ForkServerRunner runner() {
    return runner(Duration.ofMinutes(5), Set.of(), true);
  }

  /** A runner whose servers also warm library modules ({@code forkserver}; else {@code forkserver-cold}). */
  private ForkServerRunner runner(boolean warm) {
    ForkServerRunner r = new ForkServerRunner(vertx, workers, shim,
        new ForkServerRunner.Settings(tmp.resolve("servers"), Duration.ofMinutes(5), 4, Set.of())
            .withWarmImports(warm), notices::add, true);
    runners.add(r);
    return r;
  }

  private void backend(String name, String source) throws Exception {
    Files.writeString(tree.resolve(name + ".py"), source);
  }

  private static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("PYTHONPATH");
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    return env;
  }

  private HookRequest request(HookName hook, String backend, Map<String, Object> kwargs,
      Map<String, String> env, Duration timeout) {
    int n = ++calls;
    return new HookRequest(hook, Path.of(RealPython.path()), backend, List.of(tree), tree, kwargs, env,
        tmp.resolve("control-" + n), tmp.resolve("logs").resolve(n + "-" + hook + ".log"), timeout);
  }

  private HookRequest request(HookName hook, String backend) {
    return request(hook, backend, Map.of(), environment(), Duration.ofSeconds(60));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  private static JsonNode value(HookCall call) throws Exception {
    var success = assertInstanceOf(HookResult.Success.class, call.result(),
        () -> call.result().summary() + "\n" + HookRunner.tail(call.log()));
    return JSON.readTree((String) success.returnValue());
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && !zombie(pid);
  }

  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (Exception e) {
      return false;
    }
  }

  private static void awaitDead(long pid) throws InterruptedException {
    for (int i = 0; i < 100 && alive(pid); i++) {
      Thread.sleep(100);
    }
    assertFalse(alive(pid), "process " + pid + " is still alive");
  }

  // ---- isolation ----------------------------------------------------------------------------

  /** A backend whose hook reports the process it finds, then changes everything it can reach. */
  static final String MESS_MAKER = """
      import atexit, json, os, sys, threading, time

      COUNTER = 0
      IMPORT_CWD = os.getcwd()

      def _fds():
          return sorted(int(fd) for fd in os.listdir("/dev/fd"))

      def build_sdist(sdist_directory, config_settings=None):
          global COUNTER
          import __main__
          atexit_count = atexit._ncallbacks() if hasattr(atexit, "_ncallbacks") else -1
          view = {
              "pid": os.getpid(), "ppid": os.getppid(), "cwd": os.getcwd(), "import_cwd": IMPORT_CWD,
              "env": dict(os.environ), "sys_path": list(sys.path), "modules": sorted(sys.modules),
              "counter": COUNTER, "threads": sorted(t.name for t in threading.enumerate()),
              "fds": _fds(), "atexit": atexit_count, "stdin": sys.stdin.read(), "argv": sys.argv[1:],
              "forked": os.path.basename(getattr(__main__, "__file__", "")) == "orchestrate_forkserver.py",
          }
          import difflib  # a library module imported lazily: a warm server imports it too
          view["library_global"] = getattr(difflib, "ISOLATION_LEAK", None)
          view["library_patched"] = difflib.SequenceMatcher.ratio.__name__
          out = config_settings["out"]
          COUNTER += 1
          os.environ["ISOLATION_LEAK"] = "leaked"
          os.environ.pop("HOME", None)
          os.chdir(out)
          sys.modules["isolation_leak"] = type(sys)("isolation_leak")
          del sys.modules["json"]
          difflib.ISOLATION_LEAK = os.getpid()
          difflib.SequenceMatcher.ratio = lambda self: 0.0
          sys.path.insert(0, "/leaked/path")
          atexit.register(lambda: open(os.path.join(out, "atexit.txt"), "a").write("%d\\n" % os.getpid()))
          threading.Thread(target=time.sleep, args=(3600,), daemon=True, name="leaked-daemon").start()
          threading.Thread(target=time.sleep, args=(0.2,), name="leaked-worker").start()
          os.open(os.path.join(out, "held-open-%d" % os.getpid()), os.O_WRONLY | os.O_CREAT)
          os.pipe()
          os.write(1, b"raw stdout of pid %d\\n" % os.getpid())
          os.write(2, b"raw stderr of pid %d\\n" % os.getpid())
          print("buffered print of pid %d" % os.getpid())
          return json.dumps(view)
      """;

  /** A backend whose hook reports which modules it finds, then imports a library and a tree module. */
  static final String LAZY_IMPORTER = """
      import json, os, sys

      def build_sdist(sdist_directory, config_settings=None):
          seen = {m: m in sys.modules for m in ("difflib", "localmod", "colorsys")}
          import difflib, localmod  # a stdlib module, and one from the source tree
          here = os.getcwd()
          os.chdir(sdist_directory + "/elsewhere")
          import colorsys  # imported in another working directory: the server's import may differ
          os.chdir(here)
          return json.dumps(seen)
      """;

  @Test
  void forkserverWarmImportsLibraryModulesHooksImportedButNothingFromTheTree() throws Exception {
    backend("lazy_importer", LAZY_IMPORTER);
    Files.writeString(tree.resolve("localmod.py"), "VALUE = 1\n");
    Files.createDirectories(tree.resolve("elsewhere"));
    Map<String, Object> kwargs = Map.of("sdist_directory", tree.toString());
    for (boolean warm : List.of(false, true)) {
      ForkServerRunner runner = new ForkServerRunner(vertx, workers, shim,
          new ForkServerRunner.Settings(tmp.resolve("servers-" + warm), Duration.ofMinutes(5), 4, Set.of())
              .withWarmImports(warm), notices::add, true);
      runners.add(runner);
      List<JsonNode> views = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        HookCall call = await(runner.call(request(HookName.BUILD_SDIST, "lazy_importer", kwargs,
            environment(), Duration.ofSeconds(60))));
        assertEquals(HookCall.FORKSERVER, call.runner());
        views.add(value(call));
      }
      assertFalse(views.get(0).get("difflib").asBoolean(), "the first hook finds the server cold");
      // The server warms after replying; by the third call it has certainly done so.
      assertEquals(warm, views.get(2).get("difflib").asBoolean(), "warm=" + warm + ": " + views);
      for (JsonNode view : views) {
        assertFalse(view.get("localmod").asBoolean(), "a module of the source tree is never warmed: " + views);
        assertFalse(view.get("colorsys").asBoolean(),
            "a module imported while the hook had changed directory is never warmed: " + views);
      }
    }
  }

  @Test
  void eachHookInTheSameServerSeesAPristineProcessWhateverTheLastOneDid() throws Exception {
    pristineWhateverTheLastHookDid(false);
  }

  @Test
  void underForkserverWarmTooEachHookSeesAPristineProcessWhateverTheLastOneDid() throws Exception {
    pristineWhateverTheLastHookDid(true);
  }

  private void pristineWhateverTheLastHookDid(boolean warm) throws Exception {
    backend("mess_maker", MESS_MAKER);
    Path out = Files.createDirectories(tmp.resolve("out"));
    Map<String, Object> kwargs = Map.of("sdist_directory", out.toString(),
        "config_settings", Map.of("out", out.toString()));
    ForkServerRunner runner = runner(warm);
    List<HookCall> forked = new ArrayList<>();
    List<JsonNode> views = new ArrayList<>();
    // Four calls: with warm imports, the server has warmed difflib by the third at the latest.
    for (int i = 0; i < 4; i++) {
      HookCall call = await(runner.call(request(HookName.BUILD_SDIST, "mess_maker", kwargs,
          environment(), Duration.ofSeconds(60))));
      assertEquals(HookCall.FORKSERVER, call.runner());
      forked.add(call);
      views.add(value(call));
    }
    HookCall freshCall = await(new HookRunner(vertx, workers, shim).call(request(
        HookName.BUILD_SDIST, "mess_maker", kwargs, environment(), Duration.ofSeconds(60))));
    JsonNode fresh = value(freshCall);

    JsonNode first = views.get(0);
    assertTrue(first.get("forked").asBoolean(), "ran in a forked child");
    assertFalse(fresh.get("forked").asBoolean());
    Set<String> pids = new HashSet<>();
    for (JsonNode view : views) {
      pids.add(view.get("pid").asText());
      // One server, never running a hook itself: every call is a new child of it.
      assertEquals(first.get("ppid"), view.get("ppid"));
      // Nothing the previous hook changed is visible: env, cwd, modules, globals (of the backend
      // and of a library module), sys.path, threads, file descriptors, atexit handlers.
      for (String field : List.of("cwd", "env", "counter", "sys_path", "threads", "fds",
          "atexit", "stdin", "import_cwd", "library_global", "library_patched")) {
        assertEquals(first.get(field), view.get(field), field + " (warm=" + warm + ")");
      }
      if (!warm) {
        assertEquals(first.get("modules"), view.get("modules"), "modules");
      } else {
        // Warm children may start with more library modules, never with fewer or a leaked one.
        Set<String> mods = new HashSet<>();
        view.get("modules").forEach(m -> mods.add(m.asText()));
        first.get("modules").forEach(m -> assertTrue(mods.contains(m.asText()), m.asText()));
      }
      assertTrue(view.get("library_global").isNull(), view.toString());
      assertEquals("ratio", view.get("library_patched").asText());
      assertTrue(view.get("modules").toString().contains("\"json\""), "json deleted by a previous hook");
      assertFalse(view.get("env").has("ISOLATION_LEAK"));
      assertTrue(view.get("env").has("HOME"));
      assertFalse(view.at("/modules").toString().contains("\"isolation_leak\""));
      assertFalse(view.get("sys_path").toString().contains("/leaked/path"));
      assertFalse(view.get("threads").toString().contains("leaked"));
      assertEquals("[\"hook\",\"build_sdist\"]", JSON.writeValueAsString(
          List.of(view.at("/argv/0").asText(), view.at("/argv/1").asText())));
    }
    assertEquals(4, pids.size(), "a new child per call: " + pids);
    if (warm) {
      assertTrue(views.get(3).get("modules").toString().contains("\"difflib\""),
          "the server warmed difflib: " + views.get(3).get("modules"));
    }
    // And it is the process a fresh interpreter would have been.
    for (String field : List.of("cwd", "env", "counter", "sys_path", "threads", "fds", "stdin",
        "library_global", "library_patched")) {
      assertEquals(fresh.get(field), first.get(field), field);
    }
    assertEquals(tree.toString(), first.get("cwd").asText());
    assertEquals(0, first.get("counter").asInt());
    assertEquals(List.of(0, 1, 2), JSON.convertValue(first.get("fds"), List.class).subList(0, 3));
    assertEquals("", first.get("stdin").asText());
    // The server imported the backend in a neutral directory of its own, not in a source tree.
    Path importCwd = Path.of(first.get("import_cwd").asText());
    assertTrue(importCwd.startsWith(tmp.resolve("servers")), importCwd.toString());
    try (var entries = Files.list(importCwd)) {
      assertEquals(0, entries.count(), "the server's working directory stays empty");
    }

    // Each process ran its own atexit handler once, on its way out, as a fresh one does.
    List<String> exits = Files.readAllLines(out.resolve("atexit.txt"));
    Set<String> expected = new HashSet<>(pids);
    expected.add(fresh.get("pid").asText());
    assertEquals(expected, new HashSet<>(exits));
    assertEquals(5, exits.size(), exits.toString());
    // What a hook wrote straight to fds 1 and 2 is in its own log, and nowhere else.
    for (int i = 0; i < forked.size(); i++) {
      String log = Files.readString(forked.get(i).log());
      String pid = views.get(i).get("pid").asText();
      assertTrue(log.contains("raw stdout of pid " + pid) && log.contains("raw stderr of pid " + pid)
          && log.contains("buffered print of pid " + pid), log);
      assertEquals(1, log.lines().filter(l -> l.startsWith("raw stdout")).count(), log);
    }
    try (var logs = Files.list(tmp.resolve("servers"))) {
      for (Path serverLog : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
        assertFalse(Files.readString(serverLog).contains("raw std"), serverLog.toString());
      }
    }
  }

  @Test
  void theServerImportsTheBackendOnceAndRunsHooksConcurrentlyInChildren() throws Exception {
    backend("counting", """
        import json, os, time
        IMPORTS_FILE = os.environ["IMPORTS_FILE"]
        with open(IMPORTS_FILE, "a") as f:
            f.write("imported\\n")
        def build_wheel(wheel_directory=None, config_settings=None):
            time.sleep(0.5)
            return json.dumps({"pid": os.getpid(), "ppid": os.getppid()})
        """);
    Map<String, String> env = environment();
    env.put("IMPORTS_FILE", tmp.resolve("imports.txt").toString());
    ForkServerRunner runner = runner();
    long t0 = System.nanoTime();
    List<Future<HookCall>> futures = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      futures.add(runner.call(request(HookName.BUILD_WHEEL, "counting",
          Map.of("wheel_directory", tmp.toString()), env, Duration.ofSeconds(60))));
    }
    await(Future.all(futures));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Set<String> ppids = new HashSet<>();
    Set<String> pids = new HashSet<>();
    for (Future<HookCall> f : futures) {
      JsonNode v = value(f.result());
      ppids.add(v.get("ppid").asText());
      pids.add(v.get("pid").asText());
    }
    assertEquals(1, ppids.size(), "one server for one key");
    assertEquals(6, pids.size());
    assertEquals(List.of("imported"), Files.readAllLines(tmp.resolve("imports.txt")), "imported once");
    assertTrue(took.toMillis() < 6 * 500, "children run side by side: " + took);
    assertEquals(1, runner.liveServers());

    // Another hook environment is another key: another server.
    env.put("SOMETHING_ELSE", "1");
    JsonNode other = value(await(runner.call(request(HookName.BUILD_WHEEL, "counting",
        Map.of("wheel_directory", tmp.toString()), env, Duration.ofSeconds(60)))));
    assertFalse(ppids.contains(other.get("ppid").asText()));
    assertEquals(2, runner.liveServers());
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  static final String WHO = """
      import json, os
      def build_wheel(wheel_directory=None, config_settings=None):
          return json.dumps({"pid": os.getpid(), "ppid": os.getppid()})
      """;

  @Test
  void anIdleServerIsStoppedAndTheNextCallStartsAnother() throws Exception {
    backend("who", WHO);
    ForkServerRunner runner = runner(Duration.ofMillis(300), Set.of(), true);
    long server = value(await(runner.call(request(HookName.BUILD_WHEEL, "who")))).get("ppid").asLong();
    awaitDead(server);
    assertEquals(0, runner.liveServers());
    long next = value(await(runner.call(request(HookName.BUILD_WHEEL, "who")))).get("ppid").asLong();
    assertNotEquals(server, next);
  }

  @Test
  void closeStopsEveryServerAndLaterCallsRunFresh() throws Exception {
    backend("who", WHO);
    ForkServerRunner runner = runner();
    long server = value(await(runner.call(request(HookName.BUILD_WHEEL, "who")))).get("ppid").asLong();
    assertTrue(alive(server));
    await(runner.close());
    awaitDead(server);
    HookCall after = await(runner.call(request(HookName.BUILD_WHEEL, "who")));
    assertEquals(HookCall.FRESH, after.runner());
  }

  @Test
  void aTimeoutKillsTheChildsProcessGroupAndTheServerCarriesOn() throws Exception {
    Path pidFile = tmp.resolve("pids.json");
    backend("sleepy", """
        import json, os, subprocess, sys, time
        def build_sdist(sdist_directory, config_settings=None):
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
            with open(%s, "w") as f:
                json.dump({"hook": os.getpid(), "grandchild": child.pid}, f)
            time.sleep(600)
        def build_wheel(wheel_directory=None, config_settings=None):
            return json.dumps({"pid": os.getpid(), "ppid": os.getppid()})
        """.formatted("'" + pidFile + "'"));
    ForkServerRunner runner = runner();
    long server = value(await(runner.call(request(HookName.BUILD_WHEEL, "sleepy")))).get("ppid").asLong();
    HookCall hung = await(runner.call(request(HookName.BUILD_SDIST, "sleepy",
        Map.of("sdist_directory", tmp.toString()), environment(), Duration.ofSeconds(2))));
    assertInstanceOf(HookResult.TimedOut.class, hung.result());
    assertEquals(HookCall.FORKSERVER, hung.runner());
    JsonNode pids = JSON.readTree(pidFile.toFile());
    awaitDead(pids.get("hook").asLong());
    awaitDead(pids.get("grandchild").asLong());
    assertEquals(server,
        value(await(runner.call(request(HookName.BUILD_WHEEL, "sleepy")))).get("ppid").asLong());
  }

  @Test
  void aTimedOutChildTheServerDoesNotEndIsKilledThenTheServerAndTheNextCallGetsANewServer()
      throws Exception {
    Path pidFile = tmp.resolve("stuck.json");
    backend("server_stopper", """
        import json, os, signal, time
        def build_sdist(sdist_directory, config_settings=None):
            with open(%s, "w") as f:
                json.dump({"hook": os.getpid(), "server": os.getppid()}, f)
            os.kill(os.getppid(), signal.SIGSTOP)  # the server can no longer answer a kill request
            time.sleep(600)
        def build_wheel(wheel_directory=None, config_settings=None):
            return json.dumps({"pid": os.getpid(), "ppid": os.getppid()})
        """.formatted("'" + pidFile + "'"));
    ForkServerRunner runner = runner();
    long t0 = System.nanoTime();
    HookCall hung = await(runner.call(request(HookName.BUILD_SDIST, "server_stopper",
        Map.of("sdist_directory", tmp.toString()), environment(), Duration.ofSeconds(2))));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertInstanceOf(HookResult.TimedOut.class, hung.result(), hung.result().summary());
    assertEquals(HookCall.FORKSERVER, hung.runner(), "a timeout is the hook's, not retried");
    assertTrue(took.compareTo(Duration.ofSeconds(2).plus(ForkServer.KILL_GRACE)) >= 0, took.toString());
    JsonNode pids = JSON.readTree(pidFile.toFile());
    awaitDead(pids.get("hook").asLong());
    awaitDead(pids.get("server").asLong());
    assertTrue(notices.stream().anyMatch(n -> n.contains("(pid " + pids.get("server").asLong()
        + ") did not end a timed-out hook within " + Durations.format(ForkServer.KILL_GRACE)
        + " and was killed")), notices.toString());
    assertFalse(notices.stream().anyMatch(n -> n.contains("run again")), notices.toString());
    long next = value(await(runner.call(request(HookName.BUILD_WHEEL, "server_stopper")))).get("ppid").asLong();
    assertNotEquals(pids.get("server").asLong(), next);
  }

  /** Leaves a non-daemon thread, an atexit handler and unflushed output behind. */
  static final String LEAVER = """
      import atexit, os, sys, threading, time
      def build_wheel(wheel_directory, config_settings=None):
          out = config_settings["out"]
          def late():
              time.sleep(0.3)
              open(os.path.join(out, "thread-%d" % os.getpid()), "w").close()
          threading.Thread(target=late).start()
          def at_exit():
              seen = os.path.exists(os.path.join(out, "thread-%d" % os.getpid()))
              with open(os.path.join(out, "atexit-%d" % os.getpid()), "w") as f:
                  f.write("thread done before atexit: %s" % seen)
          atexit.register(at_exit)
          sys.stdout.write("unflushed tail of %d" % os.getpid())
          return str(os.getpid())
      """;

  @Test
  void childrenLeaveAsAFreshInterpreterDoesThreadsJoinedThenAtexitThenStreamsFlushed() throws Exception {
    backend("leaver", LEAVER);
    Path out = Files.createDirectories(tmp.resolve("out"));
    Map<String, Object> kwargs = Map.of("wheel_directory", out.toString(),
        "config_settings", Map.of("out", out.toString()));
    List<HookCall> calls = new ArrayList<>();
    calls.add(await(new HookRunner(vertx, workers, shim).call(request(HookName.BUILD_WHEEL, "leaver",
        kwargs, environment(), Duration.ofSeconds(60)))));
    for (boolean warm : List.of(false, true)) {
      calls.add(await(runner(warm).call(request(HookName.BUILD_WHEEL, "leaver", kwargs, environment(),
          Duration.ofSeconds(60)))));
    }
    assertEquals(List.of(HookCall.FRESH, HookCall.FORKSERVER, HookCall.FORKSERVER),
        calls.stream().map(HookCall::runner).toList());
    for (HookCall call : calls) {
      var success = assertInstanceOf(HookResult.Success.class, call.result(), call.result().summary());
      String pid = (String) success.returnValue();
      assertEquals("thread done before atexit: True", Files.readString(out.resolve("atexit-" + pid)),
          call.runner());
      assertTrue(Files.readString(call.log()).contains("unflushed tail of " + pid), call.runner());
    }
  }

  @Test
  void aServerThatDiesIsReportedItsCallRetriedOnceFreshAndItsOrphanKilled() throws Exception {
    Path pidFile = tmp.resolve("orphan.pid");
    backend("server_killer", """
        import __main__, json, os, signal, time
        def build_wheel(wheel_directory=None, config_settings=None):
            if os.path.basename(__main__.__file__) == "orchestrate_forkserver.py":
                with open(%s, "w") as f:
                    f.write(str(os.getpid()))
                os.kill(os.getppid(), signal.SIGKILL)
                time.sleep(600)
            return json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "fresh": True})
        def get_requires_for_build_wheel(config_settings=None):
            return [str(os.getppid())]
        """.formatted("'" + pidFile + "'"));
    ForkServerRunner runner = runner();
    List<?> before = (List<?>) ((HookResult.Success) await(runner.call(
        request(HookName.GET_REQUIRES_FOR_BUILD_WHEEL, "server_killer"))).result()).returnValue();
    long firstServer = Long.parseLong((String) before.get(0));

    HookCall call = await(runner.call(request(HookName.BUILD_WHEEL, "server_killer",
        Map.of("wheel_directory", tmp.toString()), environment(), Duration.ofSeconds(60))));
    assertEquals(HookCall.FRESH_RETRY, call.runner());
    assertTrue(value(call).get("fresh").asBoolean());
    awaitDead(Long.parseLong(Files.readString(pidFile).strip()));
    assertTrue(notices.stream().anyMatch(n -> n.startsWith("warning: the fork server for `server_killer` (pid "
        + firstServer + ") killed by signal 9")), notices.toString());
    assertTrue(Files.readString(call.log()).contains("running it again in a fresh process"));

    // The next call starts a new server.
    HookCall next = await(runner.call(request(HookName.GET_REQUIRES_FOR_BUILD_WHEEL, "server_killer")));
    assertEquals(HookCall.FORKSERVER, next.runner());
    assertNotEquals(List.of(Long.toString(firstServer)),
        ((HookResult.Success) next.result()).returnValue());
    // A second death: the key goes fresh for good.
    assertEquals(HookCall.FRESH_RETRY, await(runner.call(request(HookName.BUILD_WHEEL, "server_killer",
        Map.of("wheel_directory", tmp.toString()), environment(), Duration.ofSeconds(60)))).runner());
    assertEquals(HookCall.FRESH,
        await(runner.call(request(HookName.GET_REQUIRES_FOR_BUILD_WHEEL, "server_killer"))).runner());
    assertTrue(notices.stream().anyMatch(n -> n.contains("died 2 times")), notices.toString());
  }

  // ---- fresh instead ------------------------------------------------------------------------

  @Test
  void withoutForkHooksRunFreshAndANoticeSaysSoOnce() throws Exception {
    backend("who", WHO);
    ForkServerRunner runner = runner(Duration.ofMinutes(1), Set.of(), false);
    for (int i = 0; i < 2; i++) {
      assertEquals(HookCall.FRESH, await(runner.call(request(HookName.BUILD_WHEEL, "who"))).runner());
    }
    assertEquals(1, notices.size(), notices.toString());
    assertTrue(notices.get(0).contains("fork is not available"), notices.toString());
  }

  @Test
  void aBackendListedAsIncompatibleRunsFreshWithOneNotice() throws Exception {
    backend("who", WHO);
    ForkServerRunner runner = runner(Duration.ofMinutes(1), Set.of("who"), true);
    for (int i = 0; i < 2; i++) {
      assertEquals(HookCall.FRESH, await(runner.call(request(HookName.BUILD_WHEEL, "who"))).runner());
    }
    assertEquals(List.of("note: build backend `who` is listed as incompatible with the fork server; "
        + "its hooks run in fresh processes"), notices);
    assertEquals(0, runner.liveServers());
  }

  @Test
  void aBackendWhoseImportStartsThreadsIsNotForkedAndANoticeSaysWhy() throws Exception {
    backend("threaded", """
        import json, os, threading, time
        threading.Thread(target=time.sleep, args=(600,), daemon=True, name="poller").start()
        def build_wheel(wheel_directory=None, config_settings=None):
            return json.dumps({"pid": os.getpid()})
        """);
    ForkServerRunner runner = runner();
    for (int i = 0; i < 2; i++) {
      HookCall call = await(runner.call(request(HookName.BUILD_WHEEL, "threaded")));
      assertEquals(HookCall.FRESH, call.runner());
      value(call);
    }
    assertEquals(1, notices.size(), notices.toString());
    assertTrue(notices.get(0).contains("started threads (poller)"), notices.toString());
  }

  @Test
  void aBackendThatCannotBeImportedRunsFreshSilentlyAndReportsItself() throws Exception {
    backend("broken", "import no_such_module_anywhere\n");
    HookCall call = await(runner().call(request(HookName.BUILD_WHEEL, "broken")));
    assertEquals(HookCall.FRESH, call.runner());
    var unavailable = assertInstanceOf(HookResult.BackendUnavailable.class, call.result());
    assertEquals("no_such_module_anywhere", unavailable.missingModule().orElseThrow());
    assertEquals(List.of(), notices);
  }
}
