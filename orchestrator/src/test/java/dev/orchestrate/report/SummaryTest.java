package dev.orchestrate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.cli.Snapshots;
import dev.orchestrate.run.RunResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end-of-run summary, exactly as a person reads it. */
class SummaryTest {
  @Test
  void namesCountsTimesEnvironmentsTheSlowestAndEachFailureWithItsLog() throws Exception {
    Map<String, Path> files = new LinkedHashMap<>();
    files.put("report", Path.of("/work/ws/report.json"));
    files.put("trace", Path.of("/work/ws/trace.json"));
    String text = Summary.render(Runs.partlyFailed(), files, Style.NONE, false, 2);
    Snapshots.assertMatches("report/summary-partly-failed", text);
  }

  @Test
  void quietKeepsOnlyTheVerdictAndTheFailures() throws Exception {
    String text = Summary.render(Runs.partlyFailed(), Map.of(), Style.NONE, true, 2);
    Snapshots.assertMatches("report/summary-quiet", text);
  }

  @Test
  void quietSaysNothingWhenEverythingBuilt() {
    RunResult run = Runs.partlyFailed();
    RunResult ok = new RunResult(run.root(), run.outDir(), run.runDir(), run.python(), run.pythonVersion(),
        run.started(), run.wallTime(), List.of(run.packages().get(0)));
    assertEquals("", Summary.render(ok, Map.of(), Style.NONE, true, 1));
    assertTrue(Summary.render(ok, Map.of(), Style.NONE, false, 1).startsWith("done in 4.32s: 1 built, 0 failed, 0 skipped"));
  }

  @Test
  void colourIsOnlyDecoration() {
    String plain = Summary.render(Runs.partlyFailed(), Map.of(), Style.NONE, false, 2);
    String coloured = Summary.render(Runs.partlyFailed(), Map.of(), new Style(true), false, 2);
    assertEquals(plain, Style.strip(coloured));
    assertTrue(coloured.contains("\u001b[1;31mfailed\u001b[0m"), coloured);
  }
}
