package dev.orchestrate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrate.cli.Snapshots;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The live view's status area: what is building, counts, the estimate. */
class ProgressBoardTest {
  private static ProgressBoard board() {
    ProgressBoard b = new ProgressBoard();
    b.begin(6);
    b.started("house-backend", 0);
    b.step("house-backend", "build_wheel (sdist)", 900);
    b.finished("house-backend", "built");
    b.started("alpha", 1000);
    b.step("alpha", "get_requires_for_build_sdist", 1200);
    b.started("epsilon", 1100);
    b.step("epsilon", "environment", 1150);
    b.started("beta", 1300);
    b.finished("beta", "failed");
    return b;
  }

  @Test
  void showsCountsElapsedEstimateAndEachRunningPackage() throws Exception {
    List<String> ascii = board().render(0, 4000, Style.NONE, false);
    List<String> unicode = board().render(0, 4000, Style.NONE, true);
    Snapshots.assertMatches("report/progress-board",
        String.join("\n", ascii) + "\n--- unicode\n" + String.join("\n", unicode) + "\n");
  }

  @Test
  void theEstimateComesFromThroughputOnceSomethingFinished() {
    assertEquals(Optional.empty(), ProgressBoard.eta(0, 5, 10_000));
    assertEquals(Optional.empty(), ProgressBoard.eta(1, 5, 500));
    assertEquals(Optional.of(20_000L), ProgressBoard.eta(2, 4, 10_000));
    assertEquals(Optional.empty(), ProgressBoard.eta(3, 0, 10_000));
  }

  @Test
  void manyRunningPackagesAreCountedNotListed() {
    ProgressBoard b = new ProgressBoard();
    b.begin(20);
    for (int i = 0; i < 12; i++) {
      b.started("pkg-" + i, i);
    }
    List<String> lines = b.render(0, 1000, Style.NONE, false);
    assertEquals(1 + ProgressBoard.MAX_ROWS + 1, lines.size(), lines.toString());
    assertTrue(lines.get(lines.size() - 1).contains("and 4 more"), lines.toString());
  }

  /** `build NAME`: a member a hook named at run time joins; the total grows, never "3/2". */
  @Test
  void aPackageThatJoinsAtRunTimeGrowsTheTotal() {
    ProgressBoard b = new ProgressBoard();
    b.begin(1);
    b.started("needs-backend", 0);
    b.paused("needs-backend");
    b.started("house-backend", 100);
    b.finished("house-backend", "built");
    b.started("needs-backend", 200);
    b.finished("needs-backend", "built");
    String head = b.render(0, 1000, Style.NONE, false).get(0);
    assertTrue(head.contains("2/2"), head);
    assertTrue(head.contains("0 left"), head);
  }
}
