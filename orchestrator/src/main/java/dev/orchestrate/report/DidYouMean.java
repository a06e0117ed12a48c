package dev.orchestrate.report;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Suggestions for a mistyped name: the closest candidate by edit distance, if close enough. */
public final class DidYouMean {
  private DidYouMean() {}

  /** The candidate nearest to {@code wanted}, within a quarter of its length (at least 1, at most 3 edits). */
  public static Optional<String> closest(String wanted, Collection<String> candidates) {
    int limit = Math.min(3, Math.max(1, wanted.length() / 4));
    return candidates.stream()
        .filter(c -> !c.equals(wanted))
        .filter(c -> distance(c, wanted) <= limit)
        .min(Comparator.<String>comparingInt(c -> distance(c, wanted)).thenComparing(c -> c));
  }

  /** Edit distance where swapping two neighbours counts as one edit (optimal string alignment). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
