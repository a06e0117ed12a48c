package dev.orchestrate.env.install;

import dev.orchestrate.env.index.PackageSource;
import dev.orchestrate.env.pep508.InvalidRequirementException;
import dev.orchestrate.env.pep508.Requirement;
import dev.orchestrate.env.resolve.Compatibility;
import dev.orchestrate.env.resolve.ResolutionException;
import dev.orchestrate.env.resolve.Resolver;
import dev.orchestrate.env.resolve.SourceBuildNeeded;
import dev.orchestrate.env.resolve.SourceProvider;
import dev.orchestrate.env.store.EnvKey;
import dev.orchestrate.env.store.EnvRequirement;
import dev.orchestrate.env.store.EnvironmentBuilder;
import dev.orchestrate.env.store.EnvironmentException;
import dev.orchestrate.env.store.Pin;
import dev.orchestrate.env.store.WheelStore;
import dev.orchestrate.env.tags.RequiresPython;
import dev.orchestrate.env.tags.SupportedTags;
import dev.orchestrate.shim.InterpreterInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes build environments without pip, the way uv does: a copy of a per-interpreter venv
 * template, then the requirements resolved ({@link Resolver}) against the run's sources, each
 * wheel unpacked and byte-compiled once into the {@link WheelStore}, and hard-linked into the
 * environment's site-packages with its scripts and metadata ({@link WheelInstaller}).
 *
 * <p>Resolution waits on the sources' futures, so the whole build runs on a worker pool of its
 * own ({@code orchestrate-env}), never on the pool the sources do their blocking work on.
 */
public final class NativeEnvironmentBuilder implements EnvironmentBuilder {
  /**
   * Tunables; {@link #defaults()} suits builds.
   *
   * @param buildsFromSource whether a requirement available only as an sdist may be chosen: the
   *     environment then fails with {@link SourceBuildNeeded} until a wheel has been built from
   *     it into the store (by whoever handles that failure: the orchestrator's PEP 517 path)
   */
  public record Options(Duration timeout, int maxAttempts, boolean compile, boolean buildsFromSource) {
    public Options {
      Objects.requireNonNull(timeout, "timeout");
    }

    public static Options defaults() {
      return new Options(Duration.ofMinutes(10), Resolver.DEFAULT_MAX_ATTEMPTS, true, false);
    }

    public Options withSourceBuilds() {
      return new Options(timeout, maxAttempts, compile, true);
    }
  }

  private final WorkerExecutor pool;
  private final Future<? extends PackageSource> source;
  private final WheelStore store;
  private final Options options;

  public NativeEnvironmentBuilder(Vertx vertx, PackageSource source, Path cacheRoot) {
    this(vertx, Future.succeededFuture(source), cacheRoot, Options.defaults());
  }

  /**
   * @param source the run's sources, possibly still opening (reading {@code .netrc} for an index
   *     happens on a worker): the first environment that needs them waits
   */
  public NativeEnvironmentBuilder(Vertx vertx, Future<? extends PackageSource> source,
      Path cacheRoot, Options options) {
    this.pool = Objects.requireNonNull(vertx, "vertx")
        .createSharedWorkerExecutor("orchestrate-env", 4, 1, TimeUnit.HOURS);
    this.source = Objects.requireNonNull(source, "source");
    this.store = new WheelStore(cacheRoot);
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public Future<List<Pin>> build(InterpreterInfo interpreter, List<EnvRequirement> requirements,
      Path staging, Path finalPath, Path log) {
    List<EnvRequirement> reqs = List.copyOf(requirements);
    return source.compose(sources -> pool.executeBlocking(() -> {
      try {
        return buildNow(sources, interpreter, reqs, staging, finalPath, log);
      } catch (ResolutionException e) {
        throw e.withLog(log);
      } catch (SourceBuildNeeded e) {
        note(log, "needs a wheel built from " + e.sdist() + " (" + e.requiredBy() + ")", System.nanoTime());
        throw e.withLog(log);
      } catch (EnvironmentException e) {
        throw e.log().isPresent() ? e : new EnvironmentException(e.getMessage(), log);
      } catch (IOException | RuntimeException e) {
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(trace));
        note(log, trace.toString(), System.nanoTime());
        throw new EnvironmentException("could not make the environment: " + e, log);
      }
    }, false));
  }

