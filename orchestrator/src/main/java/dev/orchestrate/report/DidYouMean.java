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

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
