package dev.orchestrate.report;

import dev.orchestrate.bus.Artifact;
import dev.orchestrate.bus.BuildOutcome;
import dev.orchestrate.bus.EnvUse;
import dev.orchestrate.bus.HookRecord;
import dev.orchestrate.run.PackageResult;
import dev.orchestrate.run.RunResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A made-up run with one package of each outcome, for rendering tests. */
final class Runs {
  static final Path ROOT = Path.of("/work/ws");
  static final Path RUN = Path.of("/cache/runs/20260101-120000-42");

  private Runs() {}

  static HookRecord hook(String member, String hook, String tree, String outcome, long millis) {
    return new HookRecord(hook, tree, outcome, millis,
        RUN.resolve("logs").resolve(member).resolve(hook + ".log"), "env1", outcome, "fresh");
  }

  static RunResult partlyFailed() {
    EnvUse env = new EnvUse("env1", Path.of("/cache/environments-v1/a/b"), true, List.of());
    BuildOutcome backend = new BuildOutcome.Built("1.2.0", List.of(
        new Artifact("sdist", "house_backend-1.2.0.tar.gz", ROOT.resolve("dist/house_backend-1.2.0.tar.gz"), "0".repeat(64), 10),
        new Artifact("wheel", "house_backend-1.2.0-py3-none-any.whl", ROOT.resolve("dist/house_backend-1.2.0-py3-none-any.whl"), "1".repeat(64), 20)),
        Optional.empty(), List.of(
            hook("house-backend", "get_requires_for_build_sdist", "source", "success", 310),
            hook("house-backend", "build_sdist", "source", "success", 420),
            hook("house-backend", "get_requires_for_build_wheel", "sdist", "success", 300),
            hook("house-backend", "build_wheel", "sdist", "success", 1250)), List.of(env));
    BuildOutcome alpha = new BuildOutcome.Failed("build_wheel",
        "the hook raised RuntimeError: no compiler (in the unpacked sdist)", "Traceback...\nRuntimeError: no compiler",
        Optional.of(RUN.resolve("logs/alpha/06-build_wheel-in-sdist.log")), List.of("backend-path: (not set)"),
        List.of(hook("alpha", "build_sdist", "source", "success", 200),
            hook("alpha", "build_wheel", "sdist", "exception", 640)), List.of(env));
    BuildOutcome delta = new BuildOutcome.Skipped("needs `alpha`, which failed (build_wheel)");
    return new RunResult(ROOT, ROOT.resolve("dist"), RUN, "/usr/bin/python3", "3.11.7",
        Instant.parse("2026-01-01T12:00:00Z"), Duration.ofMillis(4321), List.of(
            new PackageResult("house-backend", "house-backend", Optional.of("1.2.0"), ROOT.resolve("tools/house-backend"), backend, 2500),
            new PackageResult("alpha", "alpha", Optional.of("0.3.0"), ROOT.resolve("packages/alpha"), alpha, 1100),
            new PackageResult("delta-tools", "Delta.Tools", Optional.of("2.0.0rc1"), ROOT.resolve("packages/delta"), delta, 0)));
  }
}