  private List<Pin> buildNow(PackageSource source, InterpreterInfo interpreter,
      List<EnvRequirement> requirements, Path staging, Path finalPath, Path log) throws IOException, InterruptedException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    long start = System.nanoTime();
    VenvTemplate template = VenvTemplate.of(store.venvTemplates(), interpreter, options.timeout(), log);
    Files.createDirectories(staging.getParent());
    template.copyTo(staging, finalPath);
    note(log, "venv from the template of " + interpreter.executable(), start);
    if (requirements.isEmpty()) {
      return List.of();
    }
    List<Resolver.Root> roots = new ArrayList<>();
    for (EnvRequirement r : requirements) {
      try {
        roots.add(new Resolver.Root(Requirement.parse(r.installArg()), r.keyForm(), r.origin()));
      } catch (InvalidRequirementException e) {
        throw new EnvironmentException("`" + r.installArg() + "` is not a valid requirement: "
            + e.getMessage(), log);
      }
    }
    long resolving = System.nanoTime();
    SourceProvider provider = new SourceProvider(source, store, options.timeout(),
        options.buildsFromSource()
            ? Optional.of(store.builtWheels(EnvKey.of(interpreter, List.of()).interpreterDigest()))
            : Optional.empty());
    Resolver resolver = new Resolver(provider,
        Compatibility.of(SupportedTags.supportedTags(interpreter)), interpreter.markers(),
        RequiresPython.pythonVersion(interpreter), options.maxAttempts());
    List<Resolver.Resolved> resolved = resolver.resolve(roots);
    note(log, "resolved " + requirements.stream().map(EnvRequirement::keyForm).toList() + " in "
        + resolver.attempts() + " attempt(s): " + resolved.stream()
        .map(r -> r.name() + " " + r.version()).toList(), resolving);

    WheelInstaller installer = new WheelInstaller(staging, finalPath,
        template.sitePackages(staging), interpreter.majorMinor());
    List<Pin> pins = new ArrayList<>();
    for (Resolver.Resolved r : resolved) {
      long t = System.nanoTime();
      Path wheel = provider.wheel(r.file());
      String sha = store.sha256(wheel);
      boolean fromSource = !r.file().isWheel();
      if (!fromSource && r.file().sha256().isPresent() && !r.file().sha256().get().equalsIgnoreCase(sha)) {
        throw new EnvironmentException(r.file().filename() + " from " + r.file().source()
            + " does not match its promised sha256 (" + r.file().sha256().get() + ", found " + sha
            + ")", log);
      }
      UnpackedWheel unpacked = UnpackedWheel.of(store.unpacked(), wheel, sha, r.name(), log);
      Bytecode bytecode = options.compile()
          ? Bytecode.of(store.bytecode(Objects.requireNonNullElse(interpreter.cacheTag(), "none")),
              sha, unpacked, WheelInstaller.sitePackagesFiles(unpacked), interpreter, options.timeout(), log)
          : Bytecode.none();
      int files = installer.install(unpacked, bytecode, new WheelInstaller.Request(r.requested(),
          r.direct() ? Optional.of(r.file().url()) : Optional.empty(), Optional.of(sha)));
      pins.add(new Pin(r.name(), r.version().toString(),
          fromSource ? wheel.getFileName().toString() : r.file().filename(),
          Optional.of(sha), r.direct() ? r.file().url()
              : fromSource ? "built from " + r.file().filename() + " (" + r.file().source() + ")"
              : r.file().source()));
      note(log, "installed " + r.name() + " " + r.version() + " (" + files + " files, "
          + bytecode.files().size() + " compiled) from " + wheel, t);
    }
    note(log, "environment ready: " + installer.linked() + " files linked, " + installer.copied()
        + " copied", start);
    return pins;
  }

  static void note(Path log, String line, long sinceNanos) {
    String text = String.format(Locale.ROOT, "[native %6.1f ms] %s%n",
        (System.nanoTime() - sinceNanos) / 1e6, line);
    try {
      Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the log is for people; the environment does not depend on it
    }
  }
}
