package dev.orchestrate.state;

import dev.orchestrate.bus.BuildMode;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.graph.BuildGraph;
import dev.orchestrate.graph.Edge;
import dev.orchestrate.shim.InterpreterInfo;
import dev.orchestrate.workspace.Member;
import dev.orchestrate.workspace.Workspace;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The incremental side of a run, computed before anything is scheduled (blocking: call it on a
 * worker): each member's state record, the edges its last build found at run time, its input
 * hash, and whether it is up to date. Packages found up to date here are finished without being
 * sent; the others go to the executors with their input hash, where step 1 checks again under
 * the package's lock (another run may have built them meanwhile) and restores deleted artifacts.
 */
public final class IncrementalPlan {
  private final StateStore store;
  private final BuildGraph graph;
  private final InputHashes hashes;
  private final Map<String, Verdict> verdicts;
  private final Optional<Set<String>> changed;
  private final Path outDir;

  /**
   * What the plan depends on.
   *
   * @param frontend what of orchestrate shapes a build (the hook runner's directory name)
   * @param changedSince {@code --changed-since REF}
   * @param scan the tree's scan when the run took one already (to discover the workspace)
   */
  public record Request(Path cacheDir, Path outDir, Workspace workspace, BuildGraph graph,
      InterpreterInfo interpreter, BuildMode mode, Map<String, Object> configSettings,
      String frontend, boolean force, Optional<String> changedSince, Optional<TreeScan.Scan> scan) {
    public Request {
      Objects.requireNonNull(workspace, "workspace");
      Objects.requireNonNull(graph, "graph");
      configSettings = Map.copyOf(configSettings);
    }
  }

  private IncrementalPlan(StateStore store, BuildGraph graph, InputHashes hashes,
      Map<String, Verdict> verdicts, Optional<Set<String>> changed, Path outDir) {
    this.store = store;
    this.graph = graph;
    this.hashes = hashes;
    this.verdicts = verdicts;
    this.changed = changed;
    this.outDir = outDir;
  }

