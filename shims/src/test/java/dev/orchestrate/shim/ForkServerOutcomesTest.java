package dev.orchestrate.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * Every outcome test of {@link HookRunnerTest}, each hook run in a child forked from a fork server
 * instead: the same typed results, exit codes, signals, timeouts (whole tree killed), logs. A
 * backend that cannot be imported makes the server unusable, and the call runs fresh.
 */
class ForkServerOutcomesTest extends HookRunnerTest {
  private final List<ForkServerRunner> runners = new ArrayList<>();

  @Override
  HookCaller caller() {
    // A runner per call: a test may rewrite its backend between calls, which a server would not see.
    ForkServerRunner runner = new ForkServerRunner(vertx, workers, shim,
        ForkServerRunner.Settings.defaults(tmp.resolve("servers"), Set.of()), notice -> {});
    runners.add(runner);
    return runner;
  }

  @Override
  void checkRunner(HookCall call) {
    boolean loads = !(call.result() instanceof HookResult.BackendUnavailable
        || call.result() instanceof HookResult.BackendInvalid);
    assertEquals(loads ? HookCall.FORKSERVER : HookCall.FRESH, call.runner(), call.toString());
  }

  @AfterEach
  void closeServers() throws Exception {
    for (ForkServerRunner runner : runners) {
      runner.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(0, runner.liveServers());
    }
  }

  /** Not about hook runners: {@link HookRunnerTest} covers it. */
  @Override
  void interpreterProbeReportsIdentityAndMarkers() {}

  /** Not about hook runners: {@link HookRunnerTest} covers it. */
  @Override
  void durationsParseWhatPeopleType() {}
}
