package dev.orchestrate.env.resolve;

import static dev.orchestrate.env.resolve.Resolver.Problem.Kind.CONFLICT;
import static dev.orchestrate.env.resolve.Resolver.Problem.Kind.MISSING;
import static dev.orchestrate.env.resolve.Resolver.Problem.Kind.UNUSABLE;

import dev.orchestrate.env.index.DistributionFile;
import dev.orchestrate.env.pep440.Specifier;
import dev.orchestrate.env.pep440.SpecifierSet;
import dev.orchestrate.env.pep440.Version;
import dev.orchestrate.env.pep508.Marker;
import dev.orchestrate.env.pep508.MarkerVariable;
import dev.orchestrate.env.pep508.Requirement;
import dev.orchestrate.env.tags.RequiresPython;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;


/**
 * Chooses one distribution of every project a requirement set needs, transitively.
 *
 * <p>A depth-first search: it decides one project at a time (direct references and {@code ==}
 * pins first, then in the order projects were first asked for), trying its candidates from the
 * highest version down; a candidate's {@code Requires-Dist} (markers evaluated for the target
 * interpreter and the extras asked for) become demands on other projects. A demand that an
 * earlier choice cannot meet, or a project no candidate of which meets every demand, sends the
 * search back to the latest choice with an untried candidate. The search is bounded by a number
 * of candidates tried ({@code maxAttempts}): beyond it resolution fails, naming the first
 * conflict met.
 *
 * <p>Candidates are wheels whose tags fit the interpreter (the best-ranked file of each version),
 * whose {@code Requires-Python} admits it, not yanked unless a demand pins that exact version
 * with {@code ==} or {@code ===}. Pre-releases follow PEP 440: only when a demand names one, or
 * when nothing else matches. Sdists are candidates only when no wheel matches (build
 * environments prefer wheels, as {@code --prefer-binary} does) and the provider
 * {@linkplain Provider#buildsFromSource builds from source}; otherwise a project available only
 * as an sdist fails with a message saying so.
 *
 * <p>Not thread-safe: one resolver per resolution.
 */
public final class Resolver {
  public static final int DEFAULT_MAX_ATTEMPTS = 2_000;

  /**
   * A requirement the environment was asked for.
   *
   * @param keyForm how the environment key names it (to match origins given later)
   * @param origin who asked, for messages ("" when unknown)
   */
  public record Root(Requirement requirement, String keyForm, String origin) {
    public Root {
      Objects.requireNonNull(requirement, "requirement");
      Objects.requireNonNull(keyForm, "keyForm");
      Objects.requireNonNull(origin, "origin");
    }
  }

  /** One distribution chosen. */
  public record Resolved(String name, Version version, DistributionFile file, CoreMetadata metadata,
      Set<String> extras, boolean requested, boolean direct) {}

  private final Provider provider;
  private final Compatibility compatibility;
  private final Map<String, String> markers;
  private final Optional<Version> python;
  private final int maxAttempts;
  private final Map<String, List<DistributionFile>> files = new HashMap<>();
  private final Map<String, CoreMetadata> metadata = new HashMap<>();
  private final List<Problem> problems = new ArrayList<>();
  private List<String> origins = List.of();
  private int attempts;

