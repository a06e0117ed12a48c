package dev.orchestrate.cluster.registry;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.orchestrate.cluster.ClusterAddresses;
import dev.orchestrate.cluster.ClusterJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The agents of the cluster, in the {@link ClusterAddresses#AGENTS_MAP} map. An entry whose
 * Hazelcast member is gone (an agent killed with -9 cannot remove its own) counts as absent.
 * Every method but {@link #listen} blocks: call them from worker threads.
 */
public final class AgentRegistry {
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> agents;

  public AgentRegistry(HazelcastInstance hazelcast) {
    this.hazelcast = Objects.requireNonNull(hazelcast, "hazelcast");
    this.agents = hazelcast.getMap(ClusterAddresses.AGENTS_MAP);
  }

  /** What {@link #listen} reports. Events arrive on Hazelcast threads. */
  public sealed interface Event {
    record Joined(AgentInfo agent) implements Event {}

    record Left(String agentId, String why) implements Event {}

    /** A Hazelcast member left: every agent it was is gone. */
    record MemberLeft(String memberId) implements Event {}
  }

  /** Registers an agent; fails when a live agent already has its id. */
  public void register(AgentInfo agent) {
    String json = ClusterJson.write(agent);
    String previous = agents.putIfAbsent(agent.id(), json);
    if (previous != null) {
      AgentInfo existing = ClusterJson.read(previous, AgentInfo.class);
      if (!existing.memberId().equals(agent.memberId()) && alive(existing.memberId())) {
        throw new IllegalStateException("an agent named `" + agent.id() + "` is already in the "
            + "cluster (" + existing.host() + "); give this one another --name");
      }
      agents.put(agent.id(), json);
    }
  }

  /** Removes the agent's entry if it is still this member's. */
  public void deregister(String agentId, String memberId) {
    String json = agents.get(agentId);
    if (json != null && ClusterJson.read(json, AgentInfo.class).memberId().equals(memberId)) {
      agents.remove(agentId, json);
    }
  }

  /** Removes the entries of a member that left (anyone may: it cannot). */
  public void forgetMember(String memberId) {
    for (var e : agents.entrySet()) {
      if (ClusterJson.read(e.getValue(), AgentInfo.class).memberId().equals(memberId)) {
        agents.remove(e.getKey(), e.getValue());
      }
    }
  }

  /** The registered agents whose member is alive. */
  public List<AgentInfo> live() {
    Set<String> members = members();
    List<AgentInfo> live = new ArrayList<>();
    for (String json : agents.values()) {
      AgentInfo agent = ClusterJson.read(json, AgentInfo.class);
      if (members.contains(agent.memberId())) {
        live.add(agent);
      }
    }
    live.sort((a, b) -> a.id().compareTo(b.id()));
    return live;
  }

  public Optional<AgentInfo> get(String agentId) {
    return Optional.ofNullable(agents.get(agentId)).map(j -> ClusterJson.read(j, AgentInfo.class));
  }

  public boolean alive(String memberId) {
    return members().contains(memberId);
  }

  private Set<String> members() {
    return hazelcast.getCluster().getMembers().stream().map(Member::getUuid).map(UUID::toString)
        .collect(Collectors.toSet());
  }

  /** Reports agents joining and leaving, and members leaving, until the returned handle runs. */
  public Runnable listen(Consumer<Event> events) {
    UUID entries = agents.addEntryListener(new Listener(events), true);
    UUID membership = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        events.accept(new Event.MemberLeft(event.getMember().getUuid().toString()));
      }
    });
    return () -> {
      try {
        agents.removeEntryListener(entries);
        hazelcast.getCluster().removeMembershipListener(membership);
      } catch (RuntimeException shuttingDown) {
        // the instance is going away: so are its listeners
      }
    };
  }

  private static final class Listener implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
      EntryEvictedListener<String, String> {
    private final Consumer<Event> events;

    Listener(Consumer<Event> events) {
      this.events = events;
    }

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      events.accept(new Event.Joined(ClusterJson.read(event.getValue(), AgentInfo.class)));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      events.accept(new Event.Joined(ClusterJson.read(event.getValue(), AgentInfo.class)));
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      events.accept(new Event.Left(event.getKey(), "left the cluster"));
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      events.accept(new Event.Left(event.getKey(), "left the cluster"));
    }
  }
}
