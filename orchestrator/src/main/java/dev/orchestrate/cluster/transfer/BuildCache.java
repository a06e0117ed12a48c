package dev.orchestrate.cluster.transfer;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import dev.orchestrate.bus.EnvUse;
import dev.orchestrate.bus.MemberWheel;
import dev.orchestrate.cluster.ClusterAddresses;
import dev.orchestrate.cluster.ClusterJson;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The cluster's build cache index, in the {@link ClusterAddresses#BUILD_CACHE_MAP} map: for an
 * input hash, the artifacts an agent built from it and where that agent serves them. An agent
 * given a task whose input hash is here (and which may reuse) answers with this build instead of
 * building again. Blocking: call from worker threads.
 */
public final class BuildCache {
  private final IMap<String, String> entries;

  public BuildCache(HazelcastInstance hazelcast) {
    this.entries = Objects.requireNonNull(hazelcast, "hazelcast").getMap(ClusterAddresses.BUILD_CACHE_MAP);
  }

  /**
   * @param agent who built it and serves the files under {@code artifactBase}
   * @param outcome artifact paths in it are the agent's
   */
  public record Entry(String inputHash, String member, String agent, String artifactBase,
      BuildOutcome.Built outcome, long builtAtMillis) {}

  /** Entries live as long as agents keep the files they name (then they are pruned). */
  public static final Duration KEEP = Duration.ofDays(3);

  /** Records a build (the latest one of an input hash wins). */
  public void record(Entry entry) {
    entries.set(entry.inputHash(), ClusterJson.write(entry), KEEP.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * The build of this input hash, if its agent is alive and the member wheels its environments
   * held are the ones the request has now (a hook may have named members the hash leaves out).
   */
  public Optional<Entry> lookup(String inputHash, BuildRequest request, Predicate<String> agentAlive) {
    if (inputHash.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(entries.get(inputHash))
        .map(json -> ClusterJson.read(json, Entry.class))
        .filter(e -> e.member().equals(request.member()))
        .filter(e -> agentAlive.test(e.agent()))
        .filter(e -> sameMemberWheels(e.outcome(), request));
  }

  /** Drops an entry whose files are gone. */
  public void forget(String inputHash, String agent) {
    String json = entries.get(inputHash);
    if (json != null && ClusterJson.read(json, Entry.class).agent().equals(agent)) {
      entries.remove(inputHash, json);
    }
  }

  static boolean sameMemberWheels(BuildOutcome.Built built, BuildRequest request) {
    for (EnvUse use : built.environments()) {
      for (String form : use.requirements()) {
        int at = form.indexOf(" @ sha256:");
        if (at < 0) {
          continue;
        }
        String name = form.substring(0, at).replaceAll("\\[.*", "").strip();
        MemberWheel now = request.memberWheels().get(name);
        if (now == null || !now.sha256().equals(form.substring(at + " @ sha256:".length()).strip())) {
          return false;
        }
      }
    }
    return true;
  }
}
