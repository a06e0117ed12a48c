package dev.orchestrate.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each outcome of the shim, produced by a real backend in a real fresh Python process (and, in
 * {@link ForkServerOutcomesTest}, by the same tests in a child forked from a fork server).
 */
class HookRunnerTest {
  static Vertx vertx;
  static WorkerExecutor workers;
  static Path shim;
  @TempDir static Path shared;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    workers = vertx.createSharedWorkerExecutor("test-hooks", 4);
    shim = ShimScript.materialize(shared);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Path backend(String source) throws IOException {
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(tree.resolve("fixture_backend.py"), source);
    return tree;
  }

  private HookCall call(HookName hook, String backend, Path tree, Map<String, Object> kwargs,
      Duration timeout) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("PYTHONPATH");
    HookRequest request = new HookRequest(hook, Path.of(RealPython.path()), backend,
        List.of(tree), tree, kwargs, env, tmp.resolve("control-" + hook), tmp.resolve(hook + ".log"),
        timeout);
    Future<HookCall> f = caller().call(request);
    HookCall call = f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    checkRunner(call);
    return call;
  }

  /** The runner under test. */
  HookCaller caller() {
    return new HookRunner(vertx, workers, shim);
  }

  void checkRunner(HookCall call) {
    assertEquals(HookCall.FRESH, call.runner());
  }

  private HookCall call(HookName hook, String source) throws Exception {
    Path tree = backend(source);
    Path out = Files.createDirectories(tmp.resolve("out"));
    Map<String, Object> kwargs = hook == HookName.BUILD_SDIST
        ? Map.of("sdist_directory", out.toString(), "config_settings", Map.of("k", "v"))
        : Map.of();
    return call(hook, "fixture_backend", tree, kwargs, Duration.ofSeconds(30));
  }

  @Test
  void successReturnsTheHooksValueAndRunsInTheTreeWithStdinClosedAndTheShimOffSysPath()
      throws Exception {
    HookCall call = call(HookName.BUILD_SDIST, """
        import os, sys, json
        def build_sdist(sdist_directory, config_settings=None):
            here = os.path.dirname(os.path.abspath(__file__))
            stdin_data = sys.stdin.read()
            shim_dir_on_path = any(os.path.exists(os.path.join(p or '.', 'orchestrate_shim.py')) for p in sys.path)
            print("building in", os.getcwd())
            return json.dumps({"cwd": os.getcwd() == here, "stdin": stdin_data,
                "shim_on_path": shim_dir_on_path, "settings": config_settings})
        """);
    var success = assertInstanceOf(HookResult.Success.class, call.result());
    String value = (String) success.returnValue();
    assertTrue(value.contains("\"cwd\": true"), value);
    assertTrue(value.contains("\"stdin\": \"\""), value);
    assertTrue(value.contains("\"shim_on_path\": false"), value);
    assertTrue(value.contains("\"settings\": {\"k\": \"v\"}"), value);
    assertTrue(Files.readString(call.log()).contains("building in"));
  }

  @Test
  void missingOptionalGetRequiresHookDefaultsToEmptyList() throws Exception {
    HookCall call = call(HookName.GET_REQUIRES_FOR_BUILD_WHEEL, "def build_wheel(d, c=None): pass\n");
    assertEquals(List.of(), assertInstanceOf(HookResult.Success.class, call.result()).returnValue());
  }

  @Test
  void backendThatCannotBeImportedIsBackendUnavailableWithTheMissingModule() throws Exception {
    Path tree = backend("");
    HookCall call = call(HookName.BUILD_WHEEL, "house_biuld", tree, Map.of(), Duration.ofSeconds(30));
    var unavailable = assertInstanceOf(HookResult.BackendUnavailable.class, call.result());
    assertEquals("house_biuld", unavailable.missingModule().orElseThrow());
    assertTrue(unavailable.traceback().contains("ModuleNotFoundError"), unavailable.traceback());
    assertTrue(unavailable.sysPath().contains(tree.toString()), unavailable.sysPath().toString());
  }

  @Test
  void backendLoadedFromOutsideItsBackendPathIsInvalid() throws Exception {
    Path tree = backend("");
    // `json` imports fine, but from the standard library, not from the backend-path.
    HookCall call = call(HookName.BUILD_WHEEL, "json", tree, Map.of(), Duration.ofSeconds(30));
    var invalid = assertInstanceOf(HookResult.BackendInvalid.class, call.result());
    assertTrue(invalid.message().contains("not from its backend-path"), invalid.message());
  }

  @Test
  void missingObjectInModuleColonObjectFormIsInvalid() throws Exception {
    Path tree = backend("x = 1\n");
    HookCall call = call(HookName.BUILD_WHEEL, "fixture_backend:nope", tree, Map.of(),
        Duration.ofSeconds(30));
    assertInstanceOf(HookResult.BackendInvalid.class, call.result());
  }

  @Test
  void missingMandatoryHookIsHookMissing() throws Exception {
    HookCall call = call(HookName.BUILD_SDIST, "def build_wheel(d, c=None): pass\n");
    assertInstanceOf(HookResult.HookMissing.class, call.result());
  }

  @Test
  void backendsUnsupportedOperationIsUnsupported() throws Exception {
    HookCall call = call(HookName.BUILD_SDIST, """
        class UnsupportedOperation(Exception): pass
        def build_sdist(sdist_directory, config_settings=None):
            raise UnsupportedOperation("no sdists here")
        """);
    var unsupported = assertInstanceOf(HookResult.Unsupported.class, call.result());
    assertEquals("UnsupportedOperation: no sdists here", unsupported.message());
  }

  @Test
  void otherExceptionsAndSysExitAreRaisedWithTraceback() throws Exception {
    HookCall call = call(HookName.BUILD_SDIST, """
        def build_sdist(sdist_directory, config_settings=None):
            raise RuntimeError("compiler exploded")
        """);
    var raised = assertInstanceOf(HookResult.Raised.class, call.result());
    assertEquals("RuntimeError: compiler exploded", raised.message());
    assertTrue(raised.traceback().contains("line 2"), raised.traceback());

    HookCall exit = call(HookName.BUILD_SDIST, """
        import sys
        def build_sdist(sdist_directory, config_settings=None):
            sys.exit("setup.py said no")
        """);
    assertEquals("SystemExit: setup.py said no",
        assertInstanceOf(HookResult.Raised.class, exit.result()).message());
  }

  @Test
  void processThatExitsWithoutAResultDiedWithItsExitCode() throws Exception {
    HookCall call = call(HookName.BUILD_SDIST, """
        import os
        def build_sdist(sdist_directory, config_settings=None):
            print("about to die", flush=True)
            os._exit(3)
        """);
    var died = assertInstanceOf(HookResult.Died.class, call.result());
    assertEquals(new Subprocess.Exit.Exited(3, Duration.ZERO).code(),
        assertInstanceOf(Subprocess.Exit.Exited.class, died.exit()).code());
    assertTrue(died.outputTail().contains("about to die"));
  }

  @Test
  void processKilledBySignalIsReportedWithTheSignal() throws Exception {
    HookCall call = call(HookName.BUILD_SDIST, """
        import os, signal
        def build_sdist(sdist_directory, config_settings=None):
            os.kill(os.getpid(), signal.SIGSEGV)
        """);
    var died = assertInstanceOf(HookResult.Died.class, call.result());
    assertEquals(11, assertInstanceOf(Subprocess.Exit.Signalled.class, died.exit()).signal());
    assertTrue(died.summary().contains("SIGSEGV"), died.summary());
  }

  @Test
  void hangingHookTimesOutAndItsWholeProcessTreeIsKilled() throws Exception {
    Path pidFile = tmp.resolve("child.pid");
    Path tree = backend("""
        import subprocess, sys, time
        def build_sdist(sdist_directory, config_settings=None):
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
            open(%s, "w").write(str(child.pid))
            time.sleep(600)
        """.formatted("'" + pidFile + "'"));
    HookCall call = call(HookName.BUILD_SDIST, "fixture_backend", tree,
        Map.of("sdist_directory", tmp.toString()), Duration.ofSeconds(2));
    assertInstanceOf(HookResult.TimedOut.class, call.result());
    long child = Long.parseLong(Files.readString(pidFile).strip());
    // The grandchild is gone too (give the kernel a moment to reap it).
    for (int i = 0; i < 50 && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false); i++) {
      Thread.sleep(100);
    }
    assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
        "grandchild " + child + " survived the timeout");
    assertTrue(call.elapsed().toMillis() < 20_000);
  }

  @Test
  void outputThatIsNotUtf8BreaksNothing() throws Exception {
    HookCall call = call(HookName.BUILD_SDIST, """
        import sys
        def build_sdist(sdist_directory, config_settings=None):
            sys.stdout.buffer.write(b"bad \\xff\\xfe bytes \\x80\\n")
            sys.stdout.flush()
            sys.stderr.buffer.write(b"err \\xc3\\x28\\n")
            raise ValueError("after bad output")
        """);
    var raised = assertInstanceOf(HookResult.Raised.class, call.result());
    assertEquals("ValueError: after bad output", raised.message());
    byte[] log = Files.readAllBytes(call.log());
    assertTrue(new String(log, StandardCharsets.ISO_8859_1).contains("bad \u00ff\u00fe bytes"));
    assertTrue(HookRunner.tail(call.log()).contains("bad \uFFFD\uFFFD bytes"));
  }

  @Test
  void interpreterProbeReportsIdentityAndMarkers() throws Exception {
    InterpreterInfo info = InterpreterProbe.probe(vertx, workers, "python3", shim, tmp)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertEquals(RealPython.path(), info.executable());
    assertTrue(info.markers().containsKey("python_full_version"));
    assertEquals(info.majorMinor(), info.markers().get("python_version"));
    assertTrue(info.identity().contains(info.version()));
  }

  @Test
  void durationsParseWhatPeopleType() {
    assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(12), Durations.parse("12"));
    assertEquals("2m05s", Durations.format(Duration.ofSeconds(125)));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Durations.parse("soon"));
  }
}
