package dev.orchestrate.run;

import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.report.ConsoleReporter;
import dev.orchestrate.report.JsonReport;
import dev.orchestrate.report.RunPresenter;
import dev.orchestrate.shim.ShimScript;
import dev.orchestrate.state.ChangedSince;
import dev.orchestrate.state.DigestCache;
import dev.orchestrate.state.IncrementalPlan;
import dev.orchestrate.state.InputHashes;
import dev.orchestrate.state.InputSettings;
import dev.orchestrate.state.InterpreterCache;
import dev.orchestrate.state.PackageRecord;
import dev.orchestrate.state.SourceRules;
import dev.orchestrate.state.StateStore;
import dev.orchestrate.state.TreeScan;
import dev.orchestrate.state.Verdict;
import dev.orchestrate.state.Freshness;
import dev.orchestrate.state.WorkspaceSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answer to a run in which nothing needs building, found without starting Vert.x, parsing a
 * {@code pyproject.toml} or running Python: the workspace snapshot of the last full run is still
 * valid (same options, same interpreter on disk, same discovery fingerprint), and every package
 * in scope has its recorded input hash and its artifacts in place, by stamp. Anything else (a
 * changed input, a missing artifact, no snapshot) and the full run takes over, which checks
 * again in the executors. This path reads no file content unless a file's stamp changed.
 */
final class QuickRun {
  private QuickRun() {}

  /** The exit code when the run is a no-op; empty when it must really run. */
  static Optional<Integer> attempt(RunOptions options, PrintStream out) {
    if (options.rebuild().force()) {
      return Optional.empty();
    }
    try {
      return answer(options, out);
    } catch (Exception | LinkageError e) {
      return Optional.empty(); // whatever went wrong, the full run knows how to say it
    }
  }

