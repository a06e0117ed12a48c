package dev.orchestrate.build;

import dev.orchestrate.bus.Addresses;
import dev.orchestrate.bus.Artifact;
import dev.orchestrate.bus.BuildMode;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.BuildRequest;
import dev.orchestrate.bus.EnvUse;
import dev.orchestrate.bus.HookEvent;
import dev.orchestrate.bus.HookRecord;
import dev.orchestrate.bus.MemberWheel;
import dev.orchestrate.env.archive.ArchiveException;
import dev.orchestrate.env.archive.ExtractResult;
import dev.orchestrate.env.archive.SafeExtractor;
import dev.orchestrate.env.pep440.Version;
import dev.orchestrate.env.pep508.InvalidRequirementException;
import dev.orchestrate.env.pep508.Requirement;
import dev.orchestrate.env.store.AtomicFiles;
import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.shim.HookCall;
import dev.orchestrate.shim.HookName;
import dev.orchestrate.shim.HookRequest;
import dev.orchestrate.shim.HookResult;
import dev.orchestrate.workspace.BuildSystem;
import dev.orchestrate.workspace.ParseOutcome;
import dev.orchestrate.workspace.PyProjectParser;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One package's build, as PEP 517 describes it:
 *
 * <pre>
 * get_requires_for_build_sdist ▶ build_sdist ─ UnsupportedOperation ▶ wheel from the source tree
 *                                     └ ok ▶ unpack the sdist ▶ get_requires_for_build_wheel ▶ build_wheel
 * </pre>
 *
 * Each hook runs in its own process (fresh, or forked from a warm server: {@code --hook-runner})
 * in the environment its requirements select. Steps run one after another (callbacks never
 * overlap), so the records kept here need no locking. Early endings travel as {@link Stop}.
 */
final class PackageBuild {
  private final BuildContext ctx;
  private final BuildRequest request;
  private final Path logDir;
  private final Path workDir;
  private final Path staging;
  private final List<HookRecord> hooks = new ArrayList<>();
  private final Map<String, EnvUse> environments = new LinkedHashMap<>();
  /** Requirements a get_requires_for_build_* hook returned, and which hook: for messages. */
  private final Map<Requirement, String> askedByHook = new LinkedHashMap<>();
  /** What the source tree is called in records and events: "source", or "<req> sdist". */
  private final String sourceLabel;
  private int calls;
  /**
   * Names this attempt's logs and control directories apart from an earlier attempt's (a
   * package deferred for a member a hook named runs again): those stay for the report.
   */
  private final String attemptPrefix;

  /** A tree that hooks run in: the member's source directory or the unpacked sdist. */
  private record Tree(String label, Path dir, BuildSystem buildSystem) {
    List<Path> backendPath() {
      return buildSystem.backendPath().stream().map(p -> dir.resolve(p).normalize()).toList();
    }
  }

  PackageBuild(BuildContext ctx, BuildRequest request) {
    this(ctx, request, "source");
  }

  /** A build whose tree is called {@code sourceLabel} (a build requirement built from source). */
  PackageBuild(BuildContext ctx, BuildRequest request, String sourceLabel) {
    this.ctx = ctx;
    this.request = request;
    this.sourceLabel = sourceLabel;
    this.logDir = ctx.runDir().resolve("logs").resolve(request.member());
    this.workDir = ctx.runDir().resolve("work").resolve(request.member());
    this.staging = ctx.stagingDir().resolve(request.member() + "-" + UUID.randomUUID());
    this.attemptPrefix = request.attempt() > 1 ? "a" + request.attempt() + "-" : "";
  }

  Future<BuildOutcome> run() {
    Tree source = new Tree(sourceLabel, request.sourceDir(), new BuildSystem(request.requires(),
        request.backend(), request.backendPath(), false));
    return blocking(() -> {
      Files.createDirectories(logDir);
      Files.createDirectories(staging.resolve("sdist"));
      Files.createDirectories(staging.resolve("wheel"));
      return null;
    })
        .compose(v -> request.mode() == BuildMode.WHEEL_ONLY
            ? wheel(source).compose(wheel -> publish(List.of(wheel), Optional.empty()))
            : sdistThenWheel(source))
        .recover(this::asOutcome)
        .eventually(() -> blocking(() -> {
          AtomicFiles.deleteTree(staging);
          AtomicFiles.deleteTree(workDir);
          return null;
        }));
  }