  /**
   * Reads the state, adds last time's run-time edges to {@code request.graph()}, hashes every
   * member's inputs and checks each against its record.
   *
   * @throws ChangedSince.GitException when {@code --changed-since} cannot be answered
   */
  public static IncrementalPlan compute(Request request) throws IOException, ChangedSince.GitException {
    Workspace workspace = request.workspace();
    BuildGraph graph = request.graph();
    Path root = workspace.root();
    StateStore store = StateStore.forWorkspace(request.cacheDir(), root);
    List<Member> members = workspace.members().stream()
        .filter(m -> graph.contains(m.normalizedName())).toList();

    Map<String, Optional<PackageRecord>> records = new ConcurrentHashMap<>();
    members.parallelStream().forEach(m -> records.put(m.normalizedName(), store.read(m.normalizedName())));
    // A hook named a member at run time last time: that edge orders and hashes this run too.
    for (Member m : members) {
      for (String dep : records.get(m.normalizedName()).map(PackageRecord::memberDependencies).orElse(java.util.Collections.emptySortedSet())) {
        if (graph.contains(dep) && !graph.dependenciesOf(m.normalizedName()).contains(dep)) {
          graph.addEdgeIfAcyclic(m.normalizedName(), dep, BuildGraph.RUNTIME_REQUIREMENT);
        }
      }
    }

    SourceRules rules = SourceRules.forWorkspace(root, Set.of(request.outDir(), request.cacheDir()));
    TreeScan.Scan scan = request.scan().isPresent() ? request.scan().get() : TreeScan.scan(rules);
    DigestCache digests = store.digests();
    Set<String> names = new HashSet<>();
    members.forEach(m -> names.add(m.normalizedName()));
    Set<String> memberNames = new HashSet<>();
    workspace.members().forEach(m -> memberNames.add(m.normalizedName()));
    List<String> memberDirs = workspace.members().stream().map(m -> relative(root, m.dir())).toList();
    Map<String, SortedMap<String, String>> settings = new ConcurrentHashMap<>();
    Map<String, InputManifest> own = new ConcurrentHashMap<>();
    try {
      members.parallelStream().forEach(m -> {
        SortedMap<String, String> s = InputSettings.of(m, request.interpreter(), request.mode(),
            request.configSettings(), memberNames, request.frontend());
        settings.put(m.normalizedName(), s);
        try {
          own.put(m.normalizedName(), InputHashes.own(s, scan, relative(root, m.dir()), memberDirs, digests));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    InputHashes hashes = new InputHashes(own, request.force() ? names : Set.of());
    hashes.onStamp((member, manifest) -> { }); // replaced by the run (it writes manifests off the loop)

    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    for (String name : graph.topologicalOrder()) {
      if (!own.containsKey(name)) {
        continue;
      }
      Optional<PackageRecord> record = records.get(name);
      verdicts.put(name, request.force() ? new Verdict.Stale(record, "--force")
          : Freshness.quick(record, hashes.inputHash(name, graph::dependenciesOf), request.outDir()));
    }

    Optional<Set<String>> changed = Optional.empty();
    if (request.changedSince().isPresent()) {
      Map<String, Path> dirs = new TreeMap<>();
      members.forEach(m -> dirs.put(m.normalizedName(), m.dir()));
      changed = Optional.of(ChangedSince.members(root, request.changedSince().get(), dirs, rules));
    }

    digests.save(true);
    if (workspace.problems().isEmpty() && graph.problems().isEmpty()) {
      Map<String, WorkspaceSnapshot.Member> snapshotMembers = new LinkedHashMap<>();
      for (Member m : members) {
        snapshotMembers.put(m.normalizedName(), new WorkspaceSnapshot.Member(m.normalizedName(),
            m.name(), m.version().orElse(""), relative(root, m.dir()),
            InputManifest.settingsDigest(settings.get(m.normalizedName()))));
      }
      List<WorkspaceSnapshot.Edge> edges = new ArrayList<>();
      for (Edge e : graph.edges()) {
        edges.add(new WorkspaceSnapshot.Edge(e.from(), e.to()));
      }
      String key = WorkspaceSnapshot.key(root, request.outDir(), request.cacheDir(),
          request.interpreter().identity(), request.mode().name(),
          InputSettings.configSettings(request.configSettings()), request.frontend());
      // A pyproject.toml changed a moment ago may change again unseen: then no snapshot.
      if (!scan.discoveryRacy()) {
        new WorkspaceSnapshot(key, scan.discoveryFingerprint(), workspace.discoveredBy(),
            snapshotMembers, edges).write(store);
      }
    }
    return new IncrementalPlan(store, graph, hashes, verdicts, changed, request.outDir());
  }

  /**
   * What of orchestrate itself shapes a build: its version (a new orchestrate may build
   * differently, so it rebuilds everything once) and the hook runner, by the digest in its
   * directory name.
   */
  public static String frontend(Path shim) {
    return "orchestrate " + version() + " " + shim.getParent().getFileName();
  }

  /** The jar's {@code Implementation-Version}; {@code development} when run from classes. */
  static String version() {
    String v = IncrementalPlan.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  static String relative(Path root, Path dir) {
    return root.relativize(dir).toString().replace('\\', '/');
  }

  public StateStore store() {
    return store;
  }

  /** What the scheduler stamps requests with; manifests it hands out are kept on {@code workers}. */
  public InputHashes stamps(WorkerExecutor workers) {
    hashes.onStamp((member, manifest) -> workers.executeBlocking(() -> {
      store.putManifest(member, manifest.hash(), manifest);
      return null;
    }, false));
    return hashes;
  }

  /** Step 1 for this run's executor; nothing more is started once {@code stopping} is true. */
  public UpToDateGate gate(WorkerExecutor workers, Path stagingDir, BooleanSupplier stopping) {
    return new UpToDateGate(workers, store, outDir, stagingDir, stopping);
  }

  /** The members changed since {@code --changed-since}'s revision, when it was given. */
  public Optional<Set<String>> changed() {
    return changed;
  }

  public Optional<Verdict> verdict(String member) {
    return Optional.ofNullable(verdicts.get(member));
  }

  /** The members of {@code scope} that are up to date as they are: finished without an executor. */
  public Map<String, BuildOutcome> upToDate(Collection<String> scope) {
    Map<String, BuildOutcome> done = new LinkedHashMap<>();
    for (String name : scope) {
      if (verdicts.get(name) instanceof Verdict.Fresh fresh) {
        done.put(name, fresh.outcome(outDir));
      }
    }
    return done;
  }

  /** {@code --explain}: one line per member of {@code scope}, in build order. */
  public List<String> explain(Collection<String> scope) {
    Explain explain = explainer();
    List<String> lines = new ArrayList<>();
    for (String name : graph.topologicalOrder()) {
      if (scope.contains(name) && verdicts.containsKey(name)) {
        lines.add("explain  " + name + ": " + explain.line(name, verdicts.get(name)));
      }
    }
    return lines;
  }

  /** {@code orchestrate why}: the full answer for one member. */
  public List<String> why(String member) {
    return explainer().lines(member, verdicts.get(member));
  }

  private Explain explainer() {
    return new Explain(store, name -> hashes.tracks(name)
        ? Optional.of(hashes.manifest(name, graph::dependenciesOf)) : Optional.empty());
  }
}