  private static Optional<Integer> answer(RunOptions options, PrintStream out)
      throws IOException, ChangedSince.GitException {
    Instant started = Instant.now();
    Path root = options.root().toRealPath();
    StateStore store = StateStore.forWorkspace(options.cacheDir(), root);
    Optional<WorkspaceSnapshot> found = WorkspaceSnapshot.read(store);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    WorkspaceSnapshot snapshot = found.get();
    Path shim = ShimScript.materialize(options.cacheDir());
    Optional<InterpreterCache.Known> interpreter =
        InterpreterCache.quick(options.cacheDir(), options.python(), shim);
    if (interpreter.isEmpty()) {
      return Optional.empty();
    }
    String key = WorkspaceSnapshot.key(root, options.outDir(), options.cacheDir(),
        interpreter.get().identity(), options.mode().name(),
        InputSettings.configSettings(options.configSettings()), IncrementalPlan.frontend(shim));
    if (!key.equals(snapshot.key())) {
      return Optional.empty();
    }
    SourceRules rules = SourceRules.forWorkspace(root, Set.of(options.outDir(), options.cacheDir()));
    TreeScan.Scan scan = TreeScan.scan(rules);
    if (!scan.discoveryFingerprint().equals(snapshot.fingerprint())) {
      return Optional.empty(); // members or their pyproject.toml changed: discover again
    }
    Map<String, WorkspaceSnapshot.Member> members = snapshot.members();
    Map<String, Optional<PackageRecord>> records = new ConcurrentHashMap<>();
    members.keySet().parallelStream().forEach(name -> records.put(name, store.read(name)));
    Map<String, Set<String>> deps = new HashMap<>();
    members.keySet().forEach(name -> deps.put(name, new TreeSet<>()));
    for (WorkspaceSnapshot.Edge e : snapshot.edges()) {
      deps.get(e.from()).add(e.to());
    }
    records.forEach((name, record) -> record.ifPresent(r -> r.memberDependencies().stream()
        .filter(members::containsKey).forEach(deps.get(name)::add)));
    Optional<List<String>> order = topologicalOrder(deps);
    if (order.isEmpty()) {
      return Optional.empty();
    }
    Optional<Set<String>> scope = scope(options, root, members, deps, rules);
    if (scope.isEmpty()) {
      return Optional.empty();
    }

    DigestCache digests = store.digests();
    List<String> memberDirs = members.values().stream().map(WorkspaceSnapshot.Member::dir).toList();
    Map<String, String> own = new ConcurrentHashMap<>();
    try {
      members.values().parallelStream().forEach(m -> {
        try {
          own.put(m.name(), InputHashes.ownDigest(m.settingsDigest(), scan, m.dir(), memberDirs, digests));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    InputHashes hashes = InputHashes.ofDigests(own);
    List<PackageResult> results = new ArrayList<>();
    for (String name : order.get()) {
      if (!scope.get().contains(name)) {
        continue;
      }
      Verdict verdict = Freshness.quick(records.get(name), hashes.inputHash(name, deps::get),
          options.outDir());
      if (!(verdict instanceof Verdict.Fresh fresh)) {
        digests.save(true);
        return Optional.empty();
      }
      WorkspaceSnapshot.Member m = members.get(name);
      results.add(new PackageResult(name, m.displayName(),
          m.version().isEmpty() ? Optional.empty() : Optional.of(m.version()),
          m.dir().isEmpty() ? root : root.resolve(m.dir()), fresh.outcome(options.outDir()), 0));
    }
    digests.save(true);

    RunResult run = new RunResult(root, options.outDir(), options.cacheDir().resolve("runs"),
        interpreter.get().executable(), interpreter.get().version(), started,
        Duration.between(started, Instant.now()), results);
    report(options, out, snapshot, run);
    return Optional.of(run.exitCode());
  }

  private static void report(RunOptions options, PrintStream out, WorkspaceSnapshot snapshot,
      RunResult run) throws IOException {
    // The same presentation as a full run (time stamps, colours, quiet, --trace, --html-report).
    RunPresenter presenter = RunPresenter.withoutEventLoop(options.presentation(), options.verbosity(),
        out, System.getenv(), System.console() != null, run.started().toEpochMilli());
    ConsoleReporter console = new ConsoleReporter(presenter.out(), options.verbosity());
    console.header(run.root(), snapshot.members().size(), snapshot.discoveredBy(), run.python(),
        run.pythonVersion(), options.jobs());
    presenter.begin(run.packages().size(), options.jobs(), run.runDir());
    for (PackageResult p : run.packages()) {
      if (options.rebuild().explain()) {
        console.line("explain  " + p.name() + ": up to date");
      }
      console.finished(p);
      presenter.finished(p);
    }
    if (options.report().isPresent()) {
      JsonReport.write(run, options.report().get());
    }
    presenter.finish(run, options.report());
  }

  /** The members to consider: all, the named ones, or those changed since a revision, with what they need. */
  private static Optional<Set<String>> scope(RunOptions options, Path root,
      Map<String, WorkspaceSnapshot.Member> members, Map<String, Set<String>> deps, SourceRules rules)
      throws ChangedSince.GitException {
    Set<String> names = new TreeSet<>(members.keySet());
    if (!options.only().isEmpty()) {
      Set<String> requested = new TreeSet<>();
      for (String name : options.only()) {
        String normalized = PackageName.normalize(name);
        if (!members.containsKey(normalized)) {
          return Optional.empty(); // the full run names the mistake
        }
        requested.add(normalized);
      }
      names = closure(requested, deps);
    }
    if (options.rebuild().changedSince().isPresent()) {
      Map<String, Path> dirs = new TreeMap<>();
      members.values().forEach(m -> dirs.put(m.name(), m.dir().isEmpty() ? root : root.resolve(m.dir())));
      Set<String> changed = ChangedSince.members(root, options.rebuild().changedSince().get(), dirs, rules);
      Set<String> affected = new TreeSet<>(changed);
      boolean grew = true;
      while (grew) {
        grew = false;
        for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
          if (!affected.contains(e.getKey()) && e.getValue().stream().anyMatch(affected::contains)) {
            grew |= affected.add(e.getKey());
          }
        }
      }
      affected.retainAll(names);
      names = closure(affected, deps);
    }
    return Optional.of(names);
  }

  private static Set<String> closure(Collection<String> start, Map<String, Set<String>> deps) {
    Set<String> seen = new TreeSet<>(start);
    Deque<String> queue = new ArrayDeque<>(start);
    while (!queue.isEmpty()) {
      for (String dep : deps.get(queue.poll())) {
        if (seen.add(dep)) {
          queue.add(dep);
        }
      }
    }
    return seen;
  }

  /** Each member after what it needs, ties by name; empty on a cycle. */
  private static Optional<List<String>> topologicalOrder(Map<String, Set<String>> deps) {
    Map<String, Integer> waiting = new HashMap<>();
    Map<String, List<String>> dependents = new HashMap<>();
    TreeSet<String> ready = new TreeSet<>();
    deps.forEach((name, needs) -> {
      waiting.put(name, needs.size());
      needs.forEach(d -> dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(name));
      if (needs.isEmpty()) {
        ready.add(name);
      }
    });
    List<String> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String next = ready.pollFirst();
      order.add(next);
      for (String dependent : dependents.getOrDefault(next, List.of())) {
        if (waiting.merge(dependent, -1, Integer::sum) == 0) {
          ready.add(dependent);
        }
      }
    }
    return order.size() == deps.size() ? Optional.of(order) : Optional.empty();
  }
}
