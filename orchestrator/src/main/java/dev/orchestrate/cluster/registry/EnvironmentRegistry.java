package dev.orchestrate.cluster.registry;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.orchestrate.cluster.ClusterAddresses;
import dev.orchestrate.cluster.ClusterJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Build environments across the cluster, in the {@link ClusterAddresses#ENVIRONMENTS_MAP} map,
 * keyed by a resolution key: the requirement set (workspace members by wheel sha256) and the
 * interpreter's machine-independent identity. Each entry holds the pins the first agent to
 * resolve the key chose (later agents install exactly those) and the agents holding an
 * environment made from it (tasks prefer them). Blocking: call from worker threads.
 */
public final class EnvironmentRegistry {
  private final IMap<String, String> environments;

  public EnvironmentRegistry(HazelcastInstance hazelcast) {
    this.environments = Objects.requireNonNull(hazelcast, "hazelcast")
        .getMap(ClusterAddresses.ENVIRONMENTS_MAP);
  }

  /** One distribution as the first resolver chose it. */
  public record Pinned(String name, String version, String file, String sha256) {}

  /**
   * @param requirements the key's requirement set, canonical and sorted
   * @param pins what the key resolved to (empty until its first build)
   * @param resolvedBy the agent whose resolution the pins are
   * @param holders agents that hold an environment of this key
   */
  public record Entry(String key, List<String> requirements, List<Pinned> pins, String resolvedBy,
      Set<String> holders) {
    public Entry {
      requirements = List.copyOf(requirements);
      pins = List.copyOf(pins);
      holders = Set.copyOf(holders);
    }
  }

  /** The resolution key of a requirement set for an interpreter (see the class comment). */
  public static String key(String pythonIdentity, Collection<String> keyForms) {
    StringBuilder sb = new StringBuilder("orchestrate.env-resolution/1\n").append(pythonIdentity).append('\n');
    new TreeSet<>(keyForms).forEach(f -> sb.append(f).append('\n'));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(sb.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Optional<Entry> get(String key) {
    return Optional.ofNullable(environments.get(key)).map(j -> ClusterJson.read(j, Entry.class));
  }

  /**
   * Records the pins of a key unless some agent recorded them first; returns the entry that
   * stands (the caller compares its own resolution with it).
   */
  public Entry resolved(String key, List<String> requirements, List<Pinned> pins, String agent) {
    for (int i = 0; ; i++) {
      String json = environments.get(key);
      if (json == null) {
        Entry entry = new Entry(key, requirements, pins, agent, Set.of(agent));
        if (environments.putIfAbsent(key, ClusterJson.write(entry)) == null) {
          return entry;
        }
        continue;
      }
      Entry existing = ClusterJson.read(json, Entry.class);
      if (!existing.pins().isEmpty() || i > 20) {
        return existing;
      }
      Entry filled = new Entry(key, requirements, pins, agent, plus(existing.holders(), agent));
      if (environments.replace(key, json, ClusterJson.write(filled))) {
        return filled;
      }
    }
  }

  /** Adds an agent to the holders of a key (entry created without pins if there is none). */
  public void holds(String key, List<String> requirements, String agent) {
    for (int i = 0; i < 20; i++) {
      String json = environments.get(key);
      if (json == null) {
        Entry entry = new Entry(key, requirements, List.of(), "", Set.of(agent));
        if (environments.putIfAbsent(key, ClusterJson.write(entry)) == null) {
          return;
        }
        continue;
      }
      Entry existing = ClusterJson.read(json, Entry.class);
      if (existing.holders().contains(agent)) {
        return;
      }
      Entry more = new Entry(key, existing.requirements(), existing.pins(), existing.resolvedBy(),
          plus(existing.holders(), agent));
      if (environments.replace(key, json, ClusterJson.write(more))) {
        return;
      }
    }
  }

  /** The agents holding an environment of this key. */
  public Set<String> holders(String key) {
    return get(key).map(Entry::holders).orElse(Set.of());
  }

  /** As {@link #holders}, without blocking: for a coordinator's event loop. */
  public java.util.concurrent.CompletionStage<Set<String>> holdersAsync(String key) {
    return environments.getAsync(key).thenApply(json -> json == null ? Set.<String>of()
        : ClusterJson.read(json, Entry.class).holders());
  }

  private static Set<String> plus(Set<String> set, String item) {
    Set<String> more = new TreeSet<>(set);
    more.add(item);
    return more;
  }
}