  /**
   * @param markers the target interpreter's PEP 508 marker values
   * @param python the version {@code Requires-Python} is checked against
   * @param maxAttempts how many candidates the search may try before it gives up
   */
  public Resolver(Provider provider, Compatibility compatibility, Map<String, String> markers,
      Version python, int maxAttempts) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.compatibility = Objects.requireNonNull(compatibility, "compatibility");
    this.markers = Map.copyOf(markers);
    this.python = Optional.of(python);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be positive");
    }
    this.maxAttempts = maxAttempts;
  }

  /** A failure found during the search, with the demands that led to it. */
  record Problem(Kind kind, String headline, List<Demand> demands) {
    enum Kind { MISSING, CONFLICT, UNUSABLE }
  }

  /** Thrown out of the search when it runs past its bound. */
  private static final class TooComplex extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooComplex() {
      super(null, null, false, false);
    }
  }

  /** A decided project: the candidate, its metadata, the extras whose dependencies were added. */
  private record Choice(Candidate candidate, CoreMetadata metadata, Set<String> extras, Demand first) {}

  private record Candidate(String name, Version version, DistributionFile file, boolean direct) {}

  /** The search state; copied at each decision so that backtracking is just returning. */
  private static final class State {
    final LinkedHashMap<String, List<Demand>> demands;
    final Map<String, Choice> pins;

    State(LinkedHashMap<String, List<Demand>> demands, Map<String, Choice> pins) {
      this.demands = demands;
      this.pins = pins;
    }

    State copy() {
      return new State(new LinkedHashMap<>(demands), new HashMap<>(pins));
    }

    void demand(Demand d) {
      List<Demand> list = new ArrayList<>(demands.getOrDefault(d.name(), List.of()));
      list.add(d);
      demands.put(d.name(), list);
    }
  }

  /**
   * Resolves {@code roots} (whose markers are evaluated here too).
   *
   * @throws ResolutionException no combination of versions satisfies them, or the search ran
   *     past its bound
   */
  public List<Resolved> resolve(List<Root> roots) {
    State start = new State(new LinkedHashMap<>(), new HashMap<>());
    origins = roots.stream().map(Root::origin).toList();
    List<String> rootNames = new ArrayList<>();
    for (int i = 0; i < roots.size(); i++) {
      Requirement r = roots.get(i).requirement();
      if (!applies(r.marker(), Set.of())) {
        continue;
      }
      start.demand(Demand.root(r, i));
      rootNames.add(r.normalizedName());
    }
    State solved;
    try {
      solved = solve(start);
    } catch (TooComplex e) {
      throw failure(roots, true);
    }
    if (solved == null) {
      throw failure(roots, false);
    }
    List<Resolved> result = new ArrayList<>();
    for (Choice c : new TreeMap<>(solved.pins).values()) {
      Candidate k = c.candidate();
      result.add(new Resolved(k.name(), k.version(), k.file(), c.metadata(), Set.copyOf(c.extras()),
          rootNames.contains(k.name()), k.direct()));
    }
    return result;
  }

  /** How many candidates the last {@link #resolve} tried. */
  public int attempts() {
    return attempts;
  }

  private ResolutionException failure(List<Root> roots, boolean gaveUp) {
    List<Problem> found = problems.isEmpty()
        ? List.of(new Problem(CONFLICT,
            "no combination of versions satisfies the requirements", List.of()))
        : List.copyOf(problems);
    return new ResolutionException(found, roots.stream().map(Root::keyForm).toList(),
        roots.stream().map(Root::origin).toList(), attempts, gaveUp ? maxAttempts : 0,
        provider.describe());
  }

  private State solve(State state) {
    String name = next(state);
    if (name == null) {
      return state;
    }
    List<Demand> demands = state.demands.get(name);
    List<Candidate> candidates = candidates(name, demands);
    for (Candidate candidate : candidates) {
      if (++attempts > maxAttempts) {
        throw new TooComplex();
      }
      CoreMetadata md;
      try {
        md = metadata(candidate);
      } catch (SourceBuildNeeded e) {
        throw e.withRequiredBy(demands.get(0).chain(origins)); // build it, then resolve again
      } catch (CoreMetadata.InvalidMetadataException e) {
        problem(UNUSABLE,
            "`" + candidate.file().filename() + "` has unusable metadata: " + e.getMessage(), demands);
        continue;
      }
      if (!md.normalizedName().equals(name) || !md.version().equals(candidate.version())) {
        problem(UNUSABLE,
            "`" + candidate.file().filename() + "` says it is `" + md.name() + " " + md.version()
            + "` in its metadata", demands);
        continue;
      }
      if (md.requiresPython().isPresent() && python.isPresent()
          && !md.requiresPython().get().contains(python.get(), true)) {
        problem(UNUSABLE, "`" + name + " " + candidate.version() + "` requires Python "
            + md.requiresPython().get() + "; the interpreter is " + python.get(), demands);
        continue;
      }
      Set<String> extras = new TreeSet<>();
      demands.forEach(d -> extras.addAll(d.requirement().extras()));
      State next = state.copy();
      Choice choice = new Choice(candidate, md, Set.copyOf(extras), demands.get(0));
      next.pins.put(name, choice);
      if (!addDependencies(next, choice, extras, false)) {
        continue;
      }
      State solved = solve(next);
      if (solved != null) {
        return solved;
      }
    }
    return null;
  }

  /** The next project to decide: direct references and exact pins first, then in order asked. */
  private static String next(State state) {
    String first = null;
    for (Map.Entry<String, List<Demand>> e : state.demands.entrySet()) {
      if (state.pins.containsKey(e.getKey())) {
        continue;
      }
      if (e.getValue().stream().anyMatch(d -> d.requirement().url().isPresent() || pinsExactly(d))) {
        return e.getKey();
      }
      if (first == null) {
        first = e.getKey();
      }
    }
    return first;
  }

  private static boolean pinsExactly(Demand d) {
    for (Specifier s : d.requirement().specifier()) {
      if ((s.operator() == Specifier.Operator.EQUAL && !s.isWildcard())
          || s.operator() == Specifier.Operator.ARBITRARY_EQUAL) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds the dependencies of a choice for {@code extras} (only those behind an {@code extra}
   * marker when {@code extrasOnly}); false, with a problem recorded, when one conflicts.
   */
  private boolean addDependencies(State state, Choice choice, Set<String> extras, boolean extrasOnly) {
    Candidate c = choice.candidate();
    for (Requirement r : choice.metadata().requiresDist()) {
      if (extrasOnly && r.marker().map(m -> !m.variables().contains(MarkerVariable.EXTRA)).orElse(true)) {
        continue;
      }
      if (!applies(r.marker(), extras)) {
        continue;
      }
      if (!add(state, Demand.of(r, c.name(), c.version(), choice.first()))) {
        return false;
      }
    }
    return true;
  }

  /** Records a demand; checks it against the project's choice when there is one already. */
  private boolean add(State state, Demand demand) {
    state.demand(demand);
    Choice pinned = state.pins.get(demand.name());
    if (pinned == null) {
      return true;
    }
    if (!satisfies(pinned.candidate(), demand.requirement())) {
      List<Demand> involved = new ArrayList<>(state.demands.get(demand.name()));
      problem(CONFLICT,
          "Conflicting requirements for `" + demand.name() + "`: `" + demand.name() + " "
          + pinned.candidate().version() + "` was chosen for " + describeOthers(involved, demand)
          + ", and `" + Demand.display(demand.requirement()) + "` excludes it", involved);
      return false;
    }
    Set<String> added = new TreeSet<>(demand.requirement().extras());
    added.removeAll(pinned.extras());
    if (added.isEmpty()) {
      return true;
    }
    Set<String> all = new TreeSet<>(pinned.extras());
    all.addAll(added);
    Choice widened = new Choice(pinned.candidate(), pinned.metadata(), Set.copyOf(all), pinned.first());
    state.pins.put(demand.name(), widened);
    return addDependencies(state, widened, added, true);
  }

  private static String describeOthers(List<Demand> involved, Demand newcomer) {
    List<String> others = involved.stream().filter(d -> d != newcomer)
        .map(d -> "`" + Demand.display(d.requirement()) + "`").distinct().toList();
    return others.isEmpty() ? "an earlier requirement" : String.join(" and ", others);
  }

  private static boolean satisfies(Candidate candidate, Requirement r) {
    if (r.url().isPresent()) {
      return candidate.direct() && sameUrl(candidate.file().url(), r.url().get());
    }
    // A pre-release already chosen meets a plain range: pre-release rules select, they do not exclude.
    return r.specifier().contains(candidate.version(), true);
  }

  private boolean applies(Optional<Marker> marker, Set<String> extras) {
    if (marker.isEmpty()) {
      return true;
    }
    try {
      return marker.get().evaluate(markers, extras);
    } catch (RuntimeException e) {
      return false; // a marker naming a variable the interpreter does not have: it does not apply
    }
  }

  private CoreMetadata metadata(Candidate c) {
    CoreMetadata cached = metadata.get(c.file().url());
    if (cached == null) {
      cached = provider.metadata(c.file());
      metadata.put(c.file().url(), cached);
    }
    return cached;
  }

  private void problem(Problem.Kind kind, String headline, List<Demand> demands) {
    problems.add(new Problem(kind, headline, List.copyOf(demands)));
  }

  // ---- candidates -----------------------------------------------------------------------------

  /** The candidates for a project under its demands, best first; none (and a problem) if none fit. */
  private List<Candidate> candidates(String name, List<Demand> demands) {
    List<Demand> direct = demands.stream().filter(d -> d.requirement().url().isPresent()).toList();
    if (!direct.isEmpty()) {
      return directCandidate(name, demands, direct);
    }
    List<DistributionFile> listed = files.computeIfAbsent(name, provider::files);
    String wanted = demands.stream().map(d -> Demand.display(d.requirement())).distinct()
        .collect(Collectors.joining(", "));
    if (listed.isEmpty()) {
      problem(MISSING,
          "No matching distribution found for " + wanted + ": no files for `" + name + "` in "
          + provider.describe(), demands);
      return List.of();
    }
    SpecifierSet combined = demands.stream().map(d -> d.requirement().specifier())
        .reduce(SpecifierSet.empty(), SpecifierSet::and);
    Map<Version, Candidate> best = new HashMap<>();
    Map<Version, Integer> bestRank = new HashMap<>();
    Map<Version, Boolean> bestYanked = new HashMap<>();
    List<String> incompatible = new ArrayList<>();
    List<String> wrongPython = new ArrayList<>();
    List<String> yanked = new ArrayList<>();
    TreeSet<Version> sdists = new TreeSet<>();
    for (DistributionFile f : listed) {
      if (!f.isWheel()) {
        Filenames.sdistVersion(name, f.filename()).ifPresent(sdists::add);
        continue;
      }
      Optional<Version> version = Filenames.wheelVersion(name, f.filename());
      if (version.isEmpty()) {
        continue;
      }
      Version v = version.get();
      OptionalInt rank = compatibility.rank(f.filename());
      if (rank.isEmpty()) {
        incompatible.add(f.filename());
        continue;
      }
      if (f.requiresPython().isPresent() && python.isPresent()) {
        if (!RequiresPython.check(f.requiresPython().get(), python.get())) {
          wrongPython.add(f.filename() + " (Requires-Python " + f.requiresPython().get() + ")");
          continue;
        }
      }
      boolean isYanked = f.yanked().isPresent();
      if (isYanked && !pinnedExactly(demands, v)) {
        yanked.add(f.filename() + (f.yanked().get().isBlank() ? "" : " (" + f.yanked().get() + ")"));
        continue;
      }
      Integer previous = bestRank.get(v);
      boolean better = previous == null
          || (bestYanked.get(v) && !isYanked)
          || (bestYanked.get(v) == isYanked && rank.getAsInt() < previous);
      if (better) {
        best.put(v, new Candidate(name, v, f, false));
        bestRank.put(v, rank.getAsInt());
        bestYanked.put(v, isYanked);
      }
    }
    List<Version> versions = new ArrayList<>(best.keySet());
    versions.sort(Comparator.reverseOrder());
    List<Version> matching = combined.filterBy(versions, v -> v);
    if (!matching.isEmpty()) {
      return matching.stream().map(best::get).toList();
    }
    return explainNoCandidate(name, listed, demands, wanted, versions, sdists, combined,
        incompatible, wrongPython, yanked);
  }

  /** The sdist of a version: a {@code .tar.gz} (the standard form) before a {@code .zip}. */
  private static DistributionFile bestSdist(List<DistributionFile> listed, String name, Version v) {
    DistributionFile best = null;
    for (DistributionFile f : listed) {
      if (!f.isWheel() && Filenames.sdistVersion(name, f.filename()).filter(v::equals).isPresent()
          && (best == null || f.filename().endsWith(".tar.gz") && !best.filename().endsWith(".tar.gz"))) {
        best = f;
      }
    }
    return best;
  }

  /** The sdist candidates when source builds are allowed, else none and the problem explained. */
  private List<Candidate> explainNoCandidate(String name, List<DistributionFile> listed, List<Demand> demands, String wanted,
      List<Version> versions, TreeSet<Version> sdists, SpecifierSet combined,
      List<String> incompatible, List<String> wrongPython, List<String> yanked) {
    List<Version> sdistMatches = combined.filterBy(new ArrayList<>(sdists.descendingSet()), v -> v);
    if (!sdistMatches.isEmpty() && provider.buildsFromSource()) {
      return sdistMatches.stream().map(v -> new Candidate(name, v, bestSdist(listed, name, v), false))
          .toList();
    }
    if (!sdistMatches.isEmpty()) {
      problem(UNUSABLE,
          "`" + name + "` is only available as an sdist (" + name + " " + sdistMatches.get(0)
          + " has no wheel this interpreter can install), and this resolution does not build "
          + "from source: put a wheel of it in a --find-links directory", demands);
      return List.of();
    }
    String available = versions.isEmpty() ? "" : "available: " + versions.stream()
        .sorted().map(Version::toString).collect(Collectors.joining(", "));
    if (!versions.isEmpty() && demands.size() > 1 && demands.stream().allMatch(d ->
        !d.requirement().specifier().filterBy(versions, v -> v).isEmpty())) {
      problem(CONFLICT,
          "Conflicting requirements for `" + name + "`: no version satisfies them all ("
          + available + ")", demands);
      return List.of();
    }
    List<String> why = new ArrayList<>();
    if (!available.isEmpty()) {
      why.add(available);
    }
    if (!incompatible.isEmpty()) {
      why.add("no wheel for this interpreter: " + String.join(", ", incompatible));
    }
    if (!wrongPython.isEmpty()) {
      why.add("not for this Python " + python.map(Version::toString).orElse("") + ": "
          + String.join(", ", wrongPython));
    }
    if (!yanked.isEmpty()) {
      why.add("yanked: " + String.join(", ", yanked));
    }
    if (!sdists.isEmpty()) {
      why.add("sdists of other versions: " + sdists.stream().map(Version::toString)
          .collect(Collectors.joining(", ")));
    }
    problem(MISSING, "No matching distribution found for " + wanted + " in " + provider.describe()
        + (why.isEmpty() ? "" : ": " + String.join("; ", why)), demands);
    return List.of();
  }

  private static boolean pinnedExactly(List<Demand> demands, Version v) {
    for (Demand d : demands) {
      for (Specifier s : d.requirement().specifier()) {
        boolean exact = (s.operator() == Specifier.Operator.EQUAL && !s.isWildcard())
            || s.operator() == Specifier.Operator.ARBITRARY_EQUAL;
        if (exact && s.contains(v, true)) {
          return true;
        }
      }
    }
    return false;
  }

  private List<Candidate> directCandidate(String name, List<Demand> demands, List<Demand> direct) {
    Set<String> urls = new TreeSet<>();
    direct.forEach(d -> urls.add(normalizeUrl(d.requirement().url().get())));
    if (urls.size() > 1) {
      problem(CONFLICT,
          "Conflicting requirements for `" + name + "`: different direct references", direct);
      return List.of();
    }
    String url = direct.get(0).requirement().url().get();
    Optional<String> unusable = unusableDirectReference(url);
    if (unusable.isPresent()) {
      problem(UNUSABLE, "`" + name + " @ " + url + "` " + unusable.get(), direct);
      return List.of();
    }
    String filename = url.substring(url.lastIndexOf('/') + 1);
    Optional<Version> version = Filenames.wheelVersion(name, filename);
    if (version.isEmpty()) {
      problem(UNUSABLE, "`" + name + " @ " + url + "` is not a wheel of `" + name + "` (file name `"
          + filename + "`)", direct);
      return List.of();
    }
    if (compatibility.rank(filename).isEmpty()) {
      problem(UNUSABLE,
          "`" + filename + "` is not a wheel this interpreter can install (its tags do not fit)", direct);
      return List.of();
    }
    for (Demand d : demands) {
      if (d.requirement().url().isEmpty() && !d.requirement().specifier().contains(version.get(), true)) {
        problem(CONFLICT,
            "Conflicting requirements for `" + name + "`: the direct reference is version "
            + version.get() + ", which `" + Demand.display(d.requirement()) + "` excludes", demands);
        return List.of();
      }
    }
    DistributionFile file = new DistributionFile(name, filename, url, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), "direct reference");
    return List.of(new Candidate(name, version.get(), file, true));
  }

  /** Why a direct reference cannot be installed here, or empty when it can. */
  private static Optional<String> unusableDirectReference(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Optional.of("is not a valid URL");
    }
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      return Optional.of("is not a file: URL; only local wheels can be direct references here");
    }
    Path path;
    try {
      path = Path.of(uri);
    } catch (IllegalArgumentException e) {
      return Optional.of("is not a local path");
    }
    if (Files.isDirectory(path)) {
      return Optional.of("is a source tree: building requirements from source is not supported "
          + "yet; build its wheel first and name the wheel");
    }
    if (!Files.isRegularFile(path)) {
      return Optional.of("does not exist");
    }
    if (!path.getFileName().toString().endsWith(".whl")) {
      return Optional.of("is not a wheel; only wheels can be installed here");
    }
    return Optional.empty();
  }

  private static boolean sameUrl(String a, String b) {
    return normalizeUrl(a).equals(normalizeUrl(b));
  }

  private static String normalizeUrl(String url) {
    try {
      URI uri = URI.create(url);
      if ("file".equalsIgnoreCase(uri.getScheme())) {
        return Path.of(uri).toAbsolutePath().normalize().toUri().toString();
      }
      return uri.normalize().toString();
    } catch (IllegalArgumentException e) {
      return url;
    }
  }
}
