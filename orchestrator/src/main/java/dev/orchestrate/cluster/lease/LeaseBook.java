package dev.orchestrate.cluster.lease;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A coordinator's live leases. Not thread-safe: confined to the coordinator's event loop, which
 * is also where renewals, replies and the expiry sweep arrive, so a lease is ended exactly once:
 * by its reply, by expiry or by its agent leaving, whichever comes first.
 */
public final class LeaseBook {
  private final long durationMillis;
  private final Map<String, Lease> byTask = new LinkedHashMap<>();

  public LeaseBook(long durationMillis) {
    if (durationMillis <= 0) {
      throw new IllegalArgumentException("a lease lasts a positive time");
    }
    this.durationMillis = durationMillis;
  }

  public long durationMillis() {
    return durationMillis;
  }

  public Lease grant(String taskId, String runId, String member, int attempt, String agent,
      String memberId, long now) {
    Lease lease = new Lease(taskId, runId, member, attempt, agent, memberId, now, now + durationMillis);
    byTask.put(taskId, lease);
    return lease;
  }

  /** Extends a live lease held by {@code agent}; false when it is no longer theirs. */
  public boolean renew(String taskId, String agent, long now) {
    Lease lease = byTask.get(taskId);
    if (lease == null || !lease.agent().equals(agent)) {
      return false;
    }
    byTask.put(taskId, lease.renewedUntil(now + durationMillis));
    return true;
  }

  /** Ends a lease (its reply came); empty when it had already ended (the reply is late). */
  public Optional<Lease> end(String taskId) {
    return Optional.ofNullable(byTask.remove(taskId));
  }

  public Optional<Lease> get(String taskId) {
    return Optional.ofNullable(byTask.get(taskId));
  }

  /** Ends and returns the leases past their expiry. */
  public List<Lease> expire(long now) {
    List<Lease> expired = new ArrayList<>();
    byTask.values().removeIf(lease -> {
      if (lease.expiresAtMillis() < now) {
        expired.add(lease);
        return true;
      }
      return false;
    });
    return expired;
  }

  /** Ends and returns the leases held by an agent (it left). */
  public List<Lease> dropAgent(String agent) {
    List<Lease> dropped = new ArrayList<>();
    byTask.values().removeIf(lease -> {
      if (lease.agent().equals(agent)) {
        dropped.add(lease);
        return true;
      }
      return false;
    });
    return dropped;
  }

  public int size() {
    return byTask.size();
  }
}
