package dev.orchestrate.build;

import dev.orchestrate.bus.BuildMode;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import dev.orchestrate.env.archive.ArchiveException;
import dev.orchestrate.env.archive.ExtractResult;
import dev.orchestrate.env.archive.SafeExtractor;
import dev.orchestrate.env.resolve.SourceBuildNeeded;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.env.store.StoreBucket;
import dev.orchestrate.workspace.BuildSystem;
import dev.orchestrate.workspace.ParseOutcome;
import dev.orchestrate.workspace.PyProjectParser;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Build requirements available only as sdists, built into wheels by the same PEP 517 path as a
 * workspace member (the sdist's own backend, in its own environment, each hook a fresh process),
 * the way pip and uv build them. An environment whose resolution meets such a requirement fails
 * with {@link SourceBuildNeeded}; the wheel is then built into the store's
 * {@code built-wheels-v1/<interpreter>/<sdist sha256>/} and the environment asked for again.
 *
 * <p>One build per sdist at a time in this process (later askers join it); across processes the
 * store's per-key lock does the same. Cycles are refused, not waited on: every source build
 * records which source builds it waits for, and joining one that (transitively) waits for the
 * joiner fails with the cycle named. Shared by every package build of a run; {@link #inside}
 * gives the view of one source build, whose own environments are asked for on its behalf.
 */
public final class SourceBuilds {
  /** How many source builds one environment may need before it is given up as runaway. */
  private static final int MAX_ROUNDS = 25;

  private final Shared shared;
  private final Optional<String> self;

  private SourceBuilds(Shared shared, Optional<String> self) {
    this.shared = shared;
    this.self = self;
  }

  /** A run's source builds, seen from its workspace members (no source build of their own). */
  public static SourceBuilds forRun() {
    return new SourceBuilds(new Shared(), Optional.empty());
  }

  private SourceBuilds inside(String sdistSha256) {
    return new SourceBuilds(shared, Optional.of(sdistSha256));
  }

  /** What ties the views together: the builds in flight and who waits for whom. */
  private static final class Shared {
    final Map<String, Future<Path>> inFlight = new HashMap<>();
    final Map<String, Set<String>> waitsFor = new HashMap<>();
    final Map<String, String> labels = new HashMap<>();
  }

  /**
   * The environment for {@code requirements}, building the wheels of sdist-only requirements
   * first as needed.
   */
  Future<Environment> ensure(BuildContext ctx, BuildRequest requester,
      List<EnvRequirement> requirements, Path log) {
    return ensure(ctx, requester, requirements, log, 0);
  }

  private Future<Environment> ensure(BuildContext ctx, BuildRequest requester,
      List<EnvRequirement> requirements, Path log, int round) {
    return ctx.environments().ensure(ctx.interpreter(), requirements, log).recover(err -> {
      if (!(err instanceof SourceBuildNeeded need)) {
        return Future.failedFuture(err);
      }
      if (round >= MAX_ROUNDS) {
        return Future.failedFuture(new EnvironmentException("gave up after building " + round
            + " build requirements from source for one environment; the last was `"
            + need.label() + "`", log));
      }
      return wheel(ctx, requester, need)
          .compose(wheel -> ensure(ctx, requester, requirements, log, round + 1));
    });
  }

  /** The wheel built from {@code need}'s sdist: joined when in flight, refused when a cycle. */
  private Future<Path> wheel(BuildContext ctx, BuildRequest requester, SourceBuildNeeded need) {
    String sha = need.sdistSha256();
    Future<Path> result;
    synchronized (shared) {
      shared.labels.putIfAbsent(sha, need.label());
      if (self.isPresent()) {
        List<String> cycle = path(sha, self.get());
        if (!cycle.isEmpty()) {
          return Future.failedFuture(cycleError(need, cycle));
        }
        shared.waitsFor.computeIfAbsent(self.get(), k -> new HashSet<>()).add(sha);
      }
      result = shared.inFlight.get(sha);
      if (result == null) {
        result = build(ctx, requester, need);
        shared.inFlight.put(sha, result);
      }
    }
    return result.andThen(ar -> {
      synchronized (shared) {
        self.ifPresent(s -> shared.waitsFor.getOrDefault(s, Set.of()).remove(sha));
      }
    });
  }

  /** The chain of waits from {@code from} to {@code to} (both included), or none. */
  private List<String> path(String from, String to) {
    Map<String, String> parent = new HashMap<>();
    ArrayDeque<String> queue = new ArrayDeque<>(List.of(from));
    parent.put(from, from);
    while (!queue.isEmpty()) {
      String at = queue.poll();
      if (at.equals(to)) {
        List<String> chain = new ArrayList<>();
        for (String s = at; ; s = parent.get(s)) {
          chain.add(s);
          if (s.equals(from)) {
            break;
          }
        }
        Collections.reverse(chain);
        return chain;
      }
      for (String next : shared.waitsFor.getOrDefault(at, Set.of())) {
        if (parent.putIfAbsent(next, at) == null) {
          queue.add(next);
        }
      }
    }
    return List.of();
  }

  private EnvironmentException cycleError(SourceBuildNeeded need, List<String> chain) {
    List<String> names = new ArrayList<>();
    names.add(shared.labels.getOrDefault(self.orElseThrow(), "?"));
    chain.forEach(s -> names.add(shared.labels.getOrDefault(s, s)));
    return new EnvironmentException("building `" + names.get(0) + "` from its sdist needs `"
        + need.label() + "`, itself available only as an sdist, whose build needs it back: a cycle "
        + "of source builds (" + String.join(" → ", names) + ")\n"
        + "hint: put a wheel of one of them in a --find-links directory", need.log().orElse(null));
  }

  /** Unpacks the sdist, builds its wheel (wheel only, no config settings), stores it. */
  private Future<Path> build(BuildContext ctx, BuildRequest requester, SourceBuildNeeded need) {
    String tag = need.project() + "-" + need.version() + "-" + need.sdistSha256().substring(0, 8);
    StoreBucket bucket = new StoreBucket(need.builtWheels());
    // Flat: <run>/sources/<tag>, also for a source build needed by another source build.
    Path runRoot = self.isPresent() ? ctx.runDir().getParent().getParent() : ctx.runDir();
    Path runDir = runRoot.resolve("sources").resolve(tag);
    Path outDir = bucket.dir().resolve(".out-" + UUID.randomUUID());
    String label = need.label() + " sdist";
    Future<BuildOutcome> built = ctx.workers().executeBlocking(() -> {
      Path top = unpack(need, runDir.resolve("src"));
      BuildSystem system = buildSystem(need, top);
      return new BuildRequest(requester.member(), "`" + need.label() + "` (built from its sdist for "
          + requester.displayName() + ")", top, system.requires(), system.backend(),
          system.backendPath(), BuildMode.WHEEL_ONLY, Map.of(), Map.of(), Set.of(), 1, "", false);
    }, false).compose(request -> new PackageBuild(new BuildContext(ctx.vertx(), ctx.workers(),
        ctx.hooks(), ctx.environments(), ctx.interpreter(), outDir, runDir, ctx.hookTimeout(),
        ctx.baseEnvironment(), inside(need.sdistSha256())), request, label).run());
    return built.compose(outcome -> ctx.workers().executeBlocking(() -> {
      if (outcome instanceof BuildOutcome.Built b) {
        Path wheel = b.artifacts().get(0).path();
        StoreBucket.Entry entry = bucket.get(need.sdistSha256(),
            staging -> AtomicFiles.moveAtomically(wheel, staging.resolve(wheel.getFileName())));
        try (var files = Files.list(entry.path())) {
          return files.filter(f -> f.getFileName().toString().endsWith(".whl")).findFirst()
              .orElseThrow(() -> new EnvironmentException("no wheel in " + entry.path(), null));
        }
      }
      BuildOutcome.Failed f = outcome instanceof BuildOutcome.Failed failed ? failed
          : new BuildOutcome.Failed("orchestrate", "unexpected outcome " + outcome, "",
              Optional.empty(), List.of(), List.of(), List.of());
      String cause = f.cause().startsWith("cannot create the build environment: ")
          ? f.cause().substring("cannot create the build environment: ".length()) : f.cause();
      throw new EnvironmentException("`" + need.label() + "` is only available as an sdist, and "
          + "building its wheel failed (" + f.stage() + "): " + cause
          + f.log().map(l -> "\n  log of the source build: " + l).orElse("")
          + f.hints().stream().map(h -> "\n  " + h).reduce("", String::concat)
          + "\n  needed by " + need.requiredBy(), need.log().orElse(null));
    }, false)).eventually(() -> ctx.workers().executeBlocking(() -> {
      AtomicFiles.deleteTree(outDir);
      AtomicFiles.deleteTree(runDir.resolve("src"));
      return null;
    }, false));
  }

  private static Path unpack(SourceBuildNeeded need, Path into) throws java.io.IOException {
    AtomicFiles.deleteTree(into);
    Files.createDirectories(into.getParent());
    ExtractResult result;
    try {
      result = SafeExtractor.extractSdist(need.sdist(), into);
    } catch (ArchiveException e) {
      throw new EnvironmentException("the sdist of `" + need.label() + "` (" + need.sdist()
          + ") cannot be unpacked safely: " + e.getMessage(), need.log().orElse(null));
    }
    return result.topLevelDirectory().orElseThrow(() -> new EnvironmentException("the sdist of `"
        + need.label() + "` (" + need.sdist() + ") does not hold a single top-level directory",
        need.log().orElse(null)));
  }

  private static BuildSystem buildSystem(SourceBuildNeeded need, Path top) {
    ParseOutcome parsed = PyProjectParser.parse(top);
    if (parsed instanceof ParseOutcome.Parsed p) {
      return p.member().buildSystem();
    } else if (parsed instanceof ParseOutcome.Invalid invalid) {
      throw new EnvironmentException("the pyproject.toml in the sdist of `" + need.label()
          + "` is invalid: " + invalid.problems().get(0).message(), need.log().orElse(null));
    }
    throw new EnvironmentException("the sdist of `" + need.label() + "` has neither "
        + "pyproject.toml nor setup.py", need.log().orElse(null));
  }
}