  private Future<BuildOutcome> sdistThenWheel(Tree source) {
    return environmentFor(source, HookName.GET_REQUIRES_FOR_BUILD_SDIST)
        .compose(env -> hook(source, env, HookName.BUILD_SDIST,
            Map.of("sdist_directory", staging.resolve("sdist").toString())))
        .compose(call -> {
          if (call.result() instanceof HookResult.Unsupported unsupported) {
            // PEP 517: an sdist the backend cannot make falls back to a wheel from the tree.
            String why = "build_sdist raised UnsupportedOperation (" + unsupported.message()
                + "); built the wheel from the source tree";
            return wheel(source).compose(wheel -> publish(List.of(wheel), Optional.of(why)));
          }
          Path sdist = produced(call, staging.resolve("sdist"), ".tar.gz", ".zip");
          return unpack(sdist)
              .compose(this::wheel)
              .compose(wheel -> publish(List.of(sdist, wheel), Optional.empty()));
        });
  }

  private Future<Path> wheel(Tree tree) {
    return environmentFor(tree, HookName.GET_REQUIRES_FOR_BUILD_WHEEL)
        .compose(env -> hook(tree, env, HookName.BUILD_WHEEL,
            Map.of("wheel_directory", staging.resolve("wheel").toString())))
        .map(call -> produced(call, staging.resolve("wheel"), ".whl"));
  }

  /** Unpacks the sdist (refusing unsafe archives) and reads the build system it declares. */
  private Future<Tree> unpack(Path sdist) {
    return blocking(() -> {
      ExtractResult result;
      try {
        AtomicFiles.deleteTree(workDir.resolve("sdist"));
        Files.createDirectories(workDir);
        result = SafeExtractor.extractSdist(sdist, workDir.resolve("sdist"));
      } catch (ArchiveException e) {
        throw fail("sdist", "the sdist " + sdist.getFileName() + " cannot be unpacked: "
            + e.getMessage(), "", Optional.empty(), List.of(
                "the backend produced an sdist that is not a safe, single-directory archive"));
      }
      Path top = result.topLevelDirectory().orElseThrow(() -> fail("sdist",
          "the sdist " + sdist.getFileName() + " does not hold a single top-level directory",
          "", Optional.empty(), List.of()));
      // The wheel is built from what the sdist says, as a user installing the sdist would.
      ParseOutcome parsed = PyProjectParser.parse(top);
      if (parsed instanceof ParseOutcome.Parsed p) {
        return new Tree("sdist", top, p.member().buildSystem());
      } else if (parsed instanceof ParseOutcome.Invalid invalid) {
        throw fail("sdist", "the pyproject.toml inside the sdist is invalid: "
            + invalid.problems().get(0).message(), invalid.problems().stream()
                .map(pr -> pr.describe()).collect(Collectors.joining("\n")), Optional.empty(),
            List.of("the sdist must carry a valid pyproject.toml"));
      }
      throw fail("sdist", "the sdist " + sdist.getFileName() + " has neither pyproject.toml nor setup.py",
          "", Optional.empty(), List.of("the backend must include pyproject.toml in the sdist"));
    });
  }

  // ---- environments -------------------------------------------------------------------------

  /**
   * The environment a build hook runs in: build-system.requires, plus what the matching
   * get_requires_for_build_* hook (run in that base environment) asks for.
   */
  private Future<Environment> environmentFor(Tree tree, HookName getRequires) {
    return environment(tree, List.of())
        .compose(base -> requires(tree, base, getRequires)
            .compose(extra -> withExtras(tree, base, extra)));
  }

  /** The environment holding the tree's build-system.requires plus {@code extra}. */
  private Future<Environment> environment(Tree tree, List<Requirement> extra) {
    List<Requirement> all = new ArrayList<>();
    for (int i = 0; i < tree.buildSystem().requires().size(); i++) {
      String text = tree.buildSystem().requires().get(i);
      try {
        all.add(Requirement.parse(text));
      } catch (InvalidRequirementException e) {
        return Future.failedFuture(fail("environment", "build-system.requires[" + i + "] in the "
            + tree.label() + " tree is not a valid requirement: " + text, e.getMessage(),
            Optional.empty(), List.of()));
      }
    }
    all.addAll(extra);
    List<EnvRequirement> envRequirements;
    try {
      envRequirements = envRequirements(all, "build_system");
    } catch (Stop stop) {
      return Future.failedFuture(stop);
    }
    Path log = logDir.resolve(attemptPrefix + String.format("%02d-environment.log", ++calls));
    event("environment", tree.label(), true, "");
    return ctx.sourceBuilds().ensure(ctx, request, envRequirements, log)
        .onComplete(ar -> event("environment", tree.label(), false,
            ar.failed() ? "failed" : ar.result().createdNow() ? "created" : "reused"))
        .recover(err -> {
          if (err instanceof EnvironmentException e) {
            Failures.Described d = Failures.environment(e, envRequirements);
            return Future.failedFuture(fail("environment", d.cause(), d.detail(), e.log(), d.hints()));
          }
          return Future.failedFuture(err);
        })
        .onSuccess(env -> environments.putIfAbsent(env.key().id(), new EnvUse(env.key().id(),
            env.root(), env.createdNow(), env.key().requirements(),
            env.resolved().stream().map(dev.orchestrate.env.store.Pin::requirement).toList())));
  }

