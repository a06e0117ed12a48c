package dev.orchestrate.report;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What ran when, on which worker slot: a span per package attempt, per hook call and per
 * environment step, recorded from the run's events. A package takes the lowest free slot when
 * it starts and gives it back when it ends or is deferred, so there are at most {@code --jobs}
 * tracks, as there are at most that many packages in flight.
 */
public final class Timeline {
  /** A span's kind. */
  public enum Kind { PACKAGE, HOOK, ENVIRONMENT }

  /**
   * One span; times are milliseconds since the run started.
   *
   * @param name the package for a package span, else the hook or {@code environment}
   * @param tree {@code source} or {@code sdist} (hooks and environments), else ""
   * @param outcome the hook's outcome label, {@code created}/{@code reused} for environments, the
   *     package status for packages; "" while open
   */
  public record Span(Kind kind, String member, String name, String tree, int slot, long start,
      long end, String outcome) {
    public Span {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(member, "member");
    }

    public long duration() {
      return Math.max(0, end - start);
    }
  }

  private final long origin;
  private final List<Span> closed = new ArrayList<>();
  private final Map<String, Span> openPackages = new HashMap<>();
  private final Map<String, Span> openSteps = new HashMap<>();
  private final Map<String, Integer> slots = new HashMap<>();
  private final BitSet busy = new BitSet();

  /** @param originMillis epoch millis of the run's start */
  public Timeline(long originMillis) {
    this.origin = originMillis;
  }

  public long origin() {
    return origin;
  }

  public synchronized void packageStarted(String member, long atMillis) {
    int slot = slotOf(member);
    openPackages.put(member, new Span(Kind.PACKAGE, member, member, "", slot, atMillis - origin, -1, ""));
  }

  /** The package is off its slot: finished with {@code status}, or deferred ({@code deferred}). */
  public synchronized void packageEnded(String member, String status, long atMillis) {
    Span open = openPackages.remove(member);
    if (open != null) {
      closed.add(new Span(Kind.PACKAGE, member, member, "", open.slot(), open.start(),
          atMillis - origin, status));
    }
    Integer slot = slots.remove(member);
    if (slot != null) {
      busy.clear(slot);
    }
  }

  public synchronized void stepStarted(String member, String step, String tree, long atMillis) {
    Kind kind = step.equals("environment") ? Kind.ENVIRONMENT : Kind.HOOK;
    openSteps.put(member + "\u0000" + step + "\u0000" + tree,
        new Span(kind, member, step, tree, slotOf(member), atMillis - origin, -1, ""));
  }

  public synchronized void stepEnded(String member, String step, String tree, String outcome,
      long atMillis) {
    Span open = openSteps.remove(member + "\u0000" + step + "\u0000" + tree);
    if (open != null) {
      closed.add(new Span(open.kind(), member, step, tree, open.slot(), open.start(),
          atMillis - origin, outcome));
    }
  }

  /**
   * Ends a step span still open, from the hook's own record: its end event may still be on its
   * way when the run is over, since progress events and results travel separately.
   */
  public synchronized void settle(String member, String step, String tree, long durationMillis,
      String outcome) {
    Span open = openSteps.remove(member + "\u0000" + step + "\u0000" + tree);
    if (open != null) {
      closed.add(new Span(open.kind(), member, step, tree, open.slot(), open.start(),
          open.start() + durationMillis, outcome));
    }
  }

  /** Every span, in start order; spans still open end at {@code nowMillis} with outcome "unfinished". */
  public synchronized List<Span> spans(long nowMillis) {
    List<Span> all = new ArrayList<>(closed);
    for (Span s : openPackages.values()) {
      all.add(new Span(s.kind(), s.member(), s.name(), s.tree(), s.slot(), s.start(),
          nowMillis - origin, "unfinished"));
    }
    for (Span s : openSteps.values()) {
      all.add(new Span(s.kind(), s.member(), s.name(), s.tree(), s.slot(), s.start(),
          nowMillis - origin, "unfinished"));
    }
    all.sort(java.util.Comparator.comparingLong(Span::start).thenComparing(s -> s.kind().ordinal()));
    return all;
  }

  /** How many worker slots were used (tracks of the trace). */
  public synchronized int slotCount(long nowMillis) {
    return spans(nowMillis).stream().mapToInt(Span::slot).max().orElse(-1) + 1;
  }

  private int slotOf(String member) {
    return slots.computeIfAbsent(member, m -> {
      int slot = busy.nextClearBit(0);
      busy.set(slot);
      return slot;
    });
  }
}
