package dev.orchestrate.graph;

import static java.util.Objects.requireNonNull;

import dev.orchestrate.env.pep508.MarkerEvaluationException;
import dev.orchestrate.env.pep508.PackageName;
import dev.orchestrate.env.pep508.Requirement;
import dev.orchestrate.workspace.Member;
import dev.orchestrate.workspace.Workspace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which workspace members need which other members' wheels to build: an edge {@code a -> b} when
 * a requirement in {@code a}'s {@code build-system.requires} names member {@code b} and its
 * marker holds in the target environment. Nodes are normalised member names; every order this
 * class gives is deterministic, ties broken by name.
 *
 * <p>A graph may hold cycles (they are reported by {@link #problems()} and {@link #findCycle()});
 * {@link #topologicalOrder()} and {@link #levels()} then fail. Edges discovered at run time join
 * through {@link #addEdgeIfAcyclic}, which never creates a cycle.
 *
 * <p><b>Not thread-safe</b>: a graph is confined to one thread (the scheduler verticle's event
 * loop); mutation through {@link #addEdgeIfAcyclic} is unsynchronised. Names passed in may be in
 * any spelling; they are normalised per PEP 503. An unknown name is a bug: it throws
 * {@link IllegalArgumentException} (check {@link #contains} first with user input).
 */
public final class BuildGraph {

    /** The {@code requirement} of an edge added at run time without a more precise reason. */
    public static final String RUNTIME_REQUIREMENT = "(found at run time)";

    private final SortedMap<String, Member> members;
    // from -> (to -> edge): what each member needs. Sorted for deterministic walks.
    private final Map<String, SortedMap<String, Edge>> dependencies = new HashMap<>();
    // to -> froms: who needs each member.
    private final Map<String, SortedSet<String>> dependents = new HashMap<>();
    private final List<GraphProblem> problems = new ArrayList<>();
    // The workspace's graph this one was cut from ({@link #subgraph}); null for a whole graph.
    private final BuildGraph whole;

    private BuildGraph(SortedMap<String, Member> members) {
        this(members, null);
    }

    private BuildGraph(SortedMap<String, Member> members, BuildGraph whole) {
        this.members = members;
        this.whole = whole;
        for (String name : members.keySet()) {
            dependencies.put(name, new TreeMap<>());
            dependents.put(name, new TreeSet<>());
        }
    }

    /** The graph of a workspace's members for a target environment. */
    public static BuildGraph of(Workspace workspace, Map<String, String> markerEnvironment) {
        return of(workspace.members(), markerEnvironment);
    }

    /**
     * The graph of {@code members} (unique normalised names) for the PEP 508 marker variables in
     * {@code markerEnvironment}: a requirement whose marker is false there gives no edge.
     */
    public static BuildGraph of(Collection<Member> members, Map<String, String> markerEnvironment) {
        requireNonNull(members, "members");
        requireNonNull(markerEnvironment, "markerEnvironment");
        SortedMap<String, Member> byName = new TreeMap<>();
        for (Member member : members) {
            if (byName.putIfAbsent(member.normalizedName(), member) != null) {
                throw new IllegalArgumentException("two members are named `" + member.normalizedName() + "`");
            }
        }
        BuildGraph graph = new BuildGraph(byName);
        for (Member member : byName.values()) {
            graph.addRequirementEdges(member, markerEnvironment);
        }
        graph.reportCycles();
        return graph;
    }

    private void addRequirementEdges(Member member, Map<String, String> environment) {
        String from = member.normalizedName();
        List<Requirement> requires = member.buildRequires();
        for (int i = 0; i < requires.size(); i++) {
            Requirement requirement = requires.get(i);
            String written = member.buildSystem().requires().get(i);
            Member target = members.get(requirement.normalizedName());
            if (target == null) {
                continue;
            }
            try {
                if (!requirement.appliesTo(environment, Set.of())) {
                    continue;
                }
            } catch (MarkerEvaluationException e) {
                problems.add(new GraphProblem.InvalidMarker(from, written, e.getMessage()));
                continue;
            }
            // A direct reference (`name @ URL`) says where to get the package: not from the workspace.
            if (requirement.url().isPresent()) {
                continue;
            }
            String to = target.normalizedName();
            if (!dependencies.get(from).containsKey(to)) {
                putEdge(new Edge(from, to, written));
            }
            if (from.equals(to)) {
                problems.add(new GraphProblem.SelfDependency(from, written));
            } else {
                checkVersion(member, requirement, written, target);
            }
        }
    }

    private void checkVersion(Member member, Requirement requirement, String written, Member target) {
        if (target.version().isEmpty()) {
            return; // dynamic version: only the built wheel will tell
        }
        // Pre-releases allowed: the member is what gets built, not a candidate picked from an
        // index. The text as written, so that `===` compares it exactly.
        if (!requirement.specifier().contains(target.version().get(), true)) {
            problems.add(new GraphProblem.VersionMismatch(member.normalizedName(), written,
                    target.normalizedName(), target.version().get()));
        }
    }

    /** One problem per strongly connected set of members that need each other. */
    private void reportCycles() {
        for (List<String> component : stronglyConnectedComponents()) {
            if (component.size() > 1) {
                problems.add(new GraphProblem.Cycle(shortestCycleWithin(new TreeSet<>(component), false)));
            }
            // A component of one is a cycle only through a self-edge, reported as SelfDependency.
        }
    }

    private void putEdge(Edge edge) {
        dependencies.get(edge.from()).put(edge.to(), edge);
        dependents.get(edge.to()).add(edge.from());
    }

    // ---- lookups ----------------------------------------------------------------------------

    /** All member names, sorted. */
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(members.keySet()));
    }

    public boolean contains(String name) {
        return members.containsKey(PackageName.normalize(name));
    }

    public Optional<Member> member(String name) {
        return Optional.ofNullable(members.get(PackageName.normalize(name)));
    }

    /** Every edge, sorted by {@code from} then {@code to}. */
    public List<Edge> edges() {
        List<Edge> edges = new ArrayList<>();
        for (String from : members.keySet()) {
            edges.addAll(dependencies.get(from).values());
        }
        return List.copyOf(edges);
    }

    /**
     * Version mismatches, markers that cannot be evaluated, self-dependencies and cycles found when
     * the graph was built.
     */
    public List<GraphProblem> problems() {
        return List.copyOf(problems);
    }

    /** The members {@code name} needs directly. */
    public SortedSet<String> dependenciesOf(String name) {
        return copy(dependencies.get(key(name)).keySet());
    }

    /** The members {@code name} needs, directly or through others ({@code name} itself only in a cycle). */
    public SortedSet<String> transitiveDependenciesOf(String name) {
        return reachable(List.of(key(name)), n -> dependencies.get(n).keySet(), false);
    }

    /** The members that need {@code name} directly. */
    public SortedSet<String> dependentsOf(String name) {
        return copy(dependents.get(key(name)));
    }

    /** The members that need {@code name}, directly or through others. */
    public SortedSet<String> transitiveDependentsOf(String name) {
        return reachable(List.of(key(name)), dependents::get, false);
    }

    /**
     * {@code names} and everything they need to build: what {@code orchestrate build NAME...}
     * builds.
     */
    public SortedSet<String> closure(Collection<String> names) {
        List<String> keys = names.stream().map(this::key).toList();
        return reachable(keys, n -> dependencies.get(n).keySet(), true);
    }

    /**
     * A new graph of only {@code names} (normally a {@link #closure}) and the edges between them,
     * with the problems that concern only them.
     */
    public BuildGraph subgraph(Collection<String> names) {
        SortedMap<String, Member> kept = new TreeMap<>();
        for (String name : names) {
            String key = key(name);
            kept.put(key, members.get(key));
        }
        BuildGraph sub = new BuildGraph(kept, whole == null ? this : whole);
        for (Edge edge : edges()) {
            if (kept.containsKey(edge.from()) && kept.containsKey(edge.to())) {
                sub.putEdge(edge);
            }
        }
        for (GraphProblem problem : problems) {
            boolean concernsOnlyKept;
            if (problem instanceof GraphProblem.VersionMismatch m) {
                concernsOnlyKept = kept.containsKey(m.member()) && kept.containsKey(m.dependency());
            } else if (problem instanceof GraphProblem.Cycle c) {
                concernsOnlyKept = kept.keySet().containsAll(c.path());
            } else {
                concernsOnlyKept = kept.containsKey(problem.member());
            }
            if (concernsOnlyKept) {
                sub.problems.add(problem);
            }
        }
        return sub;
    }

    /**
     * Brings {@code name} and everything it needs from the workspace's graph into this one (a
     * {@link #subgraph}), with the edges among them: {@code orchestrate build NAME} builds a
     * member a hook named at run time too. Edges found at run time are kept.
     *
     * @return the members added, in build order; empty when {@code name} is here already or is
     *         no workspace member
     */
    public List<String> include(String name) {
        String key = PackageName.normalize(name);
        if (members.containsKey(key) || whole == null || !whole.contains(key)) {
            return List.of();
        }
        SortedSet<String> needed = whole.closure(List.of(key));
        List<String> added = new ArrayList<>();
        for (String n : needed) {
            if (!members.containsKey(n)) {
                members.put(n, whole.members.get(n));
                dependencies.put(n, new TreeMap<>());
                dependents.put(n, new TreeSet<>());
                added.add(n);
            }
        }
        for (String n : added) {
            for (Edge edge : whole.dependencies.get(n).values()) {
                putEdge(edge);
            }
        }
        List<String> order = new ArrayList<>(topologicalOrder());
        order.retainAll(added);
        return order;
    }

    // ---- orders -----------------------------------------------------------------------------

    /**
     * Every member, each after everything it needs; among members that are ready together, by
     * name.
     *
     * @throws IllegalStateException when the graph has a cycle (check {@link #findCycle()} first)
     */
    public List<String> topologicalOrder() {
        Map<String, Integer> waiting = new HashMap<>();
        TreeSet<String> ready = new TreeSet<>();
        for (String name : members.keySet()) {
            int count = dependencies.get(name).size();
            waiting.put(name, count);
            if (count == 0) {
                ready.add(name);
            }
        }
        List<String> order = new ArrayList<>(members.size());
        while (!ready.isEmpty()) {
            String next = ready.pollFirst();
            order.add(next);
            for (String dependent : dependents.get(next)) {
                if (waiting.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (order.size() != members.size()) {
            throw new IllegalStateException("no build order: " + findCycle()
                    .map(c -> "build requirement cycle " + describePath(c)).orElse("a cycle"));
        }
        return List.copyOf(order);
    }

    /**
     * Waves of members that can build in parallel: wave 0 needs no member, wave {@code n} needs
     * only members of earlier waves and at least one of wave {@code n-1}. Each wave sorted by name.
     *
     * @throws IllegalStateException when the graph has a cycle
     */
    public List<List<String>> levels() {
        Map<String, Integer> level = new HashMap<>();
        List<List<String>> levels = new ArrayList<>();
        for (String name : topologicalOrder()) {
            int mine = dependencies.get(name).keySet().stream().mapToInt(level::get).max().orElse(-1) + 1;
            level.put(name, mine);
            while (levels.size() <= mine) {
                levels.add(new ArrayList<>());
            }
            levels.get(mine).add(name);
        }
        return levels.stream().map(wave -> wave.stream().sorted().toList()).toList();
    }

    // ---- cycles -----------------------------------------------------------------------------

    /**
     * A cycle as a path that starts and ends with the same member ({@code [a, b, a]}: {@code a}
     * needs {@code b}, which needs {@code a}; {@code [a, a]} for a member that needs itself).
     * The shortest cycle in the graph, starting at its smallest name; ties broken by the path.
     */
    public Optional<List<String>> findCycle() {
        List<String> best = null;
        for (List<String> component : stronglyConnectedComponents()) {
            String only = component.get(0);
            if (component.size() == 1 && !dependencies.get(only).containsKey(only)) {
                continue;
            }
            List<String> cycle = shortestCycleWithin(new TreeSet<>(component), true);
            if (best == null || PATH_ORDER.compare(cycle, best) < 0) {
                best = cycle;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Adds {@code from -> to} (found at run time, e.g. from a {@code get_requires_for_build_*}
     * hook) unless that would close a cycle.
     *
     * @return empty when the edge was added or was already there, else the cycle it would close,
     *         as a path from {@code from} back to {@code from}, and the graph is unchanged
     */
    public Optional<List<String>> addEdgeIfAcyclic(String from, String to) {
        return addEdgeIfAcyclic(from, to, RUNTIME_REQUIREMENT);
    }

    /** As {@link #addEdgeIfAcyclic(String, String)}, recording {@code requirement} as the reason. */
    public Optional<List<String>> addEdgeIfAcyclic(String from, String to, String requirement) {
        String source = key(from);
        String target = key(to);
        requireNonNull(requirement, "requirement");
        if (dependencies.get(source).containsKey(target)) {
            return Optional.empty();
        }
        // The new edge closes a cycle exactly when `to` already reaches `from`.
        Optional<List<String>> back = shortestPath(target, source, members.keySet());
        if (back.isPresent()) {
            List<String> cycle = new ArrayList<>();
            cycle.add(source);
            cycle.addAll(back.get());
            return Optional.of(List.copyOf(cycle));
        }
        putEdge(new Edge(source, target, requirement));
        return Optional.empty();
    }

    /** {@code `a` -> `b` -> `a`}. */
    public static String describePath(List<String> path) {
        return path.stream().map(n -> "`" + n + "`").collect(Collectors.joining(" -> "));
    }

    private static final Comparator<List<String>> PATH_ORDER = Comparator.<List<String>>comparingInt(List::size)
            .thenComparing((a, b) -> {
                for (int i = 0; i < a.size(); i++) {
                    int c = a.get(i).compareTo(b.get(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            });

    /**
     * The shortest cycle within one strongly connected set, from its best start; self-loops
     * count only when {@code selfLoops} (they are reported on their own otherwise).
     */
    private List<String> shortestCycleWithin(SortedSet<String> component, boolean selfLoops) {
        List<String> best = null;
        for (String start : component) {
            if (best != null && best.size() == 2) {
                break; // a self-loop cannot be beaten
            }
            Optional<List<String>> cycle;
            if (selfLoops && dependencies.get(start).containsKey(start)) {
                cycle = Optional.of(List.of(start, start));
            } else {
                cycle = dependencies.get(start).keySet().stream()
                        .filter(next -> component.contains(next) && !next.equals(start))
                        .map(next -> shortestPath(next, start, component).map(path -> {
                            List<String> full = new ArrayList<>();
                            full.add(start);
                            full.addAll(path);
                            return List.copyOf(full);
                        }))
                        .flatMap(Optional::stream)
                        .min(PATH_ORDER);
            }
            if (cycle.isPresent() && (best == null || PATH_ORDER.compare(cycle.get(), best) < 0)) {
                best = cycle.get();
            }
        }
        if (best == null) {
            throw new IllegalStateException("no cycle in a strongly connected set: " + component);
        }
        return best;
    }

    /** Breadth-first, neighbours by name: the shortest, then smallest, path {@code from ... to}. */
    private Optional<List<String>> shortestPath(String from, String to, Set<String> within) {
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        previous.put(from, from);
        queue.add(from);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            if (current.equals(to)) {
                List<String> path = new ArrayList<>();
                for (String at = to; ; at = previous.get(at)) {
                    path.add(at);
                    if (at.equals(from)) {
                        break;
                    }
                }
                Collections.reverse(path);
                return Optional.of(path);
            }
            for (String next : dependencies.get(current).keySet()) {
                if (within.contains(next) && !previous.containsKey(next)) {
                    previous.put(next, current);
                    queue.add(next);
                }
            }
        }
        return Optional.empty();
    }

    /** Tarjan's algorithm, iterative (deep chains must not overflow the stack). */
    private List<List<String>> stronglyConnectedComponents() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<List<String>> components = new ArrayList<>();
        int counter = 0;
        for (String root : members.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Map.Entry<String, Iterator<String>>> work = new ArrayDeque<>();
            index.put(root, counter);
            low.put(root, counter);
            counter++;
            stack.push(root);
            onStack.add(root);
            work.push(Map.entry(root, dependencies.get(root).keySet().iterator()));
            while (!work.isEmpty()) {
                String node = work.peek().getKey();
                Iterator<String> next = work.peek().getValue();
                if (next.hasNext()) {
                    String child = next.next();
                    if (!index.containsKey(child)) {
                        index.put(child, counter);
                        low.put(child, counter);
                        counter++;
                        stack.push(child);
                        onStack.add(child);
                        work.push(Map.entry(child, dependencies.get(child).keySet().iterator()));
                    } else if (onStack.contains(child)) {
                        low.put(node, Math.min(low.get(node), index.get(child)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(node)));
                }
                if (low.get(node).equals(index.get(node))) {
                    List<String> component = new ArrayList<>();
                    String member;
                    do {
                        member = stack.pop();
                        onStack.remove(member);
                        component.add(member);
                    } while (!member.equals(node));
                    Collections.sort(component);
                    components.add(component);
                }
            }
        }
        components.sort(Comparator.comparing(c -> c.get(0)));
        return components;
    }

    private SortedSet<String> reachable(Collection<String> starts, Function<String, Set<String>> next,
            boolean includeStarts) {
        TreeSet<String> seen = new TreeSet<>();
        Deque<String> queue = new ArrayDeque<>(starts);
        if (includeStarts) {
            seen.addAll(starts);
        }
        while (!queue.isEmpty()) {
            for (String n : next.apply(queue.poll())) {
                if (seen.add(n)) {
                    queue.add(n);
                }
            }
        }
        return Collections.unmodifiableSortedSet(seen);
    }

    private static SortedSet<String> copy(Set<String> names) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }

    private String key(String name) {
        requireNonNull(name, "name");
        String key = PackageName.normalize(name);
        if (!members.containsKey(key)) {
            throw new IllegalArgumentException("`" + name + "` is not a workspace member");
        }
        return key;
    }
}