  /**
   * The environment for a hook that asked for {@code extra} requirements: the base one when it
   * already satisfies them, else a second environment keyed by base + extra.
   */
  private Future<Environment> withExtras(Tree tree, Environment base, List<Requirement> extra) {
    List<Requirement> missing = extra.stream().filter(r -> !satisfied(base, r)).toList();
    return missing.isEmpty() ? Future.succeededFuture(base) : environment(tree, missing);
  }

  private boolean satisfied(Environment env, Requirement r) {
    if (r.marker().isPresent() && !r.marker().get().evaluate(ctx.interpreter().markers())) {
      return true;
    }
    String installed = env.installed().get(r.normalizedName());
    if (installed == null || !r.extras().isEmpty() || r.url().isPresent()) {
      return false; // extras and direct URLs cannot be checked from names alone: install them
    }
    MemberWheel member = request.memberWheels().get(r.normalizedName());
    if (member != null && !member.version().equals(installed)) {
      return false;
    }
    try {
      return r.specifier().contains(Version.parse(installed), true);
    } catch (RuntimeException invalidVersion) {
      return false;
    }
  }

  /**
   * Requirements as the environment key and the installer see them: markers applied, workspace
   * members replaced by the wheels built in this run (or the build deferred until they exist).
   */
  private List<EnvRequirement> envRequirements(List<Requirement> requirements, String stage) {
    List<EnvRequirement> result = new ArrayList<>();
    Set<String> unbuilt = new TreeSet<>();
    for (Requirement r : requirements) {
      if (r.marker().isPresent() && !r.marker().get().evaluate(ctx.interpreter().markers())) {
        continue;
      }
      String name = r.normalizedName();
      if (!request.workspaceMembers().contains(name) || r.url().isPresent()) {
        result.add(new EnvRequirement(r.toCanonicalString(), r.toString(), origin(r)));
        continue;
      }
      MemberWheel wheel = request.memberWheels().get(name);
      if (wheel == null) {
        unbuilt.add(name);
        continue;
      }
      if (!r.specifier().contains(Version.parse(wheel.version()), true)) {
        throw fail("environment", "requires `" + r + "` but the workspace member `" + name
            + "` is version " + wheel.version(), "", Optional.empty(),
            List.of("change the requirement or the member's version"));
      }
      String extras = r.extras().isEmpty() ? "" : "[" + String.join(",", r.extras()) + "]";
      result.add(new EnvRequirement(name + extras + " @ sha256:" + wheel.sha256(),
          name + extras + " @ " + wheel.path().toUri(), origin(r)));
    }
    if (!unbuilt.isEmpty()) {
      throw new Stop(new BuildOutcome.Deferred(unbuilt, stage, List.copyOf(hooks),
          List.copyOf(environments.values())));
    }
    return result;
  }

  /** Who asked for a requirement, as resolution errors say it: {@code alpha's build-system.requires}. */
  private String origin(Requirement r) {
    return request.displayName() + "'s " + askedByHook.getOrDefault(r, "build-system.requires");
  }

  // ---- hooks --------------------------------------------------------------------------------

  /** Calls a get_requires_for_build_* hook and returns its requirements, parsed. */
  private Future<List<Requirement>> requires(Tree tree, Environment env, HookName hook) {
    return hook(tree, env, hook, Map.of()).map(call -> {
      if (!(call.result() instanceof HookResult.Success success)) {
        throw failure(tree, env, call);
      }
      if (!(success.returnValue() instanceof List<?> list)
          || !list.stream().allMatch(String.class::isInstance)) {
        throw fail(hook.pythonName(), hook + " returned " + success.returnValue()
            + ", not a list of requirement strings", "", Optional.of(call.log()),
            List.of("this is a bug in the build backend `" + tree.buildSystem().backend() + "`"));
      }
      List<Requirement> parsed = new ArrayList<>();
      for (Object item : list) {
        try {
          parsed.add(Requirement.parse((String) item));
        } catch (InvalidRequirementException e) {
          throw fail(hook.pythonName(), hook + " returned an invalid requirement `" + item + "`",
              e.getMessage(), Optional.of(call.log()), List.of());
        }
      }
      // A member named only now: build it first (the scheduler adds the edge and re-queues us).
      parsed.forEach(r -> askedByHook.putIfAbsent(r, hook.pythonName()));
      envRequirements(parsed, hook.pythonName());
      return parsed;
    });
  }

