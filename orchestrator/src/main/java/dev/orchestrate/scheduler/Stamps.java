package dev.orchestrate.scheduler;

import dev.orchestrate.graph.BuildGraph;

/**
 * What the scheduler writes on each {@link dev.orchestrate.bus.BuildRequest} for the executors'
 * up-to-date check: the package's input hash, computed from the graph as it stands when the
 * package is sent (edges found at run time included), and whether to rebuild regardless.
 */
public interface Stamps {
  /** No incremental builds: every package is built and nothing is recorded. */
  Stamps NONE = new Stamps() {
    @Override
    public String stamp(String member, BuildGraph graph) {
      return "";
    }

    @Override
    public boolean force(String member) {
      return false;
    }
  };

  /** The input hash of {@code member} as it is sent; "" when it is not tracked. */
  String stamp(String member, BuildGraph graph);

  /** Whether {@code member} is rebuilt even when its state says it is up to date. */
  boolean force(String member);
}
