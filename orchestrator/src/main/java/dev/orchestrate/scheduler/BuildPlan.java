package dev.orchestrate.scheduler;

import dev.orchestrate.bus.BuildMode;
import dev.orchestrate.graph.BuildGraph;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to build and how.
 *
 * @param graph the members to build (already narrowed to the requested ones and their needs)
 * @param workspaceMembers every member's normalised name, built or not in this run
 * @param broken members that could not even be parsed, by the name their requirements use, with why
 * @param jobs how many packages build at once
 * @param replyTimeout how long the scheduler waits for one package's outcome
 * @param stamps the input hash (and force flag) each request carries for the up-to-date check
 */
public record BuildPlan(BuildGraph graph, Set<String> workspaceMembers, Map<String, String> broken,
    BuildMode mode, Map<String, Object> configSettings, int jobs, Duration replyTimeout,
    Stamps stamps) {

  /** A plan without incremental builds: everything is built, nothing recorded. */
  public BuildPlan(BuildGraph graph, Set<String> workspaceMembers, Map<String, String> broken,
      BuildMode mode, Map<String, Object> configSettings, int jobs, Duration replyTimeout) {
    this(graph, workspaceMembers, broken, mode, configSettings, jobs, replyTimeout, Stamps.NONE);
  }

  public BuildPlan {
    Objects.requireNonNull(graph, "graph");
    workspaceMembers = Set.copyOf(workspaceMembers);
    broken = Map.copyOf(broken);
    Objects.requireNonNull(mode, "mode");
    configSettings = Map.copyOf(configSettings);
    Objects.requireNonNull(stamps, "stamps");
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1");
    }
  }
}