  /** Runs one hook; hook failures other than UnsupportedOperation of build_sdist stop the build. */
  private Future<HookCall> hook(Tree tree, Environment env, HookName hook, Map<String, Object> args) {
    Map<String, Object> kwargs = new LinkedHashMap<>(args);
    kwargs.put("config_settings", request.configSettings());
    int n = ++calls;
    String suffix = tree.label().equals("sdist") ? "-in-sdist" : "";
    HookRequest hookRequest = new HookRequest(hook, env.python(), tree.buildSystem().backend(),
        tree.backendPath(), tree.dir(), kwargs, env.hookEnvironment(ctx.baseEnvironment()),
        workDir.resolve("control").resolve(attemptPrefix + String.format("%02d-%s", n, hook)),
        logDir.resolve(attemptPrefix + String.format("%02d-%s%s.log", n, hook, suffix)), ctx.hookTimeout());
    event(hook.pythonName(), tree.label(), true, "");
    return ctx.hooks().call(hookRequest).map(call -> {
      hooks.add(new HookRecord(hook.pythonName(), tree.label(), call.result().label(),
          call.elapsed().toMillis(), call.log(), env.key().id(), call.result().summary(),
          call.runner()));
      event(hook.pythonName(), tree.label(), false, call.result().label());
      boolean fallback = hook == HookName.BUILD_SDIST && call.result() instanceof HookResult.Unsupported;
      if (!(call.result() instanceof HookResult.Success) && !fallback) {
        throw failure(tree, env, call);
      }
      return call;
    });
  }

  /** The file a build hook says it made, checked to exist where it should. */
  private Path produced(HookCall call, Path dir, String... suffixes) {
    Object value = ((HookResult.Success) call.result()).returnValue();
    String hook = call.hook().pythonName();
    if (!(value instanceof String name) || name.isEmpty() || name.contains("/")) {
      throw fail(hook, hook + " returned " + value + " instead of the basename of the file it made",
          "", Optional.of(call.log()), List.of("this is a bug in the build backend"));
    }
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw fail(hook, hook + " returned `" + name + "` but wrote no such file into " + dir, "",
          Optional.of(call.log()), List.of("this is a bug in the build backend"));
    }
    boolean known = false;
    for (String suffix : suffixes) {
      known |= name.endsWith(suffix);
    }
    if (!known) {
      throw fail(hook, hook + " made `" + name + "`, expected a file ending in "
          + String.join(" or ", suffixes), "", Optional.of(call.log()), List.of());
    }
    return file;
  }

  // ---- outputs ------------------------------------------------------------------------------

  /** Moves the staged artifacts into the out dir (each a rename, so none appears half-written). */
  private Future<BuildOutcome> publish(List<Path> files, Optional<String> fallback) {
    return blocking(() -> {
      List<Artifact> artifacts = new ArrayList<>();
      for (Path file : files) {
        String name = file.getFileName().toString();
        String sha256 = AtomicFiles.sha256(file);
        long size = Files.size(file);
        Path target = ctx.outDir().resolve(name);
        AtomicFiles.moveAtomically(file, target);
        artifacts.add(new Artifact(name.endsWith(".whl") ? "wheel" : "sdist", name, target, sha256, size));
      }
      String version = artifacts.stream().filter(a -> a.kind().equals("wheel")).findFirst()
          .map(a -> a.file().split("-")[1]).orElse("");
      return new BuildOutcome.Built(version, artifacts, fallback, List.copyOf(hooks),
          List.copyOf(environments.values()));
    });
  }

  // ---- failures -----------------------------------------------------------------------------

  private Stop failure(Tree tree, Environment env, HookCall call) {
    Failures.Described d = Failures.describe(call, tree.label(), tree.dir(), tree.buildSystem(), env);
    return fail(call.hook().pythonName(), d.cause(), d.detail(), Optional.of(call.log()), d.hints());
  }

  private Stop fail(String stage, String cause, String detail, Optional<Path> log, List<String> hints) {
    return new Stop(new BuildOutcome.Failed(stage, cause, detail, log, hints, List.copyOf(hooks),
        List.copyOf(environments.values())));
  }

  private Future<BuildOutcome> asOutcome(Throwable err) {
    if (err instanceof Stop stop) {
      return Future.succeededFuture(stop.outcome);
    }
    // A bug or an I/O error of ours: still an outcome for this package, not a crash of the run.
    String detail = err instanceof IOException ? String.valueOf(err.getMessage())
        : Failures.stackTrace(err);
    return Future.succeededFuture(new BuildOutcome.Failed("orchestrate",
        "internal error while building: " + err, detail, Optional.empty(),
        List.of("please report this with the output of -v"), List.copyOf(hooks),
        List.copyOf(environments.values())));
  }

  private void event(String step, String tree, boolean started, String outcome) {
    ctx.vertx().eventBus().publish(Addresses.EVENTS, new HookEvent(request.member(), step, tree,
        System.currentTimeMillis(), started, outcome));
  }

  private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    return ctx.workers().executeBlocking(work, false);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
